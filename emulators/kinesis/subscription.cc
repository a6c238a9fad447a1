#include "emulators/kinesis/subscription.h"

#include <algorithm>

#include "emulators/kinesis/actions/common.h"
#include "emulators/kinesis/kinesis.h"
#include "emulators/kinesis/sequence_number.h"

namespace streamlab::kinesis {

namespace {
std::string claim_key(const SubscriptionStart& start) {
  return start.consumer_arn + "#" + std::to_string(start.shard_index);
}
AwsError in_use(const SubscriptionStart& start) {
  return resource_in_use("Another active subscription exists for this consumer: " + start.consumer_arn + " and " +
                         Shard::shard_id(start.shard_index) + ".");
}
}  // namespace

class Subscriptions::Subscription : public std::enable_shared_from_this<Subscription> {
 public:
  Subscription(Subscriptions& owner, const SubscriptionStart& start, std::shared_ptr<EventSink> sink, int64_t now)
      : owner_(owner), start_(start), sink_(std::move(sink)), offset_(start.offset), started_ms_(now),
        last_event_ms_(now), tokens_(kBytesPerSecond), tokens_ms_(now) {}

  std::string key() const { return claim_key(start_); }

  void begin() {
    auto self = shared_from_this();
    sink_->on_close([self] { self->wake(); });
    owner_.scheduler_.after(kLifetimeMs, [self] { self->wake(); });
    wake();
  }

  // Coalesces wake-ups: at most one pump is queued at a time.
  void wake() {
    {
      std::lock_guard lock(mu_);
      if (scheduled_ || done_) return;
      scheduled_ = true;
    }
    owner_.scheduler_.post([self = shared_from_this()] { self->pump(); });
  }

 private:
  void finish() {
    done_ = true;
    sink_->end();
    owner_.release(key(), this);
  }

  void pump() {
    std::unique_lock lock(mu_);
    scheduled_ = false;
    if (done_) return;
    Kinesis& k = owner_.kinesis_;
    int64_t now = k.clock().now_ms();
    if (sink_->closed() || now - started_ms_ >= kLifetimeMs) return finish();
    StreamPtr stream = k.find_by_id(start_.stream_id);
    const Shard* shard = stream ? stream->shard(start_.shard_index) : nullptr;
    if (!shard) {
      done_ = true;
      sink_->send_error(resource_not_found("Shard " + Shard::shard_id(start_.shard_index) + " does not exist"));
      owner_.release(key(), this);
      return;
    }
    // Backpressure: a reader slower than the stream stops the pump until it catches up.
    if (sink_->buffered_bytes() > (4u << 20)) return later(lock, 50);
    tokens_ = std::min(kBytesPerSecond, tokens_ + double(now - tokens_ms_) / 1000.0 * kBytesPerSecond);
    tokens_ms_ = now;

    std::shared_lock stream_lock(stream->mu);
    storage::TopicPartition tp{stream->id, shard->index};
    uint64_t end = shard->open() ? k.log().head(tp) : shard->end_offset;
    json records = json::array();
    std::string last_seq;
    storage::LogReadResult read;
    if (tokens_ > 0 && offset_ < end) {
      storage::LogReadOptions ro;
      ro.from = offset_;
      ro.max_records = 10000;
      ro.max_bytes = size_t(std::max(1.0, std::min(tokens_, double(1 << 20))));
      ro.min_timestamp_ms = now - int64_t(stream->retention_hours) * 3600000;
      read = k.log().read(tp, ro);
      uint64_t bytes = 0;
      for (auto& r : read.records) {
        bytes += r.payload.size();
        records.push_back(record_json(*stream, shard->index, r));
        last_seq = records.back()["SequenceNumber"];
      }
      tokens_ -= double(bytes);
      offset_ = std::max(offset_, read.next_offset);
    }
    bool at_end = !shard->open() && offset_ >= shard->end_offset;
    bool heartbeat_due = now - last_event_ms_ >= kHeartbeatMs;
    if (!records.empty() || at_end || heartbeat_due) {
      if (last_seq.empty()) last_seq = continuation(k, *shard, tp);
      int64_t behind = 0;
      if (offset_ < end) {
        auto ts = k.log().timestamp_at(tp, offset_);
        behind = ts ? std::max<int64_t>(0, now - *ts) : 0;
      }
      json event = {{"Records", records}, {"ContinuationSequenceNumber", last_seq}, {"MillisBehindLatest", behind}};
      if (at_end) event["ChildShards"] = child_shards_json(*stream, *shard);
      last_event_ms_ = now;
      if (!sink_->send_event("SubscribeToShardEvent", event) || at_end) return finish();
    }
    if (offset_ < end) {
      // More to send: right away, or once the 2 MiB/s budget has refilled.
      int64_t wait = tokens_ > 0 ? 0 : int64_t(-tokens_ / kBytesPerSecond * 1000.0) + 1;
      return later(lock, wait);
    }
    if (!heartbeat_armed_) {
      heartbeat_armed_ = true;
      int64_t wait = std::max<int64_t>(1, kHeartbeatMs - (now - last_event_ms_));
      owner_.scheduler_.after(wait, [self = shared_from_this()] {
        {
          std::lock_guard g(self->mu_);
          self->heartbeat_armed_ = false;
        }
        self->wake();
      });
    }
  }

