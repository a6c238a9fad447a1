#pragma once
// Shard iterators: opaque and tamper-evident. Layout before base64:
//   version:u8 stream_id:u64 shard_index:u32 offset:u64 issued_ms:u64 name_len:u8 stream_name mac:16
// where mac = HMAC-SHA256(server secret, everything before it), truncated. The name lets errors
// about a deleted stream name it, as AWS's do.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab::kinesis {

struct IteratorPosition {
  uint64_t stream_id = 0;
  uint32_t shard_index = 0;
  uint64_t offset = 0;  // next record to read
  int64_t issued_ms = 0;
  std::string stream_name;
};

std::string encode_iterator(const IteratorPosition& position, std::string_view secret);
std::optional<IteratorPosition> decode_iterator(std::string_view token, std::string_view secret);

}  // namespace streamlab::kinesis
