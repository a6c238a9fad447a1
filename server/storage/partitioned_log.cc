#include "server/storage/partitioned_log.h"

#include <algorithm>
#include <optional>
#include <span>

#include "server/storage/big_endian.h"

namespace streamlab::storage {
namespace {
constexpr size_t kRecordKeySize = 20;  // topic:u64 partition:u32 offset:u64
constexpr char kChunkTag = char(0xC1);
constexpr size_t kChunkHeaderSize = 13;  // tag count:u32 timestamp_ms:u64
// Where an append is split into several chunks (a record is never split): a small read still
// parses only a bounded value, and an append of 500 x 100 B stays one chunk.
constexpr size_t kChunkMaxRecords = 1000;
constexpr size_t kChunkMaxBytes = size_t(1) << 20;

void write_u64(char* at, uint64_t v) {
  for (int i = 7; i >= 0; --i, v >>= 8) at[i] = char(v & 0xff);
}
void write_u32(char* at, uint32_t v) {
  for (int i = 3; i >= 0; --i, v >>= 8) at[i] = char(v & 0xff);
}

// record_key without an allocation, in a buffer that lives as long as the view of it.
struct KeyBuf {
  char bytes[kRecordKeySize];
  KeyBuf(TopicPartition tp, uint64_t offset) {
    write_u64(bytes, tp.topic);
    write_u32(bytes + 8, tp.partition);
    write_u64(bytes + 12, offset);
  }
  std::string_view view() const { return {bytes, sizeof bytes}; }
  std::string_view prefix() const { return {bytes, 12}; }
};
// The first key after every key of the partition.
std::string partition_end(TopicPartition tp) { return prefix_end(std::string(KeyBuf(tp, 0).prefix())); }

std::string partition_prefix(TopicPartition tp) {
  std::string k;
  put_u64(k, tp.topic);
  put_u32(k, tp.partition);
  return k;
}
std::string trim_key(TopicPartition tp) { return "plog/" + partition_prefix(tp); }

// One stored value (chunk or legacy) viewed in place, without copying its payloads.
struct Chunk {
  uint64_t first = 0;
  uint32_t count = 0;
  int64_t timestamp_ms = 0;
  std::string_view ends;  // count u32 end positions; empty for a legacy value
  std::string_view payloads;
  uint64_t end() const { return first + count; }
  std::string_view payload(uint32_t i) const {
    if (ends.empty()) return payloads;
    // Clamped, so a damaged value yields short payloads instead of reading out of bounds.
    size_t b = std::min<size_t>(i == 0 ? 0 : get_u32(ends, 4 * size_t(i - 1)), payloads.size());
    size_t e = std::min<size_t>(std::max<size_t>(get_u32(ends, 4 * size_t(i)), b), payloads.size());
    return payloads.substr(b, e - b);
  }
};
// nullopt for a key or value of neither shape (damaged): readers skip it.
std::optional<Chunk> parse_chunk(std::string_view key, std::string_view value) {
  if (key.size() != kRecordKeySize) return std::nullopt;
  Chunk c;
  c.first = get_u64(key, 12);
  if (!value.empty() && value[0] == kChunkTag) {
    if (value.size() < kChunkHeaderSize) return std::nullopt;
    c.count = get_u32(value, 1);
    c.timestamp_ms = int64_t(get_u64(value, 5));
    if (c.count == 0 || (value.size() - kChunkHeaderSize) / 4 < c.count) return std::nullopt;
    c.ends = value.substr(kChunkHeaderSize, 4 * size_t(c.count));
    c.payloads = value.substr(kChunkHeaderSize + 4 * size_t(c.count));
    return c;
  }
  if (value.size() < 8) return std::nullopt;
  c.count = 1;
  c.timestamp_ms = int64_t(get_u64(value));
  c.payloads = value.substr(8);
  return c;
}

// The chunk holding `offset`, if any: the last one starting at or before it. Header only: the
// value it viewed is gone once the scan returns.
std::optional<Chunk> chunk_holding(const Store& store, TopicPartition tp, uint64_t offset) {
  KeyBuf begin(tp, 0), end(tp, offset + 1);
  std::string last_end;  // offset + 1 wraps only for the last possible offset
  if (offset == std::numeric_limits<uint64_t>::max()) last_end = partition_end(tp);
  std::optional<Chunk> found;
  store.scan_reverse(Family::log, begin.prefix(), last_end.empty() ? end.view() : last_end,
                     [&](std::string_view key, std::string_view value) {
                       auto c = parse_chunk(key, value);
                       if (c && offset < c->end()) found = c;
                       return false;
                     });
  if (found) found->ends = found->payloads = {};  // they viewed the scan's value, gone by now
  return found;
}

// The chunk starting exactly at `first`, if any (a forward Seek: cheaper than chunk_holding).
std::optional<Chunk> chunk_starting(const Store& store, TopicPartition tp, uint64_t first) {
  KeyBuf begin(tp, first), end(tp, first + 1);
  std::optional<Chunk> found;
  if (first == std::numeric_limits<uint64_t>::max()) return found;
  store.scan(Family::log, begin.view(), end.view(), [&](std::string_view key, std::string_view value) {
    found = parse_chunk(key, value);
    return false;
  });
  if (found) found->ends = found->payloads = {};
  return found;
}

// The chunk holding `offset` or else the first one after it below `limit`.
std::optional<Chunk> chunk_from(const Store& store, TopicPartition tp, uint64_t offset, uint64_t limit) {
  std::optional<Chunk> found = chunk_holding(store, tp, offset);
  if (found || offset + 1 >= limit) return found;
  KeyBuf begin(tp, offset + 1), end(tp, limit);
  store.scan(Family::log, begin.view(), end.view(), [&](std::string_view key, std::string_view value) {
    found = parse_chunk(key, value);
    return !found;
  });
  if (found) found->ends = found->payloads = {};
  return found;
}
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
    auto c = parse_chunk(key, value);
    if (!c) {  // damaged: its offset is still taken; the timestamp comes from an earlier chunk
      if (key.size() == kRecordKeySize) head = std::max(head, get_u64(key, 12) + 1);
      return true;
    }
    head = std::max(head, c->end());
    st->last_timestamp = c->timestamp_ms;
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
  for (const auto& a : appends)
    for (auto payload : a.payloads)
      if (payload.size() > std::numeric_limits<uint32_t>::max())  // a chunk's end positions are u32
        return AwsError::internal("log record too large: " + std::to_string(payload.size()) + " bytes");
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
    // Kept per thread: a malloc and free per append saved; a huge chunk's buffer is let go.
    thread_local std::string value;
    if (value.capacity() > kChunkMaxBytes + kChunkMaxRecords * 4 + kChunkHeaderSize) value = std::string();
    for (size_t i = 0; i < n; ++i) {
      const auto& payloads = appends[i].payloads;
      KeyBuf key(appends[i].tp, results[i].first_offset);
      uint64_t offset = results[i].first_offset;
      for (size_t at = 0; at < payloads.size();) {
        size_t count = 0, bytes = 0;
        while (at + count < payloads.size() && count < kChunkMaxRecords &&
               (count == 0 || bytes + payloads[at + count].size() <= kChunkMaxBytes))
          bytes += payloads[at + count++].size();
        value.resize(kChunkHeaderSize + 4 * count);
        value.reserve(value.size() + bytes);
        value[0] = kChunkTag;
        write_u32(value.data() + 1, uint32_t(count));
        write_u64(value.data() + 5, uint64_t(results[i].timestamp_ms));
        uint32_t end = 0;
        for (size_t k = 0; k < count; ++k)
          write_u32(value.data() + kChunkHeaderSize + 4 * k, end += uint32_t(payloads[at + k].size()));
        for (size_t k = at; k < at + count; ++k) value.append(payloads[k]);
        write_u64(key.bytes + 12, offset);
        batch.put(Family::log, key.view(), value);
        offset += count;
        at += count;
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
  out.records.reserve(size_t(std::min<uint64_t>(options.max_records, head - from)));
  size_t bytes = 0;
  uint64_t last_first = 0, last_end = 0;  // the chunk the read ended in (last_end 0: none)
  // Takes the records at or after `from` of one chunk; false once a cap is reached.
  auto take = [&](std::string_view key, std::string_view value) {
    auto c = parse_chunk(key, value);
    if (!c) return true;
    uint64_t offset = std::max(c->first, from), end = std::min(c->end(), head);
    if (offset >= end) return true;
    last_first = c->first;
    last_end = c->end();
    if (c->timestamp_ms < options.min_timestamp_ms) {  // expired (one timestamp for the chunk)
      out.next_offset = end;
      return true;
    }
    for (; offset < end; ++offset) {
      std::string_view payload = c->payload(uint32_t(offset - c->first));
      if (!out.records.empty() && bytes + payload.size() > options.max_bytes) return false;
      bytes += payload.size();
      out.records.push_back({offset, c->timestamp_ms, std::string(payload)});
      out.next_offset = offset + 1;
      if (out.records.size() >= options.max_records) return false;
    }
    return true;
  };
  KeyBuf after(tp, from + 1), end(tp, head);
  uint64_t hint_first = st.hint_first.load(std::memory_order_relaxed);
  uint64_t hint_end = st.hint_end.load(std::memory_order_relaxed);
  if (hint_first <= from && from <= hint_end) {
    // A consumer going on where its last read ended: no chunk straddles hint_end, and the chunk
    // holding `from` (if from < hint_end) starts at hint_first.
    store_.scan(Family::log, KeyBuf(tp, from < hint_end ? hint_first : from).view(), end.view(), take);
  } else {
    // The chunk holding `from` starts at or before it; every later one starts after it.
    bool more = true;
    store_.scan_reverse(Family::log, after.prefix(), after.view(), [&](std::string_view key, std::string_view value) {
      more = take(key, value);
      return false;
    });
    if (more && from + 1 < head) store_.scan(Family::log, after.view(), end.view(), take);
  }
  if (last_end > 0) {
    st.hint_first.store(last_first, std::memory_order_relaxed);
    st.hint_end.store(last_end, std::memory_order_relaxed);
  }
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
  PartitionState& st = state(tp);
  if (offset < st.first_live.load()) return std::nullopt;  // trimmed (maybe still on disk)
  // Usually asked right after a read, about its next_offset: inside the chunk it ended in, or
  // where that chunk ends (so a chunk holding it starts exactly there). See hint_first.
  uint64_t hint_first = st.hint_first.load(std::memory_order_relaxed);
  uint64_t hint_end = st.hint_end.load(std::memory_order_relaxed);
  std::optional<Chunk> c;
  if (offset == hint_end) {
    c = chunk_starting(store_, tp, offset);
  } else {
    if (hint_first <= offset && offset < hint_end) c = chunk_starting(store_, tp, hint_first);
    if (!c || offset < c->first || offset >= c->end()) c = chunk_holding(store_, tp, offset);
  }
  if (!c) return std::nullopt;
  return c->timestamp_ms;
}

uint64_t PartitionedLog::offset_at_time(TopicPartition tp, int64_t ts) {
  PartitionState& st = state(tp);
  // Timestamps never decrease within a partition, so binary search over live offsets. An offset
  // left empty by a failed commit stands for the next record after it.
  uint64_t lo = st.first_live.load(), hi = st.head.load();
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    auto c = chunk_from(store_, tp, mid, hi);
    if (!c) hi = mid;  // nothing from mid on
    else if (c->timestamp_ms < ts) lo = std::min(std::max(c->end(), mid + 1), hi);  // the whole chunk is older
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
  // Delete whole chunks only: from the one holding the old first_live (it may have started
  // below it) up to the one holding `offset`, which keeps its live records.
  uint64_t begin = first, end = offset;
  if (auto c = chunk_holding(store_, tp, first)) begin = c->first;
  if (auto c = chunk_holding(store_, tp, offset)) end = c->first;
  Batch batch;
  if (begin < end) batch.del_range(Family::log, KeyBuf(tp, begin).view(), KeyBuf(tp, end).view());
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
