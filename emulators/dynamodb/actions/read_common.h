#pragma once
// What Query and Scan share: Select and projection rules, index lookup, and the page output.
#include <optional>
#include <shared_mutex>
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
// One Query or Scan: its table (held shared until the answer is written), index, options and page.
struct ReadRun {
  TablePtr table;
  std::shared_lock<std::shared_mutex> lock;
  const SecondaryIndex* index = nullptr;
  ReadOptions options;
  PageResult page;
};
json page_json(ReadRun& run, const json& in);
// The same answer as JSON text, written without building a JSON tree.
std::string page_text(ReadRun& run, const json& in);
// An Action whose handler and JSON-text handler share one run function.
Action read_action(Shape input, std::function<Result<ReadRun>(const Context&, json&)> run);

}  // namespace streamlab::dynamodb
