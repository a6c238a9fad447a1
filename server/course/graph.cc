#include "server/course/graph.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace streamlab::course {
namespace {

using json = nlohmann::json;

AwsError graph_error(std::string message) { return AwsError{"CourseError", std::move(message), 400, true, {}}; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

std::vector<std::string> strings(const json& j) {
  std::vector<std::string> out;
  for (auto& x : j) out.push_back(x.get<std::string>());
  return out;
}

// A string member that may be absent or null (the graph writes null for "no title").
std::string str_member(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

// Reads one module; throws json exceptions on a wrong shape (caught by parse_graph).
Module read_module(const json& m) {
  Module out;
  out.id = m.at("id").get<std::string>();
  out.dir = m.at("dir").get<std::string>();
  out.title = m.at("title").get<std::string>();
  out.minutes = m.at("minutes").get<int>();
  out.goals = strings(m.at("goals"));
  out.required = strings(m.at("prerequisites").at("required"));
  out.recommended = strings(m.at("prerequisites").at("recommended"));
  for (auto& p : m.at("structure")) out.structure.push_back({p.at("part").get<std::string>(), p.at("minutes").get<int>()});
  out.status = m.at("status").get<std::string>();
  out.status_note = str_member(m, "status_note");
  out.outline_exercise = str_member(m, "outline_exercise");
  return out;
}

NamedPath read_path(const json& p) {
  NamedPath out;
  out.id = p.at("id").get<std::string>();
  out.name = p.at("name").get<std::string>();
  out.modules = strings(p.at("modules"));
  const json& o = p.at("outline");
  out.outline_text = o.at("text").get<std::string>();
  if (o.contains("modules") && o["modules"].is_array()) out.outline_modules = strings(o["modules"]);
  out.description = str_member(p, "description");
  out.resolution = str_member(p, "resolution");
  out.any_valid_order = p.value("any_valid_order", false);
  return out;
}

}  // namespace

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

const Module* Graph::find(std::string_view id) const {
  for (auto& m : modules)
    if (m.id == id) return &m;
  return nullptr;
}

std::vector<std::string> Graph::all_ids() const {
  std::vector<std::string> out;
  for (auto& m : modules) out.push_back(m.id);
  return out;
}

std::optional<std::string> Graph::normalize_id(std::string_view text) const {
  std::string t = trim(text);
  if (find(upper(t))) return upper(t);
  if (all_digits(t) && t.size() < 4 && find("M" + std::to_string(std::stoi(t)))) return "M" + std::to_string(std::stoi(t));
  std::string dir = lower(t);
  while (!dir.empty() && dir.back() == '/') dir.pop_back();
  for (auto& m : modules)
    if (dir == m.dir || dir == "curriculum/" + m.dir) return m.id;
  if (t.size() > 1 && (t[0] == 'm' || t[0] == 'M') && all_digits(t.substr(1)) && t.size() < 5 &&
      find("M" + std::to_string(std::stoi(t.substr(1)))))
    return "M" + std::to_string(std::stoi(t.substr(1)));
  return std::nullopt;
}

const NamedPath* Graph::find_path(std::string_view name) const {
  std::string key = lower(trim(name));
  std::replace(key.begin(), key.end(), '_', '-');
  for (auto& p : paths) {
    std::string n = lower(p.name), dashed = n;
    std::replace(dashed.begin(), dashed.end(), ' ', '-');
    if (key == p.id || key == n || key == dashed) return &p;
  }
  return nullptr;
}

Result<Graph> parse_graph(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return graph_error("graph.json is not a JSON object");
  Graph g;
  try {
    g.title = j.at("title").get<std::string>();
    g.minutes_per_module = j.at("minutes_per_module").get<int>();
    const json& hours = j.at("pace").at("hours_per_day");
    g.hours_per_day_low = hours.at(0).get<int>();
    g.hours_per_day_high = hours.at(1).get<int>();
    for (auto& m : j.at("modules")) g.modules.push_back(read_module(m));
    for (auto& gr : j.at("groups"))
      g.groups.push_back({str_member(gr, "title"), strings(gr.at("requires")), strings(gr.at("modules"))});
    for (auto& p : j.at("paths")) g.paths.push_back(read_path(p));
  } catch (const json::exception& e) {
    return graph_error(std::string("graph.json: ") + e.what());
  }
  // Every id a module, group or path names must exist: the validator relies on it.
  std::set<std::string> ids;
  for (auto& m : g.modules)
    if (!ids.insert(m.id).second) return graph_error("graph.json: module " + m.id + " appears twice");
  auto known = [&](const std::vector<std::string>& list, const std::string& where) -> std::optional<AwsError> {
    for (auto& id : list)
      if (!ids.count(id)) return graph_error("graph.json: " + where + " names unknown module " + id);
    return std::nullopt;
  };
  for (auto& m : g.modules) {
    if (auto e = known(m.required, m.id + " (required)")) return *e;
    if (auto e = known(m.recommended, m.id + " (recommended)")) return *e;
  }
  for (auto& gr : g.groups)
    if (auto e = known(gr.modules, "group " + gr.title)) return *e;
  return g;
}

Result<Graph> load_graph(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return graph_error("cannot read " + file);
  std::stringstream buf;
  buf << in.rdbuf();
  return parse_graph(buf.str());
}

Verdict validate_path(const Graph& g, const std::vector<std::string>& ids) {
  Verdict v;
  std::set<std::string> seen;
  for (size_t i = 0; i < ids.size(); ++i) {
    const std::string& mid = ids[i];
    const Module* m = g.find(mid);
    if (!m) {
      v.errors.push_back(mid + ": there is no such module (M1..M" + std::to_string(g.modules.size()) + ")");
      continue;
    }
    if (seen.count(mid)) {
      v.errors.push_back(mid + " appears more than once");
      continue;
    }
    std::set<std::string> later(ids.begin() + long(i) + 1, ids.end());
    for (bool required : {true, false}) {
      for (auto& r : required ? m->required : m->recommended) {
        if (seen.count(r)) continue;
        std::string where = later.count(r) ? "which comes later in the path" : "which is not in the path";
        std::string verb = required ? "requires" : "recommends taking";
        (required ? v.errors : v.warnings)
            .push_back(mid + " (" + m->title + ") " + verb + " " + r + " (" + g.find(r)->title + ") first, " + where);
      }
    }
    seen.insert(mid);
  }
  return v;
}

std::vector<std::string> parse_custom(const Graph& g, std::string_view text) {
  std::string t(text);
  for (std::string arrow : {"->", "\xe2\x86\x92"})  // "->" and the arrow sign
    for (size_t p; (p = t.find(arrow)) != std::string::npos;) t.replace(p, arrow.size(), ",");
  std::replace(t.begin(), t.end(), ' ', ',');
  std::vector<std::string> out;
  std::stringstream in(t);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(g.normalize_id(part).value_or(part));
  return out;
}

int path_minutes(const Graph& g, const std::vector<std::string>& ids) {
  int total = 0;
  for (auto& id : ids)
    if (const Module* m = g.find(id)) total += m->minutes;
  return total;
}

std::string fmt_minutes(int minutes) {
  int h = minutes / 60, m = minutes % 60;
  if (!h) return std::to_string(m) + " min";
  return std::to_string(h) + " h" + (m ? " " + std::to_string(m) + " min" : "");
}

std::string fmt_days(const Graph& g, int minutes) {
  char buf[96];
  double a = minutes / 60.0 / g.hours_per_day_high, b = minutes / 60.0 / g.hours_per_day_low;
  std::snprintf(buf, sizeof buf, "%.1f-%.1f days at %d-%d h a day", a, b, g.hours_per_day_low, g.hours_per_day_high);
  return buf;
}

}  // namespace streamlab::course
