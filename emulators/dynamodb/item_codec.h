#pragma once
// Compact binary form of items for RocksDB values and stream records.
//
//   item   := count:varint (name_len:varint name value)*      (names in byte order)
//   value  := tag:u8 body                                       (tag = AttrType, never renumbered)
//   body   := S | N | B  : len:varint bytes                     (N as canonical decimal text)
//           | BOOL       : u8 (0 or 1)
//           | NULL       : (nothing)
//           | SS|NS|BS   : count:varint (len:varint bytes)*
//           | L          : count:varint value*
//           | M          : item
//   varint := LEB128 (7 bits per byte, low bits first)
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "emulators/dynamodb/attribute_value.h"

namespace streamlab::dynamodb {

void encode_item(const Item& item, std::string& out);
std::string encode_item(const Item& item);
// nullopt on corrupt input; `pos` advances past the item.
std::optional<Item> decode_item(std::string_view in, size_t& pos);
std::optional<Item> decode_item(std::string_view in);
// Straight to the wire form ({"a": {"S": "x"}, …}), for reads that return whole items.
std::optional<nlohmann::json> decode_item_json(std::string_view in);
// Straight to JSON text; false (and `out` partly written) on corrupt input.
bool append_item_json(std::string_view in, std::string& out);

}  // namespace streamlab::dynamodb
