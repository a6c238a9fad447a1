#include "server/protocol/cbor.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "server/core/encoding.h"

namespace streamlab::protocol {
namespace {

constexpr int kMaxDepth = 64;  // containers (arrays and maps) open at once, the top-level map included
constexpr uint8_t kBreak = 0xff;

enum Major : int {
  kUnsigned = 0,
  kNegative = 1,
  kBytes = 2,
  kText = 3,
  kArray = 4,
  kMap = 5,
  kTag = 6,
  kSimple = 7
};

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const uint8_t c = uint8_t(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      const uint8_t cc = uint8_t(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return false;
    if (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) return false;
    i += len;
  }
  return true;
}

double half_to_double(uint16_t h) {
  const int exp = (h >> 10) & 0x1f;
  const int mant = h & 0x3ff;
  double v;
  if (exp == 0) {
    v = std::ldexp(mant, -24);
  } else if (exp != 31) {
    v = std::ldexp(mant + 1024, exp - 25);
  } else {
    v = mant == 0 ? std::numeric_limits<double>::infinity() : std::numeric_limits<double>::quiet_NaN();
  }
  return (h & 0x8000) ? -v : v;
}

// AWS's tag-1 content is epoch millis; the actions want epoch seconds (an integer when exact).
json millis_to_seconds(const json& n) {
  if (n.is_number_unsigned()) {
    const uint64_t ms = n.get<uint64_t>();
    if (ms % 1000 == 0) return ms / 1000;
    return double(ms) / 1000.0;
  }
  if (n.is_number_integer()) {
    const int64_t ms = n.get<int64_t>();
    if (ms % 1000 == 0) return ms / 1000;
    return double(ms) / 1000.0;
  }
  return n.get<double>() / 1000.0;
}

struct Head {
  int major = 0;
  int info = 0;  // additional information, the low five bits
  uint64_t arg = 0;
  bool indefinite = false;
};

class Decoder {
 public:
  Decoder(std::string_view in, const WireHints* hints) : in_(in), hints_(hints) {}

  Result<json> run() {
    json out;
    if (in_.empty()) return AwsError::serialization("Empty CBOR body");
    if (!item(out, 0, false)) return AwsError::serialization(error_);
    if (pos_ != in_.size()) return AwsError::serialization("Trailing bytes after CBOR data item");
    if (!out.is_object()) return AwsError::serialization("CBOR body must be a map");
    return out;
  }

 private:
  size_t remaining() const { return in_.size() - pos_; }
  bool fail(const char* message) {
    if (error_.empty()) error_ = message;
    return false;
  }
  bool at_break() const { return pos_ < in_.size() && uint8_t(in_[pos_]) == kBreak; }

  bool read_head(Head& h) {
    if (pos_ >= in_.size()) return fail("Truncated CBOR input");
    const uint8_t b = uint8_t(in_[pos_++]);
    h.major = b >> 5;
    h.info = b & 0x1f;
    h.arg = uint64_t(h.info);
    h.indefinite = h.info == 31;
    if (h.info < 24 || h.indefinite) return true;
    if (h.info > 27) return fail("Reserved CBOR additional information");
    const size_t width = size_t(1) << (h.info - 24);
    if (remaining() < width) return fail("Truncated CBOR input");
    uint64_t v = 0;
    for (size_t i = 0; i < width; ++i) v = (v << 8) | uint8_t(in_[pos_++]);
    h.arg = v;
    return true;
  }

  bool append_chunk(uint64_t len, bool text, std::string& out) {
    if (len > remaining()) return fail("CBOR string length exceeds the input");  // before allocating
    const std::string_view chunk = in_.substr(pos_, size_t(len));
    if (text && !valid_utf8(chunk)) return fail("Invalid UTF-8 in CBOR text string");
    out.append(chunk);
    pos_ += size_t(len);
    return true;
  }

