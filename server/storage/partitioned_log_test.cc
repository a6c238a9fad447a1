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

// Keys (one per stored chunk) a partition holds on disk.
std::vector<uint64_t> stored_chunks(Store& store, TopicPartition tp) {
  std::vector<uint64_t> firsts;
  std::string prefix = PartitionedLog::record_key(tp, 0).substr(0, 12);
  store.scan(Family::log, prefix, prefix_end(prefix), [&](std::string_view key, std::string_view) {
    firsts.push_back(get_u64(key, 12));
    return true;
  });
  return firsts;
}

// The format before chunks: timestamp_ms:u64 payload.
void put_legacy(Store& store, TopicPartition tp, uint64_t offset, int64_t ts, std::string_view payload) {
  std::string v;
  put_u64(v, uint64_t(ts));
  v.append(payload);
  Batch b;
  b.put(Family::log, PartitionedLog::record_key(tp, offset), v);
  ASSERT_TRUE(store.commit(b));
}

std::string temp_dir(const std::string& name) {
  std::string dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}
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

// Chunks of several sizes (one split by the record cap, one by the byte cap): every read from
// every offset, cut by a record or byte cap anywhere inside a chunk, returns exactly the records
// from there, and following next_offset reads each of them once.
TEST(PartitionedLogChunks, ReadsFromEveryOffsetWithCapsCuttingChunks) {
  auto store = open_store("/chunks1");
  ManualClock clock(1000);
  PartitionedLog log(*store, clock);
  TopicPartition tp{10, 0};
  std::vector<std::string> all;  // payload of offset i
  std::vector<int64_t> times;
  std::vector<size_t> sizes = {3, 1, 5, 2, 2500, 4};
  for (size_t a = 0; a < sizes.size(); ++a) {
    std::vector<std::string> payloads;
    for (size_t i = 0; i < sizes[a]; ++i) payloads.push_back(std::to_string(all.size() + i) + std::string(i % 7, 'p'));
    Batch b;
    auto r = log.append(tp, views(payloads), b);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first_offset, all.size());
    for (auto& p : payloads) {
      all.push_back(p);
      times.push_back(r->timestamp_ms);
    }
    clock.advance_ms(10);
  }
  std::vector<std::string> big(4, std::string(400 << 10, 'b'));  // 1.6 MiB: two chunks by bytes
  big[1][0] = 'c';
  big[2][0] = 'd';
  Batch bb;
  ASSERT_TRUE(log.append(tp, views(big), bb));
  for (auto& p : big) {
    all.push_back(p);
    times.push_back(clock.now_ms());
  }
  // 3,1,5,2 | 1000,1000,500 (record cap) | 4 | 2 + 2 (byte cap)
  EXPECT_EQ(stored_chunks(*store, tp), (std::vector<uint64_t>{0, 3, 4, 9, 11, 1011, 2011, 2511, 2515, 2517}));
  const uint64_t head = all.size();
  ASSERT_EQ(log.head(tp), head);
  auto check = [&](uint64_t from, size_t max_records, size_t max_bytes) {
    auto read = log.read(tp, {.from = from, .max_records = max_records, .max_bytes = max_bytes});
    size_t bytes = 0;
    for (size_t i = 0; i < read.records.size(); ++i) {
      const auto& r = read.records[i];
      if (r.offset != from + i || r.payload != all[from + i] || r.timestamp_ms != times[from + i]) {
        ADD_FAILURE() << "from " << from << " record " << i;
        return;
      }
      bytes += r.payload.size();
    }
    size_t expect = 0, expect_bytes = 0;  // what the caps allow: at least one record
    while (from + expect < head && expect < max_records &&
           (expect == 0 || expect_bytes + all[from + expect].size() <= max_bytes))
      expect_bytes += all[from + expect++].size();
    EXPECT_EQ(read.records.size(), expect) << from << " " << max_records << " " << max_bytes;
    EXPECT_EQ(read.next_offset, from + expect) << from;
    EXPECT_EQ(read.head, head);
    EXPECT_LE(bytes, std::max(max_bytes, all[from].size()));
  };
  for (uint64_t from = 0; from < head; ++from) {
    check(from, 1, SIZE_MAX);
    check(from, 2, SIZE_MAX);
    check(from, 10000, 40);
  }
  for (uint64_t from : {0, 2, 3, 5, 10, 11, 500, 1010, 1011, 1012, 2510, 2514, 2515, 2516})
    for (size_t max_records : {3, 7, 999, 1000, 1001, 10000}) check(from, max_records, SIZE_MAX);
  // Followed page by page with caps that cut chunks: every record once, in order.
  for (size_t max_records : {1, 2, 7, 999, 1001}) {
    uint64_t at = 0;
    size_t pages = 0;
    while (at < head && pages++ < 5000) {
      auto read = log.read(tp, {.from = at, .max_records = max_records, .max_bytes = 700 << 10});
      ASSERT_FALSE(read.records.empty()) << at;
      for (auto& r : read.records) ASSERT_EQ(r.offset, at++);
      ASSERT_EQ(read.next_offset, at);
    }
    EXPECT_EQ(at, head);
  }
  EXPECT_TRUE(log.read(tp, {.from = head}).records.empty());
  EXPECT_EQ(log.read(tp, {.from = head}).next_offset, head);
}

