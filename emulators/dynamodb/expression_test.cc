// Table-driven tests of the expression parser and evaluator: conditions against one fixed
// item, AWS's syntax and semantic error messages, update expressions and projections.
#include "emulators/dynamodb/expression.h"

#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace streamlab::dynamodb {
namespace {
using json = nlohmann::json;

const char* kItem = R"({
  "id": {"S": "abc"}, "n": {"N": "5"}, "f": {"N": "2.5"}, "s": {"S": "hello world"}, "b": {"B": "AAEC"},
  "t": {"BOOL": true}, "z": {"NULL": true}, "ss": {"SS": ["a", "b", "c"]}, "ns": {"NS": ["1", "2"]},
  "bs": {"BS": ["AAE="]}, "blank": {"S": ""}, "size": {"N": "3"}, "a.b": {"S": "dotted"},
  "l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"S": "d"}}}]},
  "m": {"M": {"k": {"S": "v"}, "n": {"N": "7"}, "sub2": {"M": {"x": {"N": "1"}}}}}
})";

const char* kValues = R"({
  ":s": {"S": "hello world"}, ":h": {"S": "hello"}, ":w": {"S": "world"}, ":x": {"S": "x"}, ":a": {"S": "a"},
  ":v": {"S": "v"}, ":empty": {"S": ""}, ":abc": {"S": "abc"}, ":abd": {"S": "abd"}, ":aaa": {"S": "aaa"},
  ":five": {"N": "5"}, ":one": {"N": "1"}, ":two": {"N": "2"}, ":three": {"N": "3"}, ":ten": {"N": "10"},
  ":seven": {"N": "7"}, ":f25": {"N": "2.50"}, ":neg": {"N": "-1"},
  ":b": {"B": "AAEC"}, ":b0": {"B": "AA=="}, ":b1": {"B": "AAE="}, ":t": {"BOOL": true}, ":f": {"BOOL": false},
  ":nul": {"NULL": true}, ":ss": {"SS": ["c", "b", "a"]}, ":ss2": {"SS": ["a", "b"]}, ":ns": {"NS": ["2", "1"]},
  ":bs": {"BS": ["AAE="]}, ":lx": {"L": [{"S": "y"}]}, ":l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"S": "d"}}}]},
  ":m": {"M": {"k": {"S": "v"}}}, ":deep": {"M": {"deep": {"S": "d"}}},
  ":tS": {"S": "S"}, ":tN": {"S": "N"}, ":tB": {"S": "B"}, ":tBOOL": {"S": "BOOL"}, ":tNULL": {"S": "NULL"},
  ":tSS": {"S": "SS"}, ":tNS": {"S": "NS"}, ":tBS": {"S": "BS"}, ":tL": {"S": "L"}, ":tM": {"S": "M"},
  ":tBAD": {"S": "XX"}
})";

ExpressionContext context() {
  ExpressionContext ctx;
  ctx.values = parse_item(json::parse(kValues)).value();
  ctx.names = {{"#n", "n"}, {"#size", "size"}, {"#dot", "a.b"}, {"#m", "m"}, {"#k", "k"}, {"#idx", "[3]"},
               {"#l", "l"}, {"#nope", "missing"}};
  return ctx;
}

Item item() { return parse_item(json::parse(kItem)).value(); }

// ------------------------------------------------------------------ condition evaluation

struct EvalCase {
  const char* expr;
  bool want;
};

class ConditionEval : public ::testing::TestWithParam<EvalCase> {};

TEST_P(ConditionEval, Evaluates) {
  auto ctx = context();
  auto c = parse_condition(GetParam().expr, "ConditionExpression", ctx);
  ASSERT_TRUE(c) << GetParam().expr << ": " << c.error().message;
  EXPECT_EQ(evaluate(*c, item()), GetParam().want) << GetParam().expr;
}

