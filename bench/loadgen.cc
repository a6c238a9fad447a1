// loadgen: a small, dependency-free HTTP/1.1 keep-alive load generator for
// streamlab (and any other server speaking the Kinesis JSON 1.1 protocol).
//
// Build:  g++ -O2 -std=c++20 bench/loadgen.cc -o build/bench/loadgen
//
// Model: C connections, one request in flight per connection (no pipelining);
// as soon as a response is complete the connection sends the next request.
// Single-threaded epoll loop by default (--threads N splits the connections
// over N loops). Latency is measured per request, from the first byte written
// to the last byte of the response read.
//
// See bench/README.md for the CLI and the meaning of each figure.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------- utilities

uint64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return uint64_t(ts.tv_sec) * 1000000000ull + uint64_t(ts.tv_nsec);
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "loadgen: %s\n", msg.c_str());
  std::exit(2);
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string base64(const unsigned char* p, size_t n) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < n; i += 3) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8) | p[i + 2];
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
  }
  if (i + 1 == n) {
    uint32_t v = uint32_t(p[i]) << 16;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == n) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string json_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if ((unsigned char)c < 0x20) {
          char b[8];
          std::snprintf(b, sizeof b, "\\u%04x", c);
          out += b;
        } else {
          out += c;
        }
    }
  }
  return out;
}

// ---------------------------------------------------------------- minimal JSON
// Just enough to walk the top level of an object and pull out a few fields.
// Values are returned as raw views into the body.

namespace json {

size_t skip_ws(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  return i;
}

// Returns the index one past the end of the string starting at s[i] == '"',
// or npos if malformed.
size_t skip_string(std::string_view s, size_t i) {
  ++i;
  while (i < s.size()) {
    const void* q = std::memchr(s.data() + i, '"', s.size() - i);
    if (!q) return std::string_view::npos;
    size_t j = size_t(static_cast<const char*>(q) - s.data());
    // Count preceding backslashes.
    size_t k = j;
    while (k > i && s[k - 1] == '\\') --k;
    if (((j - k) & 1) == 0) return j + 1;
    i = j + 1;
  }
  return std::string_view::npos;
}

// Returns one past the end of the value starting at s[i], or npos.
size_t skip_value(std::string_view s, size_t i) {
  i = skip_ws(s, i);
  if (i >= s.size()) return std::string_view::npos;
  char c = s[i];
  if (c == '"') return skip_string(s, i);
  if (c == '{' || c == '[') {
    int depth = 0;
    while (i < s.size()) {
      char d = s[i];
      if (d == '"') {
        i = skip_string(s, i);
        if (i == std::string_view::npos) return i;
        continue;
      }
      if (d == '{' || d == '[') ++depth;
      if (d == '}' || d == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return std::string_view::npos;
  }
  // number, true, false, null
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && s[i] != ' ' && s[i] != '\n' &&
         s[i] != '\r' && s[i] != '\t')
    ++i;
  return i;
}

// Calls fn(key, raw_value) for each member of the top-level object.
// Returns false if the text is not a well-formed object (as far as we look).
bool for_each_member(std::string_view s, const std::function<void(std::string_view, std::string_view)>& fn) {
  size_t i = skip_ws(s, 0);
  if (i >= s.size() || s[i] != '{') return false;
  i = skip_ws(s, i + 1);
  if (i < s.size() && s[i] == '}') return true;
  while (i < s.size()) {
    if (s[i] != '"') return false;
    size_t ke = skip_string(s, i);
    if (ke == std::string_view::npos) return false;
    std::string_view key = s.substr(i + 1, ke - i - 2);
    i = skip_ws(s, ke);
    if (i >= s.size() || s[i] != ':') return false;
    size_t vs = skip_ws(s, i + 1);
    size_t ve = skip_value(s, vs);
    if (ve == std::string_view::npos) return false;
    fn(key, s.substr(vs, ve - vs));
    i = skip_ws(s, ve);
    if (i < s.size() && s[i] == ',') {
      i = skip_ws(s, i + 1);
      continue;
    }
    return i < s.size() && s[i] == '}';
  }
  return false;
}

// Calls fn(raw_element) for each element of a raw array value. Returns count.
size_t for_each_element(std::string_view arr, const std::function<void(std::string_view)>& fn) {
  size_t i = skip_ws(arr, 0);
  if (i >= arr.size() || arr[i] != '[') return 0;
  i = skip_ws(arr, i + 1);
  size_t n = 0;
  while (i < arr.size() && arr[i] != ']') {
    size_t e = skip_value(arr, i);
    if (e == std::string_view::npos) break;
    if (fn) fn(arr.substr(i, e - i));
    ++n;
    i = skip_ws(arr, e);
    if (i < arr.size() && arr[i] == ',') i = skip_ws(arr, i + 1);
  }
  return n;
}

// Unquotes a raw string value (escapes other than \" \\ \/ are kept verbatim;
// the fields we read are base64 / identifiers).
std::string unquote(std::string_view raw) {
  if (raw.size() < 2 || raw.front() != '"') return std::string(raw);
  std::string out;
  for (size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 2 < raw.size()) {
      char n = raw[i + 1];
      if (n == '"' || n == '\\' || n == '/') {
        out += n;
        ++i;
        continue;
      }
    }
    out += raw[i];
  }
  return out;
}

std::string get_string(std::string_view body, std::string_view key) {
  std::string out;
  for_each_member(body, [&](std::string_view k, std::string_view v) {
    if (k == key && !v.empty() && v.front() == '"') out = unquote(v);
  });
  return out;
}

}  // namespace json

// ---------------------------------------------------------------- HTTP response parser

struct Response {
  int status = 0;
  bool close = false;
  std::string body;
};

// Incremental parser over a connection's receive buffer.
class ResponseParser {
 public:
  void reset() {
    state_ = State::Headers;
    pos_ = 0;
    head_start_ = 0;
    content_length_ = -1;
    chunked_ = false;
    chunk_left_ = 0;
    resp_ = Response{};
    scan_from_ = 0;
  }

  // Tries to complete a response from buf[0, len). Returns the number of bytes
  // consumed when a full response is available (0 if more data is needed).
  // `eof` means the peer closed: a body delimited by close completes then.
  // Returns SIZE_MAX on a protocol error.
  size_t feed(const char* buf, size_t len, bool eof) {
    std::string_view s(buf, len);
    for (;;) {
      switch (state_) {
        case State::Headers: {
          size_t from = std::max(head_start_, scan_from_ > 3 ? scan_from_ - 3 : 0);
          size_t e = s.find("\r\n\r\n", from);
          if (e == std::string_view::npos) {
            scan_from_ = len;
            if (len - head_start_ > 64 * 1024) return SIZE_MAX;
            return eof && len > head_start_ ? SIZE_MAX : 0;
          }
          if (!parse_head(s.substr(head_start_, e - head_start_))) return SIZE_MAX;
          pos_ = e + 4;
          if (resp_.status >= 100 && resp_.status < 200) {
            // Interim response (100 Continue): drop it and parse the next head.
            head_start_ = pos_;
            scan_from_ = pos_;
            resp_ = Response{};
            content_length_ = -1;
            chunked_ = false;
            continue;
          }
          if (resp_.status == 204 || resp_.status == 304 || head_request_) return pos_;
          if (chunked_) {
            state_ = State::ChunkSize;
          } else if (content_length_ >= 0) {
            state_ = State::Body;
          } else {
            state_ = State::UntilClose;
            resp_.close = true;
          }
          continue;
        }
        case State::Body: {
          if (len - pos_ < size_t(content_length_)) return 0;
          resp_.body.assign(s.data() + pos_, size_t(content_length_));
          pos_ += size_t(content_length_);
          return done();
        }
        case State::UntilClose: {
          if (!eof) return 0;
          resp_.body.assign(s.data() + pos_, len - pos_);
          pos_ = len;
          return done();
        }
        case State::ChunkSize: {
          size_t e = s.find("\r\n", pos_);
          if (e == std::string_view::npos) return eof ? SIZE_MAX : 0;
          std::string_view line = s.substr(pos_, e - pos_);
          size_t semi = line.find(';');
          if (semi != std::string_view::npos) line = line.substr(0, semi);
          line = trim(line);
          if (line.empty()) return SIZE_MAX;
          uint64_t n = 0;
          for (char c : line) {
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else return SIZE_MAX;
            n = n * 16 + uint64_t(d);
            if (n > (1ull << 40)) return SIZE_MAX;
          }
          pos_ = e + 2;
          if (n == 0) {
            state_ = State::Trailers;
          } else {
            chunk_left_ = n;
            state_ = State::ChunkData;
          }
          continue;
        }
        case State::ChunkData: {
          if (len - pos_ < chunk_left_ + 2) return eof ? SIZE_MAX : 0;
          resp_.body.append(s.data() + pos_, chunk_left_);
          pos_ += chunk_left_ + 2;  // data + CRLF
          chunk_left_ = 0;
          state_ = State::ChunkSize;
          continue;
        }
        case State::Trailers: {
          size_t e = s.find("\r\n", pos_);
          if (e == std::string_view::npos) return eof ? SIZE_MAX : 0;
          bool empty = e == pos_;
          pos_ = e + 2;
          if (empty) return done();
          continue;
        }
      }
    }
  }

