#include "emulators/dynamodb/attribute_value.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "server/core/encoding.h"
#include "server/core/json_text.h"

namespace streamlab::dynamodb {
namespace {
using json = nlohmann::json;

constexpr const char* kInvalid = "One or more parameter values were invalid: ";

AwsError invalid(const std::string& what) { return AwsError::validation(kInvalid + what); }

std::string join(const std::vector<std::string>& items) {
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + items[i];
  return s + "]";
}

Result<AttributeValue> parse_depth(const json& wire, int depth);

Status parse_set(const std::string& type, const json& members, AttributeValue& v) {
  std::vector<std::string> texts;
  for (auto& m : members) texts.push_back(m.is_string() ? m.get<std::string>() : "");
  if (texts.empty()) {
    if (type == "SS") return invalid("An string set  may not be empty");
    if (type == "NS") return invalid("An number set  may not be empty");
    return invalid("Binary sets should not be empty");
  }
  std::set<std::string> seen;
  for (auto& t : texts) {
    std::string member;
    if (type == "SS") {
      if (t.empty()) return invalid("An string set may not have a empty string as a member");
      member = t;
    } else if (type == "NS") {
      auto d = Decimal::parse(t);
      if (!d) return d.error();
      member = d->to_string();
    } else {
      auto raw = base64_decode(t);
      if (t.empty() || !raw || raw->empty()) return invalid("Binary sets may not contain null or empty values");
      member = *raw;
    }
    if (!seen.insert(member).second) {
      if (type == "SS") return invalid("Input collection " + join(texts) + " contains duplicates.");
      if (type == "NS") return AwsError::validation("Input collection contains duplicates");
      return invalid("Input collection " + join(texts) + "of type BS contains duplicates.");
    }
    v.set.push_back(std::move(member));
  }
  return Ok{};
}

Status parse_one(const std::string& type, const json& body, AttributeValue& v, int depth) {
  if (!parse_type_name(type, v.type)) return Ok{};  // unknown members were dropped by the shape check
  switch (v.type) {
    case AttrType::S:
      v.scalar = body.is_string() ? body.get<std::string>() : "";
      return Ok{};
    case AttrType::N: {
      auto d = Decimal::parse(body.is_string() ? body.get<std::string>() : "");
      if (!d) return d.error();
      v.scalar = d->to_string();
      return Ok{};
    }
    case AttrType::B: {
      auto raw = base64_decode(body.is_string() ? body.get<std::string>() : "");
      v.scalar = raw ? *raw : "";
      return Ok{};
    }
    case AttrType::BOOL:
      v.boolean = body.is_boolean() && body.get<bool>();
      return Ok{};
    case AttrType::NUL:
      if (!body.is_boolean() || !body.get<bool>()) return invalid("Null attribute value types must have the value of true");
      return Ok{};
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS:
      return parse_set(type, body, v);
    case AttrType::L:
      if (depth >= kMaxNestingDepth) return invalid("Nesting Levels have exceeded supported limits");
      for (auto& e : body) {
        auto child = parse_depth(e, depth + 1);
        if (!child) return child.error();
        v.list.push_back(std::move(*child));
      }
      return Ok{};
    case AttrType::M:
      if (depth >= kMaxNestingDepth) return invalid("Nesting Levels have exceeded supported limits");
      for (auto& [k, e] : body.items()) {
        auto child = parse_depth(e, depth + 1);
        if (!child) return child.error();
        v.map.emplace(k, std::move(*child));
      }
      return Ok{};
  }
  return Ok{};
}

Result<AttributeValue> parse_depth(const json& wire, int depth) {
  if (!wire.is_object() || wire.empty())
    return AwsError::validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  AttributeValue v;
  size_t kinds = 0;
  for (auto& [type, body] : wire.items()) {
    if (body.is_null()) continue;
    // Every member is parsed: a bad one is reported before "more than one datatypes".
    AttributeValue extra;
    if (auto s = parse_one(type, body, kinds == 0 ? v : extra, depth); !s) return s.error();
    ++kinds;
  }
  if (kinds == 0)
    return AwsError::validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  if (kinds > 1)
    return AwsError::validation(
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  return v;
}

size_t utf8_length(const std::string& s) { return s.size(); }
}  // namespace

const char* type_name(AttrType t) {
  static const char* names[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};
  return names[size_t(t)];
}

bool parse_type_name(std::string_view name, AttrType& out) {
  static const std::pair<std::string_view, AttrType> names[] = {
      {"S", AttrType::S},   {"N", AttrType::N},   {"B", AttrType::B},   {"BOOL", AttrType::BOOL},
      {"NULL", AttrType::NUL}, {"M", AttrType::M}, {"L", AttrType::L}, {"SS", AttrType::SS},
      {"NS", AttrType::NS}, {"BS", AttrType::BS}};
  for (auto& [n, t] : names)
    if (n == name) {
      out = t;
      return true;
    }
  return false;
}

Result<AttributeValue> parse_value(const json& wire) { return parse_depth(wire, 0); }

Result<Item> parse_item(const json& wire) {
  Item item;
  if (!wire.is_object()) return item;
  for (auto& [name, value] : wire.items()) {
    auto v = parse_value(value);
    if (!v) return v.error();
    item.emplace_hint(item.end(), name, std::move(*v));  // json objects iterate in the same order
  }
  return item;
}

json to_json(const AttributeValue& v) {
  switch (v.type) {
    case AttrType::S: return json{{"S", v.scalar}};
    case AttrType::N: return json{{"N", v.scalar}};
    case AttrType::B: return json{{"B", base64_encode(v.scalar)}};
    case AttrType::BOOL: return json{{"BOOL", v.boolean}};
    case AttrType::NUL: return json{{"NULL", true}};
    case AttrType::SS:
    case AttrType::NS: return json{{type_name(v.type), v.set}};
    case AttrType::BS: {
      json a = json::array();
      for (auto& m : v.set) a.push_back(base64_encode(m));
      return json{{"BS", std::move(a)}};
    }
    case AttrType::L: {
      json a = json::array();
      for (auto& e : v.list) a.push_back(to_json(e));
      return json{{"L", std::move(a)}};
    }
    case AttrType::M: {
      json m = json::object();
      for (auto& [k, e] : v.map) m[k] = to_json(e);
      return json{{"M", std::move(m)}};
    }
  }
  return json::object();
}

json to_json(const Item& item) {
  json out = json::object();
  for (auto& [k, v] : item) out[k] = to_json(v);
  return out;
}

void append_json(const AttributeValue& v, std::string& out) {
  out += "{\"";
  out += type_name(v.type);
  out += "\":";
  switch (v.type) {
    case AttrType::S:
    case AttrType::N: append_json_string(out, v.scalar); break;
    case AttrType::B: append_json_string(out, base64_encode(v.scalar)); break;
    case AttrType::BOOL: out += v.boolean ? "true" : "false"; break;
    case AttrType::NUL: out += "true"; break;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS:
      out += '[';
      for (size_t i = 0; i < v.set.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, v.type == AttrType::BS ? base64_encode(v.set[i]) : v.set[i]);
      }
      out += ']';
      break;
    case AttrType::L:
      out += '[';
      for (size_t i = 0; i < v.list.size(); ++i) {
        if (i) out += ',';
        append_json(v.list[i], out);
      }
      out += ']';
      break;
    case AttrType::M: append_json(v.map, out); break;
  }
  out += '}';
}

void append_json(const Item& item, std::string& out) {
  out += '{';
  bool first = true;
  for (auto& [k, v] : item) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, k);
    out += ':';
    append_json(v, out);
  }
  out += '}';
}

