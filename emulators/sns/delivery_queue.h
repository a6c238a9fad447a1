#pragma once
// The durable outbox of deliveries that are not done inside the request: webhook notifications
// and confirmations, and SQS deliveries whose first attempt failed. A job is committed to RocksDB
// before the operation that produced it answers, so an acknowledged publish survives kill -9; it
// is deleted once delivered or handed to the subscription's dead-letter queue.
//
// Jobs run on a few dedicated threads (blocking HTTP with deadlines), never on server threads.
// Tests drive it without threads: run_due() under a ManualClock.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulators/sns/message_attributes.h"
#include "server/core/clock.h"
#include "server/storage/store.h"

namespace streamlab::sns {

struct DeliveryJob {
  uint64_t id = 0;
  std::string subscription_arn, topic_arn, protocol, endpoint;
  std::string kind = "Notification";  // or SubscriptionConfirmation, UnsubscribeConfirmation
  std::string message_id;
  std::string body;  // exactly what is delivered
  bool raw = false;
  MessageAttributes attributes;    // raw delivery to SQS: become SQS message attributes
  std::string group_id, dedup_id;  // FIFO queues
  int attempts = 0;                // failed attempts so far
  int64_t next_ms = 0, created_ms = 0;
  std::string last_error;

  json to_json() const;
  static DeliveryJob from_json(const json& j, uint64_t id);
};

// Retry: per the delivery policy, then give up. Fail: give up now (the request can never succeed).
// Drop: forget the job (its subscription is gone).
enum class Outcome { Delivered, Retry, Fail, Drop };
struct AttemptResult {
  Outcome outcome = Outcome::Delivered;
  std::string error_code, error_message;  // for the dead-letter message's attributes
};

class DeliveryQueue {
 public:
  struct Handlers {
    std::function<AttemptResult(const DeliveryJob&)> attempt;
    // Delay before the next attempt once `job.attempts` attempts failed; nothing = give up.
    std::function<std::optional<int64_t>(const DeliveryJob&)> next_delay;
    std::function<void(const DeliveryJob&, const AttemptResult&)> give_up;
  };

  DeliveryQueue(storage::Store& store, const Clock& clock);
  ~DeliveryQueue();
  void set_handlers(Handlers h) { handlers_ = std::move(h); }

  // Rebuilds the schedule from RocksDB (start-up).
  Status load();
  // Commits the jobs in one WriteBatch, then schedules them (due at their next_ms).
  Status enqueue(std::vector<DeliveryJob> jobs);
  // The same, in `with` (committed even when there are no jobs): the fan-out's record deletions.
  Status enqueue(std::vector<DeliveryJob> jobs, storage::Batch& with);
  // Worker threads; stop() waits for attempts in progress.
  void start(int threads);
  void stop();
  // Runs every job due now on the calling thread; returns how many attempts were made.
  size_t run_due();
  size_t pending() const;
  // Drops the jobs `pred` selects (lab reset), from memory and disk.
  void drop_if(const std::function<bool(const DeliveryJob&)>& pred);

 private:
  std::optional<DeliveryJob> take_due(int64_t now);
  void finish(DeliveryJob job, const AttemptResult& result);
  void worker();

  storage::Store& store_;
  const Clock& clock_;
  Handlers handlers_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, DeliveryJob> jobs_;           // waiting (not being attempted)
  std::set<std::pair<int64_t, uint64_t>> due_;     // (next_ms, id)
  size_t in_flight_ = 0;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace streamlab::sns