  Response& response() { return resp_; }
  void set_head_request(bool h) { head_request_ = h; }

 private:
  enum class State { Headers, Body, UntilClose, ChunkSize, ChunkData, Trailers };

  size_t done() { return pos_; }

  bool parse_head(std::string_view head) {
    size_t e = head.find("\r\n");
    std::string_view status_line = head.substr(0, e);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return false;
    size_t sp = status_line.find(' ');
    if (sp == std::string_view::npos || sp + 4 > status_line.size()) return false;
    int st = 0;
    for (size_t i = sp + 1; i < sp + 4; ++i) {
      if (status_line[i] < '0' || status_line[i] > '9') return false;
      st = st * 10 + (status_line[i] - '0');
    }
    resp_.status = st;
    bool http10 = status_line.substr(0, 8) == "HTTP/1.0";
    resp_.close = http10;
    while (e != std::string_view::npos) {
      size_t ls = e + 2;
      e = head.find("\r\n", ls);
      std::string_view line = head.substr(ls, e == std::string_view::npos ? std::string_view::npos : e - ls);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view name = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "content-length")) {
        int64_t n = 0;
        for (char c : value) {
          if (c < '0' || c > '9') return false;
          n = n * 10 + (c - '0');
        }
        content_length_ = n;
      } else if (iequals(name, "transfer-encoding")) {
        if (value.size() >= 7 && iequals(value.substr(value.size() - 7), "chunked")) chunked_ = true;
      } else if (iequals(name, "connection")) {
        if (iequals(value, "close")) resp_.close = true;
        if (iequals(value, "keep-alive")) resp_.close = false;
      }
    }
    return true;
  }

  State state_ = State::Headers;
  size_t pos_ = 0;
  size_t head_start_ = 0;
  size_t scan_from_ = 0;
  int64_t content_length_ = -1;
  bool chunked_ = false;
  bool head_request_ = false;
  uint64_t chunk_left_ = 0;
  Response resp_;
};

// ---------------------------------------------------------------- options

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  int connections = 32;
  double duration = 10;
  double warmup = 2;
  int threads = 1;
  std::string request_file;
  std::string target;  // with --request-file: the file is a JSON body for this operation
  std::string scenario;
  std::string stream = "bench";
  bool json = false;
  uint64_t max_requests = 0;  // 0: unlimited (stop by --duration only)
  double timeout = 30;        // per-request timeout, seconds
  int records_per_request = 500;
  int record_size = 100;
  int limit = 10000;  // GetRecords Limit
  bool verbose = false;
  // SQS scenarios.
  std::string queue = "bench";
  std::string protocol = "json";  // json (AmazonSQS.*, as fauxqs and JS speak) or query (botocore)
  int consumers = 8;
  // DynamoDB scenarios: a hash+range table (pk S, sk N); items k-<n> for n < --keys, and
  // --partitions query partitions q-<p> of --query-limit items each.
  std::string table = "bench";
  uint64_t keys = 20000;
  uint64_t partitions = 100;
  int query_limit = 100;
};

void usage() {
  std::fprintf(stderr,
               "usage: loadgen --port N [--host 127.0.0.1] [--connections 32] [--duration 10] [--warmup 2]\n"
               "               [--threads 1] [--json] [--requests N] [--timeout 30]\n"
               "               (--scenario health|put-record|put-records|get-records [--stream S]\n"
               "                  [--records-per-request 500] [--record-size 100] [--limit 10000]\n"
               "               | --scenario sqs-send|sqs-send-batch|sqs-roundtrip|sqs-wake [--queue Q]\n"
               "                  [--protocol json|query] [--consumers 8] [--record-size 100]\n"
               "               | --scenario ddb-put|ddb-get|ddb-query|ddb-batch-put [--table T] [--keys N]\n"
               "                  [--partitions N] [--query-limit 100] [--record-size 100]\n"
               "               | --request-file F [--target Operation])\n"
               "  --request-file F: F is a raw HTTP/1.1 request (request line, headers, blank line, body);\n"
               "     line endings are normalised and Content-Length is recomputed. With --target OP, F is\n"
               "     instead a JSON body POSTed as Kinesis_20131202.OP.\n"
               "  --requests N: stop after N successful measured responses (or --duration, whichever first).\n");
}

Options parse_args(int argc, char** argv) {
  Options o;
  auto need = [&](int& i) -> std::string {
    if (i + 1 >= argc) {
      usage();
      die(std::string("missing value for ") + argv[i]);
    }
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--host") o.host = need(i);
    else if (a == "--port") o.port = std::atoi(need(i).c_str());
    else if (a == "--connections" || a == "-c") o.connections = std::atoi(need(i).c_str());
    else if (a == "--duration" || a == "-d") o.duration = std::atof(need(i).c_str());
    else if (a == "--warmup") o.warmup = std::atof(need(i).c_str());
    else if (a == "--threads") o.threads = std::atoi(need(i).c_str());
    else if (a == "--request-file") o.request_file = need(i);
    else if (a == "--target") o.target = need(i);
    else if (a == "--scenario") o.scenario = need(i);
    else if (a == "--stream") o.stream = need(i);
    else if (a == "--json") o.json = true;
    else if (a == "--requests") o.max_requests = std::strtoull(need(i).c_str(), nullptr, 10);
    else if (a == "--timeout") o.timeout = std::atof(need(i).c_str());
    else if (a == "--records-per-request") o.records_per_request = std::atoi(need(i).c_str());
    else if (a == "--record-size") o.record_size = std::atoi(need(i).c_str());
    else if (a == "--limit") o.limit = std::atoi(need(i).c_str());
    else if (a == "--queue") o.queue = need(i);
    else if (a == "--protocol") o.protocol = need(i);
    else if (a == "--consumers") o.consumers = std::atoi(need(i).c_str());
    else if (a == "--table") o.table = need(i);
    else if (a == "--keys") o.keys = std::max<uint64_t>(1, std::strtoull(need(i).c_str(), nullptr, 10));
    else if (a == "--partitions") o.partitions = std::max<uint64_t>(1, std::strtoull(need(i).c_str(), nullptr, 10));
    else if (a == "--query-limit") o.query_limit = std::max(1, std::atoi(need(i).c_str()));
    else if (a == "--verbose" || a == "-v") o.verbose = true;
    else if (a == "--help" || a == "-h") {
      usage();
      std::exit(0);
    } else {
      usage();
      die("unknown argument: " + a);
    }
  }
  if (o.port <= 0 || o.port > 65535) die("--port is required (1..65535)");
  if (o.connections < 1) die("--connections must be >= 1");
  if (o.threads < 1) o.threads = 1;
  if (o.threads > o.connections) o.threads = o.connections;
  if (o.duration <= 0) die("--duration must be > 0");
  if (o.warmup < 0) o.warmup = 0;
  if (o.request_file.empty() == o.scenario.empty()) die("give exactly one of --request-file or --scenario");
  if (o.records_per_request < 1 || o.records_per_request > 500) die("--records-per-request must be 1..500");
  if (o.record_size < 1) die("--record-size must be >= 1");
  if (o.limit < 1) die("--limit must be >= 1");
  return o;
}

