#pragma once
// The durable queue of acknowledged publishes waiting for their fan-out. Publish commits one record
// (published.h) and answers; one fan-out thread takes the records in batches, in the order they
// were accepted, builds and signs what each subscription receives, delivers to SQS and leaves the
// rest (webhooks, failed attempts) in the delivery outbox. A record is deleted in the same
// WriteBatch that adds its outbox jobs, so a kill -9 at any point loses nothing: what was not fanned
// out is read back at start-up and fanned out again (at-least-once, as AWS delivers).
//
// One thread keeps a FIFO topic's publishes in their sequence order. Tests run the fan-out on their
// own thread: run_pending().
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "emulators/sns/published.h"
#include "server/storage/store.h"

namespace streamlab::sns {

class FanoutQueue {
 public:
  // Fans a batch out. `done` already deletes the batch's records; the handler adds what the
  // deliveries leave behind and commits it.
  using Handler = std::function<Status(std::vector<Published>& batch, storage::Batch& done)>;

  FanoutQueue(storage::Store& store, size_t max_batch = 128);
  ~FanoutQueue();
  void set_handler(Handler h) { handler_ = std::move(h); }

  // Reads back the records a previous run left (start-up).
  Status load();
  // Commits `p` together with `with` (say, FIFO deduplication state), then schedules it.
  Status append(Published p, storage::Batch& with);
  void start();
  void stop();  // waits for the batch in progress; the rest stays on disk for the next start
  // Fans out everything waiting, on the calling thread; returns how many records it took.
  size_t run_pending();
  // Records accepted and not yet fanned out (waiting or in progress).
  size_t backlog() const;
  // Forgets the records `pred` selects (lab reset), in memory and on disk.
  void drop_if(const std::function<bool(const Published&)>& pred);

 private:
  std::vector<Published> take_batch();  // under mu_
  void fan_out(std::vector<Published>& batch);
  void worker();

  storage::Store& store_;
  size_t max_batch_;
  Handler handler_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Published> waiting_;
  size_t in_flight_ = 0;
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace streamlab::sns
