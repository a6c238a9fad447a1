#pragma once
// Byte tests on 8 bytes at once (SWAR), for text scanners that skip plain runs a word at a time.
// Each answers exactly whether ANY byte of the word matches (nonzero) or none does (zero); which
// byte it was is left to a byte-at-a-time loop.
#include <cstdint>
#include <cstring>

namespace streamlab::swar {

inline constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;

inline uint64_t load8(const void* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
// Some byte equals `c` (the zero-byte test on w ^ c).
constexpr uint64_t any_equal(uint64_t w, unsigned char c) {
  uint64_t x = w ^ (kOnes * c);
  return (x - kOnes) & ~x & kHigh;
}
// Some byte is below `n` (n <= 0x80); bytes of 0x80 and above never count.
constexpr uint64_t any_below(uint64_t w, unsigned char n) { return (w - kOnes * n) & ~w & kHigh; }
// Some byte is 0x80 or above (not ASCII).
constexpr uint64_t any_non_ascii(uint64_t w) { return w & kHigh; }

}  // namespace streamlab::swar
