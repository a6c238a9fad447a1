#include "emulators/sns/filter_policy.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>

#include "emulators/sns/errors.h"

namespace streamlab::sns {

// One alternative of a key's list.
struct FilterPolicy::Pattern {
  enum Kind {
    ExactString, ExactNumber, ExactTrue, ExactFalse, ExactNull, Prefix, Suffix, EqualsIgnoreCase,
    AnythingButStrings, AnythingButNumbers, AnythingButPrefix, Numeric, Exists, Absent, Cidr
  };
  Kind kind = ExactString;
  std::string text;
  double number = 0;
  std::vector<std::string> strings;
  std::vector<double> numbers;
  bool has_lo = false, has_hi = false, lo_open = false, hi_open = false;
  double lo = 0, hi = 0;
  int family = 0;            // AF_INET / AF_INET6 for Cidr
  unsigned char net[16] = {};
  int bits = 0;
};

FilterPolicy::FilterPolicy() = default;
FilterPolicy::~FilterPolicy() = default;

namespace {

using Pattern = FilterPolicy::Pattern;

constexpr size_t kMaxPolicyBytes = 256 * 1024;
constexpr int64_t kMaxCombinations = 150;
constexpr size_t kMaxKeys = 5;

// ------------------------------------------------------------------ tokens, Jackson style
//
// Jackson's streaming parser (what event-ruler reads with) has two habits that decide the column
// in AWS's messages: after a field name it has already consumed the start of the value (the
// opening quote of a string, a whole number or literal, a bracket), and a string's text is read
// only when asked for. Each token records both positions: where the parser stands once the token
// is returned (`at`), and once its text was read (`after_text`, strings only).

enum class Tok { StartObject, EndObject, StartArray, EndArray, FieldName, String, Number, True, False, Null };

struct Token {
  Tok type;
  std::string text;  // decoded name / string, raw number, literal, bracket
  size_t at = 0;
  size_t after_text = 0;
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view s) : s_(s) {}

  // The input is already known to be valid JSON (checked before), so structure errors cannot occur.
  std::vector<Token> run() {
    std::vector<Token> out;
    std::vector<bool> in_object;  // context stack
    for (;;) {
      skip_ws_and_commas();
      if (i_ >= s_.size()) break;
      char c = s_[i_];
      if (c == '"' && !in_object.empty() && in_object.back()) {
        // A field name, then Jackson pre-reads the start of its value.
        Token name{Tok::FieldName, read_string(), 0, 0};
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ':') ++i_;
        skip_ws();
        Token value = read_value_start(in_object);
        name.at = value.at;
        name.after_text = value.at;
        out.push_back(std::move(name));
        out.push_back(std::move(value));
        continue;
      }
      out.push_back(read_value_start(in_object));
    }
    return out;
  }

