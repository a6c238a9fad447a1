#include "server/course/progress.h"

#include <algorithm>
#include <ctime>

namespace streamlab::course {

using json = nlohmann::json;

void Progress::record_quiz(const std::string& module, int score, int of, std::string at) {
  auto& entry = modules[module];
  int best = std::max(score, entry.quiz ? entry.quiz->best : 0);
  entry.quiz = QuizResult{score, of, best, std::move(at)};
}

void Progress::record_check(const std::string& module, bool passed, std::string endpoint, std::string at) {
  auto& entry = modules[module];
  bool ever = passed || (entry.check && entry.check->passed);
  entry.check = CheckResult{ever, passed ? "passed" : "failed", std::move(at), std::move(endpoint)};
}

json Progress::to_json() const {
  json mods = json::object();
  for (auto& [id, m] : modules) {
    json e = json::object();
    if (m.quiz) e["quiz"] = {{"score", m.quiz->score}, {"of", m.quiz->of}, {"best", m.quiz->best}, {"at", m.quiz->at}};
    if (m.check)
      e["check"] = {{"passed", m.check->passed}, {"last", m.check->last}, {"at", m.check->at},
                    {"endpoint", m.check->endpoint}};
    mods[id] = e;
  }
  return {{"version", 1}, {"modules", mods}};
}

Progress Progress::from_json(const json& j) {
  Progress p;
  if (!j.is_object() || !j.contains("modules") || !j["modules"].is_object()) return p;
  for (auto& [id, e] : j["modules"].items()) {
    if (!e.is_object()) continue;
    ModuleProgress m;
    if (auto q = e.find("quiz"); q != e.end() && q->is_object()) {
      QuizResult r;
      r.score = q->value("score", 0);
      r.of = q->value("of", 3);
      r.best = q->value("best", r.score);
      r.at = q->value("at", "");
      m.quiz = r;
    }
    if (auto c = e.find("check"); c != e.end() && c->is_object()) {
      CheckResult r;
      r.passed = c->value("passed", false);
      r.last = c->value("last", r.passed ? "passed" : "failed");
      r.at = c->value("at", "");
      r.endpoint = c->value("endpoint", "");
      m.check = r;
    }
    p.modules[id] = m;
  }
  return p;
}

std::pair<bool, std::string> module_state(const Graph& g, const Progress& p, const std::string& module) {
  const Module* m = g.find(module);
  if (!m) return {false, "unknown module"};
  auto it = p.modules.find(module);
  const ModuleProgress* mp = it == p.modules.end() ? nullptr : &it->second;
  bool quiz_ok = mp && mp->quiz && mp->quiz->best >= kPassMark;
  bool check_ok = mp && mp->check && mp->check->passed;
  if (quiz_ok && check_ok) return {true, "done (quiz " + std::to_string(mp->quiz->best) + "/3, check passed)"};
  if (m->planned()) {
    std::string note = m->status_note.empty() ? "not written yet" : m->status_note;
    return {false, "planned: " + note.substr(0, note.find(';'))};
  }
  std::vector<std::string> bits;
  if (mp && mp->quiz) bits.push_back("quiz " + std::to_string(mp->quiz->best) + "/3");
  if (mp && mp->check) bits.push_back(check_ok ? "check passed" : "check not passed yet");
  if (!bits.empty()) return {false, "in progress (" + join(bits, ", ") + ")"};
  std::vector<std::string> missing;
  for (auto& r : m->required)
    if (!module_state(g, p, r).first) missing.push_back(r);
  return {false, missing.empty() ? "ready" : "start " + join(missing, ", ") + " first"};
}

std::string iso_time(int64_t ms) {
  std::time_t t = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace streamlab::course
