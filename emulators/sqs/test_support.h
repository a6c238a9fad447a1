#pragma once
// Test helpers: a Scheduler driven by a ManualClock, so long polls and move tasks run when a
// test advances time, never on their own.
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "server/core/clock.h"
#include "server/core/scheduler.h"

namespace streamlab::sqs::testing {

class ManualScheduler final : public Scheduler {
 public:
  explicit ManualScheduler(ManualClock& clock) : clock_(clock) {}
  void after(int64_t delay_ms, std::function<void()> work) override {
    std::lock_guard lock(mu_);
    timers_.emplace(clock_.now_ms() + std::max<int64_t>(0, delay_ms), std::move(work));
  }
  void post(std::function<void()> work) override {
    std::lock_guard lock(mu_);
    posted_.push_back(std::move(work));
  }
  // Runs posted work and due timers until nothing is left to run now.
  void run() {
    for (;;) {
      std::function<void()> next;
      {
        std::lock_guard lock(mu_);
        if (!posted_.empty()) {
          next = std::move(posted_.front());
          posted_.erase(posted_.begin());
        } else if (!timers_.empty() && timers_.begin()->first <= clock_.now_ms()) {
          next = std::move(timers_.begin()->second);
          timers_.erase(timers_.begin());
        }
      }
      if (!next) return;
      next();
    }
  }
  // Advances the clock in steps, running what falls due at each.
  void advance(int64_t ms, int64_t step = 100) {
    for (int64_t done = 0; done < ms; done += step) {
      clock_.advance_ms(std::min(step, ms - done));
      run();
    }
  }
  size_t pending() {
    std::lock_guard lock(mu_);
    return posted_.size() + timers_.size();
  }

 private:
  ManualClock& clock_;
  std::mutex mu_;
  std::multimap<int64_t, std::function<void()>> timers_;
  std::vector<std::function<void()>> posted_;
};

}  // namespace streamlab::sqs::testing