 private:
  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  void skip_ws_and_commas() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == ','))
      ++i_;
  }

  // A value token as Jackson returns it from nextToken(); strings are left "incomplete".
  Token read_value_start(std::vector<bool>& in_object) {
    char c = s_[i_];
    Token t{Tok::Null, "", 0, 0};
    switch (c) {
      case '{': ++i_; t = {Tok::StartObject, "{", i_, i_}; in_object.push_back(true); return t;
      case '[': ++i_; t = {Tok::StartArray, "[", i_, i_}; in_object.push_back(false); return t;
      case '}': ++i_; t = {Tok::EndObject, "}", i_, i_}; if (!in_object.empty()) in_object.pop_back(); return t;
      case ']': ++i_; t = {Tok::EndArray, "]", i_, i_}; if (!in_object.empty()) in_object.pop_back(); return t;
      case '"': {
        size_t at = i_ + 1;
        std::string text = read_string();
        return {Tok::String, std::move(text), at, i_};
      }
      case 't': i_ += 4; return {Tok::True, "true", i_, i_};
      case 'f': i_ += 5; return {Tok::False, "false", i_, i_};
      case 'n': i_ += 4; return {Tok::Null, "null", i_, i_};
      default: {
        size_t start = i_;
        while (i_ < s_.size() && std::strchr("+-0123456789.eE", s_[i_])) ++i_;
        return {Tok::Number, std::string(s_.substr(start, i_ - start)), i_, i_};
      }
    }
  }

  // Reads "…" starting at the opening quote; returns the decoded text, leaves i_ after the quote.
  std::string read_string() {
    std::string out;
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      char e = i_ < s_.size() ? s_[i_++] : 0;
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          uint32_t cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            uint32_t lo = hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: out += e;
      }
    }
    ++i_;
    return out;
  }
  uint32_t hex4() {
    uint32_t v = 0;
    for (int k = 0; k < 4 && i_ < s_.size(); ++k, ++i_) {
      char c = s_[i_];
      v = v * 16 + uint32_t(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
  }

  std::string_view s_;
  size_t i_ = 0;
};

// Jackson's location text: "\n at [Source: (String)\"…\"; line: L, column: C]". Columns count
// UTF-16 units from the start of the line, from 1; sources over 500 characters are cut.
std::string location_suffix(std::string_view src, size_t offset) {
  int line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < src.size(); ++i) {
    if (src[i] == '\n') {
      ++line;
      line_start = i + 1;
    } else if (src[i] == '\r' && !(i + 1 < src.size() && src[i + 1] == '\n')) {
      ++line;
      line_start = i + 1;
    }
  }
  auto utf16_units = [](std::string_view s) {
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;
      n += c >= 0xF0 ? 2 : 1;
    }
    return n;
  };
  size_t column = utf16_units(src.substr(line_start, offset - line_start)) + 1;
  // The first 500 UTF-16 units of the source, then how many were left out.
  size_t total = utf16_units(src), cut = src.size();
  if (total > 500) {
    size_t units = 0;
    for (size_t i = 0; i < src.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(src[i]);
      if ((c & 0xC0) == 0x80) continue;
      size_t w = c >= 0xF0 ? 2 : 1;
      if (units + w > 500) {
        cut = i;
        break;
      }
      units += w;
    }
  }
  std::string out = "\n at [Source: (String)\"";
  out.append(src.substr(0, cut));
  out += '"';
  if (cut < src.size()) out += "[truncated " + std::to_string(total - 500) + " chars]";
  out += "; line: " + std::to_string(line) + ", column: " + std::to_string(column) + "]";
  return out;
}

// ------------------------------------------------------------------ the compiler
//
// The order of reads and checks follows event-ruler's JsonRuleCompiler (the version SNS runs:
// anything-but supports only a prefix object), so the same malformed policy fails with the same
// message at the same place.

bool reserved_keyword(const std::string& name) {
  static const std::set<std::string> k = {"prefix", "suffix", "anything-but", "numeric", "exists",
                                          "equals-ignore-case", "cidr", "exact", "wildcard"};
  return k.count(name) > 0;
}

struct CompileError {
  std::string message;
  size_t offset;
};

class Compiler {
 public:
  Compiler(std::vector<Token> tokens) : t_(std::move(tokens)) {}

  std::vector<FilterPolicy::Branch> run() {
    if (next().type != Tok::StartObject) barf("Filter is not an object");
    std::vector<FilterPolicy::Branch> branches;
    parse_object(branches, "", false);
    return branches;
  }

 private:
  const Token& next() {
    static const Token end{Tok::EndObject, "", 0, 0};
    if (k_ >= t_.size()) return end;
    const Token& t = t_[k_++];
    loc_ = t.at;
    return t;
  }
  const std::string& text(const Token& t) {
    if (t.type == Tok::String) loc_ = t.after_text;
    return t.text;
  }
  [[noreturn]] void barf(std::string message) { throw CompileError{std::move(message), loc_}; }