// ---------------------------------------------------------------- requests

const char* kAuth =
    "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/kinesis/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000";

std::string host_header(const Options& o) { return o.host + ":" + std::to_string(o.port); }

std::string kinesis_request(const Options& o, std::string_view op, std::string_view body) {
  std::string r;
  r.reserve(body.size() + 512);
  r += "POST / HTTP/1.1\r\nHost: ";
  r += host_header(o);
  r += "\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.";
  r += op;
  r += "\r\nX-Amz-Date: 20240101T000000Z\r\nAuthorization: ";
  r += kAuth;
  r += "\r\nContent-Length: ";
  r += std::to_string(body.size());
  r += "\r\n\r\n";
  r += body;
  return r;
}

std::string get_request(const Options& o, std::string_view path) {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: " + host_header(o) + "\r\n\r\n";
}

// Turns a user-supplied raw request into a well-formed one.
std::string normalise_raw_request(const Options& o, const std::string& raw) {
  size_t sep = raw.find("\r\n\r\n");
  size_t body_at;
  if (sep != std::string::npos) {
    body_at = sep + 4;
  } else {
    sep = raw.find("\n\n");
    body_at = sep == std::string::npos ? raw.size() : sep + 2;
    if (sep == std::string::npos) sep = raw.size();
  }
  std::string head = raw.substr(0, sep);
  std::string body = raw.substr(std::min(body_at, raw.size()));
  std::istringstream in(head);
  std::string line, out;
  bool first = true, has_host = false;
  std::string method;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (first) {
      if (line.empty()) continue;
      method = line.substr(0, line.find(' '));
      out += line + "\r\n";
      first = false;
      continue;
    }
    if (line.empty()) continue;
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) continue;
    if (iequals(name, "host")) has_host = true;
    out += line + "\r\n";
  }
  if (first) die("request file has no request line");
  if (!has_host) out += "Host: " + host_header(o) + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT")
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out += body;
  return out;
}

// ---------------------------------------------------------------- blocking helper (setup calls)

int connect_to(const Options& o, bool nonblocking) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(o.port);
  if (getaddrinfo(o.host.c_str(), port.c_str(), &hints, &res) != 0 || !res) return -1;
  int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0), 0);
  if (fd < 0) {
    freeaddrinfo(res);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int rc = connect(fd, res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (rc < 0 && !(nonblocking && errno == EINPROGRESS)) {
    close(fd);
    return -1;
  }
  return fd;
}

// One request on a fresh connection; returns false on transport failure.
bool blocking_call(const Options& o, const std::string& request, Response& out) {
  int fd = connect_to(o, false);
  if (fd < 0) return false;
  timeval tv{};
  tv.tv_sec = long(o.timeout);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  size_t off = 0;
  while (off < request.size()) {
    ssize_t n = send(fd, request.data() + off, request.size() - off, MSG_NOSIGNAL);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      close(fd);
      return false;
    }
    off += size_t(n);
  }
  std::string buf;
  ResponseParser p;
  p.reset();
  char tmp[65536];
  for (;;) {
    ssize_t n = recv(fd, tmp, sizeof tmp, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      close(fd);
      return false;
    }
    if (n > 0) buf.append(tmp, size_t(n));
    size_t used = p.feed(buf.data(), buf.size(), n == 0);
    if (used == SIZE_MAX) {
      close(fd);
      return false;
    }
    if (used > 0) {
      out = std::move(p.response());
      close(fd);
      return true;
    }
    if (n == 0) {
      close(fd);
      return false;
    }
  }
}

// ---------------------------------------------------------------- scenarios

enum class Kind { Raw, Health, PutRecord, PutRecords, GetRecords, SqsSend, SqsSendBatch, SqsRoundTrip,
                  DdbPut, DdbGet, DdbQuery, DdbBatchPut };

// Shared, read-only after construction.
struct Scenario {
  Kind kind = Kind::Raw;
  std::string name;
  std::string raw;  // Raw / Health: the request sent every time

  // PutRecord / PutRecords: a template whose partition-key slots (kKeyLen
  // hex digits each) are rewritten per request; PutRecord also rotates Data.
  static constexpr size_t kKeyLen = 16;
  std::string tmpl;
  std::vector<size_t> key_slots;
  size_t data_slot = 0;
  std::vector<std::string> data_pool;  // base64 blobs, all the same length
  int records_per_request = 1;

  std::vector<std::string> shards;  // GetRecords

  // SQS: the queue (resolved with GetQueueUrl), the protocol, and for the round trip how many
  // connections consume (receive, then delete what came back) while the rest produce.
  std::string queue_url;
  bool query = false;
  int consumers = 0;
};

struct ConnScenarioState {
  uint64_t key_counter = 0;  // worker-unique partition-key counter
  int shard = 0;
  bool need_iterator = true;
  std::string iterator;
  int empty_streak = 0;
  bool last_was_get_records = false;
  bool last_was_iterator = false;
  std::vector<std::string> handles;  // SQS consumer: receipt handles to delete next
  size_t deleting = 0;               // handles in the DeleteMessageBatch in flight
  bool sent_last = false;            // the last request was the cycle's SendMessageBatch
  bool last_was_receive = false;
};

void write_hex(char* p, uint64_t v) {
  static const char* hex = "0123456789abcdef";
  for (int i = int(Scenario::kKeyLen) - 1; i >= 0; --i) {
    p[i] = hex[v & 15];
    v >>= 4;
  }
}

std::vector<std::string> make_data_pool(int record_size, int n) {
  std::vector<std::string> pool;
  uint64_t x = 0x9e3779b97f4a7c15ull;
  std::vector<unsigned char> bytes(static_cast<size_t>(record_size));
  for (int k = 0; k < n; ++k) {
    for (auto& b : bytes) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      b = (unsigned char)(x & 0xff);
    }
    pool.push_back(base64(bytes.data(), bytes.size()));
  }
  return pool;
}

std::string kinesis_head(const Options& o, std::string_view op, size_t content_length) {
  std::string r = kinesis_request(o, op, "");
  // kinesis_request wrote "Content-Length: 0\r\n\r\n"; patch it.
  size_t at = r.rfind("Content-Length: 0\r\n\r\n");
  r.resize(at);
  r += "Content-Length: " + std::to_string(content_length) + "\r\n\r\n";
  return r;
}

void build_put_template(const Options& o, Scenario& sc, bool batch) {
  sc.data_pool = make_data_pool(o.record_size, 64);
  std::string body;
  std::vector<size_t> key_in_body;
  size_t data_in_body = 0;
  std::string key_placeholder(Scenario::kKeyLen, '0');
  if (!batch) {
    body = "{\"StreamName\":\"" + json_escape(o.stream) + "\",\"PartitionKey\":\"pk-";
    key_in_body.push_back(body.size());
    body += key_placeholder + "\",\"Data\":\"";
    data_in_body = body.size();
    body += sc.data_pool[0] + "\"}";
    sc.records_per_request = 1;
  } else {
    body = "{\"StreamName\":\"" + json_escape(o.stream) + "\",\"Records\":[";
    for (int i = 0; i < o.records_per_request; ++i) {
      if (i) body += ',';
      body += "{\"PartitionKey\":\"pk-";
      key_in_body.push_back(body.size());
      body += key_placeholder + "\",\"Data\":\"" + sc.data_pool[size_t(i) % sc.data_pool.size()] + "\"}";
    }
    body += "]}";
    sc.records_per_request = o.records_per_request;
  }
  std::string head = kinesis_head(o, batch ? "PutRecords" : "PutRecord", body.size());
  sc.tmpl = head + body;
  for (size_t k : key_in_body) sc.key_slots.push_back(head.size() + k);
  sc.data_slot = head.size() + data_in_body;
}

