#include "emulators/dynamodb/actions/legacy.h"
#include "emulators/dynamodb/actions/read_common.h"

namespace streamlab::dynamodb {
namespace {
Result<ReadRun> run_query(DynamoDB& d, const Context& ctx, json& in) {
  if (auto s = check_table_name(in["TableName"]); !s) return s.error();
  if (auto s = rewrite_legacy(in, {"KeyConditions", "QueryFilter", "ConditionalOperator"},
                              {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"});
      !s)
    return s.error();
  auto ectx = expression_context(in, {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"},
                                 "ExpressionAttributeValues can only be specified when using expressions: "
                                 "KeyConditionExpression and FilterExpression are null");
  if (!ectx) return ectx.error();
  if (!in.contains("KeyConditionExpression"))
    return validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  auto key_condition = parse_condition(in["KeyConditionExpression"].get<std::string>(), "KeyConditionExpression", *ectx);
  if (!key_condition) return key_condition.error();
  ReadRun run;
  if (auto s = parse_read_options(in, *ectx, run.options); !s) return s.error();
  if (auto s = check_unused(*ectx); !s) return s.error();
  auto terms = key_terms(*key_condition);
  if (!terms) return terms.error();
  auto table = item_table(d, ctx, in);
  if (!table) return table.error();
  run.table = *table;
  run.lock = std::shared_lock((*table)->mu);
  const Table& t = **table;
  auto index = read_index(t, in, run.options, ctx.now_ms());
  if (!index) return index.error();
  run.index = *index;
  auto range = query_range(t, run.index, *terms);
  if (!range) return range.error();
  PageRequest rq;
  rq.table = &t;
  rq.index = run.index;
  rq.lower = range->first;
  rq.upper = range->second;
  rq.forward = in.value("ScanIndexForward", true);
  if (in.contains("Limit")) rq.limit = in["Limit"].get<int64_t>();
  if (run.options.filter) rq.filter = &*run.options.filter;
  rq.raw = !run.options.filter && !run.options.projection && !run.index;
  if (auto& start = run.options.exclusive_start) {
    if (auto s = check_start_key(t, run.index, *start); !s) return s.error();
    const KeySchema& schema = read_schema(t, run.index);
    for (auto& term : *terms)
      if (term.attribute == schema.hash.name && !equals(start->at(schema.hash.name), term.values[0]))
        return validation("The provided starting key is outside query boundaries based on provided conditions");
    rq.exclusive_start = start;
  }
  run.page = read_page(d, rq);
  return run;
}
}  // namespace

Action query(DynamoDB& d) {
  auto members = read_members();
  members.push_back({"KeyConditions", conditions_shape()});
  members.push_back({"QueryFilter", conditions_shape()});
  members.push_back({"ScanIndexForward", boolean_shape()});
  members.push_back({"KeyConditionExpression", string_shape()});
  return read_action(structure_shape(std::move(members)),
                     [&d](const Context& ctx, json& in) { return run_query(d, ctx, in); });
}

}  // namespace streamlab::dynamodb