TEST(PartitionedLogChunks, TimeLookupsInsideChunksAndRetentionSkipsWholeChunks) {
  auto store = open_store("/chunks2");
  ManualClock clock(1000);
  PartitionedLog log(*store, clock);
  TopicPartition tp{11, 0};
  Batch b1, b2, b3;
  (void)log.append(tp, views({"a", "b", "c"}), b1);  // 0..2 at 1000
  clock.set_ms(2000);
  (void)log.append(tp, views({"d", "e", "f", "g"}), b2);  // 3..6 at 2000
  clock.set_ms(3000);
  (void)log.append(tp, views({"h", "i"}), b3);  // 7..8 at 3000
  EXPECT_EQ(log.timestamp_at(tp, 1), 1000);
  EXPECT_EQ(log.timestamp_at(tp, 5), 2000);
  EXPECT_EQ(log.timestamp_at(tp, 8), 3000);
  EXPECT_FALSE(log.timestamp_at(tp, 9));
  // Right after reads that end inside a chunk, at its end, and at head (what GetRecords asks).
  for (uint64_t from = 0; from < 9; ++from)
    for (size_t n = 1; n <= 9 - from; ++n) {
      auto read = log.read(tp, {.from = from, .max_records = n});
      ASSERT_EQ(read.next_offset, from + n);
      int64_t expect = read.next_offset < 3 ? 1000 : read.next_offset < 7 ? 2000 : 3000;
      if (read.next_offset < 9) EXPECT_EQ(log.timestamp_at(tp, read.next_offset), expect) << from << " " << n;
      else EXPECT_FALSE(log.timestamp_at(tp, read.next_offset));
      EXPECT_EQ(log.timestamp_at(tp, from), from < 3 ? 1000 : from < 7 ? 2000 : 3000);
    }
  EXPECT_EQ(log.offset_at_time(tp, 0), 0u);
  EXPECT_EQ(log.offset_at_time(tp, 1000), 0u);
  EXPECT_EQ(log.offset_at_time(tp, 1001), 3u);
  EXPECT_EQ(log.offset_at_time(tp, 2000), 3u);
  EXPECT_EQ(log.offset_at_time(tp, 2001), 7u);
  EXPECT_EQ(log.offset_at_time(tp, 3000), 7u);
  EXPECT_EQ(log.offset_at_time(tp, 3001), 9u);
  // Retention: records older than 1500 are invisible, from the middle of the first chunk too.
  auto read = log.read(tp, {.from = 1, .max_records = 2, .min_timestamp_ms = 1500});
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].offset, 3u);
  EXPECT_EQ(read.records[1].payload, "e");
  EXPECT_EQ(read.next_offset, 5u);
  read = log.read(tp, {.from = 0, .min_timestamp_ms = 5000});
  EXPECT_TRUE(read.records.empty());
  EXPECT_EQ(read.next_offset, 9u);  // past every expired chunk
  // Trim by time lands on a chunk boundary and deletes whole chunks.
  ASSERT_TRUE(log.trim_before_time(tp, 2500));
  EXPECT_EQ(log.first_live(tp), 7u);
  EXPECT_EQ(stored_chunks(*store, tp), (std::vector<uint64_t>{7}));
  EXPECT_FALSE(log.timestamp_at(tp, 5));
  EXPECT_EQ(log.offset_at_time(tp, 0), 7u);
}

