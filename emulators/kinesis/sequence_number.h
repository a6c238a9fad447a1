#pragma once
// Sequence numbers: decimal strings of a 128-bit number laid out as
//   bit 127        always 1 (so every number has 39 digits and no leading zero)
//   bits 84..126   arrival time, ms since the epoch (43 bits: until year 2248)
//   bits 64..83    shard index (20 bits)
//   bits 0..63     offset in the shard's partition of the log
// Within a shard they increase strictly (time never decreases there, offsets always grow),
// they grow with arrival time, compare as integers, and decode back to their shard.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab::kinesis {

struct SequenceParts {
  int64_t timestamp_ms = 0;
  uint32_t shard_index = 0;
  uint64_t offset = 0;
};

inline constexpr uint32_t kMaxShardIndex = (1u << 20) - 1;

std::string make_sequence_number(int64_t timestamp_ms, uint32_t shard_index, uint64_t offset);
std::optional<SequenceParts> parse_sequence_number(std::string_view text);

}  // namespace streamlab::kinesis