  static std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
  }

  // "$or" is the OR operator only when followed by an array of at least two objects, none of
  // whose field names is a match keyword; otherwise it is an ordinary key (AWS's rule).
  bool is_or_relationship(size_t value_index) const {
    if (value_index >= t_.size() || t_[value_index].type != Tok::StartArray) return false;
    int depth = 0, objects = 0;
    for (size_t i = value_index; i < t_.size(); ++i) {
      const Token& t = t_[i];
      if (t.type == Tok::StartArray || t.type == Tok::StartObject) {
        if (depth == 1 && t.type != Tok::StartObject) return false;
        if (depth == 1) ++objects;
        ++depth;
      } else if (t.type == Tok::EndArray || t.type == Tok::EndObject) {
        if (--depth == 0) break;
      } else if (depth == 1) {
        return false;  // a scalar directly in the array
      } else if (depth == 2 && t.type == Tok::FieldName && reserved_keyword(t.text)) {
        return false;
      }
    }
    return objects >= 2;
  }

  void parse_object(std::vector<FilterPolicy::Branch>& rules, const std::string& path, bool inside_or) {
    bool fields = false;
    for (;;) {
      const Token& t = next();
      if (t.type == Tok::EndObject) break;
      fields = true;
      std::string name = t.text;
      if (name == "$or" && is_or_relationship(k_)) {
        parse_or(rules, path);
        continue;
      }
      if (inside_or && reserved_keyword(name))
        barf(name + " is Ruler reserved fieldName which cannot be used inside $or.");
      const Token& v = next();
      if (v.type == Tok::StartObject) {
        parse_object(rules, join(path, name), inside_or);
      } else if (v.type == Tok::StartArray) {
        write_rules(rules, join(path, name));
      } else {
        barf("\"" + name + "\" must be an object or an array");
      }
    }
    if (!fields) barf("Empty objects are not allowed");
  }

  void parse_or(std::vector<FilterPolicy::Branch>& rules, const std::string& path) {
    std::vector<FilterPolicy::Branch> current = std::move(rules);
    rules.clear();
    next();  // [
    for (;;) {
      const Token& t = next();
      if (t.type == Tok::EndArray) break;
      std::vector<FilterPolicy::Branch> forked = current;
      if (forked.empty()) forked.emplace_back();
      parse_object(forked, path, true);
      for (auto& b : forked) rules.push_back(std::move(b));
    }
  }

  void write_rules(std::vector<FilterPolicy::Branch>& rules, const std::string& name) {
    std::vector<Pattern> values;
    for (;;) {
      const Token& t = next();
      if (t.type == Tok::EndArray) break;
      Pattern p;
      switch (t.type) {
        case Tok::StartObject: p = match_expression(); break;
        case Tok::String: p.kind = Pattern::ExactString; p.text = text(t); break;
        case Tok::Number: p.kind = Pattern::ExactNumber; p.number = std::strtod(t.text.c_str(), nullptr); break;
        case Tok::True: p.kind = Pattern::ExactTrue; break;
        case Tok::False: p.kind = Pattern::ExactFalse; break;
        case Tok::Null: p.kind = Pattern::ExactNull; break;
        default: barf("Match value must be String, number, true, false, or null");
      }
      values.push_back(std::move(p));
    }
    if (values.empty()) barf("Empty arrays are not allowed");
    if (rules.empty()) rules.emplace_back();
    for (auto& branch : rules) {
      auto it = std::find_if(branch.begin(), branch.end(), [&](auto& f) { return f.first == name; });
      if (it != branch.end()) it->second = values;
      else branch.emplace_back(name, values);
    }
  }

  void end_of_expression() {
    if (next().type != Tok::EndObject) barf("Only one key allowed in match expression");
  }
  double number_in_range(double v) {
    if (v < -1e9 || v > 1e9) barf("Value must be between -1.0E9 and 1.0E9, inclusive");
    return v;
  }

  Pattern match_expression() {
    const Token& name_token = next();
    if (name_token.type != Tok::FieldName) barf("Match expression name not found");
    std::string name = name_token.text;
    Pattern p;
    if (name == "prefix" || name == "suffix" || name == "equals-ignore-case") {
      const Token& v = next();
      if (v.type != Tok::String) barf(name + " match pattern must be a string");
      p.kind = name == "prefix" ? Pattern::Prefix : name == "suffix" ? Pattern::Suffix : Pattern::EqualsIgnoreCase;
      p.text = text(v);
      end_of_expression();
      return p;
    }
    if (name == "numeric") {
      if (next().type != Tok::StartArray) barf("Value of numeric must be an array.");
      p = numeric();
      if (next().type != Tok::EndObject) barf("Too many elements in numeric expression");
      return p;
    }
    if (name == "anything-but") return anything_but();
    if (name == "exists") {
      const Token& v = next();
      if (v.type == Tok::True) p.kind = Pattern::Exists;
      else if (v.type == Tok::False) p.kind = Pattern::Absent;
      else barf("exists match pattern must be either true or false.");
      end_of_expression();
      return p;
    }
    if (name == "cidr") {
      const Token& v = next();
      if (v.type != Tok::String) barf("prefix match pattern must be a string");
      p = cidr(text(v));
      end_of_expression();
      return p;
    }
    barf("Unrecognized match type " + name);
  }

  Pattern anything_but() {
    Pattern p;
    const Token& v = next();
    if (v.type == Tok::StartObject) {
      const Token& op = next();
      if (op.type != Tok::FieldName) barf("Anything-But expression name not found");
      if (op.text != "prefix") barf("Unsupported anything-but pattern: " + op.text);
      const Token& s = next();
      if (s.type != Tok::String) barf("prefix match pattern must be a string");
      p.kind = Pattern::AnythingButPrefix;
      p.text = text(s);
      if (p.text.empty()) barf("Null prefix not allowed");
      end_of_expression();
      end_of_expression();
      return p;
    }
    if (v.type != Tok::StartArray && v.type != Tok::String && v.type != Tok::Number)
      barf("Value of anything-but must be an array or single string/number value.");
    bool strings = false, numbers = false;
    auto add = [&](const Token& t) {
      if (t.type == Tok::String) {
        p.strings.push_back(text(t));
        strings = true;
      } else if (t.type == Tok::Number) {
        p.numbers.push_back(number_in_range(std::strtod(t.text.c_str(), nullptr)));
        numbers = true;
      } else {
        barf("Inside anything but list, start|null|boolean is not supported.");
      }
    };
    if (v.type == Tok::StartArray) {
      for (;;) {
        const Token& t = next();
        if (t.type == Tok::EndArray) break;
        add(t);
      }
      if (strings == numbers)
        barf("Inside anything but list, either all values are number or string, mixed type is not supported");
    } else {
      add(v);
    }
    p.kind = numbers ? Pattern::AnythingButNumbers : Pattern::AnythingButStrings;
    if (next().type != Tok::EndObject) barf("Too many elements in numeric expression");
    return p;
  }

  static bool numeric_token(const Token& t) { return t.type == Tok::Number; }

  Pattern numeric() {
    Pattern p;
    p.kind = Pattern::Numeric;
    const Token& first = next();
    if (first.type != Tok::String) barf("Invalid member in numeric match: " + first.text);
    std::string op = text(first);
    const Token& v = next();
    double value = numeric_token(v) ? std::strtod(v.text.c_str(), nullptr) : 0;
    if (op == "=") {
      if (!numeric_token(v)) barf("Value of equals must be numeric");
      if (next().type != Tok::EndArray) barf("Too many elements in numeric expression");
      p.has_lo = p.has_hi = true;
      p.lo = p.hi = number_in_range(value);
      return p;
    }
    if (op == ">=" || op == ">") {
      if (!numeric_token(v)) barf("Value of " + op + " must be numeric");
      const Token& t = next();
      p.has_lo = true;
      p.lo_open = op == ">";
      if (t.type == Tok::EndArray) {
        p.lo = number_in_range(value);
        return p;
      }
      return complete_range(p, t, value);
    }
    if (op == "<=" || op == "<") {
      if (!numeric_token(v)) barf("Value of " + op + " must be numeric");
      if (next().type != Tok::EndArray) barf("Too many elements in numeric expression");
      p.has_hi = true;
      p.hi_open = op == "<";
      p.hi = number_in_range(value);
      return p;
    }
    barf("Unrecognized numeric range operator: " + op);
  }

  Pattern complete_range(Pattern p, const Token& t, double bottom) {
    if (t.type != Tok::String) barf("Bad value in numeric range: " + t.text);
    std::string op = text(t);
    if (op != "<" && op != "<=") barf("Bad numeric range operator: " + op);
    const Token& v = next();
    if (!numeric_token(v)) barf("Value of " + op + " must be numeric");
    double top = std::strtod(v.text.c_str(), nullptr);
    if (next().type != Tok::EndArray) barf("Too many terms in numeric range expression");
    if (bottom >= top) barf("Bottom must be less than top");
    p.lo = number_in_range(bottom);
    p.hi = number_in_range(top);
    p.has_hi = true;
    p.hi_open = op == "<";
    return p;
  }

  Pattern cidr(const std::string& text) {
    Pattern p;
    p.kind = Pattern::Cidr;
    size_t slash = text.find('/');
    if (slash == std::string::npos || text.find('/', slash + 1) != std::string::npos)
      barf("Malformed CIDR, one '/' required");
    std::string ip = text.substr(0, slash), mask = text.substr(slash + 1);
    char* end = nullptr;
    long bits = std::strtol(mask.c_str(), &end, 10);
    if (mask.empty() || *end) barf("Malformed CIDR, mask bits must be an integer");
    if (inet_pton(AF_INET, ip.c_str(), p.net) == 1) {
      p.family = AF_INET;
      if (bits < 0 || bits > 32) barf("Malformed CIDR, mask bits must be an integer");
    } else if (inet_pton(AF_INET6, ip.c_str(), p.net) == 1) {
      p.family = AF_INET6;
      if (bits < 0 || bits > 128) barf("Malformed CIDR, mask bits must be an integer");
    } else {
      barf("Nonstandard IP address: " + ip);
    }
    p.bits = int(bits);
    return p;
  }

  std::vector<Token> t_;
  size_t k_ = 0;
  size_t loc_ = 0;
};

