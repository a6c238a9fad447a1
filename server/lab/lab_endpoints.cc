#include "server/lab/lab_endpoints.h"

#include "server/core/encoding.h"

namespace streamlab::lab {
namespace {

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

std::string account_param(const Request& request) {
  std::string_view q = request.query;
  size_t pos = q.find("account=");
  if (pos != std::string_view::npos && (pos == 0 || q[pos - 1] == '&')) {
    size_t end = q.find('&', pos);
    return url_decode(q.substr(pos + 8, end == std::string_view::npos ? end : end - pos - 8), true);
  }
  json body = json::parse(request.body, nullptr, false);
  if (body.is_object() && body.contains("account") && body["account"].is_string()) return body["account"];
  return {};
}

}  // namespace

LabEndpoints::LabEndpoints(std::vector<ServiceDef*> services, const Clock& clock)
    : services_(std::move(services)), clock_(clock), started_ms_(clock.now_ms()) {}

Response LabEndpoints::handle(const Request& request) const {
  const std::string& path = request.path;
  if (path == "/_streamlab/health" && (request.method == "GET" || request.method == "HEAD")) {
    json services = json::object();
    for (auto* s : services_) services[s->name] = "running";
    return json_response(200, {{"status", "ok"},
                               {"version", STREAMLAB_VERSION},
                               {"services", services},
                               {"uptime_seconds", double(clock_.now_ms() - started_ms_) / 1000.0}});
  }
  if (path == "/_streamlab/state" && request.method == "GET") {
    json state = json::object();
    for (auto* s : services_)
      if (s->describe_state) state[s->name] = s->describe_state();
    return json_response(200, state);
  }
  if (path == "/_streamlab/reset") {
    if (request.method != "POST") return json_response(405, {{"message", "use POST"}});
    std::string account = account_param(request);
    for (auto* s : services_)
      if (s->reset)
        if (auto r = s->reset(account); !r) return json_response(500, {{"message", r.error().message}});
    return json_response(200, {{"reset", account.empty() ? "all" : account}});
  }
  return json_response(404, {{"message", "no such lab endpoint: " + path}});
}

}  // namespace streamlab::lab
