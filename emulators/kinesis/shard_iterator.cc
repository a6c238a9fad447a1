#include "emulators/kinesis/shard_iterator.h"

#include <openssl/crypto.h>

#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::kinesis {
namespace {
constexpr char kVersion = 1;
constexpr size_t kBodySize = 1 + 8 + 4 + 8 + 8;
constexpr size_t kMacSize = 16;
}  // namespace

std::string encode_iterator(const IteratorPosition& p, std::string_view secret) {
  std::string raw(1, kVersion);
  storage::put_u64(raw, p.stream_id);
  storage::put_u32(raw, p.shard_index);
  storage::put_u64(raw, p.offset);
  storage::put_u64(raw, uint64_t(p.issued_ms));
  raw += hmac_sha256_raw(secret, raw).substr(0, kMacSize);
  return base64_encode(raw);
}

std::optional<IteratorPosition> decode_iterator(std::string_view token, std::string_view secret) {
  auto raw = base64_decode(token);
  if (!raw || raw->size() != kBodySize + kMacSize || (*raw)[0] != kVersion) return std::nullopt;
  std::string mac = hmac_sha256_raw(secret, std::string_view(*raw).substr(0, kBodySize)).substr(0, kMacSize);
  if (CRYPTO_memcmp(mac.data(), raw->data() + kBodySize, kMacSize) != 0) return std::nullopt;
  IteratorPosition p;
  p.stream_id = storage::get_u64(*raw, 1);
  p.shard_index = storage::get_u32(*raw, 9);
  p.offset = storage::get_u64(*raw, 13);
  p.issued_ms = int64_t(storage::get_u64(*raw, 21));
  return p;
}

}  // namespace streamlab::kinesis
