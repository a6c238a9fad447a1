#include "emulators/dynamodb_streams/shard_iterator.h"

#include <openssl/crypto.h>

#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::dynamodb_streams {
namespace {
constexpr size_t kBodySize = 8 + 4 + 8 + 8;
constexpr size_t kMacSize = 16;
}  // namespace

std::string encode_iterator(const std::string& stream_arn, const IteratorPosition& p, std::string_view secret) {
  std::string raw;
  storage::put_u64(raw, p.stream_uid);
  storage::put_u32(raw, p.shard_index);
  storage::put_u64(raw, p.offset);
  storage::put_u64(raw, uint64_t(p.issued_ms));
  raw += hmac_sha256_raw(secret, raw).substr(0, kMacSize);
  return stream_arn + "|1|" + base64_encode(raw);
}

std::optional<IteratorPosition> decode_iterator(std::string_view iterator, std::string_view secret) {
  size_t bar = iterator.rfind('|');
  if (bar == std::string_view::npos) return std::nullopt;
  auto raw = base64_decode(iterator.substr(bar + 1));
  if (!raw || raw->size() != kBodySize + kMacSize) return std::nullopt;
  std::string mac = hmac_sha256_raw(secret, std::string_view(*raw).substr(0, kBodySize)).substr(0, kMacSize);
  if (CRYPTO_memcmp(mac.data(), raw->data() + kBodySize, kMacSize) != 0) return std::nullopt;
  IteratorPosition p;
  p.stream_uid = storage::get_u64(*raw, 0);
  p.shard_index = storage::get_u32(*raw, 8);
  p.offset = storage::get_u64(*raw, 12);
  p.issued_ms = int64_t(storage::get_u64(*raw, 20));
  return p;
}

}  // namespace streamlab::dynamodb_streams
