#pragma once
// Shard iterators: "<stream arn>|1|<base64 token>", opaque and tamper-evident. Token layout:
//   stream_uid:u64 shard_index:u32 offset:u64 issued_ms:u64 mac:16 bytes
// where mac = HMAC-SHA256(server secret, the 28 bytes before it), truncated.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab::dynamodb_streams {

struct IteratorPosition {
  uint64_t stream_uid = 0;
  uint32_t shard_index = 0;
  uint64_t offset = 0;  // next record to read
  int64_t issued_ms = 0;
};

std::string encode_iterator(const std::string& stream_arn, const IteratorPosition& p, std::string_view secret);
std::optional<IteratorPosition> decode_iterator(std::string_view iterator, std::string_view secret);

}  // namespace streamlab::dynamodb_streams
