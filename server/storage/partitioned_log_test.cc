#include "server/storage/partitioned_log.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "server/storage/big_endian.h"

namespace streamlab::storage {
namespace {

std::unique_ptr<Store> open_store(const std::string& path, bool in_memory = true) {
  StoreOptions o;
  o.path = path;
  o.in_memory = in_memory;
  auto s = Store::open(o);
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return std::move(*s);
}

std::vector<std::string_view> views(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }
}  // namespace

TEST(BigEndian, KeysSortNumerically) {
  std::string a, b;
  put_u64(a, 255);
  put_u64(b, 256);
  EXPECT_LT(a, b);
  EXPECT_EQ(get_u64(b), 256u);
  std::string k1 = PartitionedLog::record_key({1, 2}, 9), k2 = PartitionedLog::record_key({1, 2}, 10),
              k3 = PartitionedLog::record_key({1, 3}, 0);
  EXPECT_LT(k1, k2);
  EXPECT_LT(k2, k3);
}

TEST(PartitionedLog, AppendAssignsIncreasingOffsetsAndReadsBack) {
  auto store = open_store("/plog1");
  ManualClock clock(1000);
  PartitionedLog log(*store, clock);
  Batch b1;
  auto r1 = log.append({1, 0}, views({"a", "b", "c"}), b1);
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->first_offset, 0u);
  Batch b2;
  auto r2 = log.append({1, 0}, views({"d"}), b2);
  EXPECT_EQ(r2->first_offset, 3u);
  auto read = log.read({1, 0}, {.from = 1, .max_records = 2});
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].payload, "b");
  EXPECT_EQ(read.records[1].offset, 2u);
  EXPECT_EQ(read.next_offset, 3u);
  EXPECT_EQ(read.head, 4u);
  EXPECT_EQ(log.read({1, 1}, {}).records.size(), 0u);  // other partitions are separate
}

TEST(PartitionedLog, ByteCapReturnsAtLeastOneRecord) {
  auto store = open_store("/plog2");
  ManualClock clock;
  PartitionedLog log(*store, clock);
  Batch b;
  ASSERT_TRUE(log.append({1, 0}, views({std::string(100, 'x'), std::string(100, 'y')}), b));
  auto read = log.read({1, 0}, {.from = 0, .max_bytes = 10});
  EXPECT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.next_offset, 1u);
}

TEST(PartitionedLog, TimestampsNeverDecreaseAndFindByTime) {
  auto store = open_store("/plog3");
  ManualClock clock(5000);
  PartitionedLog log(*store, clock);
  Batch b1, b2, b3;
  (void)log.append({2, 0}, views({"a"}), b1);
  clock.set_ms(4000);  // the clock steps back
  auto r = log.append({2, 0}, views({"b"}), b2);
  EXPECT_EQ(r->timestamp_ms, 5000);
  clock.set_ms(9000);
  (void)log.append({2, 0}, views({"c"}), b3);
  EXPECT_EQ(log.offset_at_time({2, 0}, 5000), 0u);
  EXPECT_EQ(log.offset_at_time({2, 0}, 5001), 2u);
  EXPECT_EQ(log.offset_at_time({2, 0}, 9001), 3u);
}

TEST(PartitionedLog, RetentionHidesThenTrimRemoves) {
  auto store = open_store("/plog4");
  ManualClock clock(1000);
  PartitionedLog log(*store, clock);
  Batch b1, b2;
  (void)log.append({3, 0}, views({"old"}), b1);
  clock.set_ms(2000);
  (void)log.append({3, 0}, views({"new"}), b2);
  auto read = log.read({3, 0}, {.from = 0, .min_timestamp_ms = 1500});
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].payload, "new");
  ASSERT_TRUE(log.trim_before_time({3, 0}, 1500));
  EXPECT_EQ(log.first_live({3, 0}), 1u);
  EXPECT_FALSE(store->get(Family::log, PartitionedLog::record_key({3, 0}, 0)));
}

TEST(PartitionedLog, OffsetsNeverRepeatAfterRestartEvenWhenAllTrimmed) {
  std::string dir = std::filesystem::temp_directory_path() / ("plog-restart-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  ManualClock clock(1000);
  {
    auto store = open_store(dir, false);
    PartitionedLog log(*store, clock);
    Batch b;
    (void)log.append({4, 1}, views({"a", "b", "c"}), b);
    ASSERT_TRUE(log.trim_to_offset({4, 1}, 3));
  }
  {
    auto store = open_store(dir, false);
    PartitionedLog log(*store, clock);
    EXPECT_EQ(log.head({4, 1}), 3u);
    Batch b;
    EXPECT_EQ(log.append({4, 1}, views({"d"}), b)->first_offset, 3u);
  }
  std::filesystem::remove_all(dir);
}

TEST(PartitionedLog, MultiPartitionAppendIsOneBatch) {
  auto store = open_store("/plog5");
  ManualClock clock;
  PartitionedLog log(*store, clock);
  Batch b;
  b.put(Family::kv, "other", "change");  // a change that must commit with the records
  auto r = log.append({{{5, 0}, views({"x"})}, {{5, 1}, views({"y", "z"})}}, b);
  ASSERT_TRUE(r);
  EXPECT_EQ(log.head({5, 0}), 1u);
  EXPECT_EQ(log.head({5, 1}), 2u);
  EXPECT_EQ(store->get(Family::kv, "other"), "change");
}

TEST(PartitionedLog, DropTopicRemovesEverything) {
  auto store = open_store("/plog6");
  ManualClock clock;
  PartitionedLog log(*store, clock);
  Batch b;
  (void)log.append({6, 0}, views({"x"}), b);
  Batch drop;
  PartitionedLog::drop_topic(6, drop);
  ASSERT_TRUE(store->commit(drop));
  EXPECT_FALSE(store->get(Family::log, PartitionedLog::record_key({6, 0}, 0)));
}

}  // namespace streamlab::storage
