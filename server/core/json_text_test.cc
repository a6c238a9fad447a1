#include "server/core/json_text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>

namespace streamlab {

TEST(JsonText, StringsRoundTripThroughAParser) {
  for (std::string s : {std::string(""), std::string("plain"), std::string("quote\" back\\slash"),
                        std::string("ctl\x01\x1f\n\t\r\b\f"), std::string("unicode \xc3\xa9 \xe2\x82\xac")}) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), s) << out;
  }
}

// Long runs are skipped 8 bytes at a time: every byte that needs escaping must still be
// escaped at every position of a word, and everything else copied as it is.
TEST(JsonText, EscapesAtEveryPositionOfAWord) {
  for (size_t len = 1; len < 20; ++len)
    for (size_t at = 0; at < len; ++at)
      for (int c : {0x00, 0x01, 0x1f, 0x20, int('"'), int('\\'), 0x7f, 0x80, 0xc3, 0xff}) {
        std::string s(len, 'x');
        s[at] = char(c);
        std::string out;
        append_json_escaped(out, s);
        std::string expected;
        for (unsigned char b : s) {
          if (b == '"') expected += "\\\"";
          else if (b == '\\') expected += "\\\\";
          else if (b < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", b);
            expected += buf;
          } else expected += char(b);
        }
        EXPECT_EQ(out, expected) << len << " " << at << " " << c;
      }
}

}  // namespace streamlab
