#pragma once
// Time is injected: the server uses SystemClock, tests a ManualClock, so visibility
// timeouts, iterator expiry, retention and throttling windows are tested without sleeping.
#include <atomic>
#include <cstdint>

namespace streamlab {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;  // wall clock, milliseconds since the Unix epoch
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override;
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1700000000000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void advance_ms(int64_t ms) { now_ += ms; }
  void set_ms(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace streamlab
