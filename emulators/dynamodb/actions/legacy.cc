#include "emulators/dynamodb/actions/legacy.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {
namespace {
const char* kInvalid = "One or more parameter values were invalid: ";

Shape comparison_operator_shape() {
  return string_shape().one_of({"EQ", "NE", "IN", "LE", "LT", "GE", "GT", "BETWEEN", "NOT_NULL", "NULL", "CONTAINS",
                                "NOT_CONTAINS", "BEGINS_WITH"});
}

// Names and values of the rewritten expressions.
struct Placeholders {
  json names = json::object(), values = json::object();
  std::string name(const std::string& attribute) {
    std::string k = "#legacy" + std::to_string(names.size());
    names[k] = attribute;
    return k;
  }
  std::string value(const json& v) {
    std::string k = ":legacy" + std::to_string(values.size());
    values[k] = v;
    return k;
  }
};

std::string type_of(const json& v) { return v.is_object() && !v.empty() ? v.begin().key() : ""; }

// How many values each ComparisonOperator takes: {min, max}.
std::pair<size_t, size_t> arity(const std::string& op) {
  if (op == "NULL" || op == "NOT_NULL") return {0, 0};
  if (op == "IN") return {1, SIZE_MAX};
  if (op == "BETWEEN") return {2, 2};
  return {1, 1};
}

// Value checks shared by Expected and the query/scan conditions, after the argument count.
Status check_values(const std::string& op, const std::vector<json>& values, bool check_types) {
  for (auto& v : values)
    if (type_of(v) != type_of(values[0]))
      return validation(std::string(kInvalid) + "AttributeValues inside AttributeValueList must be of same type");
  if (check_types) {
    std::vector<std::string> allowed = {"S", "N", "B"};
    if (op == "EQ" || op == "NE") allowed = {"S", "N", "B", "SS", "NS", "BS"};
    if (op == "BEGINS_WITH") allowed = {"S", "B"};
    for (auto& v : values)
      if (std::find(allowed.begin(), allowed.end(), type_of(v)) == allowed.end())
        return validation(std::string(kInvalid) + "ComparisonOperator " + op + " is not valid for " + type_of(v) +
                          " AttributeValue type");
  }
  if (op == "BETWEEN") {
    auto lo = parse_value(values[0]), hi = parse_value(values[1]);
    if (!lo) return lo.error();
    if (!hi) return hi.error();
    if (lo->type == hi->type && (lo->type == AttrType::S || lo->type == AttrType::N || lo->type == AttrType::B) &&
        compare_scalars(*lo, *hi) > 0)
      return validation("The BETWEEN condition was provided a range where the lower bound is greater than the upper "
                        "bound");
  }
  return Ok{};
}

// One attribute's condition as expression text.
std::string condition_text(Placeholders& p, const std::string& attribute, const std::string& op,
                           const std::vector<json>& values) {
  std::string a = p.name(attribute);
  std::vector<std::string> v;
  for (auto& x : values) v.push_back(p.value(x));
  if (op == "NULL") return "attribute_not_exists(" + a + ")";
  if (op == "NOT_NULL") return "attribute_exists(" + a + ")";
  if (op == "CONTAINS") return "contains(" + a + ", " + v[0] + ")";
  if (op == "NOT_CONTAINS") return "NOT contains(" + a + ", " + v[0] + ")";
  if (op == "BEGINS_WITH") return "begins_with(" + a + ", " + v[0] + ")";
  if (op == "BETWEEN") return a + " BETWEEN " + v[0] + " AND " + v[1];
  if (op == "IN") {
    std::string list;
    for (auto& x : v) list += (list.empty() ? "" : ", ") + x;
    return a + " IN (" + list + ")";
  }
  static const std::pair<const char*, const char*> comparators[] = {
      {"EQ", "="}, {"NE", "<>"}, {"LE", "<="}, {"LT", "<"}, {"GE", ">="}, {"GT", ">"}};
  for (auto& [name, symbol] : comparators)
    if (op == name) return a + " " + symbol + " " + v[0];
  return a + " = " + v[0];
}

std::vector<json> value_list(const json& condition) {
  std::vector<json> out;
  if (auto it = condition.find("AttributeValueList"); it != condition.end())
    for (auto& v : *it) out.push_back(v);
  return out;
}

// Checks one Expected entry as AWS does and returns its operator and values.
Status check_expected(const std::string& attribute, const json& c, std::string& op, std::vector<json>& values) {
  bool has_list = c.contains("AttributeValueList"), has_value = c.contains("Value");
  if (has_list && has_value)
    return validation(std::string(kInvalid) + "Value and AttributeValueList cannot be used together for Attribute: " +
                      attribute);
  if (auto op_it = c.find("ComparisonOperator"); op_it != c.end()) {
    op = op_it->get<std::string>();
    if (c.contains("Exists"))
      return validation(std::string(kInvalid) + "Exists and ComparisonOperator cannot be used together for Attribute: " +
                        attribute);
    if (op != "NULL" && op != "NOT_NULL" && !has_list && !has_value)
      return validation(std::string(kInvalid) + "Value or AttributeValueList must be used with ComparisonOperator: " +
                        op + " for Attribute: " + attribute);
    values = has_value ? std::vector<json>{c["Value"]} : value_list(c);
    auto [lo, hi] = arity(op);
    if (values.size() < lo || values.size() > hi)
      return validation(std::string(kInvalid) + "Invalid number of argument(s) for the " + op + " ComparisonOperator");
    for (auto& v : values)
      if (auto parsed = parse_value(v); !parsed) return parsed.error();
    return check_values(op, values, false);
  }
  if (has_list)
    return validation(std::string(kInvalid) + "AttributeValueList can only be used with a ComparisonOperator for "
                      "Attribute: " + attribute);
  auto exists = c.find("Exists");
  bool expect = exists == c.end() || exists->get<bool>();
  if (expect && !has_value)
    return validation(std::string(kInvalid) + "Value must be provided when Exists is " +
                      (exists == c.end() ? "null" : "true") + " for Attribute: " + attribute);
  if (!expect && has_value)
    return validation(std::string(kInvalid) + "Value cannot be used when Exists is false for Attribute: " + attribute);
  op = expect ? "EQ" : "NULL";
  values.clear();
  if (expect) {
    if (auto parsed = parse_value(c["Value"]); !parsed) return parsed.error();
    values.push_back(c["Value"]);
  }
  return Ok{};
}

// Expected, KeyConditions, QueryFilter or ScanFilter as expression terms, one per attribute.
Result<std::vector<std::string>> condition_terms(Placeholders& p, const json& conditions, bool expected) {
  std::vector<std::string> terms;
  for (auto& [attribute, c] : conditions.items()) {
    std::string op;
    std::vector<json> values;
    if (expected) {
      if (auto s = check_expected(attribute, c, op, values); !s) return s.error();
    } else {
      op = c.value("ComparisonOperator", "");
      values = value_list(c);
      for (auto& v : values)
        if (auto parsed = parse_value(v); !parsed) return parsed.error();
      auto [lo, hi] = arity(op);
      if (values.size() < lo || values.size() > hi)
        return validation(std::string(kInvalid) + "Invalid number of argument(s) for the " + op + " ComparisonOperator");
      if (auto s = check_values(op, values, true); !s) return s.error();
    }
    terms.push_back(condition_text(p, attribute, op, values));
  }
  return terms;
}

// Every term binds tighter than NOT, AND and OR, so no parentheses are needed.
std::string join(const std::vector<std::string>& terms, const std::string& op) {
  std::string out;
  for (auto& t : terms) out += (out.empty() ? "" : " " + op + " ") + t;
  return out;
}

Result<std::string> update_text(Placeholders& p, const json& updates) {
  std::vector<std::string> set, remove, add, del;
  for (auto& [attribute, u] : updates.items()) {
    std::string action = u.value("Action", "PUT");
    bool has_value = u.contains("Value");
    if (action != "DELETE" && !has_value)
      return validation(std::string(kInvalid) + "Only DELETE action is allowed when no attribute value is specified");
    if (has_value)
      if (auto parsed = parse_value(u["Value"]); !parsed) return parsed.error();
    std::string a = p.name(attribute);
    if (action == "PUT") set.push_back(a + " = " + p.value(u["Value"]));
    else if (action == "ADD") add.push_back(a + " " + p.value(u["Value"]));
    else if (has_value) del.push_back(a + " " + p.value(u["Value"]));
    else remove.push_back(a);
  }
  std::string out;
  auto clause = [&](const char* word, const std::vector<std::string>& parts) {
    if (parts.empty()) return;
    out += (out.empty() ? "" : " ") + std::string(word) + " ";
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  };
  clause("SET", set);
  clause("REMOVE", remove);
  clause("ADD", add);
  clause("DELETE", del);
  return out;
}
}  // namespace

