#include "server/core/shape.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace streamlab {
namespace {
using json = nlohmann::json;

Shape create_stream() {
  return structure_shape({
      {"StreamName", string_shape().min(1).max(128).pattern("[a-zA-Z0-9_.-]+").required()},
      {"ShardCount", integer_shape().min(1)},
      {"Tags", map_shape(string_shape().min(1).max(128), string_shape().max(256)).min(1)},
      {"Data", blob_shape().max(4)},
      {"Keys", list_shape(string_shape().min(1)).max(2)},
      {"Enabled", boolean_shape()},
  });
}

std::string check(json in) {
  auto s = create_stream().check(in);
  return s ? "" : s.error().code + ": " + s.error().message;
}
}  // namespace

TEST(Shape, AcceptsValidInputAndDropsUnknownMembers) {
  json in = {{"StreamName", "a"}, {"ShardCount", 2}, {"Unknown", 1}};
  EXPECT_TRUE(create_stream().check(in));
  EXPECT_FALSE(in.contains("Unknown"));
}

TEST(Shape, RequiredMember) {
  EXPECT_EQ(check(json::object()),
            "ValidationException: 1 validation error detected: Value null at 'streamName' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(Shape, SeveralConstraintsAreCounted) {
  EXPECT_EQ(check({{"StreamName", ""}, {"ShardCount", 0}}),
            "ValidationException: 3 validation errors detected: Value '' at 'streamName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value '' at 'streamName' "
            "failed to satisfy constraint: Member must have length greater than or equal to 1; Value '0' at "
            "'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1");
}

TEST(Shape, WrongJsonTypesAreSerializationErrors) {
  EXPECT_EQ(check({{"StreamName", 1}}),
            "SerializationException: class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted "
            "to an String");
  EXPECT_EQ(check({{"StreamName", "a"}, {"ShardCount", "2"}}),
            "SerializationException: class java.lang.String can not be converted to an Integer");
  EXPECT_EQ(check({{"StreamName", "a"}, {"ShardCount", true}}),
            "SerializationException: class java.lang.Boolean can not be converted to an Integer");
  EXPECT_EQ(check({{"StreamName", {1}}}), "SerializationException: Start of list found where not expected");
  EXPECT_EQ(check({{"StreamName", {{"a", 1}}}}),
            "SerializationException: Start of structure or map found where not expected.");
  EXPECT_EQ(check({{"StreamName", "a"}, {"Tags", "x"}}), "SerializationException: Expected map or null");
  EXPECT_EQ(check({{"StreamName", "a"}, {"Keys", 3}}), "SerializationException: Expected list or null");
  EXPECT_EQ(check({{"StreamName", "a"}, {"Enabled", "yes"}}),
            "SerializationException: 'YES' can not be converted to an Boolean");
}

TEST(Shape, IntegersOutsideJavaRangesAreRejected) {
  EXPECT_EQ(check({{"StreamName", "a"}, {"ShardCount", 4294967297LL}}),
            "SerializationException: Numeric value (4294967297) out of range of int");
  EXPECT_EQ(check({{"StreamName", "a"}, {"ShardCount", 1e20}}),
            "SerializationException: Numeric value (1e+20) out of range of int");
  EXPECT_EQ(check({{"StreamName", "a"}, {"ShardCount", 2.7}}),
            "");  // fractions are truncated, as AWS does
}

TEST(Shape, BlobsAreStrictBase64) {
  EXPECT_EQ(check({{"StreamName", "a"}, {"Data", "23456"}}),
            "SerializationException: '23456' can not be converted to a Blob: Base64 encoded length is expected a "
            "multiple of 4 bytes but found: 5");
  EXPECT_EQ(check({{"StreamName", "a"}, {"Data", "+/+="}}),
            "SerializationException: '+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character "
            "dectected");
  EXPECT_EQ(check({{"StreamName", "a"}, {"Data", "AAAAAAAA"}}),
            "ValidationException: 1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=6 cap=6]' "
            "at 'data' failed to satisfy constraint: Member must have length less than or equal to 4");
}

TEST(Shape, ListsOfScalarsAreJudgedWhole) {
  EXPECT_EQ(check({{"StreamName", "a"}, {"Keys", {"x", ""}}}),
            "ValidationException: 1 validation error detected: Value '[x, ]' at 'keys' failed to satisfy "
            "constraint: Member must satisfy constraint: [Member must have length greater than or equal to 1]");
}

TEST(Shape, MapKeysAndValues) {
  EXPECT_EQ(check({{"StreamName", "a"}, {"Tags", {{"", "v"}}}}),
            "ValidationException: 1 validation error detected: Value '{=v}' at 'tags' failed to satisfy constraint: "
            "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must "
            "have length greater than or equal to 1]");
  EXPECT_EQ(check({{"StreamName", "a"}, {"Tags", {{"k", std::string(257, 'v')}}}}),
            "ValidationException: 1 validation error detected: Value '{k=" + std::string(257, 'v') +
                "}' at 'tags' failed to satisfy constraint: Map value must satisfy constraint: [Member must have "
                "length less than or equal to 256]");
}

TEST(Shape, NestedStructuresUseMemberAndOneBasedIndexes) {
  Shape s = structure_shape({{"Records", list_shape(structure_shape({{"Key", string_shape().min(1).required()}}))}});
  json in = {{"Records", {{{"Key", "a"}}, {{"Key", ""}}}}};
  auto r = s.check(in);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "1 validation error detected: Value '' at 'records.2.member.key' failed to satisfy constraint: Member "
            "must have length greater than or equal to 1");
}

