#include "emulators/sns/signing_pool.h"

#include <algorithm>
#include <utility>

namespace streamlab::sns {

namespace {
thread_local SigningPool* this_thread_pool = nullptr;
}  // namespace

SigningPool* SigningPool::of_this_thread() { return this_thread_pool; }

SigningPool::Use::Use(SigningPool& pool) : previous_(std::exchange(this_thread_pool, &pool)) {}

SigningPool::Use::~Use() { this_thread_pool = previous_; }

void SigningPool::run_here(size_t n, const std::function<void(size_t)>& task) {
  if (SigningPool* pool = this_thread_pool) return pool->run(n, task);
  for (size_t i = 0; i < n; ++i) task(i);
}

size_t SigningPool::default_parallelism() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
}

SigningPool::SigningPool(size_t parallelism) : parallelism_(std::max<size_t>(parallelism, 1)) {}

SigningPool::~SigningPool() { stop(); }

void SigningPool::start() {
  std::lock_guard serial(run_mu_);
  std::lock_guard lock(mu_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (size_t i = 1; i < parallelism_; ++i) threads_.emplace_back([this] { worker(); });
}

void SigningPool::stop() {
  std::lock_guard serial(run_mu_);  // lets a run in progress finish
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void SigningPool::drain(const std::function<void(size_t)>& task, size_t n) {
  for (size_t i = next_.fetch_add(1); i < n; i = next_.fetch_add(1)) {
    try {
      task(i);
    } catch (...) {
      std::lock_guard lock(mu_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void SigningPool::worker() {
  std::unique_lock lock(mu_);
  uint64_t seen = generation_;
  for (;;) {
    work_cv_.wait(lock, [&] { return stopping_ || (task_ && generation_ != seen); });
    if (stopping_) return;
    seen = generation_;
    const std::function<void(size_t)>* task = task_;
    size_t n = n_;
    ++active_;
    lock.unlock();
    drain(*task, n);
    lock.lock();
    if (--active_ == 0) done_cv_.notify_all();
  }
}

void SigningPool::run(size_t n, const std::function<void(size_t)>& task) {
  if (n == 0) return;
  std::lock_guard serial(run_mu_);
  bool shared = n > 1 && !threads_.empty();  // one task: waking threads would only add latency
  {
    std::lock_guard lock(mu_);
    error_ = nullptr;
    next_ = 0;
    if (shared) {
      task_ = &task;
      n_ = n;
      ++generation_;
    }
  }
  if (shared) work_cv_.notify_all();
  drain(task, n);
  std::exception_ptr error;
  {
    std::unique_lock lock(mu_);
    // A thread that joins from here on finds task_ cleared and stays out.
    done_cv_.wait(lock, [&] { return active_ == 0; });
    task_ = nullptr;
    error = std::exchange(error_, nullptr);
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace streamlab::sns
