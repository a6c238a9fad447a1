#pragma once
// AttributeValues and items: the in-memory form, the checks AWS makes on the wire form
// ({"S": …}, {"N": "1"}, {"SS": […]}, …) with AWS's exact messages, sizes computed AWS's way
// (attribute name bytes + value bytes; 400 KB per item), equality and ordering.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "emulators/dynamodb/number.h"
#include "server/core/result.h"

namespace streamlab::dynamodb {

// Persisted (item codec tags): never renumber.
enum class AttrType : uint8_t { S = 0, N = 1, B = 2, BOOL = 3, NUL = 4, M = 5, L = 6, SS = 7, NS = 8, BS = 9 };

const char* type_name(AttrType t);  // "S", "N", …, "NULL"
bool parse_type_name(std::string_view name, AttrType& out);

struct AttributeValue {
  AttrType type = AttrType::NUL;
  bool boolean = false;            // BOOL
  std::string scalar;              // S text, N canonical text, B raw bytes
  std::vector<std::string> set;    // SS / NS (canonical) / BS (raw) members, in the order given
  std::vector<AttributeValue> list;
  std::map<std::string, AttributeValue> map;

  static AttributeValue string(std::string s) { return scalar_of(AttrType::S, std::move(s)); }
  static AttributeValue number(const Decimal& d) { return scalar_of(AttrType::N, d.to_string()); }
  static AttributeValue binary(std::string b) { return scalar_of(AttrType::B, std::move(b)); }
  static AttributeValue boolean_of(bool b) {
    AttributeValue v;
    v.type = AttrType::BOOL;
    v.boolean = b;
    return v;
  }
  static AttributeValue null() { return AttributeValue(); }
  static AttributeValue scalar_of(AttrType t, std::string s) {
    AttributeValue v;
    v.type = t;
    v.scalar = std::move(s);
    return v;
  }
  bool is_set() const { return type == AttrType::SS || type == AttrType::NS || type == AttrType::BS; }
  Decimal as_number() const { return Decimal::from_canonical(scalar); }
};

using Item = std::map<std::string, AttributeValue>;

inline constexpr size_t kMaxItemSize = 400 * 1024;
inline constexpr int kMaxNestingDepth = 32;

// Wire form -> value. Errors carry AWS's message text (ValidationException), e.g.
// "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes".
Result<AttributeValue> parse_value(const nlohmann::json& wire);
// An attribute map (Item, Key, ExclusiveStartKey...).
Result<Item> parse_item(const nlohmann::json& wire);

nlohmann::json to_json(const AttributeValue& v);
nlohmann::json to_json(const Item& item);
// The same wire form written straight into JSON text (hot read paths).
void append_json(const AttributeValue& v, std::string& out);
void append_json(const Item& item, std::string& out);

// AWS's item size: for each attribute, UTF-8 bytes of its name plus the size of its value.
size_t value_size(const AttributeValue& v);
size_t item_size(const Item& item);

// Equality as conditions see it: numbers numerically, sets regardless of order.
bool equals(const AttributeValue& a, const AttributeValue& b);
// Ordering of two scalars of one type (S, N, B): -1, 0, 1. Strings and binaries by bytes.
int compare_scalars(const AttributeValue& a, const AttributeValue& b);
// The value as AWS quotes it in messages: {S:abc}, {N:1}.
std::string describe(const AttributeValue& v);

}  // namespace streamlab::dynamodb
