#pragma once
// 128-bit hash keys: MD5(partition key) read as a big-endian unsigned integer picks the shard
// whose HashKeyRange contains it. Printed and parsed as decimal strings.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace streamlab::kinesis {

using u128 = unsigned __int128;
inline constexpr u128 kMaxHashKey = ~u128(0);

std::string to_decimal(u128 v);
// Decimal digits only, no sign, no leading zeros beyond "0"; nullopt if not a number or > 2^128-1.
std::optional<u128> parse_decimal(std::string_view s);
u128 hash_of_partition_key(std::string_view partition_key);
// Starting hash key of shard i of n in a uniform split of [0, 2^128): i * floor(2^128 / n).
u128 uniform_start(uint64_t i, uint64_t n);

}  // namespace streamlab::kinesis
