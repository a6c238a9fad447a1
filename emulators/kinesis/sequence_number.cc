#include "emulators/kinesis/sequence_number.h"

#include "emulators/kinesis/hash_key.h"

namespace streamlab::kinesis {

std::string make_sequence_number(int64_t timestamp_ms, uint32_t shard_index, uint64_t offset) {
  u128 v = u128(1) << 127;
  v |= (u128(uint64_t(timestamp_ms)) & ((u128(1) << 43) - 1)) << 84;
  v |= u128(shard_index & kMaxShardIndex) << 64;
  v |= u128(offset);
  return to_decimal(v);
}

std::optional<SequenceParts> parse_sequence_number(std::string_view text) {
  auto v = parse_decimal(text);
  if (!v || !(*v >> 127)) return std::nullopt;
  SequenceParts p;
  p.timestamp_ms = int64_t((*v >> 84) & ((u128(1) << 43) - 1));
  p.shard_index = uint32_t((*v >> 64) & kMaxShardIndex);
  p.offset = uint64_t(*v);
  return p;
}

}  // namespace streamlab::kinesis
