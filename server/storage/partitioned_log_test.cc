#include "server/storage/partitioned_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <thread>

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

// Holds the commits a test picks until it releases them, then fails or passes them to the store.
class CommitGate {
 public:
  explicit CommitGate(Store& store) : store_(store) {}
  // The next `calls`-th commit (1-based, counting from now) blocks until release().
  void hold_call(int call, bool fail) {
    std::lock_guard lock(mu_);
    held_call_ = calls_ + call;
    fail_held_ = fail;
  }
  void fail_next() {
    std::lock_guard lock(mu_);
    fail_call_ = calls_ + 1;
  }
  Status commit(Batch& b) {
    std::unique_lock lock(mu_);
    int call = ++calls_;
    if (call == held_call_) {
      holding_ = true;
      cv_.notify_all();
      cv_.wait(lock, [&] { return released_; });
      holding_ = false;
      if (fail_held_) return AwsError::internal("injected failure");
    }
    if (call == fail_call_) return AwsError::internal("injected failure");
    lock.unlock();
    auto s = store_.commit(b);
    lock.lock();
    ++passed_;
    cv_.notify_all();
    return s;
  }
  void wait_until_holding() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return holding_; });
  }
  void wait_until_passed(int n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return passed_ >= n; });
  }
  void release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  Store& store_;
  std::mutex mu_;
  std::condition_variable cv_;
  int calls_ = 0, held_call_ = -1, fail_call_ = -1, passed_ = 0;
  bool fail_held_ = false, holding_ = false, released_ = false;
};

TEST(PartitionedLog, LaterAppendWaitsForAnEarlierCommitAndAFailedOneLeavesNoVisibleHole) {
  auto store = open_store("/plog7");
  ManualClock clock(1000);
  CommitGate gate(*store);
  PartitionedLog log(*store, clock, [&](Batch& b) { return gate.commit(b); });
  TopicPartition tp{7, 0};
  gate.hold_call(1, /*fail=*/true);
  auto first = std::async(std::launch::async, [&] {
    Batch b;
    return log.append(tp, views({"lost"}), b);
  });
  gate.wait_until_holding();  // "lost" has offset 0 reserved and is committing
  auto second = std::async(std::launch::async, [&] {
    Batch b;
    return log.append(tp, views({"b", "c"}), b);
  });
  gate.wait_until_passed(1);  // "b", "c" are in the store at offsets 1 and 2
  // Not readable (nor acknowledged) while offset 0 may still appear.
  EXPECT_EQ(log.head(tp), 0u);
  EXPECT_TRUE(log.read(tp, {}).records.empty());
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  gate.release();  // offset 0's commit fails
  auto r1 = first.get();
  EXPECT_FALSE(r1);
  auto r2 = second.get();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->first_offset, 1u);
  EXPECT_EQ(log.head(tp), 3u);
  auto read = log.read(tp, {});
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].offset, 1u);
  EXPECT_EQ(read.records[0].payload, "b");
  EXPECT_EQ(read.next_offset, 3u);
  Batch b3;
  EXPECT_EQ(log.append(tp, views({"d"}), b3)->first_offset, 3u);  // offset 0 is never filled
  EXPECT_FALSE(store->get(Family::log, PartitionedLog::record_key(tp, 0)));
  EXPECT_EQ(log.offset_at_time(tp, 0), 0u);
  EXPECT_EQ(log.read(tp, {.from = log.offset_at_time(tp, 0)}).records.front().payload, "b");
}

