#pragma once
// Sequence numbers: 56-digit decimal strings, like AWS's, made of fixed-width fields
//   "4"                  version (never 0, so the number has no leading zero)
//   timestamp_ms:15      arrival time, ms since the epoch
//   stream_id:13         the stream's log topic (a number from another stream is detected)
//   shard_index:7
//   offset:20            position in the shard's partition of the log
// Fixed widths make integer order equal string order equal field order: within a shard the
// numbers increase strictly (time never decreases there, offsets always grow), they grow with
// arrival time, and they decode back to their stream and shard.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab::kinesis {

struct SequenceParts {
  int64_t timestamp_ms = 0;
  uint64_t stream_id = 0;
  uint32_t shard_index = 0;
  uint64_t offset = 0;
};

inline constexpr uint32_t kMaxShardIndex = 9999999;
inline constexpr size_t kSequenceDigits = 56;

std::string make_sequence_number(int64_t timestamp_ms, uint64_t stream_id, uint32_t shard_index, uint64_t offset);
// The same digits appended to `out` (PutRecords answers 500 of them, GetRecords up to 10,000).
void append_sequence_number(std::string& out, int64_t timestamp_ms, uint64_t stream_id, uint32_t shard_index,
                            uint64_t offset);
std::optional<SequenceParts> parse_sequence_number(std::string_view text);

// Appends the numbers of one shard's records in turn: the 36 digits before the offset are
// worked out again only when the timestamp changes (a GetRecords page is mostly a few batches).
class SequenceNumberWriter {
 public:
  SequenceNumberWriter(uint64_t stream_id, uint32_t shard_index) : stream_id_(stream_id), shard_index_(shard_index) {}
  void append(std::string& out, int64_t timestamp_ms, uint64_t offset);

 private:
  uint64_t stream_id_;
  uint32_t shard_index_;
  int64_t prefix_timestamp_ms_ = -1;  // the timestamp prefix_ holds; -1: none yet
  char prefix_[36];
};

}  // namespace streamlab::kinesis