bool list_shards(const Options& o, std::vector<std::string>& shards) {
  std::string next;
  for (int page = 0; page < 100; ++page) {
    std::string body = next.empty() ? "{\"StreamName\":\"" + json_escape(o.stream) + "\"}"
                                    : "{\"NextToken\":\"" + json_escape(next) + "\"}";
    Response r;
    if (!blocking_call(o, kinesis_request(o, "ListShards", body), r)) {
      std::fprintf(stderr, "loadgen: ListShards: transport error\n");
      return false;
    }
    if (r.status != 200) {
      std::fprintf(stderr, "loadgen: ListShards: HTTP %d: %.300s\n", r.status, r.body.c_str());
      return false;
    }
    next.clear();
    json::for_each_member(r.body, [&](std::string_view k, std::string_view v) {
      if (k == "Shards") {
        json::for_each_element(v, [&](std::string_view shard) {
          std::string id = json::get_string(shard, "ShardId");
          if (!id.empty()) shards.push_back(id);
        });
      } else if (k == "NextToken" && !v.empty() && v.front() == '"') {
        next = json::unquote(v);
      }
    });
    if (next.empty()) break;
  }
  return !shards.empty();
}

// ---------------------------------------------------------------- SQS

const char* kSqsAuth =
    "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/sqs/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000";

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// One SQS request: JSON 1.0 (`json_body`) or query (`form`, without Action and Version).
std::string sqs_request(const Options& o, bool query, std::string_view op, std::string_view json_body,
                        std::string_view form) {
  std::string body;
  if (query) {
    body = "Action=" + std::string(op) + "&Version=2012-11-05";
    if (!form.empty()) body += "&" + std::string(form);
  } else {
    body = json_body;
  }
  std::string r = "POST / HTTP/1.1\r\nHost: " + host_header(o);
  if (query) r += "\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8";
  else r += "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AmazonSQS." + std::string(op);
  r += "\r\nX-Amz-Date: 20240101T000000Z\r\nAuthorization: ";
  r += kSqsAuth;
  r += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  r += body;
  return r;
}

// Every <key>…</key> (query) or "key":"…" (JSON) in a response body.
std::vector<std::string> sqs_values(std::string_view body, bool query, std::string_view key) {
  std::vector<std::string> out;
  std::string open = query ? "<" + std::string(key) + ">" : "\"" + std::string(key) + "\":\"";
  std::string close = query ? "</" + std::string(key) + ">" : "\"";
  for (size_t at = body.find(open); at != std::string_view::npos; at = body.find(open, at)) {
    at += open.size();
    size_t end = body.find(close, at);
    if (end == std::string_view::npos) break;
    out.emplace_back(body.substr(at, end - at));
    at = end + close.size();
  }
  return out;
}

size_t count_of(std::string_view body, std::string_view needle) {
  size_t n = 0;
  for (size_t at = body.find(needle); at != std::string_view::npos; at = body.find(needle, at + needle.size())) ++n;
  return n;
}

// A message body of --record-size bytes that needs no escaping in JSON or forms.
std::string sqs_body_text(const Options& o, uint64_t n) {
  std::string s = std::to_string(n) + "-";
  while (s.size() < size_t(o.record_size)) s += 'x';
  return s;
}

std::string sqs_send_request(const Options& o, const Scenario& sc, uint64_t n) {
  std::string body = sqs_body_text(o, n);
  return sqs_request(o, sc.query, "SendMessage",
                     "{\"QueueUrl\":\"" + json_escape(sc.queue_url) + "\",\"MessageBody\":\"" + body + "\"}",
                     "QueueUrl=" + url_encode(sc.queue_url) + "&MessageBody=" + body);
}

std::string sqs_batch_request(const Options& o, const Scenario& sc, uint64_t n) {
  std::string js = "{\"QueueUrl\":\"" + json_escape(sc.queue_url) + "\",\"Entries\":[";
  std::string form = "QueueUrl=" + url_encode(sc.queue_url);
  for (int i = 0; i < 10; ++i) {
    std::string body = sqs_body_text(o, n * 10 + uint64_t(i));
    if (i) js += ',';
    js += "{\"Id\":\"m" + std::to_string(i) + "\",\"MessageBody\":\"" + body + "\"}";
    std::string p = "&SendMessageBatchRequestEntry." + std::to_string(i + 1) + ".";
    form += p + "Id=m" + std::to_string(i) + p + "MessageBody=" + body;
  }
  return sqs_request(o, sc.query, "SendMessageBatch", js + "]}", form);
}

std::string sqs_receive_request(const Options& o, const Scenario& sc, int wait_s) {
  std::string w = std::to_string(wait_s);
  return sqs_request(o, sc.query, "ReceiveMessage",
                     "{\"QueueUrl\":\"" + json_escape(sc.queue_url) +
                         "\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":" + w + "}",
                     "QueueUrl=" + url_encode(sc.queue_url) + "&MaxNumberOfMessages=10&WaitTimeSeconds=" + w);
}

std::string sqs_delete_batch_request(const Options& o, const Scenario& sc, const std::vector<std::string>& handles) {
  std::string js = "{\"QueueUrl\":\"" + json_escape(sc.queue_url) + "\",\"Entries\":[";
  std::string form = "QueueUrl=" + url_encode(sc.queue_url);
  for (size_t i = 0; i < handles.size(); ++i) {
    if (i) js += ',';
    js += "{\"Id\":\"d" + std::to_string(i) + "\",\"ReceiptHandle\":\"" + json_escape(handles[i]) + "\"}";
    std::string p = "&DeleteMessageBatchRequestEntry." + std::to_string(i + 1) + ".";
    form += p + "Id=d" + std::to_string(i) + p + "ReceiptHandle=" + url_encode(handles[i]);
  }
  return sqs_request(o, sc.query, "DeleteMessageBatch", js + "]}", form);
}

void resolve_queue_url(const Options& o, Scenario& sc) {
  sc.query = o.protocol == "query";
  if (!sc.query && o.protocol != "json") die("--protocol takes json or query");
  Response r;
  if (!blocking_call(o, sqs_request(o, sc.query, "GetQueueUrl", "{\"QueueName\":\"" + json_escape(o.queue) + "\"}",
                                    "QueueName=" + url_encode(o.queue)),
                     r) ||
      r.status != 200)
    die("GetQueueUrl " + o.queue + " failed: HTTP " + std::to_string(r.status) + " " + r.body.substr(0, 300));
  auto urls = sqs_values(r.body, sc.query, "QueueUrl");
  if (urls.empty()) die("GetQueueUrl: no QueueUrl in " + r.body.substr(0, 300));
  sc.queue_url = urls[0];
}

// ---------------------------------------------------------------- DynamoDB

const char* kDdbAuth =
    "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    "Signature=0000000000000000000000000000000000000000000000000000000000000000";

std::string ddb_request(const Options& o, std::string_view op, std::string_view body) {
  std::string r = "POST / HTTP/1.1\r\nHost: " + host_header(o);
  r += "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: DynamoDB_20120810." + std::string(op);
  r += "\r\nX-Amz-Date: 20240101T000000Z\r\nAuthorization: ";
  r += kDdbAuth;
  r += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  r += body;
  return r;
}

// `version` goes into the data, so a put that overwrites a key changes the item: with a stream on,
// every put then emits a record (INSERT, then MODIFY), as it would for real traffic.
std::string ddb_item(const Options& o, const std::string& pk, uint64_t sk, uint64_t version = 0) {
  std::string data(size_t(o.record_size), 'x');
  std::string v = std::to_string(version);
  if (v.size() <= data.size()) data.replace(data.size() - v.size(), v.size(), v);
  return "{\"pk\":{\"S\":\"" + pk + "\"},\"sk\":{\"N\":\"" + std::to_string(sk) + "\"},\"data\":{\"S\":\"" + data + "\"}}";
}

