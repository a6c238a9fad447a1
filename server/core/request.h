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

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// A response is delivered through a Responder exactly once, possibly later and from
// another thread (long polls, deferred completions).
using Responder = std::function<void(Response)>;
using RequestHandler = std::function<void(Request, Responder)>;

}  // namespace streamlab
