#pragma once
// A learner's progress: per module, the checkpoint (quiz) score and the hands-on check result. The
// same model is kept by the server per account (server/lab/progress_endpoint.h) and, when the
// course runs against real AWS, in a local JSON file of the same shape:
//   {"version": 1, "modules": {"M7": {"quiz": {"score", "of", "best", "at"},
//                                     "check": {"passed", "last", "at", "endpoint"}}}}
// A module is done when its check has passed once and its best quiz score is at least 2 of 3.
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "server/core/result.h"
#include "server/course/graph.h"

namespace streamlab::course {

inline constexpr int kPassMark = 2;  // of 3 checkpoint questions

struct QuizResult {
  int score = 0, of = 0, best = 0;
  std::string at;  // ISO 8601 UTC
};

struct CheckResult {
  bool passed = false;   // has passed at least once
  std::string last;      // "passed" or "failed": the latest run
  std::string at;
  std::string endpoint;  // what it checked: an endpoint URL or "aws"
};

struct ModuleProgress {
  std::optional<QuizResult> quiz;
  std::optional<CheckResult> check;
};

struct Progress {
  std::map<std::string, ModuleProgress> modules;

  void record_quiz(const std::string& module, int score, int of, std::string at);
  void record_check(const std::string& module, bool passed, std::string endpoint, std::string at);

  nlohmann::json to_json() const;
  // Tolerant of what a hand-edited or older file holds: entries of the wrong shape are skipped.
  static Progress from_json(const nlohmann::json& j);
};

// (done, a short status: "done (quiz 3/3, check passed)", "ready", "start M5 first", "planned: ...").
std::pair<bool, std::string> module_state(const Graph& g, const Progress& p, const std::string& module);

// ISO 8601 UTC, seconds precision, from milliseconds since the epoch.
std::string iso_time(int64_t ms);

}  // namespace streamlab::course
