#include "server/storage/partitioned_log.h"

#include <algorithm>
#include <span>

#include "server/storage/big_endian.h"

namespace streamlab::storage {
namespace {
constexpr size_t kRecordKeySize = 20;  // topic:u64 partition:u32 offset:u64

void write_u64(char* at, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) at[i] = char(v & 0xff);
}
void write_u32(char* at, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) at[i] = char(v & 0xff);
}
// record_key without an allocation (a PutRecords writes 500 of them).
void write_record_key(char (&key)[kRecordKeySize], TopicPartition tp, uint64_t offset) {
  write_u64(key, tp.topic);
  write_u32(key + 8, tp.partition);
  write_u64(key + 12, offset);
}

std::string partition_prefix(TopicPartition tp) {
  std::string k;
  put_u64(k, tp.topic);
  put_u32(k, tp.partition);
  return k;
}
std::string trim_key(TopicPartition tp) { return "plog/" + partition_prefix(tp); }
}  // namespace

std::string PartitionedLog::record_key(TopicPartition tp, uint64_t offset) {
  std::string k = partition_prefix(tp);
  put_u64(k, offset);
  return k;
}

PartitionedLog::PartitionState& PartitionedLog::state(TopicPartition tp) {
  {
    std::shared_lock lock(states_mu_);
    auto it = states_.find(tp);
    if (it != states_.end()) return *it->second;
  }
  std::unique_lock lock(states_mu_);
  auto& slot = states_[tp];
  if (slot) return *slot;
  auto st = std::make_unique<PartitionState>();
  uint64_t first_live = 0;
  if (auto v = store_.get(Family::meta, trim_key(tp)); v && v->size() == 8) first_live = get_u64(*v);
  uint64_t head = first_live;
  std::string prefix = partition_prefix(tp);
  store_.scan_reverse(Family::log, prefix, prefix_end(prefix), [&](std::string_view key, std::string_view value) {
    head = std::max(head, get_u64(key, 12) + 1);
    st->last_timestamp = int64_t(get_u64(value));
    return false;
  });
  st->head = head;
  st->reserved = head;
  st->first_live = first_live;
  slot = std::move(st);
  return *slot;
}

Result<std::vector<AppendResult>> PartitionedLog::append(const std::vector<Append>& appends, Batch& batch) {
  const size_t n = appends.size();
  std::vector<PartitionState*> states(n);
  for (size_t i = 0; i < n; ++i) states[i] = &state(appends[i].tp);
  std::vector<AppendResult> results(n);
  // 1. Reserve offsets and timestamps. Every involved partition is locked at once, in a fixed
  //    order (no deadlock), so a multi-partition append takes its place in all of them together.
  {
    std::vector<PartitionState*> order;  // a single partition (PutRecord) needs no copy to sort
    if (n > 1) {
      order = states;
      std::sort(order.begin(), order.end());
      order.erase(std::unique(order.begin(), order.end()), order.end());
    }
    std::span<PartitionState* const> locked = n > 1 ? std::span(order) : std::span(states);
    for (auto* st : locked) st->mu.lock();
    int64_t now = clock_.now_ms();
    for (size_t i = 0; i < n; ++i) {
      PartitionState& st = *states[i];
      int64_t ts = std::max(now, st.last_timestamp);
      results[i] = {st.reserved, ts};
      uint64_t count = appends[i].payloads.size();
      if (count == 0) continue;  // nothing to publish: no reservation
      st.last_timestamp = ts;
      st.in_flight.push_back({st.reserved, st.reserved + count});
      st.reserved += count;
    }
    for (auto* st : locked) st->mu.unlock();
  }
  // 2. Write and commit without any partition lock.
  Status committed = Ok{};
  try {
    char key[kRecordKeySize];
    // Kept per thread: a malloc and free per append saved; a huge record's buffer is let go.
    thread_local std::string value;
    if (value.capacity() > (size_t(1) << 16)) value = std::string();
    for (size_t i = 0; i < n; ++i) {
      write_record_key(key, appends[i].tp, 0);
      uint64_t offset = results[i].first_offset;
      for (auto payload : appends[i].payloads) {
        write_u64(key + 12, offset++);
        value.clear();
        put_u64(value, uint64_t(results[i].timestamp_ms));
        value.append(payload);
        batch.put(Family::log, std::string_view(key, sizeof key), value);
      }
    }
    committed = commit(batch);
  } catch (const std::exception& e) {  // bad_alloc: the reservation must still be finished
    committed = AwsError::internal(std::string("storage write failed: ") + e.what());
  }
  // 3. Publish: head moves over this append once everything reserved before it has finished.
  for (size_t i = 0; i < n; ++i) {
    if (appends[i].payloads.empty()) continue;
    std::lock_guard lock(states[i]->mu);
    finish(*states[i], results[i].first_offset, bool(committed));
  }
  if (!committed) return committed.error();
  // 4. Acknowledge only once readable: wait for earlier appends still committing.
  for (size_t i = 0; i < n; ++i) {
    PartitionState& st = *states[i];
    uint64_t end = results[i].first_offset + appends[i].payloads.size();
    if (st.head.load() >= end) continue;
    std::unique_lock lock(st.mu);
    ++st.waiting;
    st.published.wait(lock, [&] { return st.head.load() >= end; });
    --st.waiting;
  }
  if (listener_)
    for (size_t i = 0; i < n; ++i) listener_(appends[i].tp, states[i]->head.load());
  return results;
}

