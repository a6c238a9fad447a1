#include "server/core/shape.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <regex>

#include <nlohmann/json.hpp>

#include "server/core/encoding.h"

namespace streamlab {

// Patterns of the form [class]+ (most AWS name patterns) are matched with a byte table;
// anything else goes to std::regex, compiled once per shape.
struct PatternMatcher {
  bool simple = false;
  bool allowed[256] = {};
  std::regex re;

  explicit PatternMatcher(const std::string& p) {
    if (p.size() >= 4 && p.front() == '[' && p.substr(p.size() - 2) == "]+") {
      std::string cls = p.substr(1, p.size() - 3);
      simple = cls.find_first_of("[]\\^") == std::string::npos;
      for (size_t i = 0; simple && i < cls.size(); ++i) {
        if (i + 2 < cls.size() && cls[i + 1] == '-') {
          for (int c = static_cast<unsigned char>(cls[i]); c <= static_cast<unsigned char>(cls[i + 2]); ++c)
            allowed[c] = true;
          i += 2;
        } else {
          allowed[static_cast<unsigned char>(cls[i])] = true;
        }
      }
    }
    if (!simple) re = std::regex(p, std::regex::ECMAScript);
  }

  bool matches(const std::string& s) const {
    if (!simple) return std::regex_match(s, re);
    if (s.empty()) return false;
    for (unsigned char c : s)
      if (!allowed[c]) return false;
    return true;
  }
};

namespace {
using json = nlohmann::json;

std::string number_text(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e18) return std::to_string(static_cast<long long>(v));
  std::string s = std::to_string(v);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

// How AWS's JSON reader names a number found where something else was expected.
constexpr const char* kNumberClass = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";

const char* java_type(ShapeType t) {
  switch (t) {
    case ShapeType::Integer: return "Integer";
    case ShapeType::Long: return "Long";
    case ShapeType::Double: return "Double";
    default: return "";
  }
}

// Stage 1: JSON types, as AWS's Java unmarshallers word their complaints.
std::optional<std::string> type_problem(json& v, const Shape& s);

std::optional<std::string> container_problem(const json& v, bool want_list, bool want_map) {
  if (v.is_array() && !want_list) return "Start of list found where not expected";
  if (v.is_object() && !want_map) return "Start of structure or map found where not expected.";
  return std::nullopt;
}

std::optional<std::string> check_members(json& obj, const Shape& s) {
  if (obj.size() == 1) {  // an AttributeValue, say: find the one member without a lookup per declared one
    auto only = obj.begin();
    for (auto& [name, member] : s.members_)
      if (name == only.key()) {
        if (only->is_null()) break;  // dropped below
        return type_problem(*only, member);
      }
  }
  size_t kept = 0;
  for (auto& [name, member] : s.members_) {
    auto it = obj.find(name);
    if (it == obj.end() || it->is_null()) continue;
    if (auto p = type_problem(*it, member)) return p;
    ++kept;
  }
  if (kept == obj.size()) return std::nullopt;  // nothing unknown or null to drop
  json out = json::object();
  for (auto& [name, member] : s.members_) {
    auto it = obj.find(name);
    if (it != obj.end() && !it->is_null()) out[name] = std::move(*it);
  }
  obj = std::move(out);
  return std::nullopt;
}

std::optional<std::string> type_problem(json& v, const Shape& s) {
  switch (s.type()) {
    case ShapeType::Boolean:
      if (v.is_boolean()) return std::nullopt;
      if (v.is_number()) return std::string(kNumberClass) + " can not be converted to an Boolean";
      if (v.is_string()) {
        std::string up = v.get<std::string>();
        for (auto& c : up) c = char(std::toupper(static_cast<unsigned char>(c)));
        return "'" + up + "' can not be converted to an Boolean";
      }
      return container_problem(v, false, false);
    case ShapeType::Integer:
    case ShapeType::Long:
    case ShapeType::Double:
      if (v.is_boolean()) return std::string("class java.lang.Boolean can not be converted to an ") + java_type(s.type());
      if (v.is_string()) return std::string("class java.lang.String can not be converted to an ") + java_type(s.type());
      if (v.is_number()) {
        if (s.type() == ShapeType::Double) return std::nullopt;
        // Integers are Java ints and longs: larger values are not truncated into range.
        double d = v.is_number_float() ? std::floor(v.get<double>()) : v.get<double>();
        bool is_int = s.type() == ShapeType::Integer;
        double lo = is_int ? -2147483648.0 : -9223372036854775808.0, hi = is_int ? 2147483647.0 : 9223372036854775807.0;
        bool in_range = v.is_number_unsigned() ? v.get<uint64_t>() <= uint64_t(hi) : (d >= lo && d <= hi);
        if (!in_range || !std::isfinite(d))
          return "Numeric value (" + v.dump() + ") out of range of " + (is_int ? "int" : "long");
        if (v.is_number_float()) v = static_cast<int64_t>(d);
        return std::nullopt;
      }
      return container_problem(v, false, false);
    case ShapeType::Timestamp:
      if (v.is_number()) return std::nullopt;
      if (v.is_boolean()) return "class java.lang.Boolean can not be converted to milliseconds since epoch";
      if (v.is_string()) {
        // Clients may send ISO-8601 or a numeric string; accept a numeric string.
        const std::string& t = v.get_ref<const std::string&>();
        char* end = nullptr;
        double d = std::strtod(t.c_str(), &end);
        if (!t.empty() && end && *end == '\0') { v = d; return std::nullopt; }
        return "class java.lang.String can not be converted to milliseconds since epoch";
      }
      return container_problem(v, false, false);
    case ShapeType::String:
      if (v.is_string()) return std::nullopt;
      if (v.is_boolean()) return "class java.lang.Boolean can not be converted to an String";
      if (v.is_number()) return std::string(kNumberClass) + " can not be converted to an String";
      return container_problem(v, false, false);
    case ShapeType::Blob: {
      if (v.is_boolean()) return "class java.lang.Boolean can not be converted to a Blob";
      if (v.is_number()) return std::string(kNumberClass) + " can not be converted to a Blob";
      if (!v.is_string()) return container_problem(v, false, false);
      const std::string& t = v.get_ref<const std::string&>();
      std::string why = base64_problem(t);
      if (!why.empty()) return "'" + t + "' can not be converted to a Blob: " + why;
      return std::nullopt;
    }
    case ShapeType::List:
      if (v.is_array()) {
        for (auto& e : v) {
          if (e.is_null()) continue;
          if (auto p = type_problem(e, *s.element_)) return p;
        }
        return std::nullopt;
      }
      if (v.is_object()) return "Start of structure or map found where not expected.";
      return "Expected list or null";
    case ShapeType::Map:
      if (v.is_object()) {
        for (auto& [k, e] : v.items()) {
          if (e.is_null()) continue;
          if (auto p = type_problem(e, *s.element_)) return p;
        }
        return std::nullopt;
      }
      if (v.is_array()) return "Start of list found where not expected";
      return "Expected map or null";
    case ShapeType::Structure:
      if (v.is_object()) return check_members(v, s);
      if (v.is_array()) return "Start of list found where not expected";
      return "Expected null";
  }
  return std::nullopt;
}

// Whether `s`'s subtree holds no constraint. `path` is the chain of shapes being examined: a
// shape met again on it (AttributeValue holds AttributeValues) adds nothing not seen already.
bool subtree_free(const Shape& s, std::vector<const Shape*>& path) {
  if (std::find(path.begin(), path.end(), &s) != path.end()) return true;
  if (s.is_required() || s.min_ || s.max_ || !s.pattern_.empty() || !s.enum_.empty()) return false;
  path.push_back(&s);
  bool free = (!s.element_ || subtree_free(*s.element_, path)) && (!s.key_ || subtree_free(*s.key_, path));
  for (auto& [name, m] : s.members_) free = free && subtree_free(m, path);
  path.pop_back();
  return free;
}

void finalize_all(Shape& s, std::vector<const Shape*>& done) {
  if (std::find(done.begin(), done.end(), &s) != done.end()) return;
  done.push_back(&s);
  std::vector<const Shape*> path;
  s.free_ = subtree_free(s, path) ? 1 : 0;
  if (s.element_) finalize_all(*s.element_, done);
  if (s.key_) finalize_all(*s.key_, done);
  for (auto& [name, m] : s.members_) finalize_all(m, done);
}

// Stage 2: constraints, collected in declaration order.
struct Collector {
  std::vector<std::string> errors;
};

std::string value_text(const json& v, const Shape& s) {
  if (v.is_null()) return "null";
  switch (s.type()) {
    case ShapeType::Blob: {
      size_t n = base64_decoded_size(v.get_ref<const std::string&>());
      return "'java.nio.HeapByteBuffer[pos=0 lim=" + std::to_string(n) + " cap=" + std::to_string(n) + "]'";
    }
    case ShapeType::List: {
      std::string r = "[";
      for (size_t i = 0; i < v.size(); ++i) {
        if (i) r += ", ";
        if (v[i].is_string()) {
          r += v[i].get<std::string>();
        } else if (v[i].is_object() && !s.element_->java_class_.empty()) {
          // Java's Object.toString(): class@identity hash.
          char hash[16];
          std::snprintf(hash, sizeof hash, "%08zx", std::hash<std::string>{}(v[i].dump()) & 0xffffffffu);
          r += s.element_->java_class_ + "@" + hash;
        } else {
          r += v[i].dump();
        }
      }
      return "'" + r + "]'";
    }
    case ShapeType::Map: {
      std::string r = "{";
      bool first = true;
      for (auto& [k, e] : v.items()) {
        if (!first) r += ", ";
        first = false;
        r += k + "=" + (e.is_string() ? e.get<std::string>() : e.dump());
      }
      return "'" + r + "}'";
    }
    case ShapeType::String: return "'" + v.get<std::string>() + "'";
    default:
      if (v.is_number_float()) return "'" + number_text(v.get<double>()) + "'";
      if (v.is_number()) return "'" + v.dump() + "'";
      return "'" + v.dump(-1, ' ', false, json::error_handler_t::replace) + "'";
  }
}

size_t length_of(const json& v, const Shape& s) {
  if (s.type() == ShapeType::Blob) return base64_decoded_size(v.get_ref<const std::string&>());
  if (v.is_string()) {
    // Length in characters (UTF-16 code units in Java; code points are close enough).
    size_t n = 0;
    for (unsigned char c : v.get_ref<const std::string&>()) n += (c & 0xC0) != 0x80;
    return n;
  }
  return v.size();
}

void constrain(const json* v, const Shape& s, const std::string& path, Collector& c);

bool is_scalar(const Shape& s) {
  return s.type() == ShapeType::String || s.type() == ShapeType::Blob || s.type() == ShapeType::Integer ||
         s.type() == ShapeType::Long;
}

// A scalar's constraints as AWS lists them inside "[...]" (maximum before minimum).
std::string scalar_constraints(const Shape& s) {
  bool numeric = s.type() == ShapeType::Integer || s.type() == ShapeType::Long;
  std::vector<std::string> parts;
  if (s.max_)
    parts.push_back(std::string("Member must have ") + (numeric ? "value" : "length") + " less than or equal to " +
                    number_text(*s.max_));
  if (s.min_)
    parts.push_back(std::string("Member must have ") + (numeric ? "value" : "length") + " greater than or equal to " +
                    number_text(*s.min_));
  if (!s.pattern_.empty()) parts.push_back("Member must satisfy regular expression pattern: " + s.pattern_);
  if (!s.enum_.empty()) {
    std::string set;
    for (size_t i = 0; i < s.enum_.size(); ++i) set += (i ? ", " : "") + s.enum_[i];
    parts.push_back("Member must satisfy enum value set: [" + set + "]");
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out;
}

bool scalar_ok(const json& v, const Shape& s) {
  Collector probe;
  constrain(&v, s, "", probe);
  return probe.errors.empty();
}

void fail(Collector& c, const json* v, const Shape& s, const std::string& path, const std::string& msg) {
  static const json kNull;
  c.errors.push_back("Value " + value_text(v ? *v : kNull, s) + " at '" + path +
                     "' failed to satisfy constraint: " + msg);
}

void constrain_members(const json& obj, const Shape& s, const std::string& prefix, Collector& c) {
  std::string path = prefix;  // one buffer for every member's path: 500-record lists check 1,500 of them
  for (auto& [name, member] : s.members_) {
    if (member.unconstrained()) continue;
    auto it = obj.find(name);
    const json* v = it == obj.end() ? nullptr : &*it;
    path.resize(prefix.size());
    path += name;
    if (!name.empty()) path[prefix.size()] = char(std::tolower(static_cast<unsigned char>(name[0])));
    constrain(v, member, path, c);
  }
}

void constrain(const json* v, const Shape& s, const std::string& path, Collector& c) {
  if (s.unconstrained()) return;
  if (!v || v->is_null()) {
    if (s.is_required()) fail(c, nullptr, s, path, "Member must not be null");
    return;
  }
  bool numeric = s.type() == ShapeType::Integer || s.type() == ShapeType::Long || s.type() == ShapeType::Double;
  // libstdc++'s std::regex recurses per character: never run it on very long input.
  if (s.matcher_ && v->is_string() && v->get_ref<const std::string&>().size() <= 4096) {
    if (!s.matcher_->matches(v->get_ref<const std::string&>()))
      fail(c, v, s, path, "Member must satisfy regular expression pattern: " + s.pattern_);
  }
  if (numeric) {
    double d = v->get<double>();
    if (s.min_ && d < *s.min_)
      fail(c, v, s, path, "Member must have value greater than or equal to " + number_text(*s.min_));
    if (s.max_ && d > *s.max_)
      fail(c, v, s, path, "Member must have value less than or equal to " + number_text(*s.max_));
  } else if (s.type() != ShapeType::Boolean && s.type() != ShapeType::Timestamp &&
             s.type() != ShapeType::Structure) {
    size_t n = length_of(*v, s);
    if (s.min_ && double(n) < *s.min_)
      fail(c, v, s, path, "Member must have length greater than or equal to " + number_text(*s.min_));
    if (s.max_ && double(n) > *s.max_)
      fail(c, v, s, path, "Member must have length less than or equal to " + number_text(*s.max_));
  }
  if (!s.enum_.empty() && v->is_string()) {
    bool found = false;
    for (auto& e : s.enum_) found |= e == v->get_ref<const std::string&>();
    if (!found) {
      std::string set;
      for (size_t i = 0; i < s.enum_.size(); ++i) set += (i ? ", " : "") + s.enum_[i];
      fail(c, v, s, path, "Member must satisfy enum value set: [" + set + "]");
    }
  }
  if (s.type() == ShapeType::Structure && v->is_object()) constrain_members(*v, s, path + ".", c);
  if (s.type() == ShapeType::List && v->is_array()) {
    if (is_scalar(*s.element_)) {
      // Lists of scalars are judged whole: "Member must satisfy constraint: [...]".
      for (auto& e : *v)
        if (!e.is_null() && !scalar_ok(e, *s.element_)) {
          fail(c, v, s, path, "Member must satisfy constraint: [" + scalar_constraints(*s.element_) + "]");
          break;
        }
    } else if (!s.element_->unconstrained()) {
      std::string item = path + ".";
      size_t base = item.size();
      for (size_t i = 0; i < v->size(); ++i) {
        item.resize(base);
        item += std::to_string(i + 1);
        item += ".member";
        constrain(&(*v)[i], *s.element_, item, c);
      }
    }
  }
  if (s.type() == ShapeType::Map && v->is_object()) {
    if (s.key_)
      for (auto& [k, e] : v->items())
        if (!scalar_ok(json(k), *s.key_)) {
          fail(c, v, s, path, "Map keys must satisfy constraint: [" + scalar_constraints(*s.key_) + "]");
          break;
        }
    if (is_scalar(*s.element_)) {
      for (auto& [k, e] : v->items())
        if (!e.is_null() && !scalar_ok(e, *s.element_)) {
          fail(c, v, s, path, "Map value must satisfy constraint: [" + scalar_constraints(*s.element_) + "]");
          break;
        }
    } else if (!s.element_->unconstrained()) {
      for (auto& [k, e] : v->items()) constrain(&e, *s.element_, path + "." + k + ".member", c);
    }
  }
}

}  // namespace

Shape& Shape::pattern(std::string p) {
  matcher_ = std::make_shared<const PatternMatcher>(p);
  pattern_ = std::move(p);
  return *this;
}

Shape list_shape(Shape element) {
  Shape s(ShapeType::List);
  s.element_ = std::make_shared<Shape>(std::move(element));
  return s;
}

Shape map_shape(Shape key, Shape value) {
  Shape s(ShapeType::Map);
  s.key_ = std::make_shared<Shape>(std::move(key));
  s.element_ = std::make_shared<Shape>(std::move(value));
  return s;
}

Shape structure_shape(std::vector<std::pair<std::string, Shape>> members) {
  Shape s(ShapeType::Structure);
  s.members_ = std::move(members);
  return s;
}

bool Shape::unconstrained() const {
  if (free_ >= 0) return free_ == 1;
  std::vector<const Shape*> path;
  return subtree_free(*this, path);
}

void Shape::finalize() {
  std::vector<const Shape*> done;
  finalize_all(*this, done);
}

Status Shape::check(json& input) const {
  if (auto p = check_members(input, *this)) return AwsError::serialization(*p);
  Collector c;
  constrain_members(input, *this, "", c);
  if (c.errors.empty()) return Ok{};
  std::string msg = std::to_string(c.errors.size()) + " validation error" + (c.errors.size() > 1 ? "s" : "") +
                    " detected: ";
  for (size_t i = 0; i < c.errors.size(); ++i) msg += (i ? "; " : "") + c.errors[i];
  return AwsError::validation(msg);
}

}  // namespace streamlab
