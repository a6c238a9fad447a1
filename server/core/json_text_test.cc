#include "server/core/json_text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace streamlab {

TEST(JsonText, StringsRoundTripThroughAParser) {
  for (std::string s : {std::string(""), std::string("plain"), std::string("quote\" back\\slash"),
                        std::string("ctl\x01\x1f\n\t\r\b\f"), std::string("unicode \xc3\xa9 \xe2\x82\xac")}) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), s) << out;
  }
}

}  // namespace streamlab
