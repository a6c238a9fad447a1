#include "server/protocol/json_reader.h"

#include <gtest/gtest.h>

namespace streamlab::protocol {
namespace {

using json = nlohmann::json;

// Whatever the quick reader accepts must equal nlohmann's tree, number kinds included.
void expect_same(std::string_view text) {
  auto quick = quick_parse_json(text);
  ASSERT_TRUE(quick.has_value()) << text;
  json reference = json::parse(text);
  EXPECT_EQ(*quick, reference) << text;
  EXPECT_EQ(quick->dump(), reference.dump()) << text;
}

TEST(JsonReader, ReadsWhatSdksSend) {
  expect_same(R"({"StreamName":"s","Data":"aGVsbG8=","PartitionKey":"k-1"})");
  expect_same(R"( { "Records" : [ {"Data":"", "PartitionKey":"a"}, {"Data":"AA==","PartitionKey":"b"} ] , "Limit": 10000 } )");
  expect_same(R"({"a":true,"b":false,"c":null,"d":[],"e":{},"f":[1,-2,0,-0,123456789012345678]})");
  expect_same(R"({"esc":"q\" b\\ s\/ \b\f\n\r\t end"})");
  expect_same(R"({"dup":1,"dup":{"x":[true]}})");
  expect_same("[1,2]");
  expect_same("\"top\"");
}

TEST(JsonReader, NumberKindsMatchNlohmann) {
  auto quick = quick_parse_json(R"({"u":7,"i":-7})");
  ASSERT_TRUE(quick);
  EXPECT_TRUE((*quick)["u"].is_number_unsigned());
  EXPECT_TRUE((*quick)["i"].is_number_integer());
  EXPECT_FALSE((*quick)["i"].is_number_unsigned());
}

TEST(JsonReader, LeavesEverythingElseToNlohmann) {
  for (std::string_view text : {
           R"({"a":"\u00e9"})", "{\"a\":\"\xc3\xa9\"}", R"({"a":1.5})", R"({"a":1e3})", R"({"a":1234567890123456789})",
           R"({"a":01})", R"({"a":-})", R"({"a":"\x"})", "{\"a\":\"tab\there\"}", R"({"a":1,})", R"({"a" 1})",
           R"({"a":1} x)", R"({"a":tru})", R"({a:1})", "", "   ", R"({"a":[1,2)", R"({"a":"open)", "\xef\xbb\xbf{}",
       })
    EXPECT_FALSE(quick_parse_json(text).has_value()) << text;
  std::string deep(200, '[');
  deep += std::string(200, ']');
  EXPECT_FALSE(quick_parse_json(deep).has_value());
}

}  // namespace
}  // namespace streamlab::protocol
