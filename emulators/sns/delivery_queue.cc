#include "emulators/sns/delivery_queue.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "emulators/sns/keys.h"

namespace streamlab::sns {

using storage::Family;

json DeliveryJob::to_json() const {
  json j = {{"v", 1},           {"sub", subscription_arn}, {"topic", topic_arn}, {"proto", protocol},
            {"ep", endpoint},   {"kind", kind},            {"mid", message_id},  {"body", body},
            {"raw", raw},       {"n", attempts},           {"next", next_ms},    {"created", created_ms}};
  if (!attributes.empty()) j["attrs"] = attributes_to_json(attributes);
  if (!group_id.empty()) j["group"] = group_id;
  if (!dedup_id.empty()) j["dedup"] = dedup_id;
  if (!last_error.empty()) j["err"] = last_error;
  return j;
}

DeliveryJob DeliveryJob::from_json(const json& j, uint64_t id) {
  DeliveryJob d;
  d.id = id;
  d.subscription_arn = j.value("sub", "");
  d.topic_arn = j.value("topic", "");
  d.protocol = j.value("proto", "");
  d.endpoint = j.value("ep", "");
  d.kind = j.value("kind", "Notification");
  d.message_id = j.value("mid", "");
  d.body = j.value("body", "");
  d.raw = j.value("raw", false);
  d.attempts = j.value("n", 0);
  d.next_ms = j.value("next", int64_t(0));
  d.created_ms = j.value("created", int64_t(0));
  d.attributes = attributes_from_json(j.value("attrs", json::object()));
  d.group_id = j.value("group", "");
  d.dedup_id = j.value("dedup", "");
  d.last_error = j.value("err", "");
  return d;
}

DeliveryQueue::DeliveryQueue(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

DeliveryQueue::~DeliveryQueue() { stop(); }

Status DeliveryQueue::load() {
  std::lock_guard lock(mu_);
  std::string begin(keys::kOutboxPrefix);
  store_.scan(Family::kv, begin, storage::prefix_end(begin), [&](std::string_view key, std::string_view value) {
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded()) return true;
    uint64_t id = keys::outbox_id(key);
    DeliveryJob job = DeliveryJob::from_json(j, id);
    due_.emplace(job.next_ms, id);
    jobs_.emplace(id, std::move(job));
    next_id_ = std::max(next_id_, id + 1);
    return true;
  });
  if (!jobs_.empty()) spdlog::info("sns: {} pending deliveries resumed", jobs_.size());
  return Ok{};
}

Status DeliveryQueue::enqueue(std::vector<DeliveryJob> jobs) {
  if (jobs.empty()) return Ok{};
  storage::Batch batch;
  return enqueue(std::move(jobs), batch);
}

Status DeliveryQueue::enqueue(std::vector<DeliveryJob> jobs, storage::Batch& batch) {
  {
    std::lock_guard lock(mu_);
    for (auto& job : jobs) job.id = next_id_++;
  }
  for (auto& job : jobs) batch.put(Family::kv, keys::outbox(job.id), job.to_json().dump());
  if (batch.count() == 0) return Ok{};
  if (auto s = store_.commit(batch); !s) return s;
  if (jobs.empty()) return Ok{};
  {
    std::lock_guard lock(mu_);
    for (auto& job : jobs) {
      due_.emplace(job.next_ms, job.id);
      jobs_.emplace(job.id, std::move(job));
    }
  }
  cv_.notify_all();
  return Ok{};
}

std::optional<DeliveryJob> DeliveryQueue::take_due(int64_t now) {
  if (due_.empty() || due_.begin()->first > now) return std::nullopt;
  uint64_t id = due_.begin()->second;
  due_.erase(due_.begin());
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  DeliveryJob job = std::move(it->second);
  jobs_.erase(it);
  ++in_flight_;
  return job;
}

void DeliveryQueue::finish(DeliveryJob job, const AttemptResult& result) {
  storage::Batch batch;
  bool keep = false;
  if (result.outcome == Outcome::Retry || result.outcome == Outcome::Fail) {
    ++job.attempts;
    job.last_error = result.error_message;
    std::optional<int64_t> delay;
    if (result.outcome == Outcome::Retry && handlers_.next_delay) delay = handlers_.next_delay(job);
    if (delay) {
      job.next_ms = clock_.now_ms() + *delay;
      batch.put(Family::kv, keys::outbox(job.id), job.to_json().dump());
      keep = true;
    } else if (handlers_.give_up) {
      handlers_.give_up(job, result);
    }
  }
  if (!keep) batch.del(Family::kv, keys::outbox(job.id));
  if (auto s = store_.commit(batch); !s) spdlog::warn("sns: outbox update failed: {}", s.error().message);
  std::lock_guard lock(mu_);
  --in_flight_;
  if (keep) {
    due_.emplace(job.next_ms, job.id);
    jobs_.emplace(job.id, std::move(job));
  }
  cv_.notify_all();
}

size_t DeliveryQueue::run_due() {
  size_t n = 0;
  for (;;) {
    std::optional<DeliveryJob> job;
    {
      std::lock_guard lock(mu_);
      job = take_due(clock_.now_ms());
    }
    if (!job) return n;
    ++n;
    AttemptResult r = handlers_.attempt ? handlers_.attempt(*job) : AttemptResult{};
    finish(std::move(*job), r);
  }
}

void DeliveryQueue::worker() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    int64_t now = clock_.now_ms();
    if (auto job = take_due(now)) {
      lock.unlock();
      AttemptResult r;
      try {
        r = handlers_.attempt ? handlers_.attempt(*job) : AttemptResult{};
      } catch (const std::exception& e) {
        r = {Outcome::Retry, "InternalError", e.what()};
      }
      finish(std::move(*job), r);
      lock.lock();
      continue;
    }
    // Sleep until the next job is due (the clock is the wall clock when threads run).
    int64_t wait_ms = due_.empty() ? 1000 : std::min<int64_t>(1000, std::max<int64_t>(1, due_.begin()->first - now));
    cv_.wait_for(lock, std::chrono::milliseconds(wait_ms));
  }
}

void DeliveryQueue::start(int threads) {
  std::lock_guard lock(mu_);
  stopping_ = false;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { worker(); });
}

void DeliveryQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

size_t DeliveryQueue::pending() const {
  std::lock_guard lock(mu_);
  return jobs_.size() + in_flight_;
}

void DeliveryQueue::drop_if(const std::function<bool(const DeliveryJob&)>& pred) {
  storage::Batch batch;
  std::lock_guard lock(mu_);
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (pred(it->second)) {
      due_.erase({it->second.next_ms, it->first});
      batch.del(Family::kv, keys::outbox(it->first));
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
  if (batch.count()) (void)store_.commit(batch);
}

}  // namespace streamlab::sns