  // Byte or text string of h.major, definite or indefinite (definite chunks of the same major type).
  bool read_string(const Head& h, std::string& out) {
    const bool text = h.major == kText;
    if (!h.indefinite) return append_chunk(h.arg, text, out);
    while (true) {
      if (pos_ >= in_.size()) return fail("Truncated CBOR input");
      if (at_break()) {
        ++pos_;
        return true;
      }
      Head c;
      if (!read_head(c)) return false;
      if (c.major != h.major || c.indefinite) return fail("Invalid chunk in indefinite-length CBOR string");
      if (!append_chunk(c.arg, text, out)) return false;
    }
  }

  bool read_key(std::string& key) {
    Head h;
    if (!read_head(h)) return false;
    if (h.major != kText) return fail("CBOR map keys must be text strings");
    return read_string(h, key);
  }

  bool read_simple(const Head& h, json& out) {
    switch (h.info) {
      case 20:
        out = false;
        return true;
      case 21:
        out = true;
        return true;
      case 22:
      case 23:
        out = nullptr;
        return true;  // null, undefined
      case 25:
      case 26:
      case 27: {
        double d;
        if (h.info == 25)
          d = half_to_double(uint16_t(h.arg));
        else if (h.info == 26)
          d = double(std::bit_cast<float>(uint32_t(h.arg)));
        else
          d = std::bit_cast<double>(h.arg);
        if (!std::isfinite(d)) return fail("NaN and Infinity are not valid numbers");
        out = d;
        return true;
      }
      case 31:
        return fail("Unexpected CBOR break");
      default:
        return fail("Unsupported CBOR simple value");
    }
  }

  // ts: the member holding this value is a timestamp (by hint), so a number in it is epoch millis.
  bool item(json& out, int depth, bool ts) {
    Head h;
    if (!read_head(h)) return false;
    bool tagged_time = false;
    while (h.major == kTag) {  // a loop, not recursion: a long chain of tags costs no stack
      if (h.indefinite) return fail("Invalid CBOR tag");
      if (h.arg == 1) tagged_time = true;
      if (!read_head(h)) return false;
    }
    switch (h.major) {
      case kUnsigned:
        if (h.indefinite) return fail("Invalid CBOR integer");
        out = h.arg;
        break;
      case kNegative:
        if (h.indefinite) return fail("Invalid CBOR integer");
        if (h.arg <= uint64_t(std::numeric_limits<int64_t>::max()))
          out = -1 - int64_t(h.arg);
        else
          out = -1.0 - double(h.arg);  // below INT64_MIN: a JSON number all the same
        break;
      case kBytes: {
        std::string raw;
        if (!read_string(h, raw)) return false;
        out = base64_encode(raw);
        return true;
      }
      case kText: {
        std::string s;
        if (!read_string(h, s)) return false;
        out = std::move(s);
        return true;
      }
      case kArray:
        if (depth >= kMaxDepth) return fail("CBOR nesting too deep");
        out = json::array();
        if (!h.indefinite && h.arg > remaining()) return fail("CBOR array length exceeds the input");
        for (uint64_t i = 0; h.indefinite || i < h.arg; ++i) {
          if (h.indefinite && at_break()) {
            ++pos_;
            break;
          }
          json e;
          if (!item(e, depth + 1, ts)) return false;  // a list of timestamps stays one
          out.push_back(std::move(e));
        }
        return true;
      case kMap:
        if (depth >= kMaxDepth) return fail("CBOR nesting too deep");
        out = json::object();
        if (!h.indefinite && h.arg > remaining() / 2) return fail("CBOR map length exceeds the input");
        for (uint64_t i = 0; h.indefinite || i < h.arg; ++i) {
          if (h.indefinite && at_break()) {
            ++pos_;
            break;
          }
          std::string key;
          if (!read_key(key)) return false;
          const bool member_ts = hints_ && hints_->timestamp_members.count(key) > 0;
          json v;
          if (!item(v, depth + 1, member_ts)) return false;
          out[std::move(key)] = std::move(v);
        }
        return true;
      default:
        if (!read_simple(h, out)) return false;
    }
    if ((ts || tagged_time) && out.is_number()) out = millis_to_seconds(out);
    return true;
  }

