#include "server/core/json_text.h"

#include "server/core/swar.h"

namespace streamlab {

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
      uint64_t w = swar::load8(s.data() + i);
      if (swar::any_equal(w, '"') | swar::any_equal(w, '\\') | swar::any_below(w, 0x20)) break;
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