// ------------------------------------------------------------------ limits (AWS's, not Ruler's)

bool is_or_array(const std::string& key, const json& v) {
  if (key != "$or" || !v.is_array() || v.size() < 2) return false;
  for (auto& e : v) {
    if (!e.is_object()) return false;
    for (auto& [k, x] : e.items())
      if (reserved_keyword(k)) return false;
  }
  return true;
}

bool nested(const json& obj) {
  for (auto& [k, v] : obj.items()) {
    if (is_or_array(k, v)) {
      for (auto& branch : v)
        if (nested(branch)) return true;
    } else if (v.is_object()) {
      return true;
    }
  }
  return false;
}

void collect_keys(const json& obj, const std::string& path, std::set<std::string>& keys) {
  for (auto& [k, v] : obj.items()) {
    if (is_or_array(k, v)) {
      for (auto& branch : v) collect_keys(branch, path, keys);
    } else if (v.is_object()) {
      collect_keys(v, path.empty() ? k : path + "." + k, keys);
    } else {
      keys.insert(path.empty() ? k : path + "." + k);
    }
  }
}

// AWS's documented rule: multiply the number of values of every array, each weighted by how deep
// its key is nested; the branches of "$or" add up.
int64_t combinations(const json& obj, int64_t depth, int64_t so_far) {
  int64_t c = so_far;
  for (auto& [k, v] : obj.items()) {
    if (is_or_array(k, v)) {
      int64_t sum = 0;
      for (auto& branch : v) sum += combinations(branch, depth, c);
      c = sum;
    } else if (v.is_object()) {
      c = combinations(v, depth + 1, c);
    } else if (v.is_array()) {
      c = c * int64_t(v.size()) * depth;
    }
    if (c > 1000000) return c;  // far past the limit already
  }
  return c;
}

