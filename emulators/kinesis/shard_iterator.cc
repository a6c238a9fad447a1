#include "emulators/kinesis/shard_iterator.h"

#include <openssl/crypto.h>

#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::kinesis {
namespace {
constexpr char kVersion = 2;
constexpr size_t kFixedSize = 1 + 8 + 4 + 8 + 8 + 1;
constexpr size_t kMacSize = 16;
}  // namespace

std::string encode_iterator(const IteratorPosition& p, std::string_view secret) {
  std::string raw(1, kVersion);
  storage::put_u64(raw, p.stream_id);
  storage::put_u32(raw, p.shard_index);
  storage::put_u64(raw, p.offset);
  storage::put_u64(raw, uint64_t(p.issued_ms));
  std::string_view name = std::string_view(p.stream_name).substr(0, 255);
  raw += char(name.size());
  raw += name;
  raw += hmac_sha256_raw(secret, raw).substr(0, kMacSize);
  return base64_encode(raw);
}

std::optional<IteratorPosition> decode_iterator(std::string_view token, std::string_view secret) {
  auto raw = base64_decode(token);
  if (!raw || raw->size() < kFixedSize + kMacSize || (*raw)[0] != kVersion) return std::nullopt;
  size_t body = kFixedSize + uint8_t((*raw)[kFixedSize - 1]);
  if (raw->size() != body + kMacSize) return std::nullopt;
  std::string mac = hmac_sha256_raw(secret, std::string_view(*raw).substr(0, body)).substr(0, kMacSize);
  if (CRYPTO_memcmp(mac.data(), raw->data() + body, kMacSize) != 0) return std::nullopt;
  IteratorPosition p;
  p.stream_id = storage::get_u64(*raw, 1);
  p.shard_index = storage::get_u32(*raw, 9);
  p.offset = storage::get_u64(*raw, 13);
  p.issued_ms = int64_t(storage::get_u64(*raw, 21));
  p.stream_name = raw->substr(kFixedSize, body - kFixedSize);
  return p;
}

}  // namespace streamlab::kinesis
