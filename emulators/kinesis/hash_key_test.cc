#include "emulators/kinesis/hash_key.h"

#include <gtest/gtest.h>

namespace streamlab::kinesis {

TEST(HashKey, DecimalRoundTrip) {
  EXPECT_EQ(to_decimal(0), "0");
  EXPECT_EQ(to_decimal(kMaxHashKey), "340282366920938463463374607431768211455");
  EXPECT_EQ(parse_decimal("340282366920938463463374607431768211455"), kMaxHashKey);
  EXPECT_FALSE(parse_decimal("340282366920938463463374607431768211456"));  // 2^128
  EXPECT_FALSE(parse_decimal(""));
  EXPECT_FALSE(parse_decimal("12a"));
  EXPECT_EQ(*parse_decimal("170141183460469231731687303715884105728"), u128(1) << 127);
}

TEST(HashKey, UniformRangesMatchAws) {
  // AWS's ranges for a 3-shard stream.
  EXPECT_EQ(to_decimal(uniform_start(1, 3)), "113427455640312821154458202477256070485");
  EXPECT_EQ(to_decimal(uniform_start(2, 3)), "226854911280625642308916404954512140970");
  EXPECT_EQ(to_decimal(uniform_start(1, 4)), "85070591730234615865843651857942052864");
  // Six shards: each gets floor(2^128 / 6) keys, the last the remainder.
  EXPECT_EQ(to_decimal(uniform_start(2, 6)), "113427455640312821154458202477256070484");
  EXPECT_EQ(uniform_start(0, 7), u128(0));
  for (uint64_t n : {1, 2, 3, 5, 7, 64, 1000}) {
    for (uint64_t i = 1; i < n; ++i) EXPECT_GT(uniform_start(i, n), uniform_start(i - 1, n));
  }
}

TEST(HashKey, PartitionKeyIsMd5BigEndian) {
  // md5("a") = 0cc175b9c0f1b6a831c399e269772661
  u128 expected = (u128(0x0cc175b9c0f1b6a8ULL) << 64) | u128(0x31c399e269772661ULL);
  EXPECT_EQ(hash_of_partition_key("a"), expected);
}

}  // namespace streamlab::kinesis
