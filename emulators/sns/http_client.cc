#include "emulators/sns/http_client.h"

#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

namespace streamlab::sns {
namespace {

using Clock = std::chrono::steady_clock;

struct Url {
  bool tls = false;
  std::string host, port, target;
};

std::optional<Url> parse_url(const std::string& url) {
  std::string lower = url.substr(0, 8);
  for (auto& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  bool tls = lower.rfind("https://", 0) == 0;
  if (!tls && lower.rfind("http://", 0) != 0) return std::nullopt;
  std::string rest = url.substr(tls ? 8 : 7);
  std::string default_port = tls ? "443" : "80";
  size_t slash = rest.find_first_of("/?");
  std::string authority = rest.substr(0, slash);
  Url u;
  u.tls = tls;
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.target[0] == '?') u.target = "/" + u.target;
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    u.host = authority.substr(1, close - 1);
    u.port = close + 1 < authority.size() && authority[close + 1] == ':' ? authority.substr(close + 2) : default_port;
  } else {
    size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    u.port = colon == std::string::npos ? default_port : authority.substr(colon + 1);
  }
  if (u.host.empty() || u.port.empty()) return std::nullopt;
  return u;
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : int(left);
}

// Waits in short slices, so a server shutting down does not wait for a hanging endpoint.
bool wait_for(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* cancel = nullptr) {
  for (;;) {
    if (cancel && cancel->load()) return false;
    int left = remaining_ms(deadline);
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, std::min(left, 100));
    if (r > 0) return true;
    if (r == 0 && left <= 100) return false;
    if (r < 0 && errno != EINTR) return false;
  }
}

int connect_to(const Url& u, Clock::time_point deadline, const std::atomic<bool>* cancel, std::string& error) {
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
    if (soerr == EINPROGRESS && wait_for(fd, POLLOUT, deadline, cancel)) {
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

// A connection, plain or TLS; every call waits at most until the deadline.
struct Conn {
  int fd = -1;
  SSL* ssl = nullptr;
  Clock::time_point deadline;
  const std::atomic<bool>* cancel = nullptr;

  ~Conn() {
    if (ssl) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    if (fd >= 0) ::close(fd);
  }

  // Waits for what OpenSSL asked for; false on a hard error or the deadline.
  bool tls_retry(int rc) {
    int err = SSL_get_error(ssl, rc);
    if (err == SSL_ERROR_WANT_READ) return wait_for(fd, POLLIN, deadline, cancel);
    if (err == SSL_ERROR_WANT_WRITE) return wait_for(fd, POLLOUT, deadline, cancel);
    return false;
  }

  bool handshake(const std::string& host, std::string& error) {
    // Webhook endpoints in a lab are self-signed more often than not: encrypt, do not verify.
    static SSL_CTX* ctx = [] {
      SSL_CTX* c = SSL_CTX_new(TLS_client_method());
      if (c) SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
      return c;
    }();
    ssl = ctx ? SSL_new(ctx) : nullptr;
    if (!ssl) {
      error = "TLS is not available";
      return false;
    }
    SSL_set_fd(ssl, fd);
    SSL_set_tlsext_host_name(ssl, host.c_str());
    for (;;) {
      int rc = SSL_connect(ssl);
      if (rc == 1) return true;
      if (!tls_retry(rc)) {
        unsigned long e = ERR_get_error();
        error = "TLS handshake failed" + (e ? std::string(": ") + ERR_reason_error_string(e) : std::string());
        ERR_clear_error();
        return false;
      }
    }
  }

  bool send_all(const std::string& data) {
    size_t sent = 0;
    while (sent < data.size()) {
      if (ssl) {
        int n = SSL_write(ssl, data.data() + sent, int(data.size() - sent));
        if (n > 0) sent += size_t(n);
        else if (!tls_retry(n)) return false;
        continue;
      }
      ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += size_t(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && wait_for(fd, POLLOUT, deadline, cancel)) continue;
      return false;
    }
    return true;
  }

  // Bytes read (> 0), 0 when the peer closed, -1 on an error or the deadline.
  ssize_t recv_some(char* buf, size_t n) {
    for (;;) {
      if (ssl) {
        int r = SSL_read(ssl, buf, int(n));
        if (r > 0) return r;
        if (SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN) return 0;
        if (!tls_retry(r)) return -1;
        continue;
      }
      if (!wait_for(fd, POLLIN, deadline, cancel)) return -1;
      ssize_t r = ::recv(fd, buf, n, 0);
      if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      return r < 0 ? -1 : r;
    }
  }
};

// Reads the answer until its end (Content-Length, last chunk, or the peer closing) or the deadline;
// returns the status code, or 0.
int read_status(Conn& conn, std::string& error) {
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
    ssize_t n = conn.recv_some(buf, sizeof buf);
    if (n < 0 && !status) {
      error = "timed out waiting for the endpoint's answer";
      return 0;
    }
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
                      const std::string& body, int64_t timeout_ms, const std::atomic<bool>* cancel) {
  HttpOutcome out;
  auto u = parse_url(url);
  if (!u) {
    out.error = "invalid URL " + url;
    return out;
  }
  Conn conn;
  conn.deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  conn.cancel = cancel;
  conn.fd = connect_to(*u, conn.deadline, cancel, out.error);
  if (conn.fd < 0 || (u->tls && !conn.handshake(u->host, out.error))) return out;
  std::string host = u->host.find(':') != std::string::npos ? "[" + u->host + "]" : u->host;
  bool default_port = u->port == (u->tls ? "443" : "80");
  std::string req = "POST " + u->target + " HTTP/1.1\r\nHost: " + host + (default_port ? "" : ":" + u->port) +
                    "\r\n";
  for (auto& [k, v] : headers) req += k + ": " + v + "\r\n";
  req += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  req += body;
  if (!conn.send_all(req)) {
    out.error = "the endpoint closed the connection while the request was sent";
  } else {
    out.status = read_status(conn, out.error);
  }
  return out;
}

}  // namespace streamlab::sns
