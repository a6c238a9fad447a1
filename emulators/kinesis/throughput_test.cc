#include "emulators/kinesis/throughput.h"

#include <gtest/gtest.h>

#include "server/core/clock.h"

namespace streamlab::kinesis {

TEST(ShardThroughput, ThousandRecordsPerSecond) {
  ManualClock clock;
  ShardThroughput t(ShardLimits{}, clock.now_ms());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(t.try_write(clock.now_ms(), 10)) << i;
  EXPECT_FALSE(t.try_write(clock.now_ms(), 10));
  clock.advance_ms(100);  // a tenth of a second refills a hundred records
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(t.try_write(clock.now_ms(), 10)) << i;
  EXPECT_FALSE(t.try_write(clock.now_ms(), 10));
}

TEST(ShardThroughput, OneMebibytePerSecond) {
  ManualClock clock;
  ShardThroughput t(ShardLimits{}, clock.now_ms());
  EXPECT_TRUE(t.try_write(clock.now_ms(), 1 << 20));
  EXPECT_FALSE(t.try_write(clock.now_ms(), 1));
  clock.advance_ms(500);
  EXPECT_TRUE(t.try_write(clock.now_ms(), 512 << 10));
  EXPECT_FALSE(t.try_write(clock.now_ms(), 1));
}

TEST(ShardThroughput, FiveReadsPerSecondAndBigReadsBlock) {
  ManualClock clock;
  ShardThroughput t(ShardLimits{}, clock.now_ms());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(t.try_read(clock.now_ms()));
  EXPECT_FALSE(t.try_read(clock.now_ms()));
  clock.advance_ms(1000);
  ASSERT_TRUE(t.try_read(clock.now_ms()));
  t.charge_read(10u << 20);  // a 10 MiB answer: reads wait about five seconds
  clock.advance_ms(3000);
  EXPECT_FALSE(t.try_read(clock.now_ms()));
  clock.advance_ms(2100);
  EXPECT_TRUE(t.try_read(clock.now_ms()));
}

}  // namespace streamlab::kinesis
