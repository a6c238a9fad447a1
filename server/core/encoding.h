#pragma once
// Byte encodings and digests shared by every service (OpenSSL underneath).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab {

std::string base64_encode(std::string_view bytes);
// The same text appended to `out` (GetRecords writes up to 10,000 of them into one answer).
void append_base64(std::string& out, std::string_view bytes);
// Strict standard base64 (with padding); nullopt when the text is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);
// Decodes text already found valid (base64_problem empty) onto the end of `out`, without a second
// validation pass or an intermediate string. Any text stays in bounds; only valid text decodes right.
void append_base64_decoded(std::string& out, std::string_view text);
// Size of the bytes a valid base64 text decodes to, without decoding it.
size_t base64_decoded_size(std::string_view text);
// Why a text is not valid base64, worded as AWS's Java services word it; empty when valid.
std::string base64_problem(std::string_view text);

std::string hex_encode(std::string_view bytes);
std::string md5_raw(std::string_view bytes);
// The 16-byte digest into `out`, without a heap string (Kinesis routes every record by it).
void md5_raw(std::string_view bytes, unsigned char out[16]);
std::string md5_hex(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);
std::string hmac_sha256_raw(std::string_view key, std::string_view data);

std::string random_bytes(size_t n);
std::string uuid_v4();
std::string url_decode(std::string_view s, bool plus_is_space);

}  // namespace streamlab