INSTANTIATE_TEST_SUITE_P(Expressions, ConditionEval, ::testing::Values(
    // Comparisons of each scalar type.
    EvalCase{"n = :five", true}, EvalCase{"n = :one", false}, EvalCase{"n <> :one", true}, EvalCase{"n <> :five", false},
    EvalCase{"n < :ten", true}, EvalCase{"n <= :five", true}, EvalCase{"n > :five", false}, EvalCase{"n >= :five", true},
    EvalCase{"n > :neg", true}, EvalCase{"f = :f25", true}, EvalCase{"f < :three", true}, EvalCase{"f > :two", true},
    EvalCase{":ten > n", true}, EvalCase{":one < :two", true}, EvalCase{":two < :one", false},
    EvalCase{"s = :s", true}, EvalCase{"s <> :s", false}, EvalCase{"s > :h", true}, EvalCase{"s < :h", false},
    EvalCase{"id < :abd", true}, EvalCase{"id > :aaa", true}, EvalCase{"id >= :abc", true}, EvalCase{"id <= :abc", true},
    EvalCase{"b = :b", true}, EvalCase{"b > :b0", true}, EvalCase{"b < :b1", false}, EvalCase{"b >= :b1", true},
    EvalCase{"t = :t", true}, EvalCase{"t = :f", false}, EvalCase{"t <> :f", true}, EvalCase{"z = :nul", true},
    EvalCase{"blank = :empty", true}, EvalCase{"blank < :a", true},
    // Types never compare across: = false, <> true, ordering false.
    EvalCase{"n = :s", false}, EvalCase{"n <> :s", true}, EvalCase{"n < :s", false}, EvalCase{"n > :s", false},
    EvalCase{"s = :five", false}, EvalCase{"t < :f", false}, EvalCase{"ss < :ss", false}, EvalCase{"l > :l", false},
    // Missing attributes.
    EvalCase{"nope = :five", false}, EvalCase{"nope <> :five", true}, EvalCase{"nope < :five", false},
    EvalCase{"nope >= :five", false}, EvalCase{"m.nothing = :v", false}, EvalCase{"l[9] = :x", false},
    // Sets, lists and maps compare by value; sets ignore order.
    EvalCase{"ss = :ss", true}, EvalCase{"ss = :ss2", false}, EvalCase{"ns = :ns", true}, EvalCase{"bs = :bs", true},
    EvalCase{"l = :l", true}, EvalCase{"l = :lx", false}, EvalCase{"m.sub2 = :m", false}, EvalCase{"l[2] = :deep", true},
    // Document paths.
    EvalCase{"m.k = :v", true}, EvalCase{"m.n = :seven", true}, EvalCase{"m.sub2.x = :one", true},
    EvalCase{"l[0] = :x", true}, EvalCase{"l[1] = :one", true}, EvalCase{"l[2].deep = :deep", false},
    EvalCase{"#m.#k = :v", true}, EvalCase{"#dot = :x", false}, EvalCase{"#l[0] = :x", true},
    EvalCase{"m.k.x = :v", false}, EvalCase{"s[0] = :h", false}, EvalCase{"m[0] = :v", false},
    // BETWEEN and IN.
    EvalCase{"n BETWEEN :one AND :ten", true}, EvalCase{"n BETWEEN :five AND :five", true},
    EvalCase{"n between :one and :two", false}, EvalCase{"f BETWEEN :two AND :three", true},
    EvalCase{"s BETWEEN :h AND :w", true}, EvalCase{"id BETWEEN :abd AND :abd", false},
    EvalCase{"nope BETWEEN :one AND :ten", false}, EvalCase{"s BETWEEN :one AND :ten", false},
    EvalCase{"n IN (:one, :five)", true}, EvalCase{"n IN (:one)", false}, EvalCase{"n in (:s, :five, :ten)", true},
    EvalCase{"s IN (:s)", true}, EvalCase{"ss IN (:ss)", true}, EvalCase{"nope IN (:one)", false},
    EvalCase{":five IN (n, f)", true}, EvalCase{"m.k IN (:x, :v)", true},
    // Logical operators and precedence: NOT > AND > OR.
    EvalCase{"n = :five AND s = :s", true}, EvalCase{"n = :five AND s = :h", false},
    EvalCase{"n = :one OR s = :s", true}, EvalCase{"n = :one OR s = :h", false},
    EvalCase{"NOT n = :one", true}, EvalCase{"NOT n = :five", false}, EvalCase{"not (n = :five)", false},
    EvalCase{"n = :one OR n = :five AND s = :h", false}, EvalCase{"n = :five OR n = :one AND s = :h", true},
    EvalCase{"(n = :one OR n = :five) AND s = :s", true}, EvalCase{"(n = :one OR n = :five) AND s = :h", false},
    EvalCase{"NOT n = :one AND NOT s = :h", true}, EvalCase{"NOT (n = :one OR s = :s)", false},
    EvalCase{"n = :five and (s = :h or (t = :t and z = :nul))", true},
    EvalCase{"n = :five AnD s = :s oR n = :one", true},
    // Functions.
    EvalCase{"attribute_exists(n)", true}, EvalCase{"attribute_exists(nope)", false},
    EvalCase{"attribute_not_exists(nope)", true}, EvalCase{"attribute_not_exists(n)", false},
    EvalCase{"attribute_exists(m.sub2.x)", true}, EvalCase{"attribute_exists(m.sub2.y)", false},
    EvalCase{"attribute_exists(l[2].deep)", true}, EvalCase{"attribute_exists(l[3])", false},
    EvalCase{"attribute_exists(#dot)", true}, EvalCase{"attribute_exists(#nope)", false},
    EvalCase{"attribute_exists(z)", true}, EvalCase{"attribute_exists(blank)", true},
    EvalCase{"attribute_type(n, :tN)", true}, EvalCase{"attribute_type(n, :tS)", false},
    EvalCase{"attribute_type(s, :tS)", true}, EvalCase{"attribute_type(b, :tB)", true},
    EvalCase{"attribute_type(t, :tBOOL)", true}, EvalCase{"attribute_type(z, :tNULL)", true},
    EvalCase{"attribute_type(ss, :tSS)", true}, EvalCase{"attribute_type(ns, :tNS)", true},
    EvalCase{"attribute_type(bs, :tBS)", true}, EvalCase{"attribute_type(l, :tL)", true},
    EvalCase{"attribute_type(m, :tM)", true}, EvalCase{"attribute_type(nope, :tS)", false},
    EvalCase{"begins_with(s, :h)", true}, EvalCase{"begins_with(s, :w)", false}, EvalCase{"begins_with(s, :s)", true},
    EvalCase{"begins_with(s, :empty)", true}, EvalCase{"begins_with(b, :b0)", true}, EvalCase{"begins_with(b, :b1)", true},
    EvalCase{"begins_with(n, :h)", false}, EvalCase{"begins_with(nope, :h)", false},
    EvalCase{"begins_with(m.k, :v)", true},
    EvalCase{"contains(s, :w)", true}, EvalCase{"contains(s, :x)", false}, EvalCase{"contains(ss, :a)", true},
    EvalCase{"contains(ss, :x)", false}, EvalCase{"contains(ns, :one)", true}, EvalCase{"contains(ns, :five)", false},
    EvalCase{"contains(bs, :b1)", true}, EvalCase{"contains(l, :x)", true}, EvalCase{"contains(l, :one)", true},
    EvalCase{"contains(l, :deep)", true}, EvalCase{"contains(l, :v)", false}, EvalCase{"contains(b, :b0)", true},
    EvalCase{"contains(ss, :ss)", false}, EvalCase{"contains(nope, :a)", false}, EvalCase{"contains(s, id)", false},
    EvalCase{"size(s) = :ten", false}, EvalCase{"size(id) = :three", true}, EvalCase{"size(ss) = :three", true},
    EvalCase{"size(ns) = :two", true}, EvalCase{"size(l) = :three", true}, EvalCase{"size(m) = :three", true},
    EvalCase{"size(b) = :three", true}, EvalCase{"size(blank) < :one", true}, EvalCase{"size(n) = :one", false},
    EvalCase{"size(nope) = :one", false}, EvalCase{"size(m.sub2) = :one", true}, EvalCase{"size(#size) = :one", false},
    EvalCase{"size(s) > size(id)", true}, EvalCase{"size(ss) BETWEEN :two AND :five", true},
    EvalCase{"size(l) IN (:one, :three)", true},
    // Names through ExpressionAttributeNames.
    EvalCase{"#n = :five", true}, EvalCase{"#size = :three", true}, EvalCase{"#dot = :x", false},
    // Parenthesised operands.
    EvalCase{"(n) = :five", true}, EvalCase{"n = (:five)", true}, EvalCase{"(n) BETWEEN (:one) AND (:ten)", true},
    EvalCase{"(size(s)) > :one", true},
    // Whitespace and case of keywords.
    EvalCase{"  n=:five  ", true}, EvalCase{"n\t=\n:five", true}, EvalCase{"n bEtWeEn :one aNd :ten", true},
    EvalCase{"n iN(:five)", true}, EvalCase{"NoT n=:one", true}));

