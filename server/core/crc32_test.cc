#include "server/core/crc32.h"

#include <gtest/gtest.h>

#include <string>

namespace streamlab {
namespace {

// The plain bytewise CRC-32 the slice-by-8 version must agree with.
uint32_t bytewise(std::string_view bytes, uint32_t crc = 0) {
  crc = ~crc;
  for (unsigned char b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  return ~crc;
}

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

TEST(Crc32, AgreesWithBytewiseAtEveryLengthAndAlignment) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) bytes += char((i * 131 + 7) & 0xFF);
  for (size_t start = 0; start < 9; ++start)
    for (size_t len = 0; start + len <= bytes.size(); len += 1 + len / 7)
      ASSERT_EQ(crc32(std::string_view(bytes).substr(start, len)), bytewise(std::string_view(bytes).substr(start, len)))
          << start << "+" << len;
}

TEST(Crc32, ContinuesFromAPreviousValue) {
  // Event-stream frames checksum the prelude, then continue over the rest.
  std::string a = "prelude!", b = "the rest of a frame, longer than eight bytes";
  EXPECT_EQ(crc32(b, crc32(a)), crc32(a + b));
  EXPECT_EQ(crc32(b, 0x12345678u), bytewise(b, 0x12345678u));
}

}  // namespace
}  // namespace streamlab
