#pragma once
// CRC-32 (IEEE 802.3, zlib's crc32): event-stream frames and DynamoDB's x-amz-crc32.
#include <cstdint>
#include <string_view>

namespace streamlab {

uint32_t crc32(std::string_view bytes, uint32_t crc = 0);

}  // namespace streamlab
