#pragma once
// Enhanced fan-out: SubscribeToShard pushes a shard's records to a registered consumer over an
// event stream. Each subscription lasts at most five minutes, is woken by appends to its
// shard (no polling), sends a heartbeat event every five seconds when idle, and is paced to
// 2 MiB/s per consumer and shard. At most one subscription per consumer and shard.
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "server/core/event_sink.h"
#include "server/core/result.h"
#include "server/core/scheduler.h"
#include "server/storage/partitioned_log.h"

namespace streamlab::kinesis {

class Kinesis;

struct SubscriptionStart {
  std::string consumer_arn;
  uint64_t stream_id = 0;
  uint32_t shard_index = 0;
  uint64_t offset = 0;  // first record to send
};

class Subscriptions {
 public:
  Subscriptions(Kinesis& kinesis, Scheduler& scheduler) : kinesis_(kinesis), scheduler_(scheduler) {}

  // ResourceInUseException while another subscription holds (consumer, shard).
  Status check_free(const SubscriptionStart& start) const;
  // Claims (consumer, shard) and feeds the subscription into `sink` (after the
  // initial-response event); if another claimed it meanwhile, the error goes in-stream.
  void run(const SubscriptionStart& start, std::shared_ptr<EventSink> sink);
  // Wakes the subscriptions of a shard (called on every append).
  void on_append(storage::TopicPartition tp);
  size_t active() const;

  static constexpr int64_t kLifetimeMs = 5 * 60 * 1000;
  static constexpr int64_t kHeartbeatMs = 5000;
  static constexpr double kBytesPerSecond = 2 << 20;

 private:
  class Subscription;
  void release(const std::string& key, Subscription* s);

  Kinesis& kinesis_;
  Scheduler& scheduler_;
  mutable std::mutex mu_;
  std::set<std::string> claimed_;                                            // consumer ARN + shard
  std::multimap<storage::TopicPartition, std::weak_ptr<Subscription>> by_shard_;
};

}  // namespace streamlab::kinesis
