#include <functional>

#include "emulators/dynamodb/actions/legacy.h"
#include "emulators/dynamodb/actions/read_common.h"
#include "emulators/dynamodb/key_codec.h"

namespace streamlab::dynamodb {
namespace {
Result<ReadRun> run_scan(DynamoDB& d, const Context& ctx, json& in) {
  if (auto s = check_table_name(in["TableName"]); !s) return s.error();
  if (auto s = rewrite_legacy(in, {"ScanFilter", "ConditionalOperator"}, {"FilterExpression", "ProjectionExpression"});
      !s)
    return s.error();
  bool has_segment = in.contains("Segment"), has_total = in.contains("TotalSegments");
  if (has_segment && !has_total)
    return validation("The TotalSegments parameter is required but was not present in the request when Segment "
                      "parameter is present");
  if (has_total && !has_segment)
    return validation("The Segment parameter is required but was not present in the request when parameter "
                      "TotalSegments is present");
  int64_t segment = in.value("Segment", 0), total = in.value("TotalSegments", 1);
  if (segment >= total)
    return validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                      std::to_string(segment) + " is not less than TotalSegments: " + std::to_string(total));
  auto ectx = expression_context(in, {"FilterExpression", "ProjectionExpression"},
                                 "ExpressionAttributeValues can only be specified when using expressions: "
                                 "FilterExpression is null");
  if (!ectx) return ectx.error();
  ReadRun run;
  if (auto s = parse_read_options(in, *ectx, run.options); !s) return s.error();
  if (auto s = check_unused(*ectx); !s) return s.error();
  auto table = item_table(d, ctx, in);
  if (!table) return table.error();
  run.table = *table;
  run.lock = std::shared_lock((*table)->mu);
  const Table& t = **table;
  auto index = read_index(t, in, run.options, ctx.now_ms());
  if (!index) return index.error();
  run.index = *index;
  auto range = scan_range(t, run.index);
  PageRequest rq;
  rq.table = &t;
  rq.index = run.index;
  rq.lower = range.first;
  rq.upper = range.second;
  if (in.contains("Limit")) rq.limit = in["Limit"].get<int64_t>();
  if (run.options.filter) rq.filter = &*run.options.filter;
  rq.raw = !run.options.filter && !run.options.projection && !run.index;
  if (total > 1) {
    // Segments split the items by a hash of their partition key, as AWS's do.
    std::string hash_name = t.key.hash.name;
    rq.in_segment = [hash_name, segment, total](const Item& item) {
      std::string k;
      encode_key_value(item.at(hash_name), k);
      return int64_t(std::hash<std::string>{}(k) % uint64_t(total)) == segment;
    };
  }
  if (auto& start = run.options.exclusive_start) {
    if (auto s = check_start_key(t, run.index, *start); !s) return s.error();
    rq.exclusive_start = start;
  }
  run.page = read_page(d, rq);
  return run;
}
}  // namespace

Action scan(DynamoDB& d) {
  auto members = read_members();
  members.push_back({"ScanFilter", conditions_shape()});
  members.push_back({"TotalSegments", integer_shape().min(1).max(1000000)});
  members.push_back({"Segment", integer_shape().min(0).max(999999)});
  return read_action(structure_shape(std::move(members)),
                     [&d](const Context& ctx, json& in) { return run_scan(d, ctx, in); });
}

}  // namespace streamlab::dynamodb
