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

// The reader skips plain text 8 bytes at a time: a quote, escape, control character or
// non-ASCII byte at any position of a word must still be seen.
TEST(JsonReader, SeesSpecialBytesAtEveryPositionOfAWord) {
  for (size_t len = 0; len < 24; ++len) {
    for (size_t at = 0; at <= len; ++at) {
      std::string plain(len, 'A');
      expect_same("{\"s\":\"" + plain + "\"}");
      std::string escaped = plain;
      escaped.insert(at, "\\n");
      expect_same("{\"s\":\"" + escaped + "\",\"t\":\"" + plain + "\"}");
      std::string quoted = plain;
      quoted.insert(at, "\\\"");
      expect_same("{\"s\":\"" + quoted + "\"}");
      for (char bad : {'\x01', '\x1f', '\t', '\x7f', '\x80', '\xff'}) {
        std::string text = plain;
        text.insert(at, 1, bad);
        auto quick = quick_parse_json("{\"s\":\"" + text + "\"}");
        if (bad == '\x7f') {  // DEL is a legal JSON string character
          ASSERT_TRUE(quick.has_value());
          EXPECT_EQ((*quick)["s"], text);
        } else {
          EXPECT_FALSE(quick.has_value()) << len << " " << at << " " << int(bad);
        }
      }
    }
  }
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
