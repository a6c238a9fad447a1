#include "emulators/kinesis/actions/record_input.h"

#include <cstdint>


namespace streamlab::kinesis {
namespace {

struct Base64Values {
  uint8_t v[256] = {};
  constexpr Base64Values() {
    constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) v[static_cast<unsigned char>(kAlphabet[i])] = uint8_t(i);
  }
};
constexpr Base64Values kBase64;

size_t padding_of(std::string_view text) {
  size_t n = text.size();
  return n >= 4 && text[n - 1] == '=' ? (text[n - 2] == '=' ? 2 : 1) : 0;
}

// Decodes base64 that the shape check has already validated (canonical, padded) onto the end of
// `out`: straight into the stored record, without base64_decode's second validation pass and
// its intermediate string (a PutRecords decodes 500 of these). Writes stay in bounds whatever
// the text; its validity only decides whether the bytes are right.
void append_base64(std::string& out, std::string_view text) {
  size_t n = text.size() & ~size_t(3), pad = padding_of(text.substr(0, n));
  size_t at = out.size();
  out.resize(at + n / 4 * 3 - pad);
  char* o = out.data() + at;
  const auto* t = reinterpret_cast<const unsigned char*>(text.data());
  auto quad = [&](size_t i) {
    return (uint32_t(kBase64.v[t[i]]) << 18) | (uint32_t(kBase64.v[t[i + 1]]) << 12) |
           (uint32_t(kBase64.v[t[i + 2]]) << 6) | uint32_t(kBase64.v[t[i + 3]]);
  };
  size_t full = pad ? n - 4 : n;
  for (size_t i = 0; i < full; i += 4, o += 3) {
    uint32_t v = quad(i);
    o[0] = char(v >> 16);
    o[1] = char(v >> 8);
    o[2] = char(v);
  }
  if (pad) {
    uint32_t v = quad(full);
    o[0] = char(v >> 16);
    if (pad == 1) o[1] = char(v >> 8);
  }
}

}  // namespace

Result<RecordInput> parse_record_input(const Stream& stream, const json& in) {
  const std::string& key = in.find("PartitionKey")->get_ref<const std::string&>();
  const std::string& text = in.find("Data")->get_ref<const std::string&>();
  size_t data_size = text.size() / 4 * 3 - padding_of(text);
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
  append_base64(r.payload, text);
  return r;
}

}  // namespace streamlab::kinesis
