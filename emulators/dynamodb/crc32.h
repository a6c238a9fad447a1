#pragma once
// CRC-32 (IEEE 802.3, zlib's crc32) for DynamoDB's x-amz-crc32 response header.
#include <cstdint>
#include <string_view>

namespace streamlab::dynamodb {

uint32_t crc32(std::string_view bytes);

}  // namespace streamlab::dynamodb