TEST(PartitionedLogChunks, TrimInsideAChunkHidesItsHeadAndDeletesOnlyWholeChunks) {
  std::string dir = temp_dir("plog-chunk-trim");
  ManualClock clock(1000);
  TopicPartition tp{12, 3};
  {
    auto store = open_store(dir, false);
    PartitionedLog log(*store, clock);
    Batch b1, b2, b3;
    (void)log.append(tp, views({"a", "b", "c", "d", "e"}), b1);  // chunk 0..4
    clock.set_ms(2000);
    (void)log.append(tp, views({"f", "g", "h"}), b2);  // chunk 5..7
    ASSERT_TRUE(log.trim_to_offset(tp, 2));
    EXPECT_EQ(log.first_live(tp), 2u);
    EXPECT_EQ(stored_chunks(*store, tp), (std::vector<uint64_t>{0, 5}));  // chunk 0 still holds 2..4
    auto read = log.read(tp, {.from = 0});
    ASSERT_EQ(read.records.size(), 6u);
    EXPECT_EQ(read.records[0].offset, 2u);
    EXPECT_EQ(read.records[0].payload, "c");
    EXPECT_FALSE(log.timestamp_at(tp, 1));
    EXPECT_EQ(log.timestamp_at(tp, 2), 1000);
    EXPECT_EQ(log.offset_at_time(tp, 0), 2u);
    ASSERT_TRUE(log.trim_to_offset(tp, 4));  // still inside chunk 0
    EXPECT_EQ(stored_chunks(*store, tp), (std::vector<uint64_t>{0, 5}));
    EXPECT_EQ(log.read(tp, {.from = 4, .max_records = 1}).next_offset, 5u);  // ends in chunk 0
    ASSERT_TRUE(log.trim_to_offset(tp, 6));  // chunk 0 wholly below: deleted; chunk 5 cut
    EXPECT_FALSE(log.timestamp_at(tp, 4));
    EXPECT_EQ(log.timestamp_at(tp, 6), 2000);
    EXPECT_EQ(stored_chunks(*store, tp), (std::vector<uint64_t>{5}));
    EXPECT_EQ(log.read(tp, {.from = 0}).records.front().payload, "g");
  }
  {
    auto store = open_store(dir, false);
    PartitionedLog log(*store, clock);
    EXPECT_EQ(log.first_live(tp), 6u);
    EXPECT_EQ(log.head(tp), 8u);  // last chunk's first offset + its count
    auto read = log.read(tp, {.from = 5});
    ASSERT_EQ(read.records.size(), 2u);
    EXPECT_EQ(read.records[0].offset, 6u);
    clock.set_ms(1500);  // the clock stepped back across the restart
    Batch b;
    auto r = log.append(tp, views({"i"}), b);
    EXPECT_EQ(r->first_offset, 8u);
    EXPECT_EQ(r->timestamp_ms, 2000);  // never before the last stored chunk's
    ASSERT_TRUE(log.trim_to_offset(tp, 9));
    EXPECT_TRUE(stored_chunks(*store, tp).empty());
  }
  {
    auto store = open_store(dir, false);
    PartitionedLog log(*store, clock);
    EXPECT_EQ(log.head(tp), 9u);
    EXPECT_EQ(log.first_live(tp), 9u);
  }
  std::filesystem::remove_all(dir);
}

