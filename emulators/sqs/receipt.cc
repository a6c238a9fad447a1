#include "emulators/sqs/receipt.h"

#include <openssl/crypto.h>

#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sqs {
namespace {
constexpr size_t kBodySize = 3 + 8 + 8 + 4;
constexpr size_t kMacSize = 16;
}  // namespace

std::string encode_receipt(const Receipt& r, std::string_view secret) {
  std::string raw("\x01\x01\x01", 3);
  storage::put_u64(raw, r.queue_id);
  storage::put_u64(raw, r.seq);
  storage::put_u32(raw, r.gen);
  raw += hmac_sha256_raw(secret, raw).substr(0, kMacSize);
  return base64_encode(raw);
}

std::optional<Receipt> decode_receipt(std::string_view handle, std::string_view secret) {
  if (handle.size() > 256) return std::nullopt;
  auto raw = base64_decode(handle);
  if (!raw || raw->size() != kBodySize + kMacSize || raw->compare(0, 3, "\x01\x01\x01") != 0) return std::nullopt;
  std::string mac = hmac_sha256_raw(secret, std::string_view(*raw).substr(0, kBodySize));
  if (CRYPTO_memcmp(mac.data(), raw->data() + kBodySize, kMacSize) != 0) return std::nullopt;
  return Receipt{storage::get_u64(*raw, 3), storage::get_u64(*raw, 11), storage::get_u32(*raw, 19)};
}

}  // namespace streamlab::sqs
