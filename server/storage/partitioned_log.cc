#include "server/storage/partitioned_log.h"

#include <algorithm>

#include "server/storage/big_endian.h"

namespace streamlab::storage {
namespace {
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
  st->first_live = first_live;
  slot = std::move(st);
  return *slot;
}

Result<std::vector<AppendResult>> PartitionedLog::append(const std::vector<Append>& appends, Batch& batch) {
  // Lock every partition involved in a fixed order (no deadlock between concurrent batches).
  std::vector<PartitionState*> states;
  for (auto& a : appends) states.push_back(&state(a.tp));
  std::vector<PartitionState*> order = states;
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end()), order.end());
  std::vector<std::unique_lock<std::mutex>> locks;
  for (auto* st : order) locks.emplace_back(st->append_mu);

  int64_t now = clock_.now_ms();
  std::vector<AppendResult> results(appends.size());
  std::map<PartitionState*, uint64_t> next;
  std::string value;
  for (size_t i = 0; i < appends.size(); ++i) {
    PartitionState* st = states[i];
    auto [it, fresh] = next.try_emplace(st, st->head.load());
    int64_t ts = std::max(now, st->last_timestamp);
    results[i] = {it->second, ts};
    for (auto payload : appends[i].payloads) {
      value.clear();
      put_u64(value, uint64_t(ts));
      value.append(payload);
      batch.put(Family::log, record_key(appends[i].tp, it->second++), value);
    }
  }
  if (auto s = store_.commit(batch); !s) return s.error();
  for (size_t i = 0; i < appends.size(); ++i) states[i]->last_timestamp = results[i].timestamp_ms;
  for (auto& [st, head] : next) st->head = head;
  locks.clear();
  if (listener_)
    for (auto& a : appends) listener_(a.tp, state(a.tp).head.load());
  return results;
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
  // Timestamps never decrease within a partition, so binary search over live offsets.
  uint64_t lo = st.first_live.load(), hi = st.head.load();
  while (lo < hi) {
    uint64_t mid = lo + (hi - lo) / 2;
    auto t = timestamp_at(tp, mid);
    if (!t || *t < ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

Status PartitionedLog::trim_to_offset(TopicPartition tp, uint64_t offset) {
  PartitionState& st = state(tp);
  std::lock_guard lock(st.append_mu);
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