  // The sequence number to resume after when nothing new was sent.
  std::string continuation(Kinesis& k, const Shard& shard, storage::TopicPartition tp) {
    if (offset_ > 0)
      if (auto ts = k.log().timestamp_at(tp, offset_ - 1)) return make_sequence_number(*ts, start_.stream_id, shard.index, offset_ - 1);
    return make_sequence_number(shard.created_ms, start_.stream_id, shard.index, offset_);
  }

  void later(std::unique_lock<std::mutex>& lock, int64_t wait_ms) {
    lock.unlock();
    if (wait_ms <= 0) return wake();
    owner_.scheduler_.after(wait_ms, [self = shared_from_this()] { self->wake(); });
  }

  Subscriptions& owner_;
  SubscriptionStart start_;
  std::shared_ptr<EventSink> sink_;
  std::mutex mu_;
  bool scheduled_ = false, done_ = false, heartbeat_armed_ = false;
  uint64_t offset_;
  int64_t started_ms_, last_event_ms_;
  double tokens_;
  int64_t tokens_ms_;
};


Status Subscriptions::check_free(const SubscriptionStart& start) const {
  std::lock_guard lock(mu_);
  if (claimed_.count(claim_key(start))) return in_use(start);
  return Ok{};
}

void Subscriptions::run(const SubscriptionStart& start, std::shared_ptr<EventSink> sink) {
  auto s = std::make_shared<Subscription>(*this, start, sink, kinesis_.clock().now_ms());
  {
    std::lock_guard lock(mu_);
    if (!claimed_.insert(claim_key(start)).second) return sink->send_error(in_use(start));
    by_shard_.emplace(storage::TopicPartition{start.stream_id, start.shard_index}, s);
  }
  s->begin();
}

void Subscriptions::release(const std::string& key, Subscription* s) {
  std::lock_guard lock(mu_);
  claimed_.erase(key);
  for (auto it = by_shard_.begin(); it != by_shard_.end();) {
    auto live = it->second.lock();
    it = !live || live.get() == s ? by_shard_.erase(it) : std::next(it);
  }
}

void Subscriptions::on_append(storage::TopicPartition tp) {
  std::vector<std::shared_ptr<Subscription>> wake;
  {
    std::lock_guard lock(mu_);
    auto [first, last] = by_shard_.equal_range(tp);
    for (auto it = first; it != last; ++it)
      if (auto s = it->second.lock()) wake.push_back(std::move(s));
  }
  for (auto& s : wake) s->wake();
}

size_t Subscriptions::active() const {
  std::lock_guard lock(mu_);
  return claimed_.size();
}

}  // namespace streamlab::kinesis