  std::string_view in_;
  size_t pos_ = 0;
  const WireHints* hints_;
  std::string error_;
};

// ---- encoding ----

void put_head(std::string& out, int major, uint64_t v) {
  const uint8_t m = uint8_t(major << 5);
  int width;
  if (v < 24) {
    out += char(m | v);
    return;
  } else if (v <= 0xff) {
    out += char(m | 24), width = 1;
  } else if (v <= 0xffff) {
    out += char(m | 25), width = 2;
  } else if (v <= 0xffffffff) {
    out += char(m | 26), width = 4;
  } else {
    out += char(m | 27), width = 8;
  }
  for (int i = width - 1; i >= 0; --i) out += char((v >> (i * 8)) & 0xff);
}

void put_int(std::string& out, int64_t v) {
  if (v >= 0)
    put_head(out, kUnsigned, uint64_t(v));
  else
    put_head(out, kNegative, uint64_t(-(v + 1)));  // -1 - v without overflow at INT64_MIN
}

void put_string(std::string& out, int major, std::string_view s) {
  put_head(out, major, s.size());
  out.append(s);
}

// Tag 1 + integer epoch millis, as AWS writes timestamps. False when the number does not fit (left as is).
bool put_timestamp(std::string& out, const json& v) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000;
  int64_t ms;
  if (v.is_number_unsigned()) {
    const uint64_t s = v.get<uint64_t>();
    if (s > uint64_t(kMax)) return false;
    ms = int64_t(s) * 1000;
  } else if (v.is_number_integer()) {
    const int64_t s = v.get<int64_t>();
    if (s > kMax || s < -kMax) return false;
    ms = s * 1000;
  } else {
    const double d = v.get<double>() * 1000.0;
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return false;
    ms = std::llround(d);
  }
  put_head(out, kTag, 1);
  put_int(out, ms);
  return true;
}

struct MemberKind {
  bool blob = false;
  bool timestamp = false;
};

void encode(std::string& out, const json& v, MemberKind kind, const WireHints& hints) {
  switch (v.type()) {
    case json::value_t::boolean:
      out += char(v.get<bool>() ? 0xf5 : 0xf4);
      return;
    case json::value_t::number_integer:
      if (!(kind.timestamp && put_timestamp(out, v))) put_int(out, v.get<int64_t>());
      return;
    case json::value_t::number_unsigned:
      if (!(kind.timestamp && put_timestamp(out, v))) put_head(out, kUnsigned, v.get<uint64_t>());
      return;
    case json::value_t::number_float:
      if (!(kind.timestamp && put_timestamp(out, v))) {
        out += char(0xfb);
        const uint64_t bits = std::bit_cast<uint64_t>(v.get<double>());
        for (int i = 7; i >= 0; --i) out += char((bits >> (i * 8)) & 0xff);
      }
      return;
    case json::value_t::string: {
      const std::string& s = v.get_ref<const std::string&>();
      if (kind.blob) {
        if (auto raw = base64_decode(s)) return put_string(out, kBytes, *raw);
      }
      return put_string(out, kText, s);  // not a blob, or not base64 after all: keep the text
    }
    case json::value_t::binary: {
      const auto& b = v.get_binary();
      put_head(out, kBytes, b.size());
      out.append(reinterpret_cast<const char*>(b.data()), b.size());
      return;
    }
    case json::value_t::array:
      put_head(out, kArray, v.size());
      for (const auto& e : v) encode(out, e, kind, hints);  // a list of blobs or timestamps keeps the kind
      return;
    case json::value_t::object:
      put_head(out, kMap, v.size());
      for (const auto& [key, member] : v.items()) {
        put_string(out, kText, key);
        encode(out, member, {hints.blob_members.count(key) > 0, hints.timestamp_members.count(key) > 0},
               hints);
      }
      return;
    default:  // null, discarded
      out += char(0xf6);
      return;
  }
}

}  // namespace

Result<json> cbor_decode(std::string_view bytes) { return Decoder(bytes, nullptr).run(); }

Result<json> cbor_decode(std::string_view bytes, const WireHints& hints) {
  return Decoder(bytes, &hints).run();
}

std::string cbor_encode(const json& value, const WireHints& hints) {
  std::string out;
  encode(out, value, {}, hints);
  return out;
}

}  // namespace streamlab::protocol