// ------------------------------------------------------------------ evaluation

struct Value {
  enum Kind { Str, Num, True, False, Null } kind;
  std::string s;
  double n = 0;
};
using Values = std::vector<Value>;

int64_t fixed5(double v) { return std::llround(v * 100000.0); }

bool ip_in(const Pattern& p, const std::string& text) {
  unsigned char addr[16];
  if (inet_pton(p.family, text.c_str(), addr) != 1) return false;
  int full = p.bits / 8, rest = p.bits % 8;
  if (std::memcmp(addr, p.net, size_t(full)) != 0) return false;
  if (rest == 0) return true;
  unsigned char mask = static_cast<unsigned char>(0xFF << (8 - rest));
  return (addr[full] & mask) == (p.net[full] & mask);
}

bool lower_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

bool value_matches(const Pattern& p, const Value& v) {
  switch (p.kind) {
    case Pattern::ExactString: return v.kind == Value::Str && v.s == p.text;
    case Pattern::ExactNumber: return v.kind == Value::Num && fixed5(v.n) == fixed5(p.number);
    case Pattern::ExactTrue: return v.kind == Value::True;
    case Pattern::ExactFalse: return v.kind == Value::False;
    case Pattern::ExactNull: return v.kind == Value::Null;
    case Pattern::Prefix: return v.kind == Value::Str && v.s.compare(0, p.text.size(), p.text) == 0;
    case Pattern::Suffix:
      return v.kind == Value::Str && v.s.size() >= p.text.size() &&
             v.s.compare(v.s.size() - p.text.size(), p.text.size(), p.text) == 0;
    case Pattern::EqualsIgnoreCase: return v.kind == Value::Str && lower_equal(v.s, p.text);
    case Pattern::AnythingButStrings:
      return !(v.kind == Value::Str && std::find(p.strings.begin(), p.strings.end(), v.s) != p.strings.end());
    case Pattern::AnythingButNumbers:
      return v.kind == Value::Num && std::none_of(p.numbers.begin(), p.numbers.end(),
                                                  [&](double x) { return fixed5(x) == fixed5(v.n); });
    case Pattern::AnythingButPrefix:
      return v.kind == Value::Str && v.s.compare(0, p.text.size(), p.text) != 0;
    case Pattern::Numeric: {
      if (v.kind != Value::Num) return false;
      int64_t x = fixed5(v.n);
      if (p.has_lo && (p.lo_open ? x <= fixed5(p.lo) : x < fixed5(p.lo))) return false;
      if (p.has_hi && (p.hi_open ? x >= fixed5(p.hi) : x > fixed5(p.hi))) return false;
      return true;
    }
    case Pattern::Exists: return true;
    case Pattern::Absent: return false;
    case Pattern::Cidr: return v.kind == Value::Str && ip_in(p, v.s);
  }
  return false;
}