size_t value_size(const AttributeValue& v) {
  switch (v.type) {
    case AttrType::S:
    case AttrType::B: return v.scalar.size();
    case AttrType::N: return Decimal::canonical_storage_size(v.scalar);
    case AttrType::BOOL:
    case AttrType::NUL: return 1;
    case AttrType::SS:
    case AttrType::BS: {
      size_t n = 0;
      for (auto& m : v.set) n += m.size();
      return n;
    }
    case AttrType::NS: {
      size_t n = 0;
      for (auto& m : v.set) n += Decimal::canonical_storage_size(m);
      return n;
    }
    case AttrType::L: {
      // AWS: 3 bytes for the list, plus each element and one byte per element.
      size_t n = 3;
      for (auto& e : v.list) n += value_size(e) + 1;
      return n;
    }
    case AttrType::M: {
      size_t n = 3;
      for (auto& [k, e] : v.map) n += utf8_length(k) + value_size(e) + 1;
      return n;
    }
  }
  return 0;
}

size_t item_size(const Item& item) {
  size_t n = 0;
  for (auto& [k, v] : item) n += utf8_length(k) + value_size(v);
  return n;
}

bool equals(const AttributeValue& a, const AttributeValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case AttrType::S:
    case AttrType::N:  // canonical text is unique per number
    case AttrType::B: return a.scalar == b.scalar;
    case AttrType::BOOL: return a.boolean == b.boolean;
    case AttrType::NUL: return true;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS: {
      if (a.set.size() != b.set.size()) return false;
      std::set<std::string> sa(a.set.begin(), a.set.end());
      for (auto& m : b.set)
        if (!sa.count(m)) return false;
      return true;
    }
    case AttrType::L:
      if (a.list.size() != b.list.size()) return false;
      for (size_t i = 0; i < a.list.size(); ++i)
        if (!equals(a.list[i], b.list[i])) return false;
      return true;
    case AttrType::M:
      if (a.map.size() != b.map.size()) return false;
      for (auto& [k, v] : a.map) {
        auto it = b.map.find(k);
        if (it == b.map.end() || !equals(v, it->second)) return false;
      }
      return true;
  }
  return false;
}

int compare_scalars(const AttributeValue& a, const AttributeValue& b) {
  if (a.type == AttrType::N) return Decimal::compare(a.as_number(), b.as_number());
  int c = a.scalar.compare(b.scalar);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

std::string describe(const AttributeValue& v) {
  std::string body;
  switch (v.type) {
    case AttrType::S:
    case AttrType::N: body = v.scalar; break;
    case AttrType::B: body = base64_encode(v.scalar); break;
    case AttrType::BOOL: body = v.boolean ? "true" : "false"; break;
    case AttrType::NUL: body = "true"; break;
    default: body = to_json(v).begin()->dump(); break;
  }
  return std::string("{") + type_name(v.type) + ":" + body + "}";
}

}  // namespace streamlab::dynamodb
