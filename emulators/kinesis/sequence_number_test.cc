#include "emulators/kinesis/sequence_number.h"

#include <gtest/gtest.h>

#include "emulators/kinesis/hash_key.h"

namespace streamlab::kinesis {

TEST(SequenceNumber, RoundTripsItsParts) {
  auto s = make_sequence_number(1700000000123, 42, 987654321);
  auto p = parse_sequence_number(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->timestamp_ms, 1700000000123);
  EXPECT_EQ(p->shard_index, 42u);
  EXPECT_EQ(p->offset, 987654321u);
  EXPECT_EQ(s.size(), 39u);
}

TEST(SequenceNumber, IncreasesWithinAShardAndWithTime) {
  auto a = *parse_decimal(make_sequence_number(1000, 3, 7));
  auto b = *parse_decimal(make_sequence_number(1000, 3, 8));
  auto c = *parse_decimal(make_sequence_number(1001, 0, 0));
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);  // a later arrival sorts after, whatever the shard
}

TEST(SequenceNumber, RejectsForeignNumbers) {
  EXPECT_FALSE(parse_sequence_number("0"));
  EXPECT_FALSE(parse_sequence_number("49546986683135544286507457936321625675700192471156785154"));
  EXPECT_FALSE(parse_sequence_number("12345"));
}

}  // namespace streamlab::kinesis
