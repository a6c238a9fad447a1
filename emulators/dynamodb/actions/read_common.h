#pragma once
// What Query and Scan share: Select and projection rules, index lookup, and the page output.
#include <optional>
#include <string>
#include <vector>

#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/read_page.h"

namespace streamlab::dynamodb {

struct ReadOptions {
  std::string select;  // ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT ("" = default)
  std::optional<std::vector<Path>> projection;
  std::optional<Condition> filter;
  std::optional<Item> exclusive_start;
};

std::vector<std::pair<std::string, Shape>> read_members();
// Parses FilterExpression, ProjectionExpression/AttributesToGet and Select (table-independent checks).
Status parse_read_options(const json& in, ExpressionContext& ectx, ReadOptions& out);
// IndexName and the Select rules that need the table.
Result<const SecondaryIndex*> read_index(const Table& table, const json& in, const ReadOptions& options,
                                         int64_t now_ms);
json page_json(const Table& table, const SecondaryIndex* index, const ReadOptions& options, PageResult& page,
               const json& in);

}  // namespace streamlab::dynamodb