// Connection c's n-th request touches key (c + n * connections) % keys: every key is written after
// keys / connections requests per connection.
uint64_t ddb_key_index(const Options& o, int conn, uint64_t n) {
  return (uint64_t(conn) + n * uint64_t(o.connections)) % o.keys;
}

std::string ddb_put_request(const Options& o, int conn, uint64_t n) {
  return ddb_request(o, "PutItem", "{\"TableName\":\"" + json_escape(o.table) + "\",\"Item\":" +
                                       ddb_item(o, "k-" + std::to_string(ddb_key_index(o, conn, n)), 1, n) + "}");
}

std::string ddb_get_request(const Options& o, int conn, uint64_t n) {
  // A stride through the keys, so connections do not read in lockstep.
  uint64_t k = (ddb_key_index(o, conn, n) * 7919) % o.keys;
  return ddb_request(o, "GetItem", "{\"TableName\":\"" + json_escape(o.table) + "\",\"Key\":{\"pk\":{\"S\":\"k-" +
                                       std::to_string(k) + "\"},\"sk\":{\"N\":\"1\"}}}");
}

std::string ddb_query_request(const Options& o, int conn, uint64_t n) {
  uint64_t p = (uint64_t(conn) + n * uint64_t(o.connections)) % o.partitions;
  return ddb_request(o, "Query", "{\"TableName\":\"" + json_escape(o.table) +
                                     "\",\"KeyConditionExpression\":\"pk = :p\",\"ExpressionAttributeValues\":"
                                     "{\":p\":{\"S\":\"q-" + std::to_string(p) + "\"}},\"Limit\":" +
                                     std::to_string(o.query_limit) + "}");
}

// 25 query-partition items per request: request n of connection c fills partition slots in turn.
std::string ddb_batch_put_request(const Options& o, int conn, uint64_t n) {
  std::string body = "{\"RequestItems\":{\"" + json_escape(o.table) + "\":[";
  for (int i = 0; i < 25; ++i) {
    uint64_t slot = (uint64_t(conn) + n * uint64_t(o.connections)) * 25 + uint64_t(i);
    if (i) body += ',';
    body += "{\"PutRequest\":{\"Item\":" + ddb_item(o, "q-" + std::to_string(slot % o.partitions), slot / o.partitions) + "}}";
  }
  return ddb_request(o, "BatchWriteItem", body + "]}}");
}

