#pragma once
// Run work later without blocking a thread: long polls, state transitions, background
// maintenance. The HTTP layer implements it on its event loop; tests use a manual one.
#include <cstdint>
#include <functional>

namespace streamlab {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual void after(int64_t delay_ms, std::function<void()> work) = 0;
  // Runs `work` soon on a worker thread (never inline).
  virtual void post(std::function<void()> work) = 0;
};

}  // namespace streamlab
