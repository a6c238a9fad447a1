#include "server/core/json_text.h"

#include <cstdint>
#include <cstring>

namespace streamlab {
namespace {
// Whether any of the 8 bytes in `w` needs escaping: a quote, a backslash or a control
// character. Exact for "any" (SWAR zero-byte and less-than tests; bytes >= 0x80 never match).
bool needs_escape_in(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  uint64_t zero_quote = (quote - kOnes) & ~quote, zero_backslash = (backslash - kOnes) & ~backslash;
  uint64_t control = (w - kOnes * 0x20) & ~w;
  return ((zero_quote | zero_backslash | control) & kHigh) != 0;
}
}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

void append_json_escaped(std::string& out, std::string_view s, bool upper_hex) {
  const char* hex = upper_hex ? "0123456789ABCDEF" : "0123456789abcdef";
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    // Bodies and receipt handles are long runs needing no escape: skip them 8 bytes at a time.
    while (s.size() - i >= 8) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (needs_escape_in(w)) break;
      i += 8;
    }
    if (i == s.size()) break;
    unsigned char c = s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(start, i - start));
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    start = i + 1;
  }
  out.append(s.substr(start));
}

}  // namespace streamlab
