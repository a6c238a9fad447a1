#include "server/lab/progress_book.h"

#include "server/core/auth.h"
#include "server/course/progress.h"
#include "server/lab/keys.h"

namespace streamlab::lab {
namespace {

Response answer(int status, const json& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response refuse(int status, std::string message) { return answer(status, {{"message", std::move(message)}}); }

bool valid_module(const json& m) {
  if (!m.is_string()) return false;
  const std::string& s = m.get_ref<const std::string&>();
  if (s.size() < 2 || s.size() > 4 || s[0] != 'M' || s[1] == '0') return false;
  for (size_t i = 1; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// The stored entry of one module as the Progress model reads it.
course::Progress read_entry(const std::string& module, const std::optional<std::string>& stored) {
  json entry = stored ? json::parse(*stored, nullptr, false) : json::object();
  if (!entry.is_object()) entry = json::object();
  return course::Progress::from_json({{"modules", {{module, entry}}}});
}

}  // namespace

json ProgressBook::account_progress(const std::string& account) const {
  json modules = json::object();
  std::string begin = keys::progress_prefix(account), end = begin;
  end.back() = char(end.back() + 1);
  store_.scan(storage::Family::meta, begin, end, [&](std::string_view key, std::string_view value) {
    std::string module(key.substr(begin.size()));
    modules[module] = read_entry(module, std::string(value)).to_json()["modules"][module];
    return true;
  });
  return modules;
}

json ProgressBook::all() const {
  json out = json::object();
  std::string begin(keys::kProgressPrefix), end = begin;
  end.back() = char(end.back() + 1);
  store_.scan(storage::Family::meta, begin, end, [&](std::string_view key, std::string_view value) {
    std::string_view rest = key.substr(begin.size());
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return true;
    std::string account(rest.substr(0, slash)), module(rest.substr(slash + 1));
    out[account]["modules"][module] = read_entry(module, std::string(value)).to_json()["modules"][module];
    return true;
  });
  return out;
}

Response ProgressBook::handle(const Request& request) {
  if (request.method != "GET" && request.method != "POST") return refuse(405, "use GET or POST");
  if (!is_signed(request))
    return refuse(403, "sign the request with SigV4 (any AWS SDK or CLI credentials): progress is kept per account");
  auto caller = identify_caller(request);
  if (!caller) return refuse(400, caller.error().message);
  if (request.method == "POST") return record(caller->account, request);
  return answer(200, {{"account", caller->account}, {"version", 1}, {"modules", account_progress(caller->account)}});
}

Response ProgressBook::record(const std::string& account, const Request& request) {
  json body = json::parse(request.body, nullptr, false);
  if (!body.is_object()) return refuse(400, "the body must be a JSON object");
  if (!valid_module(body.value("module", json()))) return refuse(400, "module must be a module id such as \"M7\"");
  std::string module = body["module"];
  bool has_quiz = body.contains("quiz"), has_check = body.contains("check");
  if (has_quiz == has_check) return refuse(400, "give exactly one of quiz or check");
  std::lock_guard lock(mu_);
  std::string key = keys::progress(account, module);
  course::Progress p = read_entry(module, store_.get(storage::Family::meta, key));
  std::string at = course::iso_time(clock_.now_ms());
  if (has_quiz) {
    const json& q = body["quiz"];
    if (!q.is_object() || !q.value("of", json()).is_number_integer() || !q.value("score", json()).is_number_integer())
      return refuse(400, "quiz must be {\"score\": N, \"of\": M} with integers");
    int64_t of = q["of"], score = q["score"];
    if (of < 1 || of > 100 || score < 0 || score > of) return refuse(400, "quiz score must be between 0 and of (1-100)");
    p.record_quiz(module, int(score), int(of), at);
  } else {
    const json& c = body["check"];
    if (!c.is_object() || !c.value("passed", json()).is_boolean())
      return refuse(400, "check must be {\"passed\": true|false, \"endpoint\": \"...\"}");
    json endpoint = c.value("endpoint", json(""));
    if (!endpoint.is_string() || endpoint.get_ref<const std::string&>().size() > 2048)
      return refuse(400, "check endpoint must be a string of at most 2048 characters");
    p.record_check(module, c["passed"].get<bool>(), endpoint.get<std::string>(), at);
  }
  storage::Batch batch;
  batch.put(storage::Family::meta, key, p.to_json()["modules"][module].dump());
  if (auto s = store_.commit(batch); !s) return refuse(500, s.error().message);
  return answer(200, {{"account", account}, {"version", 1}, {"modules", account_progress(account)}});
}

}  // namespace streamlab::lab