// A key passes when one of its values meets one of its patterns; an absent key only meets
// {"exists": false}.
bool field_matches(const std::vector<Pattern>& patterns, const Values* values) {
  if (!values || values->empty())
    return std::any_of(patterns.begin(), patterns.end(), [](const Pattern& p) { return p.kind == Pattern::Absent; });
  for (auto& p : patterns)
    for (auto& v : *values)
      if (value_matches(p, v)) return true;
  return false;
}

std::optional<Value> scalar(const json& j) {
  if (j.is_string()) return Value{Value::Str, j.get<std::string>(), 0};
  if (j.is_number()) return Value{Value::Num, "", j.get<double>()};
  if (j.is_boolean()) return Value{j.get<bool>() ? Value::True : Value::False, "", 0};
  if (j.is_null()) return Value{Value::Null, "", 0};
  return std::nullopt;
}

// What a message attribute offers the filter: strings, numbers, or the members of a String.Array.
// Binary attributes are not compared (AWS ignores them).
std::optional<Values> attribute_values(const MessageAttribute& a) {
  if (a.binary) return std::nullopt;
  if (a.data_type == "String.Array") {
    json arr = json::parse(a.value, nullptr, false);
    if (arr.is_discarded() || !arr.is_array()) return Values{{Value::Str, a.value, 0}};
    Values out;
    for (auto& e : arr)
      if (auto v = scalar(e)) out.push_back(std::move(*v));
    return out;
  }
  if (a.data_type.rfind("Number", 0) == 0) return Values{{Value::Num, "", std::strtod(a.value.c_str(), nullptr)}};
  return Values{{Value::Str, a.value, 0}};
}

using Flat = std::unordered_map<std::string, Values>;

// Flattens a message body to dotted paths. Arrays of scalars give a key several values; each
// object in an array forks the flattened view, so keys are matched within one array element
// (as event-ruler does). Only paths a policy key starts with are kept.
class BodyFlattener {
 public:
  explicit BodyFlattener(const std::vector<std::string>& policy_paths) : paths_(policy_paths) {}