TEST(Shape, VeryLongStringsDoNotOverflowTheRegexEngine) {
  json in = {{"StreamName", std::string(1 << 20, 'a')}};
  auto s = create_stream().check(in);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("less than or equal to 128"), std::string::npos);
}

}  // namespace streamlab

namespace streamlab {
namespace {
// A recursive value shape as DynamoDB's AttributeValue is: M and L hold the shape itself.
std::shared_ptr<Shape> recursive_value(bool constrained_leaf) {
  auto self = std::make_shared<Shape>(structure_shape({
      {"S", constrained_leaf ? string_shape().max(3) : string_shape()},
      {"M", map_shape(string_shape(), Shape())},
      {"L", list_shape(Shape())},
  }));
  for (auto& [name, member] : self->members_)
    if (name == "M" || name == "L") member.element_ = self;
  return self;
}
}  // namespace

TEST(Shape, UnconstrainedSubtreesAreFound) {
  EXPECT_TRUE(structure_shape({{"A", string_shape()}, {"B", list_shape(integer_shape())}}).unconstrained());
  EXPECT_FALSE(structure_shape({{"A", structure_shape({{"B", string_shape().required()}})}}).unconstrained());
  EXPECT_FALSE(map_shape(string_shape().min(1), string_shape()).unconstrained());
  EXPECT_TRUE(recursive_value(false)->unconstrained());
  EXPECT_FALSE(recursive_value(true)->unconstrained());
  EXPECT_FALSE(create_stream().unconstrained());
}

// Skipping what cannot fail changes no answer: the same inputs checked by finalized shapes and by
// shapes that work everything out each time, including deep constraints under recursion.
TEST(Shape, FinalizedShapesAnswerAsBefore) {
  for (bool leaf : {false, true}) {
    Shape plain = structure_shape({{"Item", map_shape(string_shape(), Shape(*recursive_value(leaf)))},
                                   {"Name", string_shape().min(1).required()}});
    Shape fast = plain;
    fast.finalize();
    for (json in : {json{{"Name", "n"}, {"Item", {{"a", {{"S", "abcd"}}}}}},
                    json{{"Name", ""}, {"Item", {{"a", {{"M", {{"b", {{"L", {{{"S", "toolong"}}}}}}}}}}}}},
                    json{{"Name", "n"}, {"Item", {{"a", {{"S", nullptr}}}}}},
                    json{{"Name", "n"}, {"Item", {{"a", {{"X", 1}}}}}},
                    json{{"Name", "n"}, {"Item", {{"a", {{"S", 5}}}}}},
                    json{{"Item", {{"a", {{"L", json::array({json{{"S", "x"}}, json{{"M", {{"k", {{"S", "yyyy"}}}}}}})}}}}}}}) {
      json a = in, b = in;
      auto sa = plain.check(a), sb = fast.check(b);
      ASSERT_EQ(bool(sa), bool(sb)) << in.dump();
      if (!sa) EXPECT_EQ(sa.error().message, sb.error().message) << in.dump();
      EXPECT_EQ(a, b) << in.dump();  // the same members dropped
    }
  }
}

TEST(Shape, OneMemberObjectsKeepTheirRules) {
  Shape s = structure_shape({{"S", string_shape()}, {"N", string_shape()}});
  json null_member = {{"S", nullptr}};
  EXPECT_TRUE(s.check(null_member));
  EXPECT_EQ(null_member, json::object());
  json unknown = {{"Z", 1}};
  EXPECT_TRUE(s.check(unknown));
  EXPECT_EQ(unknown, json::object());
  json wrong = {{"N", true}};
  auto st = s.check(wrong);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "class java.lang.Boolean can not be converted to an String");
}

}  // namespace streamlab
