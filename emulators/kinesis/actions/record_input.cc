#include "emulators/kinesis/actions/record_input.h"

#include <cstdint>

#include "server/core/encoding.h"

namespace streamlab::kinesis {

Result<RecordInput> parse_record_input(const Stream& stream, const json& in) {
  const std::string& key = in.find("PartitionKey")->get_ref<const std::string&>();
  const std::string& text = in.find("Data")->get_ref<const std::string&>();
  size_t data_size = base64_decoded_size(text);  // the shape check found `text` valid
  size_t limit = size_t(stream.max_record_size_kib) * 1024;
  // The limit covers the data blob and the partition key together.
  if (data_size + key.size() > limit)
    return invalid_argument("Record size " + std::to_string(data_size + key.size()) +
                            " bytes (data and partition key) exceeds the maximum record size of " +
                            std::to_string(stream.max_record_size_kib) + " KiB for stream " + stream.name +
                            " under account " + stream.account + ".");
  RecordInput r;
  if (auto it = in.find("ExplicitHashKey"); it != in.end() && !it->is_null()) {
    const std::string& hash = it->get_ref<const std::string&>();
    auto v = parse_decimal(hash);
    if (!v)
      return invalid_argument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                              "Specified value was " + hash);
    r.explicit_hash_key = v;
  }
  // The stored form (kinesis.h): flags (set by put), key length, key, data. Keys are <= 256 bytes.
  r.payload.reserve(3 + key.size() + data_size);
  r.payload += '\0';
  r.payload += char((key.size() >> 8) & 0xff);
  r.payload += char(key.size() & 0xff);
  r.payload += key;
  append_base64_decoded(r.payload, text);  // straight into the stored record
  return r;
}

}  // namespace streamlab::kinesis