// A keep-alive connection for sequential calls (the wake-latency probe).
struct BlockingConn {
  int fd = -1;
  std::string buf;
  ~BlockingConn() {
    if (fd >= 0) close(fd);
  }
  bool write(const std::string& req) {
    for (size_t off = 0; off < req.size();) {
      ssize_t n = send(fd, req.data() + off, req.size() - off, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      off += size_t(n);
    }
    return true;
  }
  bool read(Response& out) {
    ResponseParser p;
    p.reset();
    char tmp[65536];
    for (;;) {
      if (!buf.empty()) {
        size_t used = p.feed(buf.data(), buf.size(), false);
        if (used == SIZE_MAX) return false;
        if (used > 0) {
          out = std::move(p.response());
          buf.erase(0, used);
          return true;
        }
      }
      ssize_t n = recv(fd, tmp, sizeof tmp, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buf.append(tmp, size_t(n));
    }
  }
};

// sqs-wake: a ReceiveMessage long-polls an empty queue; another connection sends; the time from
// the send's first byte to the receive's answer is the wake latency. Repeated --requests times.
int run_wake(const Options& o) {
  Scenario sc;
  resolve_queue_url(o, sc);
  BlockingConn a, b;
  a.fd = connect_to(o, false);
  b.fd = connect_to(o, false);
  if (a.fd < 0 || b.fd < 0) die("sqs-wake: cannot connect");
  int n = o.max_requests ? int(o.max_requests) : 50;
  std::vector<uint32_t> wake, ack;
  for (int i = 0; i < n; ++i) {
    Response ra, rb, rd;
    if (!a.write(sqs_receive_request(o, sc, 20))) die("sqs-wake: receive failed");
    usleep(20000);  // let it park
    uint64_t t0 = now_ns();
    if (!b.write(sqs_send_request(o, sc, uint64_t(i))) || !b.read(rb) || rb.status != 200)
      die("sqs-wake: send failed: " + rb.body.substr(0, 300));
    uint64_t t_ack = now_ns();
    if (!a.read(ra) || ra.status != 200) die("sqs-wake: receive failed: " + ra.body.substr(0, 300));
    uint64_t t1 = now_ns();
    auto handles = sqs_values(ra.body, sc.query, "ReceiptHandle");
    if (handles.empty()) die("sqs-wake: the long poll came back empty: " + ra.body.substr(0, 300));
    wake.push_back(uint32_t((t1 - t0) / 1000));
    ack.push_back(uint32_t((t_ack - t0) / 1000));
    if (!b.write(sqs_delete_batch_request(o, sc, handles)) || !b.read(rd)) die("sqs-wake: delete failed");
  }
  std::sort(wake.begin(), wake.end());
  std::sort(ack.begin(), ack.end());
  auto at = [](const std::vector<uint32_t>& v, double p) {
    return v[std::min(v.size() - 1, size_t(p / 100.0 * double(v.size() - 1) + 0.5))] / 1000.0;
  };
  if (o.json)
    std::printf("{\"scenario\":\"sqs-wake\",\"samples\":%d,\"wake_p50_ms\":%.3f,\"wake_p99_ms\":%.3f,"
                "\"wake_max_ms\":%.3f,\"send_p50_ms\":%.3f,\"errors\":0}\n",
                n, at(wake, 50), at(wake, 99), wake.back() / 1000.0, at(ack, 50));
  else
    std::printf("sqs-wake: %d samples; long-polled receive answered %.3f ms (p50) / %.3f ms (p99) / %.3f ms (max) "
                "after the send began; the send itself took %.3f ms (p50)\n",
                n, at(wake, 50), at(wake, 99), wake.back() / 1000.0, at(ack, 50));
  return 0;
}

Scenario make_scenario(const Options& o) {
  Scenario sc;
  if (!o.request_file.empty()) {
    std::ifstream in(o.request_file, std::ios::binary);
    if (!in) die("cannot read " + o.request_file);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    sc.kind = Kind::Raw;
    sc.name = "request-file";
    sc.raw = o.target.empty() ? normalise_raw_request(o, content) : kinesis_request(o, o.target, content);
    return sc;
  }
  sc.name = o.scenario;
  if (o.scenario == "health") {
    sc.kind = Kind::Health;
    sc.raw = get_request(o, "/_streamlab/health");
  } else if (o.scenario == "put-record") {
    sc.kind = Kind::PutRecord;
    build_put_template(o, sc, false);
  } else if (o.scenario == "put-records") {
    sc.kind = Kind::PutRecords;
    build_put_template(o, sc, true);
  } else if (o.scenario == "get-records") {
    sc.kind = Kind::GetRecords;
    if (!list_shards(o, sc.shards)) die("get-records: could not list the shards of stream " + o.stream);
  } else if (o.scenario == "sqs-send" || o.scenario == "sqs-send-batch" || o.scenario == "sqs-roundtrip") {
    sc.kind = o.scenario == "sqs-send" ? Kind::SqsSend : o.scenario == "sqs-send-batch" ? Kind::SqsSendBatch
                                                                                      : Kind::SqsRoundTrip;
    resolve_queue_url(o, sc);
    sc.consumers = sc.kind == Kind::SqsRoundTrip ? std::min(o.consumers, o.connections) : 0;
  } else if (o.scenario == "ddb-put") {
    sc.kind = Kind::DdbPut;
  } else if (o.scenario == "ddb-get") {
    sc.kind = Kind::DdbGet;
  } else if (o.scenario == "ddb-query") {
    sc.kind = Kind::DdbQuery;
  } else if (o.scenario == "ddb-batch-put") {
    sc.kind = Kind::DdbBatchPut;
  } else {
    usage();
    die("unknown scenario: " + o.scenario);
  }
  return sc;
}

// ---------------------------------------------------------------- statistics

struct Stats {
  uint64_t requests = 0;  // completed responses in the measured window
  uint64_t ok = 0;        // 2xx among them
  uint64_t non2xx = 0;
  uint64_t conn_errors = 0;  // connect failures, resets, malformed responses
  uint64_t timeouts = 0;
  uint64_t records = 0;
  uint64_t failed_records = 0;
  uint64_t reconnects = 0;  // server-requested closes (Connection: close)
  uint64_t bytes_out = 0, bytes_in = 0;
  std::map<int, uint64_t> status;
  std::vector<uint32_t> latency_us;
  std::vector<uint32_t> receive_latency_us;  // SQS round trip: receives that returned messages
  std::vector<std::string> error_samples;

  void sample_error(const std::string& s) {
    if (error_samples.size() >= 3) return;
    std::string t = s.substr(0, 300);
    for (auto& e : error_samples)
      if (e == t) return;
    error_samples.push_back(std::move(t));
  }

  void merge(Stats& o) {
    requests += o.requests;
    ok += o.ok;
    non2xx += o.non2xx;
    conn_errors += o.conn_errors;
    timeouts += o.timeouts;
    records += o.records;
    failed_records += o.failed_records;
    reconnects += o.reconnects;
    bytes_out += o.bytes_out;
    bytes_in += o.bytes_in;
    for (auto& [k, v] : o.status) status[k] += v;
    latency_us.insert(latency_us.end(), o.latency_us.begin(), o.latency_us.end());
    receive_latency_us.insert(receive_latency_us.end(), o.receive_latency_us.begin(), o.receive_latency_us.end());
    for (auto& e : o.error_samples) sample_error(e);
  }
};

// ---------------------------------------------------------------- event loop

struct Shared {
  const Options* opt = nullptr;
  const Scenario* sc = nullptr;
  uint64_t start_ns = 0, measure_ns = 0, end_ns = 0;
  std::atomic<uint64_t> ok_measured{0};
  std::atomic<bool> stop{false};
};

struct Conn {
  int fd = -1;
  int index = 0;  // global connection index
  enum class St { Idle, Connecting, Writing, Reading } st = St::Idle;
  std::string out;
  size_t out_off = 0;
  std::vector<char> in;
  size_t in_len = 0;
  ResponseParser parser;
  uint64_t sent_ns = 0;
  uint64_t retry_at_ns = 0;
  bool want_out = false;
  ConnScenarioState ss;
};

class Worker {
 public:
  Worker(Shared& sh, int worker_id, int first_conn, int nconns) : sh_(sh), id_(worker_id) {
    conns_.resize(size_t(nconns));
    for (int i = 0; i < nconns; ++i) {
      conns_[size_t(i)].index = first_conn + i;
      conns_[size_t(i)].ss.key_counter = (uint64_t(worker_id) << 56) | (uint64_t(first_conn + i) << 40);
      if (!sh.sc->shards.empty()) conns_[size_t(i)].ss.shard = (first_conn + i) % int(sh.sc->shards.size());
    }
    stats_.latency_us.reserve(1 << 20);
  }

  Stats& stats() { return stats_; }

  void run() {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) die("epoll_create1 failed");
    for (auto& c : conns_) open_conn(c);
    std::vector<epoll_event> evs(256);
    const uint64_t timeout_ns = uint64_t(sh_.opt->timeout * 1e9);
    uint64_t last_sweep = now_ns();
    while (!sh_.stop.load(std::memory_order_relaxed)) {
      uint64_t t = now_ns();
      if (t >= sh_.end_ns) break;
      int wait_ms = int(std::min<uint64_t>((sh_.end_ns - t) / 1000000 + 1, 10));
      int n = epoll_wait(ep_, evs.data(), int(evs.size()), wait_ms);
      if (n < 0) {
        if (errno == EINTR) continue;
        die("epoll_wait failed");
      }
      for (int i = 0; i < n; ++i) {
        Conn& c = conns_[size_t(evs[size_t(i)].data.u32)];
        uint32_t e = evs[size_t(i)].events;
        if (c.fd < 0) continue;
        if (c.st == Conn::St::Connecting) {
          if (e & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_connected(c);
          continue;
        }
        if ((e & EPOLLOUT) && c.st == Conn::St::Writing) on_writable(c);
        if (c.fd >= 0 && (e & (EPOLLIN | EPOLLERR | EPOLLHUP))) on_readable(c);
      }
      t = now_ns();
      if (t - last_sweep > 5000000) {  // every 5 ms: retries and timeouts
        last_sweep = t;
        for (auto& c : conns_) {
          if (c.fd < 0 && c.retry_at_ns && t >= c.retry_at_ns) open_conn(c);
          else if (c.fd >= 0 && c.sent_ns && (c.st == Conn::St::Writing || c.st == Conn::St::Reading) &&
                   t - c.sent_ns > timeout_ns) {
            if (t >= sh_.measure_ns) stats_.timeouts++;
            fail(c, "timeout");
          }
        }
      }
    }
    for (auto& c : conns_)
      if (c.fd >= 0) close(c.fd);
    close(ep_);
  }

 private:
  void open_conn(Conn& c) {
    c.retry_at_ns = 0;
    c.fd = connect_to(*sh_.opt, true);
    if (c.fd < 0) {
      if (now_ns() >= sh_.measure_ns) stats_.conn_errors++;
      stats_.sample_error("connect failed: " + std::string(std::strerror(errno)));
      c.retry_at_ns = now_ns() + 10000000;
      return;
    }
    c.st = Conn::St::Connecting;
    c.in_len = 0;
    c.parser.reset();
    epoll_event ev{};
    ev.events = EPOLLOUT | EPOLLIN;
    ev.data.u32 = uint32_t(&c - conns_.data());
    epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev);
    c.want_out = true;
  }

  void set_out(Conn& c, bool want) {
    if (c.want_out == want) return;
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? EPOLLOUT : 0u);
    ev.data.u32 = uint32_t(&c - conns_.data());
    epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_out = want;
  }

  void fail(Conn& c, const std::string& why) {
    stats_.sample_error(why);
    if (c.fd >= 0) {
      epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
    }
    c.fd = -1;
    c.st = Conn::St::Idle;
    c.sent_ns = 0;
    // A broken GetRecords chain starts over from a fresh iterator.
    c.ss.need_iterator = true;
    c.retry_at_ns = now_ns() + 10000000;
  }

