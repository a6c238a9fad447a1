#pragma once
// PartitionedLog: append-only logs, one per (topic, partition), with no knowledge of the
// services above it. Kinesis shards, DynamoDB stream shards and queue bodies all live here.
//
// Key grammar (all integers fixed-width big-endian, so keys sort by number):
//   log family:   record_key  := topic:u64 partition:u32 offset:u64
//                 record_val  := chunk_val | legacy_val
//                 chunk_val   := 0xC1 count:u32 timestamp_ms:u64 end:u32[count] payloads:bytes
//                 legacy_val  := timestamp_ms:u64 payload:bytes
//   meta family:  trim_key    := "plog/" topic:u64 partition:u32
//                 trim_val    := first_live_offset:u64
//                 "plog-next-topic" -> u64 (next topic id; ids are never reused)
// A chunk holds `count` (>= 1) consecutive records of one append, all with its timestamp; its key
// carries the offset of the first. Record i's payload is payloads[end[i-1], end[i]) (end[-1] = 0),
// so a reader jumps to any record without parsing those before it. One value per chunk makes a
// 500-record append one memtable insert per partition instead of 500; an append is split into
// several chunks only above 1000 records or 1 MiB. legacy_val is a one-record chunk (the format
// before chunks; its first byte is 0x00 for any real time), still read so old data dirs work.
// A trim inside a chunk leaves the chunk on disk (first_live hides its records below the trim
// point); a chunk is deleted once all its records are below it.
// Every service shares this log, so topic ids MUST come from allocate_topic().
// Offsets start at 0 and never repeat within a partition, even after everything was trimmed:
// at start-up the head is max(last chunk's first offset + count, first_live_offset).
// Timestamps never decrease within a partition (max(clock, previous)).
//
// Concurrent appends (why the commit happens outside the partition lock): an append reserves its
// offsets and timestamp under the partition's mutex, commits its batch without holding it, and
// then publishes. Appends to one partition therefore commit in parallel (RocksDB groups them),
// while readers only ever see [first_live, head), and head advances in offset order: over a
// reservation only once it and every reservation before it has finished. So
//   - a reader never sees offset n+1 while offset n may still appear (no gap that fills later);
//   - offsets and timestamps still increase with the order of reservation (arrival);
//   - append() returns only once its records are readable (head covers them), so an
//     acknowledged record is visible to the next read and to a partition its owner closes after it.
// A failed commit writes nothing. Its reservation is dropped when it is the partition's last
// one (the next append reuses its offsets, no hole at all); otherwise head steps over it, and
// those offsets stay empty forever: readers skip them like trimmed records, nothing can
// appear there later, so no reader misses a record. A process killed while a commit is in
// flight can leave the same kind of empty range (a later append's batch reached the WAL, an
// earlier one did not; neither was acknowledged): offsets are unique and increasing, dense
// unless a write failed.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/clock.h"
#include "server/core/result.h"
#include "server/storage/store.h"

namespace streamlab::storage {

struct TopicPartition {
  uint64_t topic = 0;
  uint32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

struct LogRecord {
  uint64_t offset = 0;
  int64_t timestamp_ms = 0;
  std::string payload;
};

struct AppendResult {
  uint64_t first_offset = 0;
  int64_t timestamp_ms = 0;
};

struct LogReadOptions {
  uint64_t from = 0;
  size_t max_records = 10000;
  size_t max_bytes = std::numeric_limits<size_t>::max();
  // Records older than this are invisible (retention) even before they are removed from disk.
  int64_t min_timestamp_ms = std::numeric_limits<int64_t>::min();
};

struct LogReadResult {
  std::vector<LogRecord> records;
  uint64_t next_offset = 0;  // where the next read continues
  uint64_t head = 0;         // offset the next append will get
};

class PartitionedLog {
 public:
  // How a batch reaches the store; tests substitute one that blocks or fails.
  using CommitFn = std::function<Status(Batch&)>;
  PartitionedLog(Store& store, const Clock& clock, CommitFn commit = {})
      : store_(store), clock_(clock), commit_(std::move(commit)) {}

  struct Append {
    TopicPartition tp;
    std::vector<std::string_view> payloads;
  };
  // Appends payloads in order to one or more partitions, adding them to `batch` (which may hold
  // other changes of the same logical write) and committing it all at once. Appends to one
  // partition get offsets in arrival order (see the top of this file for how concurrent appends
  // commit and become readable); results come back in the order of `appends`.
  Result<std::vector<AppendResult>> append(const std::vector<Append>& appends, Batch& batch);
  // A new topic id, unique across every service and restart (persisted before it is returned).
  Result<uint64_t> allocate_topic();
  Result<AppendResult> append(TopicPartition tp, const std::vector<std::string_view>& payloads, Batch& batch);

  LogReadResult read(TopicPartition tp, const LogReadOptions& options);
  uint64_t head(TopicPartition tp);
  uint64_t first_live(TopicPartition tp);
  // First offset whose timestamp is >= ts (head when none).
  uint64_t offset_at_time(TopicPartition tp, int64_t ts);
  std::optional<int64_t> timestamp_at(TopicPartition tp, uint64_t offset);

  // Removes records before `offset` / older than `ts` from disk.
  Status trim_to_offset(TopicPartition tp, uint64_t offset);
  Status trim_before_time(TopicPartition tp, int64_t ts);
  // Removes every partition of a topic, as part of `batch` (committed by the caller).
  static void drop_topic(uint64_t topic, Batch& batch);

  // Called after every successful append (for push delivery and long polls); may be empty.
  void set_append_listener(std::function<void(TopicPartition, uint64_t head)> listener) {
    listener_ = std::move(listener);
  }

  static std::string record_key(TopicPartition tp, uint64_t offset);

 private:
  // Offsets [begin, end) handed to one append whose commit has not finished publishing.
  struct Reservation {
    uint64_t begin = 0, end = 0;
    enum class Outcome { pending, committed, failed } outcome = Outcome::pending;
  };
  struct PartitionState {
    std::mutex mu;
    std::condition_variable published;  // head advanced
    std::atomic<uint64_t> head{0};      // readable below this; written under mu
    std::atomic<uint64_t> first_live{0};
    // Guarded by mu:
    uint64_t reserved = 0;  // the next offset to hand out (>= head)
    int64_t last_timestamp = 0;
    std::deque<Reservation> in_flight;  // in offset order
    int waiting = 0;                    // appends blocked on `published`
    // The chunk the last read ended in, as [hint_first, hint_end): a read from inside it starts
    // its scan there, and one from hint_end right there, instead of searching backwards (a
    // SeekForPrev in the memtable costs twice a Seek). Both are always real chunk boundaries and
    // chunks never change, so a stale or torn pair only costs a longer scan, never a wrong one.
    std::atomic<uint64_t> hint_first{0}, hint_end{0};
  };
  PartitionState& state(TopicPartition tp);
  // Records the outcome of the reservation starting at `begin` and advances head over every
  // finished reservation at the front. Call with st.mu held.
  static void finish(PartitionState& st, uint64_t begin, bool committed);
  Status commit(Batch& batch) { return commit_ ? commit_(batch) : store_.commit(batch); }

  Store& store_;
  const Clock& clock_;
  CommitFn commit_;
  std::shared_mutex states_mu_;
  std::map<TopicPartition, std::unique_ptr<PartitionState>> states_;
  std::function<void(TopicPartition, uint64_t)> listener_;
  std::mutex topic_mu_;
  uint64_t next_topic_ = 0;  // 0: not loaded yet
};

}  // namespace streamlab::storage
