#include "emulators/sns/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

namespace streamlab::sns {
namespace {

using Clock = std::chrono::steady_clock;

struct Url {
  std::string host, port, target;
};

std::optional<Url> parse_url(const std::string& url) {
  std::string lower = url.substr(0, 8);
  for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("http://", 0) != 0) return std::nullopt;
  std::string rest = url.substr(7);
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  Url u;
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.target[0] == '?') u.target = "/" + u.target;
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    u.port = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : "80";
  } else {
    size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    u.port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : int(left);
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, remaining_ms(deadline));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

int connect_to(const Url& u, Clock::time_point deadline, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  if (int rc = ::getaddrinfo(u.host.c_str(), u.port.c_str(), &hints, &list); rc != 0) {
    error = std::string("cannot resolve ") + u.host + ": " + gai_strerror(rc);
    return -1;
  }
  int fd = -1;
  for (addrinfo* a = list; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) break;
    int soerr = errno;
    if (soerr == EINPROGRESS && wait_for(fd, POLLOUT, deadline)) {
      socklen_t len = sizeof soerr;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
      if (soerr == 0) break;
    } else if (soerr == EINPROGRESS) {
      soerr = ETIMEDOUT;
    }
    error = std::string("connect: ") + std::strerror(soerr);
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(list);
  return fd;
}

bool send_all(int fd, const std::string& data, Clock::time_point deadline) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += size_t(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(fd, POLLOUT, deadline)) continue;
    return false;
  }
  return true;
}

// Reads the answer until its end (Content-Length, last chunk, or the peer closing) or the deadline;
// returns the status code, or 0.
int read_status(int fd, Clock::time_point deadline, std::string& error) {
  std::string in;
  int status = 0;
  size_t header_end = std::string::npos;
  long long content_length = -1;
  bool chunked = false;
  char buf[8192];
  for (;;) {
    if (header_end != std::string::npos) {
      size_t body = in.size() - header_end;
      if (content_length >= 0 && body >= size_t(content_length)) return status;
      if (chunked && in.size() >= 5 && in.compare(in.size() - 5, 5, "0\r\n\r\n") == 0) return status;
    }
    if (!wait_for(fd, POLLIN, deadline)) {
      error = "timed out waiting for the endpoint's answer";
      return header_end != std::string::npos && status ? status : 0;
    }
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      if (status) return status;
      error = "connection closed before an HTTP answer";
      return 0;
    }
    if (header_end == std::string::npos || in.size() < header_end + 65536) in.append(buf, size_t(n));
    if (header_end == std::string::npos) {
      size_t e = in.find("\r\n\r\n");
      if (e == std::string::npos) {
        if (in.size() > 65536) {
          error = "malformed HTTP answer";
          return 0;
        }
        continue;
      }
      header_end = e + 4;
      if (in.compare(0, 5, "HTTP/") != 0 || in.find(' ') == std::string::npos) {
        error = "malformed HTTP answer";
        return 0;
      }
      status = std::atoi(in.c_str() + in.find(' ') + 1);
      std::string head = in.substr(0, header_end);
      for (auto& c : head) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (size_t cl = head.find("\r\ncontent-length:"); cl != std::string::npos)
        content_length = std::atoll(head.c_str() + cl + 17);
      chunked = head.find("\r\ntransfer-encoding: chunked") != std::string::npos;
      if (status == 204 || status == 304 || (status >= 100 && status < 200)) return status;
    }
  }
}

}  // namespace

HttpOutcome http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                      const std::string& body, int64_t timeout_ms) {
  HttpOutcome out;
  auto u = parse_url(url);
  if (!u) {
    out.error = url.rfind("https", 0) == 0 ? "https endpoints are not supported by streamlab" : "invalid URL " + url;
    return out;
  }
  auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  int fd = connect_to(*u, deadline, out.error);
  if (fd < 0) return out;
  std::string host = u->host.find(':') != std::string::npos ? "[" + u->host + "]" : u->host;
  std::string req = "POST " + u->target + " HTTP/1.1\r\nHost: " + host + (u->port == "80" ? "" : ":" + u->port) +
                    "\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  req += body;
  if (!send_all(fd, req, deadline)) {
    out.error = "the endpoint closed the connection while the request was sent";
  } else {
    out.status = read_status(fd, deadline, out.error);
  }
  ::close(fd);
  return out;
}

}  // namespace streamlab::sns
