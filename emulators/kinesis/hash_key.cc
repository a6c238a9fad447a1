#include "emulators/kinesis/hash_key.h"

#include <algorithm>

#include "server/core/encoding.h"

namespace streamlab::kinesis {

std::string to_decimal(u128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v) {
    s += char('0' + int(v % 10));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
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
  std::string digest = md5_raw(partition_key);
  u128 v = 0;
  for (unsigned char c : digest) v = (v << 8) | c;
  return v;
}

u128 uniform_start(uint64_t i, uint64_t n) {
  if (i == 0) return 0;
  // 2^128 = q*n + r, computed without overflowing 128 bits.
  u128 q = kMaxHashKey / n, r = kMaxHashKey % n + 1;
  if (r == n) {
    ++q;
    r = 0;
  }
  return u128(i) * q + (u128(i) * r) / n;
}

}  // namespace streamlab::kinesis
