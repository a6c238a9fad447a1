#include "server/course/http_call.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fcntl.h>
#include <fstream>

#include "server/core/encoding.h"

namespace streamlab::course {
namespace {

AwsError call_error(std::string message) { return AwsError{"CourseError", std::move(message), 0, false, {}}; }

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

using Deadline = std::chrono::steady_clock::time_point;

int ms_left(Deadline d) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(d - std::chrono::steady_clock::now()).count();
  return left > 0 ? int(left) : 0;
}

// A connected non-blocking socket, or -1.
int connect_to(const Endpoint& e, Deadline deadline) {
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(e.host.c_str(), std::to_string(e.port).c_str(), &hints, &res) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = res; a && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      pollfd p{fd, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof err;
      if (errno != EINPROGRESS || poll(&p, 1, ms_left(deadline)) != 1 ||
          getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
        close(fd);
        fd = -1;
      }
    }
  }
  freeaddrinfo(res);
  return fd;
}

bool send_all(int fd, std::string_view data, Deadline deadline) {
  while (!data.empty()) {
    pollfd p{fd, POLLOUT, 0};
    if (poll(&p, 1, ms_left(deadline)) != 1) return false;
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    if (n > 0) data.remove_prefix(size_t(n));
  }
  return true;
}

// Reads until the peer closes (the request says Connection: close).
bool read_all(int fd, std::string& out, Deadline deadline) {
  char buf[16384];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, ms_left(deadline)) != 1) return false;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n == 0) return true;
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    if (n > 0) out.append(buf, size_t(n));
    if (out.size() > (64u << 20)) return false;
  }
}

std::string dechunk(std::string_view body) {
  std::string out;
  while (!body.empty()) {
    size_t eol = body.find("\r\n");
    if (eol == std::string_view::npos) break;
    size_t size = std::strtoul(std::string(body.substr(0, eol)).c_str(), nullptr, 16);
    if (size == 0 || eol + 2 + size > body.size()) break;
    out.append(body.substr(eol + 2, size));
    body.remove_prefix(std::min(body.size(), eol + 2 + size + 2));
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The [profile] section of an INI-style credentials file.
Credentials from_file(const std::string& path, const std::string& profile) {
  Credentials c;
  std::ifstream in(path);
  std::string line, section;
  while (std::getline(in, line)) {
    size_t b = line.find_first_not_of(" \t"), e = line.find_last_not_of(" \t\r");
    if (b == std::string::npos || line[b] == '#' || line[b] == ';') continue;
    line = line.substr(b, e - b + 1);
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    size_t eq = line.find('=');
    if (section != profile || eq == std::string::npos) continue;
    std::string k = line.substr(0, eq), v = line.substr(eq + 1);
    k.erase(k.find_last_not_of(" \t") + 1);
    v.erase(0, v.find_first_not_of(" \t"));
    if (k == "aws_access_key_id") c.access_key = v;
    if (k == "aws_secret_access_key") c.secret_key = v;
  }
  return c;
}

}  // namespace

Result<Endpoint> parse_endpoint(std::string_view url) {
  Endpoint e;
  std::string_view rest = url;
  size_t sep = rest.find("://");
  if (sep == std::string_view::npos) return call_error("not an endpoint URL (http://host:port): " + std::string(url));
  e.scheme = lower(std::string(rest.substr(0, sep)));
  if (e.scheme != "http" && e.scheme != "https")
    return call_error("not an endpoint URL (http://host:port): " + std::string(url));
  rest.remove_prefix(sep + 3);
  std::string_view authority = rest.substr(0, rest.find('/'));
  e.port = e.scheme == "https" ? 443 : 80;
  size_t colon = authority.rfind(':');
  if (!authority.empty() && authority.front() == '[') {  // [::1]:4566
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return call_error("bad host in " + std::string(url));
    e.host = std::string(authority.substr(1, close - 1));
    colon = authority.size() > close + 1 && authority[close + 1] == ':' ? close + 1 : std::string_view::npos;
  } else {
    e.host = std::string(authority.substr(0, colon));
  }
  if (colon != std::string_view::npos) {
    std::string port(authority.substr(colon + 1));
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end || p <= 0 || p > 65535) return call_error("bad port in " + std::string(url));
    e.port = int(p);
  }
  if (e.host.empty()) return call_error("no host in " + std::string(url));
  e.url = std::string(url);
  while (!e.url.empty() && e.url.back() == '/') e.url.pop_back();
  return e;
}

