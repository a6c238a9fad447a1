#include "server/core/encoding.h"

// MD5 routes every Kinesis record to its shard: OpenSSL 3's one-shot MD5() costs a fraction of
// EVP_Digest, which looks the algorithm up again on every call. Deprecated, still supported.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>

namespace streamlab {
namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

struct B64Table {
  int8_t v[256];
  constexpr B64Table() : v() {
    for (auto& x : v) x = -1;
    for (int i = 0; i < 64; ++i) v[static_cast<unsigned char>(kB64[i])] = int8_t(i);
  }
};
constexpr B64Table kB64Table;
inline int b64_value(unsigned char c) { return kB64Table.v[c]; }

std::string digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}
}  // namespace

namespace {
// Two base64 characters for every 12-bit value: one lookup per half of a 3-byte group.
struct B64Pairs {
  char c[4096][2];
  constexpr B64Pairs() : c() {
    for (int i = 0; i < 4096; ++i) {
      c[i][0] = kB64[i >> 6];
      c[i][1] = kB64[i & 63];
    }
  }
};
constexpr B64Pairs kB64Pairs;
}  // namespace

void append_base64(std::string& out, std::string_view in) {
  size_t at = out.size();
  out.resize(at + (in.size() + 2) / 3 * 4);
  char* o = out.data() + at;
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  size_t i = 0, n = in.size();
  for (; i + 2 < n; i += 3, o += 4) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8) | p[i + 2];
    std::memcpy(o, kB64Pairs.c[v >> 12], 2);
    std::memcpy(o + 2, kB64Pairs.c[v & 4095], 2);
  }
  if (i + 1 == n) {
    uint32_t v = uint32_t(p[i]) << 16;
    o[0] = kB64[v >> 18];
    o[1] = kB64[(v >> 12) & 63];
    o[2] = '=';
    o[3] = '=';
  } else if (i + 2 == n) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8);
    o[0] = kB64[v >> 18];
    o[1] = kB64[(v >> 12) & 63];
    o[2] = kB64[(v >> 6) & 63];
    o[3] = '=';
  }
}

std::string base64_encode(std::string_view in) {
  std::string out;
  append_base64(out, in);
  return out;
}

size_t base64_decoded_size(std::string_view text) {
  size_t pad = text.size() >= 1 && text.back() == '=' ? (text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1) : 0;
  return text.size() / 4 * 3 - pad;
}

namespace {
// True when every character of `text` is in the base64 alphabet: the table holds -1 (sign bit
// set) for anything else, so OR-ing the entries answers without a branch per character.
bool all_alphabet(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  int acc = 0;
  for (size_t i = 0; i < text.size(); ++i) acc |= kB64Table.v[p[i]];
  return acc >= 0;
}

// Number of '=' at the end of a text whose length is a multiple of 4 and whose other characters
// are valid; -1 when the padding is malformed or drops non-zero bits (not canonical).
int canonical_padding(std::string_view text) {
  size_t n = text.size();
  if (n == 0) return 0;
  int pad = text[n - 1] == '=' ? (text[n - 2] == '=' ? 2 : 1) : 0;
  if (!all_alphabet(text.substr(0, n - pad))) return -1;
  if (pad) {
    int last = b64_value(text[n - pad - 1]);
    if ((pad == 1 && (last & 3)) || (pad == 2 && (last & 15))) return -1;
  }
  return pad;
}
}  // namespace

std::string base64_problem(std::string_view text) {
  if (text.size() % 4)
    return "Base64 encoded length is expected a multiple of 4 bytes but found: " +
           std::to_string(text.size());
  if (canonical_padding(text) >= 0) return {};  // the common case: one pass, no branch per character
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c == '=') {
      // Padding only at the end: at most two '=' and nothing after them.
      if (i + 2 < text.size() || (i + 1 < text.size() && text[i + 1] != '='))
        return std::string("Invalid Base64 character: '='");
      continue;
    }
    if (b64_value(c) < 0) return std::string("Invalid Base64 character: '") + char(c) + "'";
  }
  // Canonical form: the bits dropped by padding must be zero.
  return "Invalid last non-pad Base64 character dectected";
}

void append_base64_decoded(std::string& out, std::string_view text) {
  size_t n = text.size() & ~size_t(3);
  size_t pad = n && text[n - 1] == '=' ? (text[n - 2] == '=' ? 2 : 1) : 0;
  size_t at = out.size();
  out.resize(at + n / 4 * 3 - pad);
  char* o = out.data() + at;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  // '=' counts as zero bits (b64_value gives -1 for it, which would set them all).
  auto sextet = [&](size_t i) { return p[i] == '=' ? 0u : uint32_t(b64_value(p[i])); };
  size_t full = pad ? n - 4 : n;  // quanta without padding
  for (size_t i = 0; i < full; i += 4, o += 3) {
    uint32_t v = (uint32_t(b64_value(p[i])) << 18) | (uint32_t(b64_value(p[i + 1])) << 12) |
                 (uint32_t(b64_value(p[i + 2])) << 6) | uint32_t(b64_value(p[i + 3]));
    o[0] = char(v >> 16);
    o[1] = char(v >> 8);
    o[2] = char(v);
  }
  if (pad) {  // the padded last quantum
    uint32_t v = (sextet(full) << 18) | (sextet(full + 1) << 12) | (sextet(full + 2) << 6);
    o[0] = char(v >> 16);
    if (pad == 1) o[1] = char(v >> 8);
  }
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 || canonical_padding(text) < 0) return std::nullopt;
  std::string out;
  append_base64_decoded(out, text);
  return out;
}

std::string hex_encode(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

void md5_raw(std::string_view bytes, unsigned char out[16]) {
  MD5(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
}

std::string md5_raw(std::string_view bytes) {
  unsigned char out[MD5_DIGEST_LENGTH];
  md5_raw(bytes, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}
std::string md5_hex(std::string_view bytes) { return hex_encode(md5_raw(bytes)); }
std::string sha256_hex(std::string_view bytes) { return hex_encode(digest(EVP_sha256(), bytes)); }

std::string hmac_sha256_raw(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), int(n));
  return out;
}

std::string uuid_v4() {
  // Request ids need uniqueness, not secrecy: a per-thread generator seeded from OpenSSL.
  thread_local uint64_t s[2] = {0, 0};
  if (s[0] == 0 && s[1] == 0) {
    std::string seed = random_bytes(16);
    std::memcpy(s, seed.data(), 16);
    s[0] |= 1;
  }
  auto next = [] {  // xorshift128+
    uint64_t x = s[0], y = s[1];
    s[0] = y;
    x ^= x << 23;
    s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
    return s[1] + y;
  };
  uint64_t a = next(), c = next();
  unsigned char b[16];
  std::memcpy(b, &a, 8);
  std::memcpy(b + 8, &c, 8);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  // 8-4-4-4-12 lower-case hex digits, written in place.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  size_t o = 0;
  for (int i = 0; i < 16; ++i) {
    if (o == 8 || o == 13 || o == 18 || o == 23) ++o;
    out[o++] = kHex[b[i] >> 4];
    out[o++] = kHex[b[i] & 15];
  }
  return out;
}

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      auto hv = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = i + 1 < s.size() ? hv(s[i + 1]) : -1, lo = i + 2 < s.size() ? hv(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        out += c;
      } else {
        out += char(hi * 16 + lo);
        i += 2;
      }
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace streamlab
