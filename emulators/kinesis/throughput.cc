#include "emulators/kinesis/throughput.h"

#include <algorithm>

namespace streamlab::kinesis {

ShardThroughput::ShardThroughput(const ShardLimits& limits, int64_t now_ms)
    : limits_(limits),
      last_ms_(now_ms),
      write_bytes_(limits.write_bytes_per_s),
      write_records_(limits.write_records_per_s),
      read_calls_(limits.read_calls_per_s),
      read_bytes_(limits.read_bytes_per_s) {}

void ShardThroughput::refill(int64_t now_ms) {
  if (now_ms <= last_ms_) return;
  double s = double(now_ms - last_ms_) / 1000.0;
  last_ms_ = now_ms;
  write_bytes_ = std::min(limits_.write_bytes_per_s, write_bytes_ + s * limits_.write_bytes_per_s);
  write_records_ = std::min(limits_.write_records_per_s, write_records_ + s * limits_.write_records_per_s);
  read_calls_ = std::min(limits_.read_calls_per_s, read_calls_ + s * limits_.read_calls_per_s);
  read_bytes_ = std::min(limits_.read_bytes_per_s, read_bytes_ + s * limits_.read_bytes_per_s);
}

bool ShardThroughput::try_write(int64_t now_ms, uint64_t bytes) {
  std::lock_guard lock(mu_);
  refill(now_ms);
  // A record larger than a second's budget (streams with a raised MaxRecordSizeInKiB) goes
  // through when the budget is full and then drives it negative, as AWS lets large records burst.
  if (write_records_ < 1 || write_bytes_ < std::min(double(bytes), limits_.write_bytes_per_s)) return false;
  write_records_ -= 1;
  write_bytes_ -= double(bytes);
  return true;
}

bool ShardThroughput::try_read(int64_t now_ms) {
  std::lock_guard lock(mu_);
  refill(now_ms);
  if (read_calls_ < 1 || read_bytes_ <= 0) return false;
  read_calls_ -= 1;
  return true;
}

void ShardThroughput::charge_read(uint64_t bytes) {
  std::lock_guard lock(mu_);
  read_bytes_ -= double(bytes);
}

}  // namespace streamlab::kinesis
