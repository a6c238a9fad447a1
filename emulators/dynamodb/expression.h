#pragma once
// DynamoDB's expression language: condition (ConditionExpression, FilterExpression,
// KeyConditionExpression), update and projection expressions. A hand-written recursive-descent
// parser (expression_parser.cc) with AWS's error wording, and an evaluator (expression_eval.cc).
//
//   condition   := or
//   or          := and ("OR" and)*
//   and         := not ("AND" not)*
//   not         := "NOT" primary | primary
//   primary     := "(" or ")" | operand comparator operand | operand "BETWEEN" operand "AND" operand
//                | operand "IN" "(" operand ("," operand)* ")" | function
//   comparator  := "=" | "<>" | "<" | "<=" | ">" | ">="
//   operand     := "(" operand ")" | path | ":value" | function
//   function    := identifier "(" operand ("," operand)* ")"
//   path        := name ("." name | "[" digits "]")*          name := identifier | "#name"
//   update      := section+   section := "SET" set ("," set)* | "REMOVE" path ("," path)*
//                                       | "ADD" path ":value" ("," …)* | "DELETE" path ":value" ("," …)*
//   set         := path "=" value        value := operand | operand "+" operand | operand "-" operand
//   projection  := path ("," path)*
// Keywords are case-insensitive; function names are not.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/dynamodb/attribute_value.h"

namespace streamlab::dynamodb {

struct PathElement {
  std::string name;     // when index < 0
  int64_t index = -1;   // list index
  bool is_index() const { return index >= 0; }
  bool operator==(const PathElement& o) const { return name == o.name && index == o.index; }
};
using Path = std::vector<PathElement>;
// As AWS prints paths in messages: [a, [1], b].
std::string path_string(const Path& path);

struct Operand {
  enum class Kind { path, value, size, if_not_exists, list_append, plus, minus };
  Kind kind = Kind::path;
  Path path;
  AttributeValue value;
  std::vector<Operand> args;
};

struct Condition {
  enum class Kind {
    compare, between, in, and_, or_, not_,
    attribute_exists, attribute_not_exists, attribute_type, begins_with, contains
  };
  Kind kind = Kind::compare;
  std::string op;  // compare: = <> < <= > >=
  std::vector<Operand> operands;
  std::vector<Condition> children;
};

struct UpdateAction {
  enum class Kind { set, remove, add, del };
  Kind kind = Kind::set;
  Path path;
  Operand value;
};
struct UpdateExpression {
  std::vector<UpdateAction> actions;
};

// ExpressionAttributeNames/Values of a request, and which of them the expressions used.
struct ExpressionContext {
  std::map<std::string, std::string> names;
  std::map<std::string, AttributeValue> values;
  std::set<std::string> used_names, used_values;
};

// `label` names the request member in messages: "Invalid ConditionExpression: …".
Result<Condition> parse_condition(std::string_view text, const std::string& label, ExpressionContext& ctx);
Result<UpdateExpression> parse_update(std::string_view text, ExpressionContext& ctx);
Result<std::vector<Path>> parse_projection(std::string_view text, ExpressionContext& ctx);
// "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}" (names first).
Status check_unused(const ExpressionContext& ctx);

// Evaluation.
const AttributeValue* resolve(const Item& item, const Path& path);
bool evaluate(const Condition& condition, const Item& item);
// Applies an update to `item` (the old item, or just its key when there is none), with AWS's
// runtime errors ("The provided expression refers to an attribute that does not exist in the item", …).
Status apply_update(const UpdateExpression& update, Item& item);
// The attributes of `item` selected by `paths`, nested as in the item.
Item project(const Item& item, const std::vector<Path>& paths);
// The document paths an update touches (ReturnValues UPDATED_OLD / UPDATED_NEW project them).
std::vector<Path> action_paths(const UpdateExpression& update);

}  // namespace streamlab::dynamodb
