#include "emulators/kinesis/actions/record_input.h"

#include "server/core/encoding.h"

namespace streamlab::kinesis {

Result<RecordInput> parse_record_input(const Stream& stream, const json& in, const std::string& path) {
  RecordInput r;
  r.partition_key = in["PartitionKey"].get<std::string>();
  r.data = *base64_decode(in["Data"].get<std::string>());
  size_t limit = size_t(stream.max_record_size_kib) * 1024;
  // The limit covers the data blob and the partition key together.
  if (r.data.size() + r.partition_key.size() > limit)
    return invalid_argument("Record size " + std::to_string(r.data.size() + r.partition_key.size()) +
                            " bytes (data and partition key) exceeds the maximum record size of " +
                            std::to_string(stream.max_record_size_kib) + " KiB for stream " + stream.name +
                            " under account " + stream.account + ".");
  if (in.contains("ExplicitHashKey")) {
    std::string text = in["ExplicitHashKey"];
    auto v = parse_decimal(text);
    if (!v)
      return invalid_argument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                              "Specified value was " + text);
    r.explicit_hash_key = v;
  }
  return r;
}

}  // namespace streamlab::kinesis