void PartitionedLog::finish(PartitionState& st, uint64_t begin, bool committed) {
  for (auto& r : st.in_flight)
    if (r.begin == begin) {
      r.outcome = committed ? Reservation::Outcome::committed : Reservation::Outcome::failed;
      break;
    }
  bool advanced = false;
  while (!st.in_flight.empty() && st.in_flight.front().outcome != Reservation::Outcome::pending) {
    Reservation r = st.in_flight.front();
    st.in_flight.pop_front();
    if (r.outcome == Reservation::Outcome::failed && st.in_flight.empty() && st.reserved == r.end) {
      st.reserved = r.begin;  // nothing reserved after it: hand these offsets out again
      break;
    }
    st.head.store(r.end);  // committed, or failed with later reservations: stepped over, stays empty
    advanced = true;
  }
  if (advanced && st.waiting > 0) st.published.notify_all();
}

Result<AppendResult> PartitionedLog::append(TopicPartition tp, const std::vector<std::string_view>& payloads,
                                            Batch& batch) {
  auto r = append(std::vector<Append>{{tp, payloads}}, batch);
  if (!r) return r.error();
  return r->front();
}

LogReadResult PartitionedLog::read(TopicPartition tp, const LogReadOptions& options) {
  PartitionState& st = state(tp);
  LogReadResult out;
  uint64_t head = st.head.load();
  uint64_t from = std::max(options.from, st.first_live.load());
  out.head = head;
  out.next_offset = from;
  if (from >= head || options.max_records == 0) return out;
  size_t bytes = 0;
  store_.scan(Family::log, record_key(tp, from), record_key(tp, head), [&](std::string_view key, std::string_view value) {
    uint64_t offset = get_u64(key, 12);
    int64_t ts = int64_t(get_u64(value));
    if (ts < options.min_timestamp_ms) {
      out.next_offset = offset + 1;
      return true;
    }
    size_t size = value.size() - 8;
    if (!out.records.empty() && bytes + size > options.max_bytes) return false;
    bytes += size;
    out.records.push_back({offset, ts, std::string(value.substr(8))});
    out.next_offset = offset + 1;
    return out.records.size() < options.max_records;
  });
  return out;
}

Result<uint64_t> PartitionedLog::allocate_topic() {
  std::lock_guard lock(topic_mu_);
  if (next_topic_ == 0) {
    auto v = store_.get(Family::meta, "plog-next-topic");
    next_topic_ = v && v->size() == 8 ? get_u64(*v) : 1;
  }
  std::string next;
  put_u64(next, next_topic_ + 1);
  Batch b;
  b.put(Family::meta, "plog-next-topic", next);
  if (auto s = store_.commit(b); !s) return s.error();
  return next_topic_++;
}

uint64_t PartitionedLog::head(TopicPartition tp) { return state(tp).head.load(); }
uint64_t PartitionedLog::first_live(TopicPartition tp) { return state(tp).first_live.load(); }

std::optional<int64_t> PartitionedLog::timestamp_at(TopicPartition tp, uint64_t offset) {
  auto v = store_.get(Family::log, record_key(tp, offset));
  if (!v || v->size() < 8) return std::nullopt;
  return int64_t(get_u64(*v));
}

uint64_t PartitionedLog::offset_at_time(TopicPartition tp, int64_t ts) {
  PartitionState& st = state(tp);
  // Timestamps never decrease within a partition, so binary search over live offsets. An offset
  // left empty by a failed commit stands for the next record after it.
  uint64_t lo = st.first_live.load(), hi = st.head.load();
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2, at = mid;
    auto t = timestamp_at(tp, mid);
    if (!t)
      store_.scan(Family::log, record_key(tp, mid), record_key(tp, hi), [&](std::string_view key, std::string_view value) {
        at = get_u64(key, 12);
        t = int64_t(get_u64(value));
        return false;
      });
    if (!t) hi = mid;  // nothing from mid on
    else if (*t < ts) lo = at + 1;
    else hi = mid;
  }
  return lo;
}

Status PartitionedLog::trim_to_offset(TopicPartition tp, uint64_t offset) {
  PartitionState& st = state(tp);
  std::lock_guard lock(st.mu);  // against a concurrent trim; appends only move head forward
  offset = std::min(offset, st.head.load());
  uint64_t first = st.first_live.load();
  if (offset <= first) return Ok{};
  Batch batch;
  batch.del_range(Family::log, record_key(tp, first), record_key(tp, offset));
  std::string v;
  put_u64(v, offset);
  batch.put(Family::meta, trim_key(tp), v);
  if (auto s = store_.commit(batch); !s) return s;
  st.first_live = offset;
  return Ok{};
}

Status PartitionedLog::trim_before_time(TopicPartition tp, int64_t ts) {
  return trim_to_offset(tp, offset_at_time(tp, ts));
}

void PartitionedLog::drop_topic(uint64_t topic, Batch& batch) {
  // Partition states stay cached: topic ids are never reused, and readers may still hold them.
  std::string begin, end;
  put_u64(begin, topic);
  put_u64(end, topic + 1);
  batch.del_range(Family::log, begin, end);
  batch.del_range(Family::meta, "plog/" + begin, "plog/" + end);
}

}  // namespace streamlab::storage