Shape expected_shape() {
  return map_shape(string_shape(), structure_shape({
                                       {"Value", attribute_value_shape()},
                                       {"Exists", boolean_shape()},
                                       {"ComparisonOperator", comparison_operator_shape()},
                                       {"AttributeValueList", list_shape(attribute_value_shape())},
                                   }));
}

Shape attribute_updates_shape() {
  return map_shape(string_shape(), structure_shape({
                                       {"Value", attribute_value_shape()},
                                       {"Action", string_shape().one_of({"ADD", "PUT", "DELETE"})},
                                   }));
}

Shape conditions_shape() {
  return map_shape(string_shape(), structure_shape({
                                       {"AttributeValueList", list_shape(attribute_value_shape())},
                                       {"ComparisonOperator", comparison_operator_shape().required()},
                                   }));
}

Status rewrite_legacy(json& in, std::initializer_list<const char*> legacy_members,
                      std::initializer_list<const char*> expression_members) {
  std::vector<std::string> legacy, expressions;
  for (const char* m : legacy_members)
    if (in.contains(m)) legacy.push_back(m);
  if (legacy.empty()) return Ok{};
  // Names or values beside legacy parameters only: the expression checks refuse them later.
  bool any_expression = false;
  for (const char* m : expression_members) any_expression |= in.contains(m);
  if (!any_expression && (in.contains("ExpressionAttributeNames") || in.contains("ExpressionAttributeValues")))
    return Ok{};
  for (const char* m : expression_members)
    if (in.contains(m)) expressions.push_back(m);
  if (!expressions.empty()) {
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return "{" + s + "}";
    };
    return validation("Can not use both expression and non-expression parameters in the same request: "
                      "Non-expression parameters: " + list(legacy) + " Expression parameters: " + list(expressions));
  }
  std::string joiner = in.value("ConditionalOperator", "AND");
  Placeholders p;
  struct Rewrite {
    const char* from;
    const char* to;
    bool expected;
  };
  for (auto r : {Rewrite{"Expected", "ConditionExpression", true}, Rewrite{"KeyConditions", "KeyConditionExpression", false},
                 Rewrite{"QueryFilter", "FilterExpression", false}, Rewrite{"ScanFilter", "FilterExpression", false}}) {
    auto it = in.find(r.from);
    if (it == in.end()) continue;
    auto terms = condition_terms(p, *it, r.expected);
    if (!terms) return terms.error();
    if (!terms->empty()) in[r.to] = join(*terms, std::string(r.to) == "KeyConditionExpression" ? "AND" : joiner);
    in.erase(r.from);
  }
  if (auto it = in.find("AttributeUpdates"); it != in.end()) {
    auto text = update_text(p, *it);
    if (!text) return text.error();
    if (!text->empty()) in["UpdateExpression"] = *text;
    in.erase("AttributeUpdates");
  }
  in.erase("ConditionalOperator");
  if (!p.names.empty()) in["ExpressionAttributeNames"] = std::move(p.names);
  if (!p.values.empty()) in["ExpressionAttributeValues"] = std::move(p.values);
  return Ok{};
}

}  // namespace streamlab::dynamodb
