#pragma once
// Receipt handles: which queue, message and receive they came from, signed so a client cannot
// forge one. Layout before base64: 01 01 01 queue_id:u64 seq:u64 gen:u32 hmac_sha256[0..16)
// (the three leading bytes make handles start with "AQEB", as AWS's do).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab::sqs {

struct Receipt {
  uint64_t queue_id = 0;
  uint64_t seq = 0;
  uint32_t gen = 0;
};

// A handle's MAC (the truncated HMAC).
using ReceiptTag = std::array<unsigned char, 16>;

// `tag` (when given) gets the handle's MAC, so the queue can remember what it issued.
std::string encode_receipt(const Receipt& receipt, std::string_view secret, ReceiptTag* tag = nullptr);
// nullopt when the text is not a handle this server issued.
std::optional<Receipt> decode_receipt(std::string_view handle, std::string_view secret);

// A handle's fields and the MAC it carries, not yet checked: a queue that remembers the MAC it
// issued for that receive compares the two instead of computing it again (two SHA-256 blocks).
struct ParsedReceipt {
  Receipt receipt;
  ReceiptTag tag;
};
std::optional<ParsedReceipt> parse_receipt(std::string_view handle);
// Whether `tag` is the receipt's MAC under `secret`.
bool receipt_tag_valid(const Receipt& receipt, const ReceiptTag& tag, std::string_view secret);
// Constant-time comparison.
bool same_tag(const ReceiptTag& a, const ReceiptTag& b);

}  // namespace streamlab::sqs