// Data dirs written before chunks hold one value per record; they read as one-record chunks.
TEST(PartitionedLogChunks, LegacyOneRecordValuesMixWithChunks) {
  std::string dir = temp_dir("plog-legacy");
  ManualClock clock(5000);
  TopicPartition tp{13, 0};
  {
    auto store = open_store(dir, false);
    put_legacy(*store, tp, 0, 1000, "l0");
    put_legacy(*store, tp, 1, 1000, "l1");
    put_legacy(*store, tp, 2, 2000, "");
  }
  auto store = open_store(dir, false);
  PartitionedLog log(*store, clock);
  EXPECT_EQ(log.head(tp), 3u);
  Batch b;
  auto r = log.append(tp, views({"c3", "c4"}), b);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first_offset, 3u);
  put_legacy(*store, {13, 1}, 0, 9000, "other partition");
  auto read = log.read(tp, {});
  ASSERT_EQ(read.records.size(), 5u);
  std::vector<std::string> payloads;
  for (auto& rec : read.records) payloads.push_back(rec.payload);
  EXPECT_EQ(payloads, (std::vector<std::string>{"l0", "l1", "", "c3", "c4"}));
  EXPECT_EQ(read.records[2].timestamp_ms, 2000);
  EXPECT_EQ(read.records[4].timestamp_ms, 5000);
  read = log.read(tp, {.from = 1, .max_records = 3});
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[2].payload, "c3");
  EXPECT_EQ(read.next_offset, 4u);
  EXPECT_EQ(log.timestamp_at(tp, 1), 1000);
  EXPECT_EQ(log.offset_at_time(tp, 1001), 2u);
  EXPECT_EQ(log.offset_at_time(tp, 2001), 3u);
  ASSERT_TRUE(log.trim_to_offset(tp, 4));
  EXPECT_EQ(stored_chunks(*store, tp), (std::vector<uint64_t>{3}));
  EXPECT_EQ(log.read(tp, {}).records.front().payload, "c4");
  std::filesystem::remove_all(dir);
}

TEST(PartitionedLogChunks, DamagedValuesAreSkippedNotFatal) {
  auto store = open_store("/chunks5");
  ManualClock clock(1000);
  TopicPartition tp{14, 0};
  Batch b;
  b.put(Family::log, PartitionedLog::record_key(tp, 0), "xy");  // too short for any shape
  std::string huge_count(1, char(0xC1));
  put_u32(huge_count, 0xffffffff);
  put_u64(huge_count, 1000);
  b.put(Family::log, PartitionedLog::record_key(tp, 1), huge_count);  // ends run past the value
  std::string bad_ends(1, char(0xC1));
  put_u32(bad_ends, 2);
  put_u64(bad_ends, 1000);
  put_u32(bad_ends, 50);  // beyond the payloads
  put_u32(bad_ends, 1);   // and going backwards
  bad_ends += "abc";
  b.put(Family::log, PartitionedLog::record_key(tp, 2), bad_ends);
  ASSERT_TRUE(store->commit(b));
  PartitionedLog log(*store, clock);
  EXPECT_EQ(log.head(tp), 4u);  // bad_ends claims offsets 2 and 3
  auto read = log.read(tp, {});
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].offset, 2u);
  EXPECT_EQ(read.records[0].payload, "abc");  // clamped to what is there
  EXPECT_EQ(read.records[1].payload, "");
  EXPECT_FALSE(log.timestamp_at(tp, 0));
  EXPECT_EQ(log.offset_at_time(tp, 1000), 0u);
  Batch b2;
  EXPECT_EQ(log.append(tp, views({"ok"}), b2)->first_offset, 4u);
  EXPECT_EQ(log.read(tp, {.from = 4}).records.front().payload, "ok");
}

TEST(PartitionedLogChunks, DropTopicRemovesEveryChunkOfEveryPartition) {
  auto store = open_store("/chunks6");
  ManualClock clock;
  PartitionedLog log(*store, clock);
  Batch b;
  ASSERT_TRUE(log.append({{{15, 0}, views({"x", "y"})}, {{15, 1}, views({"z"})}, {{16, 0}, views({"keep"})}}, b));
  ASSERT_TRUE(log.trim_to_offset({15, 0}, 1));
  EXPECT_EQ(log.read({15, 0}, {.from = 1}).records.size(), 1u);  // the read leaves its chunk hint
  Batch drop;
  PartitionedLog::drop_topic(15, drop);
  ASSERT_TRUE(store->commit(drop));
  EXPECT_TRUE(stored_chunks(*store, {15, 0}).empty());
  EXPECT_TRUE(stored_chunks(*store, {15, 1}).empty());
  EXPECT_FALSE(store->get(Family::meta, "plog/" + PartitionedLog::record_key({15, 0}, 0).substr(0, 12)));
  EXPECT_TRUE(log.read({15, 0}, {.from = 1}).records.empty());
  EXPECT_FALSE(log.timestamp_at({15, 0}, 1));
  EXPECT_EQ(stored_chunks(*store, {16, 0}), (std::vector<uint64_t>{0}));
  EXPECT_EQ(log.read({16, 0}, {}).records.front().payload, "keep");
}

}  // namespace streamlab::storage