  void on_connected(Conn& c) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      if (now_ns() >= sh_.measure_ns) stats_.conn_errors++;
      fail(c, "connect: " + std::string(std::strerror(err)));
      return;
    }
    send_next(c);
  }

  void send_next(Conn& c) {
    if (sh_.stop.load(std::memory_order_relaxed)) return;
    build_request(c);
    c.out_off = 0;
    c.st = Conn::St::Writing;
    c.sent_ns = now_ns();
    c.parser.reset();
    on_writable(c);
  }

  void on_writable(Conn& c) {
    while (c.out_off < c.out.size()) {
      ssize_t n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_off += size_t(n);
        if (c.sent_ns >= sh_.measure_ns) stats_.bytes_out += uint64_t(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        set_out(c, true);
        return;
      }
      if (now_ns() >= sh_.measure_ns) stats_.conn_errors++;
      fail(c, "send: " + std::string(std::strerror(errno)));
      return;
    }
    set_out(c, false);
    c.st = Conn::St::Reading;
  }

  void on_readable(Conn& c) {
    bool eof = false;
    for (;;) {
      if (c.in.size() - c.in_len < 65536) c.in.resize(std::max<size_t>(c.in.size() * 2, c.in_len + 65536));
      ssize_t n = recv(c.fd, c.in.data() + c.in_len, c.in.size() - c.in_len, 0);
      if (n > 0) {
        c.in_len += size_t(n);
        if (c.sent_ns >= sh_.measure_ns) stats_.bytes_in += uint64_t(n);
        if (size_t(n) < 65536) break;  // probably drained; epoll tells us if not
        continue;
      }
      if (n == 0) {
        eof = true;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (now_ns() >= sh_.measure_ns) stats_.conn_errors++;
      fail(c, "recv: " + std::string(std::strerror(errno)));
      return;
    }
    if (c.st != Conn::St::Reading) {
      if (eof || c.in_len > 0) {
        // Data or close while we were not expecting a response.
        if (c.in_len > 0 && now_ns() >= sh_.measure_ns) stats_.conn_errors++;
        fail(c, eof ? "server closed idle connection" : "unexpected data from server");
      }
      return;
    }
    size_t used = c.parser.feed(c.in.data(), c.in_len, eof);
    if (used == SIZE_MAX) {
      if (now_ns() >= sh_.measure_ns) stats_.conn_errors++;
      fail(c, eof ? "connection closed mid-response" : "malformed HTTP response");
      return;
    }
    if (used == 0) {
      if (eof) {
        if (now_ns() >= sh_.measure_ns) stats_.conn_errors++;
        fail(c, "connection closed before response");
      }
      return;
    }
    // Complete response.
    uint64_t t = now_ns();
    Response& r = c.parser.response();
    std::memmove(c.in.data(), c.in.data() + used, c.in_len - used);
    c.in_len -= used;
    bool measured = t >= sh_.measure_ns && t < sh_.end_ns;
    on_response(c, r, measured, t);
    c.sent_ns = 0;
    if (r.close || eof) {
      if (measured) stats_.reconnects++;
      epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
      c.fd = -1;
      c.st = Conn::St::Idle;
      open_conn(c);
      return;
    }
    send_next(c);
  }

  void on_response(Conn& c, Response& r, bool measured, uint64_t t) {
    bool ok = r.status >= 200 && r.status < 300;
    uint64_t records = 0, failed = 0;
    const Scenario& sc = *sh_.sc;
    switch (sc.kind) {
      case Kind::Raw:
      case Kind::Health:
        break;
      case Kind::SqsSend:
        records = ok ? 1 : 0;
        break;
      case Kind::SqsSendBatch:
        records = ok ? count_of(r.body, sc.query ? "<MessageId>" : "\"MessageId\"") : 0;
        break;
      case Kind::SqsRoundTrip:
        // Records are messages received and then deleted (the producers' sends are not counted).
        if (c.index < sc.consumers && c.ss.last_was_receive) {
          if (ok) c.ss.handles = sqs_values(r.body, sc.query, "ReceiptHandle");
          if (!c.ss.handles.empty() && measured) stats_.receive_latency_us.push_back(uint32_t((t - c.sent_ns) / 1000));
        } else if (c.index < sc.consumers && ok && !c.ss.sent_last) {
          size_t failed_here = count_of(r.body, sc.query ? "<SenderFault>" : "\"SenderFault\"");
          records = c.ss.deleting - std::min(c.ss.deleting, failed_here);
          failed = failed_here;
          c.ss.deleting = 0;
        }
        break;
      case Kind::PutRecord:
      case Kind::DdbPut:
        records = ok ? 1 : 0;
        break;
      case Kind::DdbGet:
        records = ok && r.body.find("\"Item\"") != std::string::npos ? 1 : 0;  // hits
        break;
      case Kind::DdbQuery:
        if (ok)
          json::for_each_member(r.body, [&](std::string_view k, std::string_view v) {
            if (k == "Count") records = std::strtoull(std::string(v).c_str(), nullptr, 10);
          });
        break;
      case Kind::DdbBatchPut:
        records = ok ? 25 : 0;
        break;
      case Kind::PutRecords:
        if (ok) {
          uint64_t f = 0;
          json::for_each_member(r.body, [&](std::string_view k, std::string_view v) {
            if (k == "FailedRecordCount") f = std::strtoull(std::string(v).c_str(), nullptr, 10);
          });
          failed = f;
          records = uint64_t(sc.records_per_request) - std::min<uint64_t>(f, uint64_t(sc.records_per_request));
        }
        break;
      case Kind::GetRecords:
        if (!ok) {
          c.ss.need_iterator = true;
        } else if (c.ss.last_was_iterator) {
          c.ss.iterator = json::get_string(r.body, "ShardIterator");
          c.ss.need_iterator = c.ss.iterator.empty();
          c.ss.empty_streak = 0;
        } else {
          size_t n = 0;
          int64_t behind = 0;
          std::string next;
          json::for_each_member(r.body, [&](std::string_view k, std::string_view v) {
            if (k == "Records") n = json::for_each_element(v, nullptr);
            else if (k == "NextShardIterator" && !v.empty() && v.front() == '"') next = json::unquote(v);
            else if (k == "MillisBehindLatest") behind = std::strtoll(std::string(v).c_str(), nullptr, 10);
          });
          records = n;
          if (next.empty()) {
            c.ss.need_iterator = true;  // shard closed
          } else if (n == 0 && (behind == 0 || ++c.ss.empty_streak >= 100)) {
            c.ss.need_iterator = true;  // drained and caught up: start over
          } else {
            if (n > 0) c.ss.empty_streak = 0;
            c.ss.iterator = std::move(next);
          }
        }
        break;
    }
    if (!ok) {
      std::string sample = "HTTP " + std::to_string(r.status) + ": " + r.body;
      stats_.sample_error(sample);
      if (sh_.opt->verbose) std::fprintf(stderr, "loadgen: %s\n", sample.substr(0, 300).c_str());
    }
    if (!measured) return;
    stats_.requests++;
    stats_.status[r.status]++;
    if (ok) {
      stats_.ok++;
      uint64_t total = sh_.ok_measured.fetch_add(1, std::memory_order_relaxed) + 1;
      if (sh_.opt->max_requests && total >= sh_.opt->max_requests) sh_.stop.store(true);
    } else {
      stats_.non2xx++;
    }
    stats_.records += records;
    stats_.failed_records += failed;
    uint64_t lat = (t - c.sent_ns) / 1000;
    if (stats_.latency_us.size() < 50000000) stats_.latency_us.push_back(uint32_t(std::min<uint64_t>(lat, UINT32_MAX)));
  }

  void build_request(Conn& c) {
    const Scenario& sc = *sh_.sc;
    switch (sc.kind) {
      case Kind::Raw:
      case Kind::Health:
        if (c.out.size() != sc.raw.size()) c.out = sc.raw;
        return;
      case Kind::SqsSend:
        c.out = sqs_send_request(*sh_.opt, sc, c.ss.key_counter++);
        return;
      case Kind::SqsSendBatch:
        c.out = sqs_batch_request(*sh_.opt, sc, c.ss.key_counter++);
        return;
      case Kind::SqsRoundTrip:
        // Each consumer cycles SendMessageBatch(10) -> ReceiveMessage(10) -> DeleteMessageBatch, so the
        // queue stays short and the figure is the whole path, not a backlog; extra connections only send.
        if (c.index >= sc.consumers || (!c.ss.last_was_receive && c.ss.handles.empty() && !c.ss.sent_last)) {
          c.out = sqs_batch_request(*sh_.opt, sc, c.ss.key_counter++);
          c.ss.last_was_receive = false;
          c.ss.sent_last = true;
        } else if (c.ss.handles.empty()) {
          c.out = sqs_receive_request(*sh_.opt, sc, 0);
          c.ss.last_was_receive = true;
          c.ss.sent_last = false;
        } else {
          c.out = sqs_delete_batch_request(*sh_.opt, sc, c.ss.handles);
          c.ss.deleting = c.ss.handles.size();
          c.ss.handles.clear();
          c.ss.last_was_receive = false;
        }
        return;
      case Kind::DdbPut:
        c.out = ddb_put_request(*sh_.opt, c.index, c.ss.key_counter++ & 0xffffffffffull);
        return;
      case Kind::DdbGet:
        c.out = ddb_get_request(*sh_.opt, c.index, c.ss.key_counter++ & 0xffffffffffull);
        return;
      case Kind::DdbQuery:
        c.out = ddb_query_request(*sh_.opt, c.index, c.ss.key_counter++ & 0xffffffffffull);
        return;
      case Kind::DdbBatchPut:
        c.out = ddb_batch_put_request(*sh_.opt, c.index, c.ss.key_counter++ & 0xffffffffffull);
        return;
      case Kind::PutRecord:
      case Kind::PutRecords: {
        if (c.out.size() != sc.tmpl.size()) c.out = sc.tmpl;
        for (size_t slot : sc.key_slots) write_hex(c.out.data() + slot, c.ss.key_counter++);
        if (sc.kind == Kind::PutRecord) {
          const std::string& d = sc.data_pool[c.ss.key_counter % sc.data_pool.size()];
          std::memcpy(c.out.data() + sc.data_slot, d.data(), d.size());
        }
        return;
      }
      case Kind::GetRecords: {
        const Options& o = *sh_.opt;
        c.ss.last_was_iterator = c.ss.need_iterator;
        if (c.ss.need_iterator) {
          c.out = kinesis_request(o, "GetShardIterator",
                                  "{\"StreamName\":\"" + json_escape(o.stream) + "\",\"ShardId\":\"" +
                                      json_escape(sc.shards[size_t(c.ss.shard)]) +
                                      "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}");
        } else {
          c.out = kinesis_request(o, "GetRecords",
                                  "{\"ShardIterator\":\"" + json_escape(c.ss.iterator) +
                                      "\",\"Limit\":" + std::to_string(o.limit) + "}");
        }
        return;
      }
    }
  }

  Shared& sh_;
  int id_;
  int ep_ = -1;
  std::vector<Conn> conns_;
  Stats stats_;
};

