#include "emulators/dynamodb/attribute_value.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace streamlab::dynamodb {
namespace {
using json = nlohmann::json;

std::string error_of(const std::string& wire) {
  auto v = parse_value(json::parse(wire));
  return v ? "" : v.error().message;
}

TEST(AttributeValue, InvalidValuesGetAwsMessages) {
  struct Case {
    const char *wire, *message;
  } cases[] = {
      {R"({})", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"S":"a","N":"1"})",
       "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
      {R"({"N":""})", "The parameter cannot be converted to a numeric value"},
      {R"({"N":"b"})", "The parameter cannot be converted to a numeric value: b"},
      {R"({"NULL":false})", "One or more parameter values were invalid: Null attribute value types must have the value of true"},
      {R"({"SS":[]})", "One or more parameter values were invalid: An string set  may not be empty"},
      {R"({"NS":[]})", "One or more parameter values were invalid: An number set  may not be empty"},
      {R"({"BS":[]})", "One or more parameter values were invalid: Binary sets should not be empty"},
      {R"({"SS":["a",""]})", "One or more parameter values were invalid: An string set may not have a empty string as a member"},
      {R"({"BS":["aaaa",""]})", "One or more parameter values were invalid: Binary sets may not contain null or empty values"},
      {R"({"SS":["a","a"]})", "One or more parameter values were invalid: Input collection [a, a] contains duplicates."},
      {R"({"BS":["Yg==","Yg=="]})", "One or more parameter values were invalid: Input collection [Yg==, Yg==]of type BS contains duplicates."},
      {R"({"NS":["1","1.0"]})", "Input collection contains duplicates"},
      {R"({"NS":["1","b"]})", "The parameter cannot be converted to a numeric value: b"},
      {R"({"N":"1e126"})", "Number overflow. Attempting to store a number with magnitude larger than supported range"},
      {R"({"M":{"a":{}}})", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
      {R"({"L":[{"N":"x"}]})", "The parameter cannot be converted to a numeric value: x"},
  };
  for (auto& c : cases) EXPECT_EQ(error_of(c.wire), c.message) << c.wire;
  // Empty strings and binaries are fine outside keys (since 2020).
  EXPECT_EQ(error_of(R"({"S":""})"), "");
  EXPECT_EQ(error_of(R"({"B":""})"), "");
}

TEST(AttributeValue, NestingLimit) {
  std::string deep = R"({"S":"x"})";
  for (int i = 0; i < 33; ++i) deep = R"({"L":[)" + deep + "]}";
  EXPECT_EQ(error_of(deep), "One or more parameter values were invalid: Nesting Levels have exceeded supported limits");
  std::string ok = R"({"S":"x"})";
  for (int i = 0; i < 31; ++i) ok = R"({"M":{"k":)" + ok + "}}";
  EXPECT_EQ(error_of(ok), "");
}

TEST(AttributeValue, RoundTripsToWire) {
  for (const char* wire : {R"({"S":"héllo"})", R"({"N":"-1.5"})", R"({"B":"AAEC"})", R"({"BOOL":false})",
                           R"({"NULL":true})", R"({"SS":["x","y"]})", R"({"NS":["1","2.5"]})", R"({"BS":["AAE="]})",
                           R"({"L":[{"S":"a"},{"N":"1"}]})", R"({"M":{"a":{"BOOL":true}}})"}) {
    auto v = parse_value(json::parse(wire));
    ASSERT_TRUE(v) << wire;
    EXPECT_EQ(to_json(*v), json::parse(wire)) << wire;
  }
  EXPECT_EQ(to_json(parse_value(json::parse(R"({"N":"001.500"})")).value()), json::parse(R"({"N":"1.5"})"));
}

TEST(AttributeValue, ItemSizeIsComputedAwsWay) {
  auto size_of = [](const char* wire) { return item_size(parse_item(json::parse(wire)).value()); };
  EXPECT_EQ(size_of(R"({"a":{"S":"abc"}})"), 4u);
  EXPECT_EQ(size_of(R"({"name":{"S":"héllo"}})"), 4u + 6u);  // UTF-8 bytes
  EXPECT_EQ(size_of(R"({"b":{"B":"AAEC"}})"), 1u + 3u);
  EXPECT_EQ(size_of(R"({"t":{"BOOL":true},"n":{"NULL":true}})"), 2u + 2u);
  EXPECT_EQ(size_of(R"({"s":{"SS":["ab","c"]}})"), 1u + 3u);
  EXPECT_EQ(size_of(R"({"l":{"L":[]}})"), 1u + 3u);
  EXPECT_EQ(size_of(R"({"l":{"L":[{"S":"ab"},{"S":"c"}]}})"), 1u + 3u + 3u + 2u);
  EXPECT_EQ(size_of(R"({"m":{"M":{"k":{"S":"v"}}}})"), 1u + 3u + 1u + 1u + 1u);
  EXPECT_EQ(size_of(R"({"c":{"N":"1e125"}})"), 1u + 2u);
  // 400 KB exactly is allowed; one byte more is not.
  Item item;
  item["a"] = AttributeValue::string(std::string(kMaxItemSize - 1, 'x'));
  EXPECT_EQ(item_size(item), kMaxItemSize);
}

TEST(AttributeValue, EqualityAndOrdering) {
  auto v = [](const char* wire) { return parse_value(json::parse(wire)).value(); };
  EXPECT_TRUE(equals(v(R"({"N":"1"})"), v(R"({"N":"1.00"})")));
  EXPECT_TRUE(equals(v(R"({"SS":["a","b"]})"), v(R"({"SS":["b","a"]})")));
  EXPECT_FALSE(equals(v(R"({"SS":["a"]})"), v(R"({"S":"a"})")));
  EXPECT_FALSE(equals(v(R"({"L":[{"S":"a"},{"S":"b"}]})"), v(R"({"L":[{"S":"b"},{"S":"a"}]})")));
  EXPECT_TRUE(equals(v(R"({"M":{"a":{"N":"2"}}})"), v(R"({"M":{"a":{"N":"2.0"}}})")));
  EXPECT_LT(compare_scalars(v(R"({"N":"9"})"), v(R"({"N":"10"})")), 0);
  EXPECT_GT(compare_scalars(v(R"({"S":"9"})"), v(R"({"S":"10"})")), 0);
  EXPECT_EQ(describe(v(R"({"N":"1"})")), "{N:1}");
  EXPECT_EQ(describe(v(R"({"S":"a"})")), "{S:a}");
}

}  // namespace
}  // namespace streamlab::dynamodb
