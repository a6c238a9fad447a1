#include "emulators/kinesis/hash_key.h"

#include <algorithm>

#include "server/core/encoding.h"

namespace streamlab::kinesis {

std::string to_decimal(u128 v) {
  // Peel 19 digits at a time so most of the work is 64-bit arithmetic.
  constexpr uint64_t kChunk = 10000000000000000000ULL;  // 10^19
  uint64_t parts[3];
  int n = 0;
  do {
    parts[n++] = uint64_t(v % kChunk);
    v /= kChunk;
  } while (v);
  std::string s = std::to_string(parts[n - 1]);
  for (int i = n - 2; i >= 0; --i) {
    std::string digits = std::to_string(parts[i]);
    s.append(19 - digits.size(), '0');
    s += digits;
  }
  return s;
}

std::optional<u128> parse_decimal(std::string_view s) {
  if (s.empty() || s.size() > 39) return std::nullopt;
  u128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    u128 next = v * 10 + u128(c - '0');
    if (v > kMaxHashKey / 10 || next < v * 10) return std::nullopt;
    v = next;
  }
  return v;
}

u128 hash_of_partition_key(std::string_view partition_key) {
  // Every record is routed by this: digest into the stack, no string (16 bytes do not fit SSO).
  unsigned char d[16];
  md5_raw(partition_key, d);
  uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 8; ++i) {
    hi = (hi << 8) | d[i];
    lo = (lo << 8) | d[i + 8];
  }
  return (u128(hi) << 64) | lo;
}

u128 uniform_start(uint64_t i, uint64_t n) {
  // As AWS does: every shard gets floor(2^128 / n) keys and the last one the remainder.
  u128 q = kMaxHashKey / n;
  if (kMaxHashKey % n == n - 1) ++q;  // 2^128 itself divides evenly
  return u128(i) * q;
}

}  // namespace streamlab::kinesis