double pct(const std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  size_t idx = size_t(p / 100.0 * double(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  Options o = parse_args(argc, argv);
  if (o.scenario == "sqs-wake") return run_wake(o);
  Scenario sc = make_scenario(o);

  Shared sh;
  sh.opt = &o;
  sh.sc = &sc;
  sh.start_ns = now_ns();
  sh.measure_ns = sh.start_ns + uint64_t(o.warmup * 1e9);
  sh.end_ns = sh.measure_ns + uint64_t(o.duration * 1e9);

  std::vector<std::unique_ptr<Worker>> workers;
  int per = o.connections / o.threads, extra = o.connections % o.threads, first = 0;
  for (int t = 0; t < o.threads; ++t) {
    int n = per + (t < extra ? 1 : 0);
    workers.push_back(std::make_unique<Worker>(sh, t, first, n));
    first += n;
  }
  if (o.threads == 1) {
    workers[0]->run();
  } else {
    std::vector<std::thread> ts;
    for (auto& w : workers) ts.emplace_back([&w] { w->run(); });
    for (auto& t : ts) t.join();
  }
  uint64_t stop_ns = std::min(now_ns(), sh.end_ns);
  double elapsed = stop_ns > sh.measure_ns ? double(stop_ns - sh.measure_ns) / 1e9 : 0.0;

  Stats total;
  for (auto& w : workers) total.merge(w->stats());
  std::sort(total.latency_us.begin(), total.latency_us.end());
  double mean = 0;
  for (uint32_t l : total.latency_us) mean += l;
  if (!total.latency_us.empty()) mean = mean / double(total.latency_us.size()) / 1000.0;
  double rps = elapsed > 0 ? double(total.requests) / elapsed : 0;
  double ok_rps = elapsed > 0 ? double(total.ok) / elapsed : 0;
  double recs = elapsed > 0 ? double(total.records) / elapsed : 0;
  uint64_t errors = total.non2xx + total.conn_errors + total.timeouts;
  double p50 = pct(total.latency_us, 50), p90 = pct(total.latency_us, 90), p99 = pct(total.latency_us, 99);
  double mx = total.latency_us.empty() ? 0 : total.latency_us.back() / 1000.0;
  std::string sqs_extra;  // SQS round trip: ReceiveMessage latency when messages were waiting
  if (!total.receive_latency_us.empty()) {
    std::sort(total.receive_latency_us.begin(), total.receive_latency_us.end());
    char b[160];
    std::snprintf(b, sizeof b, ",\"receives\":%zu,\"receive_p50_ms\":%.3f,\"receive_p99_ms\":%.3f",
                  total.receive_latency_us.size(), pct(total.receive_latency_us, 50), pct(total.receive_latency_us, 99));
    sqs_extra = b;
  }

  if (o.json) {
    std::string st;
    for (auto& [k, v] : total.status) {
      if (!st.empty()) st += ',';
      st += "\"" + std::to_string(k) + "\":" + std::to_string(v);
    }
    std::string samples;
    for (auto& e : total.error_samples) {
      if (!samples.empty()) samples += ',';
      samples += "\"" + json_escape(e) + "\"";
    }
    std::printf(
        "{\"scenario\":\"%s\",\"connections\":%d,\"threads\":%d,\"duration_s\":%.3f,\"requests\":%" PRIu64
        ",\"ok\":%" PRIu64 ",\"rps\":%.1f,\"ok_rps\":%.1f,\"records\":%" PRIu64
        ",\"records_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f,"
        "\"errors\":%" PRIu64 ",\"non2xx\":%" PRIu64 ",\"conn_errors\":%" PRIu64 ",\"timeouts\":%" PRIu64
        ",\"failed_records\":%" PRIu64 ",\"reconnects\":%" PRIu64 ",\"bytes_in\":%" PRIu64 ",\"bytes_out\":%" PRIu64
        ",\"status\":{%s},\"error_samples\":[%s]%s}\n",
        json_escape(sc.name).c_str(), o.connections, o.threads, elapsed, total.requests, total.ok, rps, ok_rps,
        total.records, recs, p50, p90, p99, mx, mean, errors, total.non2xx, total.conn_errors, total.timeouts,
        total.failed_records, total.reconnects, total.bytes_in, total.bytes_out, st.c_str(), samples.c_str(),
        sqs_extra.c_str());
  } else {
    std::printf("scenario %s: %d connections, %d thread(s), %.2f s measured (after %.1f s warm-up)\n",
                sc.name.c_str(), o.connections, o.threads, elapsed, o.warmup);
    std::printf("  requests   %12" PRIu64 "   %10.1f req/s   (2xx: %.1f/s)\n", total.requests, rps, ok_rps);
    if (sc.kind != Kind::Raw && sc.kind != Kind::Health)
      std::printf("  records    %12" PRIu64 "   %10.1f rec/s   (failed records: %" PRIu64 ")\n", total.records,
                  recs, total.failed_records);
    std::printf("  latency ms p50 %.3f  p90 %.3f  p99 %.3f  max %.3f  mean %.3f\n", p50, p90, p99, mx, mean);
    std::printf("  status    ");
    for (auto& [k, v] : total.status) std::printf(" %d=%" PRIu64, k, v);
    std::printf("\n  errors     %" PRIu64 " (non-2xx %" PRIu64 ", connection %" PRIu64 ", timeouts %" PRIu64
                "); server closes %" PRIu64 "\n",
                errors, total.non2xx, total.conn_errors, total.timeouts, total.reconnects);
    std::printf("  traffic    in %.1f MB/s, out %.1f MB/s\n", elapsed > 0 ? total.bytes_in / elapsed / 1e6 : 0,
                elapsed > 0 ? total.bytes_out / elapsed / 1e6 : 0);
    if (!sqs_extra.empty())
      std::printf("  ReceiveMessage (non-empty) ms p50 %.3f  p99 %.3f\n", pct(total.receive_latency_us, 50),
                  pct(total.receive_latency_us, 99));
    for (auto& e : total.error_samples) std::printf("  sample error: %s\n", e.c_str());
  }
  return total.ok > 0 ? 0 : 1;
}