Credentials find_credentials() {
  Credentials c{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), ""};
  if (c.access_key.empty()) {
    std::string file = env("AWS_SHARED_CREDENTIALS_FILE");
    if (file.empty() && !env("HOME").empty()) file = env("HOME") + "/.aws/credentials";
    std::string profile = env("AWS_PROFILE").empty() ? "default" : env("AWS_PROFILE");
    if (!file.empty()) c = from_file(file, profile);
  }
  if (c.access_key.empty()) c = {"test", "test", ""};
  c.region = !env("AWS_REGION").empty() ? env("AWS_REGION")
             : !env("AWS_DEFAULT_REGION").empty() ? env("AWS_DEFAULT_REGION")
                                                  : "us-east-1";
  return c;
}

bool reachable(const Endpoint& e, int timeout_ms) {
  int fd = connect_to(e, std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms));
  if (fd < 0) return false;
  close(fd);
  return true;
}

std::string sigv4_authorization(const Credentials& c, std::string_view method, std::string_view path,
                                std::string_view host_header, std::string_view amz_date, std::string_view body) {
  std::string date(amz_date.substr(0, 8));
  std::string scope = date + "/" + c.region + "/streamlab/aws4_request";
  std::string canonical = std::string(method) + "\n" + std::string(path) + "\n\nhost:" + std::string(host_header) +
                          "\nx-amz-date:" + std::string(amz_date) + "\n\nhost;x-amz-date\n" + sha256_hex(body);
  std::string to_sign = "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + scope + "\n" + sha256_hex(canonical);
  std::string key = hmac_sha256_raw("AWS4" + c.secret_key, date);
  key = hmac_sha256_raw(key, c.region);
  key = hmac_sha256_raw(key, "streamlab");
  key = hmac_sha256_raw(key, "aws4_request");
  return "AWS4-HMAC-SHA256 Credential=" + c.access_key + "/" + scope +
         ", SignedHeaders=host;x-amz-date, Signature=" + hex_encode(hmac_sha256_raw(key, to_sign));
}

Result<HttpReply> http_call(const Endpoint& e, std::string_view method, std::string_view path, std::string_view body,
                            const Credentials* creds, int timeout_ms) {
  if (e.scheme != "http") return call_error("only http endpoints are spoken to directly: " + e.url);
  Deadline deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string host = (e.host.find(':') != std::string::npos ? "[" + e.host + "]" : e.host);
  if (e.port != 80) host += ":" + std::to_string(e.port);
  std::string req = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: " + host +
                    "\r\nConnection: close\r\nAccept: application/json\r\n";
  if (creds) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char amz_date[20];
    std::strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
    req += std::string("X-Amz-Date: ") + amz_date + "\r\nAuthorization: " +
           sigv4_authorization(*creds, method, path, host, amz_date, body) + "\r\n";
  }
  if (!body.empty() || method == "POST")
    req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req += body;
  int fd = connect_to(e, deadline);
  if (fd < 0) return call_error("cannot connect to " + e.url);
  std::string raw;
  bool ok = send_all(fd, req, deadline) && read_all(fd, raw, deadline);
  close(fd);
  if (!ok) return call_error("no complete answer from " + e.url + " within " + std::to_string(timeout_ms) + " ms");
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos || raw.size() < 12)
    return call_error("not an HTTP answer from " + e.url);
  HttpReply reply;
  reply.status = std::atoi(raw.substr(9, 3).c_str());
  std::string head = lower(raw.substr(0, head_end));
  reply.body = raw.substr(head_end + 4);
  if (head.find("\r\ntransfer-encoding: chunked") != std::string::npos) reply.body = dechunk(reply.body);
  return reply;
}

}  // namespace streamlab::course
