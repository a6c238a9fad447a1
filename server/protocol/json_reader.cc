#include "server/protocol/json_reader.h"

#include <cstring>
#include <string>

#include "server/core/swar.h"

namespace streamlab::protocol {
namespace {

using json = nlohmann::json;

constexpr int kMaxDepth = 64;  // deeper documents go to nlohmann, which does not recurse

class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool document(json& out) {
    skip_ws();
    if (!value(out, 0)) return false;
    skip_ws();
    return p_ == end_;
  }

 private:
  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool literal(const char* word, size_t n) {
    if (size_t(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  bool value(json& out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return object(out, depth + 1);
      case '[': return array(out, depth + 1);
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = std::move(s);
        return true;
      }
      case 't': out = true; return literal("true", 4);
      case 'f': out = false; return literal("false", 5);
      case 'n': out = nullptr; return literal("null", 4);
      default: return number(out);
    }
  }

  // -?(0|[1-9][0-9]*) with at most 18 digits: nlohmann stores it unsigned unless negative.
  bool number(json& out) {
    bool negative = p_ < end_ && *p_ == '-';
    const char* q = p_ + (negative ? 1 : 0);
    const char* digits = q;
    uint64_t v = 0;
    while (q < end_ && *q >= '0' && *q <= '9') v = v * 10 + uint64_t(*q++ - '0');
    size_t n = size_t(q - digits);
    if (n == 0 || n > 18 || (n > 1 && *digits == '0')) return false;
    if (q < end_ && (*q == '.' || *q == 'e' || *q == 'E')) return false;
    p_ = q;
    if (negative) out = -static_cast<int64_t>(v);
    else out = v;
    return true;
  }

  // Base64 blobs are most of a Kinesis or SQS body: skip plain runs 8 bytes at a time.
  void skip_plain() {
    // The bytes the byte loop must look at: quote, backslash, control characters, non-ASCII.
    while (end_ - p_ >= 8) {
      uint64_t w = swar::load8(p_);
      if (swar::any_equal(w, '"') | swar::any_equal(w, '\\') | swar::any_below(w, 0x20) | swar::any_non_ascii(w))
        return;
      p_ += 8;
    }
  }

  bool string(std::string& out) {
    ++p_;  // opening quote
    const char* start = p_;
    skip_plain();
    while (p_ < end_) {
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        out.append(start, p_);
        ++p_;
        return true;
      }
      if (c < 0x20 || c >= 0x80) return false;
      if (c == '\\') {
        out.append(start, p_);
        if (++p_ == end_) return false;
        switch (*p_) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          default: return false;  // \u and invalid escapes
        }
        start = ++p_;
        skip_plain();
        continue;
      }
      ++p_;
    }
    return false;
  }

  bool object(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    out = json::object();
    skip_ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return true;
    }
    while (true) {
      skip_ws();
      if (p_ == end_ || *p_ != '"') return false;
      std::string key;
      if (!string(key)) return false;
      skip_ws();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      skip_ws();
      // A repeated key keeps its last value, as nlohmann's parser does.
      if (!value(out[std::move(key)], depth)) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != '}') return false;
      ++p_;
      return true;
    }
  }

  bool array(json& out, int depth) {
    if (depth > kMaxDepth) return false;
    ++p_;
    out = json::array();
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      return true;
    }
    while (true) {
      skip_ws();
      out.push_back(nullptr);
      if (!value(out.back(), depth)) return false;
      skip_ws();
      if (p_ == end_) return false;
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ != ']') return false;
      ++p_;
      return true;
    }
  }

  const char* p_;
  const char* end_;
};

}  // namespace

std::optional<json> quick_parse_json(std::string_view text) {
  json out;
  if (!Reader(text).document(out)) return std::nullopt;
  return out;
}

}  // namespace streamlab::protocol
