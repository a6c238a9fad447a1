#include "emulators/sqs/receipt.h"

// The one-shot HMAC() looks the digest up and builds three contexts per call, which made signing
// a quarter of a ReceiveMessage and of a DeleteMessageBatch. SHA256_CTX is a plain struct, so the
// keyed inner and outer states are computed once and copied per handle; the output is the same
// HMAC-SHA256, so handles issued before stay valid.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <cstring>
#include <memory>

#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sqs {
namespace {
constexpr size_t kBodySize = 3 + 8 + 8 + 4;
constexpr size_t kMacSize = 16;
constexpr size_t kBlock = 64;

// HMAC-SHA256 with the key's padded blocks already absorbed (RFC 2104).
struct Keyed {
  std::string key;
  SHA256_CTX inner, outer;

  explicit Keyed(std::string_view k) : key(k) {
    unsigned char block[kBlock] = {};
    if (k.size() > kBlock) SHA256(reinterpret_cast<const unsigned char*>(k.data()), k.size(), block);
    else std::memcpy(block, k.data(), k.size());
    unsigned char ipad[kBlock], opad[kBlock];
    for (size_t i = 0; i < kBlock; ++i) {
      ipad[i] = block[i] ^ 0x36;
      opad[i] = block[i] ^ 0x5c;
    }
    SHA256_Init(&inner);
    SHA256_Update(&inner, ipad, kBlock);
    SHA256_Init(&outer);
    SHA256_Update(&outer, opad, kBlock);
  }

  void mac(std::string_view data, unsigned char out[SHA256_DIGEST_LENGTH]) const {
    SHA256_CTX c = inner;
    SHA256_Update(&c, data.data(), data.size());
    unsigned char h[SHA256_DIGEST_LENGTH];
    SHA256_Final(h, &c);
    c = outer;
    SHA256_Update(&c, h, sizeof h);
    SHA256_Final(out, &c);
  }
};

// The server has one receipt secret; each thread keeps its prepared states for it.
const Keyed& keyed(std::string_view secret) {
  thread_local std::unique_ptr<Keyed> k;
  if (!k || k->key != secret) k = std::make_unique<Keyed>(secret);
  return *k;
}


std::string body_of(const Receipt& r) {
  std::string raw("\x01\x01\x01", 3);
  raw.reserve(kBodySize + kMacSize);
  storage::put_u64(raw, r.queue_id);
  storage::put_u64(raw, r.seq);
  storage::put_u32(raw, r.gen);
  return raw;
}
}  // namespace

std::string encode_receipt(const Receipt& r, std::string_view secret, ReceiptTag* tag) {
  std::string raw = body_of(r);
  unsigned char mac[SHA256_DIGEST_LENGTH];
  keyed(secret).mac(raw, mac);
  raw.append(reinterpret_cast<const char*>(mac), kMacSize);
  if (tag) std::memcpy(tag->data(), mac, kMacSize);
  return base64_encode(raw);
}

std::optional<ParsedReceipt> parse_receipt(std::string_view handle) {
  if (handle.size() > 256) return std::nullopt;
  auto raw = base64_decode(handle);
  if (!raw || raw->size() != kBodySize + kMacSize || raw->compare(0, 3, "\x01\x01\x01") != 0) return std::nullopt;
  ParsedReceipt out{{storage::get_u64(*raw, 3), storage::get_u64(*raw, 11), storage::get_u32(*raw, 19)}, {}};
  std::memcpy(out.tag.data(), raw->data() + kBodySize, kMacSize);
  return out;
}

bool receipt_tag_valid(const Receipt& r, const ReceiptTag& tag, std::string_view secret) {
  unsigned char mac[SHA256_DIGEST_LENGTH];
  keyed(secret).mac(body_of(r), mac);
  return CRYPTO_memcmp(mac, tag.data(), kMacSize) == 0;
}

bool same_tag(const ReceiptTag& a, const ReceiptTag& b) { return CRYPTO_memcmp(a.data(), b.data(), kMacSize) == 0; }

std::optional<Receipt> decode_receipt(std::string_view handle, std::string_view secret) {
  auto parsed = parse_receipt(handle);
  if (!parsed || !receipt_tag_valid(parsed->receipt, parsed->tag, secret)) return std::nullopt;
  return parsed->receipt;
}

}  // namespace streamlab::sqs
