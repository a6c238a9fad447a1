#include "emulators/kinesis/sequence_number.h"

#include <charconv>
#include <cstring>
#include <cstdio>

namespace streamlab::kinesis {
namespace {
constexpr uint64_t kStreamModulus = 10000000000000ULL;  // 13 digits

bool read_field(std::string_view text, size_t at, size_t width, uint64_t& out) {
  auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + width, out);
  return ec == std::errc() && p == text.data() + at + width;
}

// Writes v as exactly `width` decimal digits, zero-padded (v must fit).
void put_digits(char* end_of_field, size_t width, uint64_t v) {
  size_t i = 0;
  for (; i < width && v; ++i, v /= 10) *--end_of_field = char('0' + v % 10);
  for (; i < width; ++i) *--end_of_field = '0';  // most fields are mostly leading zeros
}
}  // namespace

void append_sequence_number(std::string& out, int64_t timestamp_ms, uint64_t stream_id, uint32_t shard_index,
                            uint64_t offset) {
  // "4" timestamp:15 stream:13 shard:7 offset:20, as "4%015lld%013llu%07u%020llu" would print it; written by
  // hand because snprintf dominated GetRecords, which numbers every record it returns.
  if (timestamp_ms < 0 || timestamp_ms > 999999999999999LL || shard_index > 9999999u) {  // wider than the layout
    char buf[80];
    std::snprintf(buf, sizeof buf, "4%015lld%013llu%07u%020llu", static_cast<long long>(timestamp_ms),
                  static_cast<unsigned long long>(stream_id % kStreamModulus), shard_index,
                  static_cast<unsigned long long>(offset));
    out += buf;
    return;
  }
  size_t at = out.size();
  out.resize(at + kSequenceDigits);
  char* p = out.data() + at;
  p[0] = '4';
  put_digits(p + 16, 15, uint64_t(timestamp_ms));
  put_digits(p + 29, 13, stream_id % kStreamModulus);
  put_digits(p + 36, 7, shard_index);
  put_digits(p + 56, 20, offset);
}

void SequenceNumberWriter::append(std::string& out, int64_t timestamp_ms, uint64_t offset) {
  if (timestamp_ms < 0 || timestamp_ms > 999999999999999LL || shard_index_ > 9999999u)
    return append_sequence_number(out, timestamp_ms, stream_id_, shard_index_, offset);
  if (timestamp_ms != prefix_timestamp_ms_) {
    prefix_[0] = '4';
    put_digits(prefix_ + 16, 15, uint64_t(timestamp_ms));
    put_digits(prefix_ + 29, 13, stream_id_ % kStreamModulus);
    put_digits(prefix_ + 36, 7, shard_index_);
    prefix_timestamp_ms_ = timestamp_ms;
  }
  size_t at = out.size();
  out.resize(at + kSequenceDigits);
  std::memcpy(out.data() + at, prefix_, sizeof prefix_);
  put_digits(out.data() + at + kSequenceDigits, 20, offset);
}

std::string make_sequence_number(int64_t timestamp_ms, uint64_t stream_id, uint32_t shard_index, uint64_t offset) {
  std::string out;
  append_sequence_number(out, timestamp_ms, stream_id, shard_index, offset);
  return out;
}

std::optional<SequenceParts> parse_sequence_number(std::string_view text) {
  if (text.size() != kSequenceDigits || text[0] != '4') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  SequenceParts p;
  uint64_t ts = 0, shard = 0;
  if (!read_field(text, 1, 15, ts) || !read_field(text, 16, 13, p.stream_id) || !read_field(text, 29, 7, shard) ||
      !read_field(text, 36, 20, p.offset))
    return std::nullopt;
  p.timestamp_ms = int64_t(ts);
  p.shard_index = uint32_t(shard);
  return p;
}

}  // namespace streamlab::kinesis
