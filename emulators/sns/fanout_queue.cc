#include "emulators/sns/fanout_queue.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "emulators/sns/keys.h"
#include "emulators/sns/signing_pool.h"

namespace streamlab::sns {

using storage::Family;

FanoutQueue::FanoutQueue(storage::Store& store, size_t max_batch) : store_(store), max_batch_(max_batch) {}

FanoutQueue::~FanoutQueue() { stop(); }

Status FanoutQueue::load() {
  std::lock_guard lock(mu_);
  std::string begin(keys::kPublishedPrefix);
  size_t unreadable = 0;
  store_.scan(Family::kv, begin, storage::prefix_end(begin), [&](std::string_view key, std::string_view value) {
    uint64_t id = keys::published_id(key);
    next_id_ = std::max(next_id_, id + 1);
    if (auto p = Published::decode(value, id)) waiting_.push_back(std::move(*p));
    else ++unreadable;
    return true;
  });
  if (unreadable) spdlog::error("sns: {} unreadable publish records left in place", unreadable);
  if (!waiting_.empty()) spdlog::info("sns: {} acknowledged publishes resume their fan-out", waiting_.size());
  return Ok{};
}

Status FanoutQueue::append(Published p, storage::Batch& with) {
  {
    std::lock_guard lock(mu_);
    p.id = next_id_++;
  }
  with.put(Family::kv, keys::published(p.id), p.encode());
  if (auto s = store_.commit(with); !s) return s;
  {
    std::lock_guard lock(mu_);
    waiting_.push_back(std::move(p));
  }
  cv_.notify_one();
  return Ok{};
}

std::vector<Published> FanoutQueue::take_batch() {
  std::vector<Published> batch;
  size_t n = std::min(max_batch_, waiting_.size());
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  in_flight_ += n;
  return batch;
}

void FanoutQueue::fan_out(std::vector<Published>& batch) {
  storage::Batch done;
  for (auto& p : batch) done.del(Family::kv, keys::published(p.id));
  Status s = Ok{};
  try {
    s = handler_ ? handler_(batch, done) : store_.commit(done);
  } catch (const std::exception& e) {
    s = AwsError{"InternalError", e.what()};
  }
  // The records stay on disk: the next start fans them out again.
  if (!s) spdlog::error("sns: fan-out of {} publishes failed: {}", batch.size(), s.error().message);
  std::lock_guard lock(mu_);
  in_flight_ -= batch.size();
}

size_t FanoutQueue::run_pending() {
  size_t n = 0;
  for (;;) {
    std::vector<Published> batch;
    {
      std::lock_guard lock(mu_);
      batch = take_batch();
    }
    if (batch.empty()) return n;
    n += batch.size();
    fan_out(batch);
  }
}

void FanoutQueue::worker() {
  // The threads that sign this thread's batches live and die with it.
  SigningPool signing;
  signing.start();
  SigningPool::Use use(signing);
  std::unique_lock lock(mu_);
  while (!stopping_) {
    if (waiting_.empty()) {
      cv_.wait(lock);
      continue;
    }
    std::vector<Published> batch = take_batch();
    lock.unlock();
    fan_out(batch);
    lock.lock();
  }
}

void FanoutQueue::start() {
  std::lock_guard lock(mu_);
  stopping_ = false;
  if (!thread_.joinable()) thread_ = std::thread([this] { worker(); });
}

void FanoutQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t FanoutQueue::backlog() const {
  std::lock_guard lock(mu_);
  return waiting_.size() + in_flight_;
}

void FanoutQueue::drop_if(const std::function<bool(const Published&)>& pred) {
  storage::Batch batch;
  std::lock_guard lock(mu_);
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    if (pred(*it)) {
      batch.del(Family::kv, keys::published(it->id));
      it = waiting_.erase(it);
    } else {
      ++it;
    }
  }
  if (batch.count()) (void)store_.commit(batch);
}

}  // namespace streamlab::sns