  std::vector<Flat> run(const json& body) {
    std::vector<Flat> views(1);
    walk(body, "", views);
    return views;
  }

 private:
  bool relevant(const std::string& path) const {
    for (auto& p : paths_)
      if (p == path || (p.size() > path.size() && p.compare(0, path.size(), path) == 0 && p[path.size()] == '.'))
        return true;
    return false;
  }

  void walk(const json& node, const std::string& path, std::vector<Flat>& views) {
    if (node.is_object()) {
      for (auto& [k, v] : node.items()) {
        std::string p = path.empty() ? k : path + "." + k;
        if (relevant(p)) walk(v, p, views);
      }
      return;
    }
    if (node.is_array()) {
      std::vector<const json*> containers;
      for (auto& e : node) {
        if (e.is_object() || e.is_array()) containers.push_back(&e);
        else add(views, path, e);
      }
      if (containers.empty()) return;
      std::vector<Flat> forked;
      for (auto* e : containers) {
        std::vector<Flat> copy = views;
        walk(*e, path, copy);
        for (auto& f : copy) forked.push_back(std::move(f));
        if (forked.size() > 256) break;  // bound the fan-out of pathological bodies
      }
      views = std::move(forked);
      return;
    }
    add(views, path, node);
  }

  static void add(std::vector<Flat>& views, const std::string& path, const json& v) {
    auto s = scalar(v);
    if (!s) return;
    for (auto& f : views) f[path].push_back(*s);
  }

  const std::vector<std::string>& paths_;
};

}  // namespace

Result<std::shared_ptr<const FilterPolicy>> FilterPolicy::compile(std::string_view text, FilterScope scope,
                                                                  bool in_subscribe) {
  std::string prefix = in_subscribe ? "Invalid parameter: Attributes Reason: " : "Invalid parameter: ";
  auto fail = [&](const std::string& reason) { return invalid_parameter(prefix + "FilterPolicy: " + reason); };
  auto policy = std::make_shared<FilterPolicy>();
  policy->scope_ = scope;
  if (text.size() > kMaxPolicyBytes) return fail("Filter policy is too large");
  json dom = json::parse(text, nullptr, false);
  if (dom.is_discarded()) return fail("failed to parse JSON.");
  if (dom.is_object() && dom.empty()) return std::shared_ptr<const FilterPolicy>(policy);
  try {
    policy->branches_ = Compiler(Tokenizer(text).run()).run();
  } catch (const CompileError& e) {
    return fail(e.message + location_suffix(text, e.offset));
  }
  if (scope == FilterScope::MessageAttributes && nested(dom))
    return invalid_parameter(prefix + "Filter policy scope MessageAttributes does not support nested filter policy");
  std::set<std::string> keys;
  collect_keys(dom, "", keys);
  if (keys.size() > kMaxKeys) return fail("Filter policy can not have more than 5 keys");
  if (combinations(dom, 1, 1) > kMaxCombinations) return fail("Filter policy is too complex");
  for (auto& branch : policy->branches_)
    for (auto& f : branch)
      if (std::find(policy->paths_.begin(), policy->paths_.end(), f.first) == policy->paths_.end())
        policy->paths_.push_back(f.first);
  return std::shared_ptr<const FilterPolicy>(policy);
}

bool FilterPolicy::matches(const MessageAttributes& attributes, std::string_view body) const {
  if (branches_.empty()) return true;
  if (scope_ == FilterScope::MessageAttributes) {
    for (auto& branch : branches_) {
      bool all = true;
      for (auto& [name, patterns] : branch) {
        auto it = attributes.find(name);
        std::optional<Values> values;
        if (it != attributes.end()) values = attribute_values(it->second);
        if (!field_matches(patterns, values ? &*values : nullptr)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return false;
  std::vector<Flat> views = BodyFlattener(paths_).run(doc);
  for (auto& branch : branches_) {
    for (auto& view : views) {
      bool all = true;
      for (auto& [path, patterns] : branch) {
        auto it = view.find(path);
        if (!field_matches(patterns, it == view.end() ? nullptr : &it->second)) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
  }
  return false;
}

}  // namespace streamlab::sns
