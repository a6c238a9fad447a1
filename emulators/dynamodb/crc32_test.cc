#include "emulators/dynamodb/crc32.h"

#include <gtest/gtest.h>

namespace streamlab::dynamodb {
namespace {

TEST(Crc32, MatchesZlib) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);  // the CRC-32 check value
  EXPECT_EQ(crc32("{}"), 2745614147u);           // a DynamoDB PutItem answer, as captured from AWS clients
  std::string long_text;
  for (int i = 0; i < 1000; ++i) long_text += char('a' + i % 26);
  uint32_t whole = crc32(long_text);
  EXPECT_EQ(whole, 1409376935u);  // zlib.crc32
  EXPECT_NE(whole, crc32(long_text.substr(1)));
  EXPECT_EQ(crc32(std::string_view(long_text).substr(0, 7)), crc32(long_text.substr(0, 7)));
}

}  // namespace
}  // namespace streamlab::dynamodb