// ------------------------------------------------------------------ condition errors

struct ErrorCase {
  const char* expr;
  const char* message;
};

class ConditionErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConditionErrors, Rejects) {
  auto ctx = context();
  auto c = parse_condition(GetParam().expr, "ConditionExpression", ctx);
  ASSERT_FALSE(c) << GetParam().expr;
  EXPECT_EQ(c.error().message, std::string("Invalid ConditionExpression: ") + GetParam().message) << GetParam().expr;
  EXPECT_EQ(c.error().code, "ValidationException");
}

INSTANTIATE_TEST_SUITE_P(Expressions, ConditionErrors, ::testing::Values(
    ErrorCase{"", "The expression can not be empty;"},
    ErrorCase{"   ", "The expression can not be empty;"},
    ErrorCase{"foo", "Syntax error; token: \"<EOF>\", near: \"foo\""},
    ErrorCase{"n =", "Syntax error; token: \"<EOF>\", near: \"=\""},
    ErrorCase{"n = ", "Syntax error; token: \"<EOF>\", near: \"= \""},
    ErrorCase{"n == :five", "Syntax error; token: \"=\", near: \"== :five\""},
    ErrorCase{"n = :five extra", "Syntax error; token: \"extra\", near: \":five extra\""},
    ErrorCase{"n = 5", "Syntax error; token: \"5\", near: \"= 5\""},
    ErrorCase{"n = :five AND", "Syntax error; token: \"<EOF>\", near: \"AND\""},
    ErrorCase{"AND n = :five", "Syntax error; token: \"AND\", near: \"AND n\""},
    ErrorCase{"n = :five OR OR n = :one", "Syntax error; token: \"OR\", near: \"OR OR n\""},
    ErrorCase{"(n = :five", "Syntax error; token: \"<EOF>\", near: \":five\""},
    ErrorCase{"n = :five)", "Syntax error; token: \")\", near: \":five)\""},
    ErrorCase{"n ! :five", "Syntax error; token: \"!\", near: \"n ! :five\""},
    ErrorCase{"n BETWEEN :one", "Syntax error; token: \"<EOF>\", near: \":one\""},
    ErrorCase{"n BETWEEN :one OR :two", "Syntax error; token: \"OR\", near: \":one OR :two\""},
    ErrorCase{"n IN :one", "Syntax error; token: \":one\", near: \"IN :one\""},
    ErrorCase{"n IN ()", "Syntax error; token: \")\", near: \"()\""},
    ErrorCase{"n IN (:one,)", "Syntax error; token: \")\", near: \",)\""},
    ErrorCase{"l[] = :x", "Syntax error; token: \"]\", near: \"[] =\""},
    ErrorCase{"l[a] = :x", "Syntax error; token: \"a\", near: \"[a]\""},
    ErrorCase{"l[-1] = :x", "Syntax error; token: \"-\", near: \"[-1\""},
    ErrorCase{"m. = :x", "Syntax error; token: \"=\", near: \". = :x\""},
    ErrorCase{"n + :one = :five", "Syntax error; token: \"+\", near: \"n + :one\""},
    ErrorCase{"NOT NOT n = :five", "Syntax error; token: \"NOT\", near: \"NOT NOT n\""},
    ErrorCase{"attribute_exists(n", "Syntax error; token: \"<EOF>\", near: \"n\""},
    ErrorCase{"n = :five; DROP", "Syntax error; token: \";\", near: \":five; DROP\""},
    ErrorCase{"between = :five", "Syntax error; token: \"between\", near: \"between =\""},
    ErrorCase{"#n BETWEEN :one AND", "Syntax error; token: \"<EOF>\", near: \"AND\""},
    // Semantics, in AWS's order of precedence.
    ErrorCase{"((n = :five))", "The expression has redundant parentheses;"},
    ErrorCase{"((n)) = :five", "The expression has redundant parentheses;"},
    ErrorCase{"n = :five AND ((s = :s))", "The expression has redundant parentheses;"},
    ErrorCase{"foo(n)", "Invalid function name; function: foo"},
    ErrorCase{"n = foo(s)", "Invalid function name; function: foo"},
    ErrorCase{"if_not_exists(n, :five)", "Invalid function name; function: if_not_exists"},
    ErrorCase{"Attribute_Exists(n)", "Invalid function name; function: Attribute_Exists"},
    ErrorCase{"size(n)", "The function is not allowed to be used this way in an expression; function: size"},
    ErrorCase{"n = begins_with(s, :h)",
              "The function is not allowed to be used this way in an expression; function: begins_with"},
    ErrorCase{"attribute_exists(n) = :t",
              "The function is not allowed to be used this way in an expression; function: attribute_exists"},
    ErrorCase{"size(contains(s, :h)) = :one",
              "The function is not allowed to be used this way in an expression; function: contains"},
    ErrorCase{"name = :s", "Attribute name is a reserved keyword; reserved keyword: name"},
    ErrorCase{"m.Size = :s", "Attribute name is a reserved keyword; reserved keyword: Size"},
    ErrorCase{"attribute_exists(data)", "Attribute name is a reserved keyword; reserved keyword: data"},
    ErrorCase{"#x = :five",
              "An expression attribute name used in the document path is not defined; attribute name: #x"},
    ErrorCase{"n = :nothing",
              "An expression attribute value used in expression is not defined; attribute value: :nothing"},
    ErrorCase{"attribute_exists(n, s)",
              "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
    ErrorCase{"begins_with(s)",
              "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1"},
    ErrorCase{"contains(s, :a, :h)",
              "Incorrect number of operands for operator or function; operator or function: contains, number of operands: 3"},
    ErrorCase{"size(s, n) = :one",
              "Incorrect number of operands for operator or function; operator or function: size, number of operands: 2"},
    ErrorCase{"n = n", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [n]"},
    ErrorCase{"m.k <> m.k", "The first operand must be distinct from the remaining operands for this operator or function; operator: <>, first operand: [m, k]"},
    ErrorCase{"begins_with(s, s)", "The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [s]"},
    ErrorCase{"attribute_exists(:five)", "Operator or function requires a document path; operator or function: attribute_exists"},
    ErrorCase{"attribute_not_exists(size(s))", "Operator or function requires a document path; operator or function: attribute_not_exists"},
    ErrorCase{"begins_with(s, :five)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
    ErrorCase{"begins_with(:ss, :a)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: SS"},
    ErrorCase{"begins_with(size(s), :a)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
    ErrorCase{"attribute_type(n, :five)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
    ErrorCase{"attribute_type(n, s)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}"},
    ErrorCase{"attribute_type(n, :tBAD)", "Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
    ErrorCase{"size(:five) = :one", "Incorrect operand type for operator or function; operator or function: size, operand type: N"},
    ErrorCase{"size(:t) = :one", "Incorrect operand type for operator or function; operator or function: size, operand type: BOOL"},
    ErrorCase{"size(:nul) = :one", "Incorrect operand type for operator or function; operator or function: size, operand type: NULL"},
    ErrorCase{"n BETWEEN :one AND :s", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:hello world}"},
    ErrorCase{"n BETWEEN :ten AND :one", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}"},
    ErrorCase{"s BETWEEN :w AND :h", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:world}, upper bound operand: AttributeValue: {S:hello}"},
    // Precedence between semantic errors.
    ErrorCase{"((foo(name)))", "The expression has redundant parentheses;"},
    ErrorCase{"foo(name) AND #x = :y", "Invalid function name; function: foo"},
    ErrorCase{"name = :y AND size(s)", "The function is not allowed to be used this way in an expression; function: size"},
    ErrorCase{"#x = :y AND name = :s", "Attribute name is a reserved keyword; reserved keyword: name"},
    ErrorCase{"n = :y AND attribute_exists(n, s)", "An expression attribute value used in expression is not defined; attribute value: :y"}));

// ------------------------------------------------------------------ other labels

TEST(ExpressionLabels, PrefixErrorsWithTheMember) {
  auto ctx = context();
  EXPECT_EQ(parse_condition("a >", "KeyConditionExpression", ctx).error().message,
            "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \">\"");
  EXPECT_EQ(parse_condition("", "FilterExpression", ctx).error().message,
            "Invalid FilterExpression: The expression can not be empty;");
}

// ------------------------------------------------------------------ update expressions

struct UpdateCase {
  const char* expr;
  const char* want;  // expected item (JSON), or an error message
};

Item base_item() {
  return parse_item(json::parse(R"({"id": {"S": "k"}, "n": {"N": "5"}, "s": {"S": "x"}, "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["1", "2"]}, "l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]},
    "m": {"M": {"a": {"N": "1"}, "sb": {"M": {}}}}})")).value();
}

class Updates : public ::testing::TestWithParam<UpdateCase> {};

TEST_P(Updates, Apply) {
  auto ctx = context();
  ctx.values[":zero"] = AttributeValue::number(Decimal());
  ctx.values[":c"] = parse_value(json::parse(R"({"SS": ["c"]})")).value();
  ctx.values[":ab"] = parse_value(json::parse(R"({"SS": ["a", "b"]})")).value();
  ctx.values[":n3"] = parse_value(json::parse(R"({"NS": ["3"]})")).value();
  ctx.values[":big"] = parse_value(json::parse(R"({"N": "99999999999999999999999999999999999999"})")).value();
  Item it = base_item();
  std::string want = GetParam().want;
  auto u = parse_update(GetParam().expr, ctx);
  if (!u) {
    EXPECT_EQ(u.error().message, want) << GetParam().expr;
    return;
  }
  auto s = apply_update(*u, it);
  if (!s) {
    EXPECT_EQ(s.error().message, want) << GetParam().expr;
    return;
  }
  ASSERT_EQ(want[0], '{') << GetParam().expr << " succeeded";
  // `want` lists the attributes that change (null: removed); every other one must be as before.
  json expected = json::parse(want), got = to_json(it), base = to_json(base_item());
  std::set<std::string> keys;
  for (auto* j : {&expected, &got, &base})
    for (auto& [k, v] : j->items()) keys.insert(k);
  for (auto& k : keys) {
    if (expected.contains(k) && expected[k].is_null()) EXPECT_FALSE(got.contains(k)) << GetParam().expr << " " << k;
    else if (expected.contains(k)) EXPECT_EQ(got.value(k, json()), expected[k]) << GetParam().expr << " " << k;
    else EXPECT_EQ(got.value(k, json()), base.value(k, json())) << GetParam().expr << " " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(Expressions, Updates, ::testing::Values(
    UpdateCase{"SET n = :one", R"({"n": {"N": "1"}})"},
    UpdateCase{"set n = n + :one", R"({"n": {"N": "6"}})"},
    UpdateCase{"SET n = n - :ten", R"({"n": {"N": "-5"}})"},
    UpdateCase{"SET n = :ten - n", R"({"n": {"N": "5"}})"},
    UpdateCase{"SET f = :f25 + :f25", R"({"f": {"N": "5"}})"},
    UpdateCase{"SET c = if_not_exists(c, :zero) + :one", R"({"c": {"N": "1"}})"},
    UpdateCase{"SET n = if_not_exists(n, :zero) + :one", R"({"n": {"N": "6"}})"},
    UpdateCase{"SET n = if_not_exists(nope, n)", R"({"n": {"N": "5"}})"},
    UpdateCase{"SET l = list_append(l, :lx)",
               R"({"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}, {"S": "y"}]}})"},
    UpdateCase{"SET l = list_append(:lx, l)",
               R"({"l": {"L": [{"S": "y"}, {"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}})"},
    UpdateCase{"SET nl = list_append(if_not_exists(nl, :lx), :lx)", R"({"nl": {"L": [{"S": "y"}, {"S": "y"}]}})"},
    UpdateCase{"SET a = n, b = s", R"({"a": {"N": "5"}, "b": {"S": "x"}})"},
    UpdateCase{"SET n = s, s = n", R"({"n": {"S": "x"}, "s": {"N": "5"}})"},
    UpdateCase{"SET m.a = :two", R"({"m": {"M": {"a": {"N": "2"}, "sb": {"M": {}}}}})"},
    UpdateCase{"SET m.sb.deep = :x", R"({"m": {"M": {"a": {"N": "1"}, "sb": {"M": {"deep": {"S": "x"}}}}}})"},
    UpdateCase{"SET #m.#k = :v", R"({"m": {"M": {"a": {"N": "1"}, "k": {"S": "v"}, "sb": {"M": {}}}}})"},
    UpdateCase{"SET l[1] = :x", R"({"l": {"L": [{"N": "0"}, {"S": "x"}, {"N": "2"}, {"N": "3"}]}})"},
    UpdateCase{"SET l[10] = :x", R"({"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}, {"S": "x"}]}})"},
    UpdateCase{"SET n = (:one)", R"({"n": {"N": "1"}})"},
    UpdateCase{"SET n = (n + :one)", R"({"n": {"N": "6"}})"},
    UpdateCase{"REMOVE s", R"({"s": null})"},
    UpdateCase{"REMOVE nope", R"({})"},
    UpdateCase{"REMOVE m.a", R"({"m": {"M": {"sb": {"M": {}}}}})"},
    UpdateCase{"REMOVE l[0], l[2]", R"({"l": {"L": [{"N": "1"}, {"N": "3"}]}})"},
    UpdateCase{"REMOVE l[2], l[0]", R"({"l": {"L": [{"N": "1"}, {"N": "3"}]}})"},
    UpdateCase{"REMOVE l[9]", R"({"l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}})"},
    UpdateCase{"ADD n :two", R"({"n": {"N": "7"}})"},
    UpdateCase{"ADD c :two", R"({"c": {"N": "2"}})"},
    UpdateCase{"ADD ss :c", R"({"ss": {"SS": ["a", "b", "c"]}})"},
    UpdateCase{"ADD ss :ab", R"({"ss": {"SS": ["a", "b"]}})"},
    UpdateCase{"ADD ns :n3", R"({"ns": {"NS": ["1", "2", "3"]}})"},
    UpdateCase{"ADD fresh :c", R"({"fresh": {"SS": ["c"]}})"},
    UpdateCase{"ADD m.cnt :one", R"({"m": {"M": {"a": {"N": "1"}, "cnt": {"N": "1"}, "sb": {"M": {}}}}})"},
    UpdateCase{"DELETE ss :ab", R"({"ss": null})"},
    UpdateCase{"DELETE ss :c", R"({"ss": {"SS": ["a", "b"]}})"},
    UpdateCase{"DELETE ss :ss2", R"({"ss": null})"},
    UpdateCase{"DELETE nope :c", R"({})"},
    UpdateCase{"SET a = :one REMOVE s ADD n :one DELETE ss :c", R"({"a": {"N": "1"}, "n": {"N": "6"}, "s": null})"},
    UpdateCase{"remove s set a = :one", R"({"a": {"N": "1"}, "s": null})"},
    // Runtime errors.
    UpdateCase{"SET a = nope", "The provided expression refers to an attribute that does not exist in the item"},
    UpdateCase{"SET a = nope + :one", "The provided expression refers to an attribute that does not exist in the item"},
    UpdateCase{"SET a = list_append(nope, :lx)", "The provided expression refers to an attribute that does not exist in the item"},
    UpdateCase{"SET a = s + :one", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"SET a = list_append(s, :lx)", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"ADD s :one", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"ADD ss :n3", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"ADD n :c", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"DELETE n :c", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"DELETE ss :n3", "An operand in the update expression has an incorrect data type"},
    UpdateCase{"SET x.y = :one", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"SET s.y = :one", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"SET m[0] = :one", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"SET l.a = :one", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"SET nope[0] = :one", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"REMOVE x.y", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"REMOVE s.y", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"ADD x.y :one", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"DELETE x.y :c", "The document path provided in the update expression is invalid for update"},
    UpdateCase{"SET n = n + :big", "Attempting to store more than 38 significant digits in a Number"},
    // Parse errors.
    UpdateCase{"", "Invalid UpdateExpression: The expression can not be empty;"},
    UpdateCase{"whatever", "Invalid UpdateExpression: Syntax error; token: \"whatever\", near: \"whatever\""},
    UpdateCase{"set a", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"a\""},
    UpdateCase{"SET MyStr = myNum + 1", "Invalid UpdateExpression: Syntax error; token: \"1\", near: \"+ 1\""},
    UpdateCase{"SET MyStr = myNum Mystr2 myNum2",
               "Invalid UpdateExpression: Syntax error; token: \"Mystr2\", near: \"myNum Mystr2 myNum2\""},
    UpdateCase{"SET MyStr = my Num", "Invalid UpdateExpression: Syntax error; token: \"Num\", near: \"my Num\""},
    UpdateCase{"set a = b + c + d", "Invalid UpdateExpression: Syntax error; token: \"+\", near: \"c + d\""},
    UpdateCase{"set a = b / c", "Invalid UpdateExpression: Syntax error; token: \"/\", near: \"b / c\""},
    UpdateCase{"add a = b", "Invalid UpdateExpression: Syntax error; token: \"=\", near: \"a = b\""},
    UpdateCase{"delete a b", "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\""},
    UpdateCase{"remove :a", "Invalid UpdateExpression: Syntax error; token: \":a\", near: \"remove :a\""},
    UpdateCase{"set (a = (b + c))", "Invalid UpdateExpression: Syntax error; token: \"(\", near: \"set (a\""},
    UpdateCase{"set a = (b.c).d + e", "Invalid UpdateExpression: Syntax error; token: \".\", near: \").d\""},
    UpdateCase{"set a=set", "Invalid UpdateExpression: Syntax error; token: \"set\", near: \"=set\""},
    UpdateCase{"set a = :one,", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \",\""},
    // Semantic errors, in AWS's order.
    UpdateCase{" remove Absolute ", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute"},
    UpdateCase{"set #c = if_not_exist(:c) set c = d", "Invalid UpdateExpression: Invalid function name; function: if_not_exist"},
    UpdateCase{"set a = size(s)", "Invalid UpdateExpression: Invalid function name; function: size"},
    UpdateCase{"set a = #x set c = :d", "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;"},
    UpdateCase{"remove a set b = :one remove c", "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;"},
    UpdateCase{"SET #x = :one", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
    UpdateCase{"SET a = if_not_exists(:nothing)", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nothing"},
    UpdateCase{"set a = :one remove a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
    UpdateCase{"set m.a = :one, m = :m", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, a], path two: [m]"},
    UpdateCase{"remove l, l[1]", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l], path two: [l, [1]]"},
    UpdateCase{"set l[3].#idx = :one, l.#idx[3] = :one", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [3], [3]], path two: [l, [3], [3]]"},
    UpdateCase{"remove m.#k set m[1] = :one", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, k], path two: [m, [1]]"},
    UpdateCase{"ADD a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
    UpdateCase{"ADD a :t", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN"},
    UpdateCase{"ADD a :l", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST"},
    UpdateCase{"ADD a :m", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: MAP"},
    UpdateCase{"ADD a :b", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: BINARY"},
    UpdateCase{"ADD a :nul", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: NULL"},
    UpdateCase{"DELETE a :one", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
    UpdateCase{"DELETE a :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: STRING"},
    UpdateCase{"set a = if_not_exists(c)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
    UpdateCase{"set a = list_append(c)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
    UpdateCase{"set a = if_not_exists(:a, c)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
    UpdateCase{"set a = list_append(:a, a)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
    UpdateCase{"set a = list_append(a, :five)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N"},
    UpdateCase{"set a = a + :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
    UpdateCase{"set a = :b - a", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: B"},
    UpdateCase{"set a = a + :ss", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: SS"},
    UpdateCase{"set a = a - :m", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: M"},
    UpdateCase{"set b = list_append(:a, a), c = if_not_exists(a) add a.b :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
    UpdateCase{"set a = :one, c = if_not_exists(a) add a.b :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
    UpdateCase{"set b = list_append(:a, a), c = if_not_exists(a) add d.b :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING"}));

// ------------------------------------------------------------------ projections

struct ProjectionCase {
  const char* expr;
  const char* want;
};

class Projections : public ::testing::TestWithParam<ProjectionCase> {};

TEST_P(Projections, Select) {
  auto ctx = context();
  auto p = parse_projection(GetParam().expr, ctx);
  std::string want = GetParam().want;
  if (!p) {
    EXPECT_EQ(p.error().message, want) << GetParam().expr;
    return;
  }
  EXPECT_EQ(to_json(project(item(), *p)), json::parse(want)) << GetParam().expr;
}

INSTANTIATE_TEST_SUITE_P(Expressions, Projections, ::testing::Values(
    ProjectionCase{"n", R"({"n": {"N": "5"}})"},
    ProjectionCase{"n, s", R"({"n": {"N": "5"}, "s": {"S": "hello world"}})"},
    ProjectionCase{"nope", R"({})"},
    ProjectionCase{"m.k", R"({"m": {"M": {"k": {"S": "v"}}}})"},
    ProjectionCase{"m.k, m.n", R"({"m": {"M": {"k": {"S": "v"}, "n": {"N": "7"}}}})"},
    ProjectionCase{"m.sub2.x", R"({"m": {"M": {"sub2": {"M": {"x": {"N": "1"}}}}}})"},
    ProjectionCase{"l[0]", R"({"l": {"L": [{"S": "x"}]}})"},
    ProjectionCase{"l[2], l[0]", R"({"l": {"L": [{"S": "x"}, {"M": {"deep": {"S": "d"}}}]}})"},
    ProjectionCase{"l[2].deep", R"({"l": {"L": [{"M": {"deep": {"S": "d"}}}]}})"},
    ProjectionCase{"l[7]", R"({})"},
    ProjectionCase{"m.nothing", R"({})"},
    ProjectionCase{"#dot", R"({"a.b": {"S": "dotted"}})"},
    ProjectionCase{"#m.#k, #n", R"({"m": {"M": {"k": {"S": "v"}}}, "n": {"N": "5"}})"},
    ProjectionCase{"#size", R"({"size": {"N": "3"}})"},
    ProjectionCase{"", "Invalid ProjectionExpression: The expression can not be empty;"},
    ProjectionCase{"n,", "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\""},
    ProjectionCase{"n s", "Invalid ProjectionExpression: Syntax error; token: \"s\", near: \"n s\""},
    ProjectionCase{"size", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size"},
    ProjectionCase{"#x", "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
    ProjectionCase{"m, m.k", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m], path two: [m, k]"},
    ProjectionCase{"n, n", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [n], path two: [n]"},
    ProjectionCase{"l[0], l.a", "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, a]"}));

// ------------------------------------------------------------------ names and values used

TEST(ExpressionContext, ReportsUnusedNamesThenValues) {
  ExpressionContext ctx;
  ctx.names = {{"#a", "a"}, {"#b", "b"}};
  ctx.values = {{":a", AttributeValue::string("x")}, {":c", AttributeValue::string("y")}};
  ASSERT_TRUE(parse_condition("#a = :a", "ConditionExpression", ctx));
  EXPECT_EQ(check_unused(ctx).error().message, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  ASSERT_TRUE(parse_condition("#b = :a", "ConditionExpression", ctx));
  EXPECT_EQ(check_unused(ctx).error().message, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:c}");
  ASSERT_TRUE(parse_update("SET x = :c", ctx));
  EXPECT_TRUE(check_unused(ctx));
}

TEST(ExpressionContext, CollectsEveryUnusedKey) {
  ExpressionContext ctx;
  ctx.names = {{"#a", "a"}, {"#b", "b"}, {"#c", "c"}};
  ASSERT_TRUE(parse_projection("#b", ctx));
  EXPECT_EQ(check_unused(ctx).error().message,
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}");
}

TEST(UpdatePaths, ListTheTouchedPaths) {
  auto ctx = context();
  auto u = parse_update("SET a = :one, m.k = :v REMOVE l[1] ADD n :one", ctx).value();
  auto paths = action_paths(u);
  ASSERT_EQ(paths.size(), 4u);
  EXPECT_EQ(path_string(paths[1]), "[m, k]");
  EXPECT_EQ(path_string(paths[2]), "[l, [1]]");
}

}  // namespace
}  // namespace streamlab::dynamodb