TEST(PartitionedLog, FailedLastAppendGivesItsOffsetsBack) {
  auto store = open_store("/plog8");
  ManualClock clock(1000);
  CommitGate gate(*store);
  PartitionedLog log(*store, clock, [&](Batch& b) { return gate.commit(b); });
  TopicPartition a{8, 0}, b{8, 1};
  Batch b1;
  ASSERT_TRUE(log.append(a, views({"x"}), b1));
  gate.fail_next();
  Batch b2;
  EXPECT_FALSE(log.append({{a, views({"y", "z"})}, {b, views({"w"})}}, b2));
  EXPECT_EQ(log.head(a), 1u);
  EXPECT_EQ(log.head(b), 0u);
  Batch b3;
  auto r = log.append({{a, views({"y"})}, {b, views({"w"})}}, b3);
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[0].first_offset, 1u);  // dense: no hole where the failed append was
  EXPECT_EQ((*r)[1].first_offset, 0u);
  EXPECT_EQ(log.read(a, {}).records.size(), 2u);
}

// Several writers, single- and multi-partition, race a reader that follows every partition:
// the reader must never find a gap (every offset it reaches is there when it reads past it),
// every acknowledged record must be readable at once, and each writer's records keep its order.
TEST(PartitionedLog, ConcurrentAppendersPublishInOffsetOrder) {
  auto store = open_store("/plog9");
  ManualClock clock(1000);
  PartitionedLog log(*store, clock);
  constexpr int kWriters = 4, kAppends = 1500, kPartitions = 3;
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  auto reader = std::async(std::launch::async, [&] {
    std::vector<uint64_t> cursor(kPartitions, 0);
    std::vector<int64_t> last_ts(kPartitions, 0);
    std::map<std::pair<int, int>, int> last_seq;  // (partition, writer) -> last sequence seen
    auto follow = [&] {
      for (uint32_t p = 0; p < kPartitions; ++p) {
        auto read = log.read({9, p}, {.from = cursor[p]});
        for (auto& r : read.records) {
          if (r.offset != cursor[p] || r.timestamp_ms < last_ts[p]) ++failures;
          int writer = 0, seq = 0;
          std::sscanf(r.payload.c_str(), "%d-%d", &writer, &seq);
          auto [it, fresh] = last_seq.try_emplace({int(p), writer}, seq);
          if (!fresh && it->second >= seq) ++failures;
          it->second = seq;
          cursor[p] = r.offset + 1;
          last_ts[p] = r.timestamp_ms;
        }
        if (read.next_offset != cursor[p]) ++failures;
      }
    };
    while (!done) follow();
    follow();
    return cursor;
  });
  std::vector<std::thread> writers;
  std::atomic<uint64_t> appended[kPartitions] = {};
  for (int w = 0; w < kWriters; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < kAppends; ++i) {
        if (i % 50 == 0) clock.advance_ms(1);
        std::string one = std::to_string(w) + "-" + std::to_string(2 * i);
        std::string two = std::to_string(w) + "-" + std::to_string(2 * i + 1);
        uint32_t p = uint32_t((w + i) % kPartitions), q = uint32_t((p + 1) % kPartitions);
        std::vector<PartitionedLog::Append> appends{{{9, p}, {one, two}}};
        if (i % 3 == 0) appends.push_back({{9, q}, {one}});  // also into a second partition
        Batch b;
        auto r = log.append(appends, b);
        if (!r) {
          ++failures;
          continue;
        }
        for (size_t k = 0; k < appends.size(); ++k) {
          auto tp = appends[k].tp;
          appended[tp.partition] += appends[k].payloads.size();
          // Acknowledged means readable now.
          auto read = log.read(tp, {.from = (*r)[k].first_offset, .max_records = 1});
          if (read.records.empty() || read.records[0].payload != appends[k].payloads[0]) ++failures;
        }
      }
    });
  for (auto& t : writers) t.join();
  done = true;
  auto cursor = reader.get();
  EXPECT_EQ(failures.load(), 0);
  for (uint32_t p = 0; p < kPartitions; ++p) {
    EXPECT_EQ(cursor[p], appended[p].load()) << p;  // offsets dense from 0, every record read once
    EXPECT_EQ(log.head({9, p}), appended[p].load());
  }
}

}  // namespace streamlab::storage
