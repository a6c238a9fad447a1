#pragma once
// Fixed-width big-endian integers: keys built from them sort numerically in RocksDB.
#include <cstdint>
#include <string>
#include <string_view>

namespace streamlab::storage {

inline void put_u32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out += char((v >> (i * 8)) & 0xff);
}
inline void put_u64(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) out += char((v >> (i * 8)) & 0xff);
}
inline uint32_t get_u32(std::string_view in, size_t at = 0) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | uint8_t(in[at + i]);
  return v;
}
inline uint64_t get_u64(std::string_view in, size_t at = 0) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | uint8_t(in[at + i]);
  return v;
}

}  // namespace streamlab::storage
