#pragma once
// The outbound HTTP client of webhook deliveries: one blocking POST with a deadline, run only on
// SNS's delivery threads (never on a server thread). POSIX sockets, HTTP/1.1, one request per
// connection; https:// through OpenSSL without certificate verification (a lab's endpoints are
// self-signed more often than not).
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace streamlab::sns {

struct HttpOutcome {
  int status = 0;     // 0: no HTTP answer (refused, timed out, bad URL)
  std::string error;  // why, when status is 0
};

// POSTs `body` to `url` ("http[s]://host[:port][/path][?query]") with `headers`; the whole exchange
// (connect, send, read the status line and the rest of the answer) must end within `timeout_ms`,
// and gives up early once `*cancel` turns true (shutdown).
HttpOutcome http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                      const std::string& body, int64_t timeout_ms, const std::atomic<bool>* cancel = nullptr);

}  // namespace streamlab::sns
