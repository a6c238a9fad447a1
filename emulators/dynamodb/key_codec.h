#pragma once
// Storage keys of DynamoDB items and index entries, order-preserving so that RocksDB's byte
// order is DynamoDB's key order (range keys sort numerically for N, by bytes for S and B).
//
// Grammar (kv family; integers fixed-width big-endian):
//   item_key    := "ddb/i/" table_uid:u64 hash:key_value [range:key_value]
//   index_key   := "ddb/x/" index_uid:u64 hash:key_value [range:key_value] item_pk
//   item_pk     := hash:key_value [range:key_value]          (the base table's primary key)
//   item_val    := item_codec encoding of the whole item (see item_codec.h)
//   index_val   := empty (readers fetch the item by item_pk)
//
//   key_value   := string | binary | number        (the table schema says which)
//   string      := escaped(UTF-8 bytes) 0x00 0x01
//   binary      := escaped(bytes) 0x00 0x01
//   escaped(b)  := b with every 0x00 written as 0x00 0xFF
//   number      := 0x01                                     zero
//                | 0x02 exp:u16 digit* 0x00                 positive
//                | 0x00 ~exp:u16 ~digit* 0xFF               negative (bytes complemented as noted)
//   where the value is 0.d1d2…dn x 10^E (d1 != 0), exp = E + 1000, digit = d + 1 (1..10) and,
//   for negatives, ~exp = 0xFFFF - exp and ~digit = 10 - d (1..10), so larger magnitudes sort first.
// Every key_value is self-delimiting, so the concatenations above are prefix-free and a
// range key's order survives being preceded by its hash key.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulators/dynamodb/attribute_value.h"

namespace streamlab::dynamodb {

void encode_key_value(const AttributeValue& v, std::string& out);
// Decodes one key_value of type `type` at `in[pos]`, advancing pos; nullopt on corrupt input.
std::optional<AttributeValue> decode_key_value(AttrType type, std::string_view in, size_t& pos);

std::string item_prefix(uint64_t table_uid);
std::string index_prefix(uint64_t index_uid);

}  // namespace streamlab::dynamodb
