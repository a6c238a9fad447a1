#pragma once
// The HTTP exchange as the rest of the server sees it: no Beast types past this point,
// and nothing here knows whether HTTP/1.1 or HTTP/2 carried it.
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace streamlab {

using Header = std::pair<std::string, std::string>;

struct Request {
  std::string method;
  std::string target;  // path + query as sent
  std::string path;    // percent-decoded path
  std::string query;   // raw query string, without '?'
  std::vector<Header> headers;  // names lower-cased
  std::string body;
  std::string peer;

  // Value of a header (name in lower case), or empty.
  std::string_view header(std::string_view name) const {
    for (auto& [k, v] : headers)
      if (k == name) return v;
    return {};
  }
  bool has_header(std::string_view name) const {
    for (auto& h : headers)
      if (h.first == name) return true;
    return false;
  }
};

// A response body written over time (event streams such as SubscribeToShard). Implemented by
// the HTTP layer: chunked transfer encoding on HTTP/1.1, DATA frames on an HTTP/2 stream.
// Thread-safe: producers write from any thread.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Queues bytes for the peer; false once the peer has gone (the producer should stop).
  virtual bool write(std::string bytes) = 0;
  // Ends the body (last chunk / END_STREAM). Safe to call more than once.
  virtual void finish() = 0;
  virtual bool closed() const = 0;
  // Bytes queued but not yet written to the socket, for producers that pace themselves.
  virtual size_t buffered_bytes() const = 0;
  // Runs once when the stream ends for any reason (finish, peer gone, server shutdown);
  // at once if it already has.
  virtual void on_close(std::function<void()> callback) = 0;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  // When set, the headers go out without a Content-Length, `body` is ignored, and the HTTP
  // layer hands the stream to this callback once the headers are on their way.
  std::function<void(std::shared_ptr<ResponseStream>)> on_stream;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// A response is delivered through a Responder exactly once, possibly later and from
// another thread (long polls, deferred completions).
using Responder = std::function<void(Response)>;
using RequestHandler = std::function<void(Request, Responder)>;

}  // namespace streamlab
