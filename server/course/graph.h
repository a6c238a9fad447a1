#pragma once
// The course's module graph (curriculum/graph.json) and the rules for taking modules in an order:
// required prerequisites (the outline's group requirements) must come earlier, else the order is
// invalid; recommended ones (the outline's detailed lists beyond that) only warn. Times are
// recomputed from the modules actually in a path. curriculum/README.md explains the choice.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/result.h"

namespace streamlab::course {

struct Part {
  std::string part;
  int minutes = 0;
};

struct Module {
  std::string id;  // "M7"
  std::string dir;  // "m07-partitions-and-ordering"
  std::string title;
  int minutes = 0;
  std::vector<std::string> goals;
  std::vector<std::string> required;
  std::vector<std::string> recommended;
  std::vector<Part> structure;
  std::string status;  // "available" or "planned"
  std::string status_note;
  std::string outline_exercise;
  bool planned() const { return status == "planned"; }
};

struct Group {
  std::string title;
  std::vector<std::string> requires_;
  std::vector<std::string> modules;
};

struct NamedPath {
  std::string id;  // "fast-track"
  std::string name;
  std::vector<std::string> modules;  // as resolved
  std::optional<std::vector<std::string>> outline_modules;  // as the outline lists them, when it does
  std::string outline_text;
  std::string description;
  std::string resolution;
  bool any_valid_order = false;
};

struct Graph {
  std::string title;
  int minutes_per_module = 45;
  int hours_per_day_low = 4, hours_per_day_high = 5;
  std::vector<Module> modules;  // in graph order
  std::vector<Group> groups;
  std::vector<NamedPath> paths;

  const Module* find(std::string_view id) const;
  // "M7", "m7", "7", "M07", "m07-partitions-and-ordering", "curriculum/m07-..." -> "M7"; nullopt otherwise.
  std::optional<std::string> normalize_id(std::string_view text) const;
  // By id ("fast-track"), name ("Fast Track", any case) or name with dashes.
  const NamedPath* find_path(std::string_view name) const;
  std::vector<std::string> all_ids() const;
};

// Parses graph.json text; the error says what is malformed.
Result<Graph> parse_graph(std::string_view text);
Result<Graph> load_graph(const std::string& file);

struct Verdict {
  std::vector<std::string> errors;    // a required prerequisite later or missing, unknown or repeated modules
  std::vector<std::string> warnings;  // a recommended prerequisite later or missing
  bool valid() const { return errors.empty(); }
};
Verdict validate_path(const Graph& g, const std::vector<std::string>& ids);

// "M1, 2 ->M05,m06-partitioned-logs" -> M1 M2 M5 M6 (unknown words are kept as given, so the
// validator names them).
std::vector<std::string> parse_custom(const Graph& g, std::string_view text);

int path_minutes(const Graph& g, const std::vector<std::string>& ids);
std::string fmt_minutes(int minutes);                       // "45 min", "6 h", "5 h 15 min"
std::string fmt_days(const Graph& g, int minutes);          // "1.8-2.2 days at 4-5 h a day"
std::string join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace streamlab::course
