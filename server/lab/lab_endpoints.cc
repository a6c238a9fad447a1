#include "server/lab/lab_endpoints.h"

#include <algorithm>

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

size_t size_param(const Request& request, std::string_view name, size_t fallback, size_t max) {
  std::string key = std::string(name) + "=";
  std::string_view q = request.query;
  for (size_t pos = 0; pos < q.size();) {
    size_t end = q.find('&', pos);
    if (end == std::string_view::npos) end = q.size();
    std::string_view pair = q.substr(pos, end - pos);
    if (pair.rfind(key, 0) == 0) {
      size_t v = 0;
      for (char c : pair.substr(key.size())) {
        if (c < '0' || c > '9' || v > max) return fallback;
        v = v * 10 + size_t(c - '0');
      }
      return std::min(v, max);
    }
    pos = end + 1;
  }
  return fallback;
}

// A streamed body (chunked on HTTP/1.1, DATA frames on HTTP/2) of `bytes` bytes 'a'..'z' repeated,
// all queued at once in `chunk`-sized writes: the HTTP layer cuts bodies beyond its per-stream
// cap (8 MiB) rather than buffer them for a peer that does not keep up.
Response stream_test(const Request& request) {
  size_t bytes = size_param(request, "bytes", 1 << 20, size_t(1) << 30);
  size_t chunk = std::max<size_t>(1, size_param(request, "chunk", 64 << 10, 16 << 20));
  Response r;
  r.set_header("Content-Type", "application/octet-stream");
  r.on_stream = [bytes, chunk](std::shared_ptr<ResponseStream> stream) {
    for (size_t sent = 0; sent < bytes;) {
      std::string part(std::min(chunk, bytes - sent), '\0');
      for (size_t i = 0; i < part.size(); ++i) part[i] = char('a' + (sent + i) % 26);
      sent += part.size();
      if (!stream->write(std::move(part))) return;
    }
    stream->finish();
  };
  return r;
}

}  // namespace

LabEndpoints::LabEndpoints(std::vector<ServiceDef*> services, const Clock& clock, storage::Store* store)
    : services_(std::move(services)),
      clock_(clock),
      started_ms_(clock.now_ms()),
      progress_(store ? std::make_unique<ProgressBook>(*store, clock) : nullptr) {}

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
    if (progress_) state["progress"] = progress_->all();
    return json_response(200, state);
  }
  if (path == "/_streamlab/progress" && progress_) return progress_->handle(request);
  if (path == "/_streamlab/stream-test" && request.method == "GET") return stream_test(request);
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
