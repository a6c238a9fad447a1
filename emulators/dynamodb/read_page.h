#pragma once
// Query and Scan: key conditions turned into key ranges over the order-preserving storage keys
// (key_codec.h), and one page of items read from a table or an index with AWS's paging rules
// (Limit counts items read before the filter; a page stops after 1 MB; LastEvaluatedKey holds
// the table key plus the index key).
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "emulators/dynamodb/dynamodb.h"
#include "emulators/dynamodb/expression.h"

namespace streamlab::dynamodb {

// A KeyConditionExpression split into its (at most two) key conditions, checked without the
// table ("Invalid operator used in KeyConditionExpression: OR", …).
struct KeyTerm {
  std::string attribute;
  std::string op;  // =, <, <=, >, >=, BETWEEN, begins_with
  std::vector<AttributeValue> values;
};
Result<std::vector<KeyTerm>> key_terms(const Condition& key_condition);

struct PageRequest {
  const Table* table = nullptr;
  const SecondaryIndex* index = nullptr;  // nullptr: the table itself
  std::string lower, upper;               // storage keys, [lower, upper)
  bool forward = true;
  std::optional<Item> exclusive_start;    // ExclusiveStartKey, already checked
  std::optional<int64_t> limit;
  const Condition* filter = nullptr;
  std::function<bool(const Item&)> in_segment;  // Scan segments (given the item's key); empty: every item
  // Table reads without a filter may keep items encoded (PageResult::raw_items): no decoding
  // into Items when they only go back on the wire.
  bool raw = false;
};

struct PageResult {
  std::vector<Item> items;  // matching the filter, not projected
  std::vector<std::string> raw_items;  // with PageRequest::raw: the stored encodings instead
  int64_t scanned = 0;
  size_t scanned_bytes = 0;
  std::optional<Item> last_key;
};

// The key schema a read walks: the index's (for index reads) or the table's.
const KeySchema& read_schema(const Table& table, const SecondaryIndex* index);
// Storage key range of a Query for its hash value and optional range term.
Result<std::pair<std::string, std::string>> query_range(const Table& table, const SecondaryIndex* index,
                                                        const std::vector<KeyTerm>& terms);
std::pair<std::string, std::string> scan_range(const Table& table, const SecondaryIndex* index);
// ExclusiveStartKey checks: "The provided starting key is invalid", "…does not match the schema".
Status check_start_key(const Table& table, const SecondaryIndex* index, const Item& key);
PageResult read_page(DynamoDB& ddb, const PageRequest& request);
// The attributes an index holds for an item (its projection).
Item index_projection(const Table& table, const SecondaryIndex& index, const Item& item);

}  // namespace streamlab::dynamodb
