#pragma once
// Receipt handles: which queue, message and receive they came from, signed so a client cannot
// forge one. Layout before base64: 01 01 01 queue_id:u64 seq:u64 gen:u32 hmac_sha256[0..16)
// (the three leading bytes make handles start with "AQEB", as AWS's do).
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

std::string encode_receipt(const Receipt& receipt, std::string_view secret);
// nullopt when the text is not a handle this server issued.
std::optional<Receipt> decode_receipt(std::string_view handle, std::string_view secret);

}  // namespace streamlab::sqs
