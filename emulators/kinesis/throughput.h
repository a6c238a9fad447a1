#pragma once
// Per-shard throughput limits as token buckets refilled continuously from the injected clock:
// writes 1 MiB/s and 1,000 records/s, reads 5 GetRecords calls/s and 2 MiB/s. A read that
// returns more than the budget drives it negative, so a 10 MiB read blocks the shard's reads
// for about five seconds, as on AWS.
#include <cstdint>
#include <mutex>

namespace streamlab::kinesis {

struct ShardLimits {
  double write_bytes_per_s = 1 << 20;
  double write_records_per_s = 1000;
  double read_calls_per_s = 5;
  double read_bytes_per_s = 2 << 20;
};

class ShardThroughput {
 public:
  explicit ShardThroughput(const ShardLimits& limits, int64_t now_ms);
  // Takes the budget for one record if there is enough; false means throttled.
  bool try_write(int64_t now_ms, uint64_t bytes);
  // Takes one read call if the call and byte budgets allow one.
  bool try_read(int64_t now_ms);
  // Charges the bytes a read returned.
  void charge_read(uint64_t bytes);

 private:
  void refill(int64_t now_ms);
  std::mutex mu_;
  ShardLimits limits_;
  int64_t last_ms_;
  double write_bytes_, write_records_, read_calls_, read_bytes_;
};

}  // namespace streamlab::kinesis
