#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/actions/legacy.h"

namespace streamlab::dynamodb {

namespace {
// What a successful PutItem answers with, before it is written as JSON text or a json tree.
struct PutOutcome {
  std::optional<Item> attributes;  // ReturnValues ALL_OLD, when there was an old item
  std::optional<json> consumed_capacity;
  std::optional<json> item_collection_metrics;
};

Result<PutOutcome> put(DynamoDB& d, const Context& ctx, json& in) {
  if (auto s = rewrite_legacy(in, {"Expected", "ConditionalOperator"}, {"ConditionExpression"}); !s) return s.error();
  auto request = parse_write_request(in, "Item", false,
                                     "ExpressionAttributeValues can only be specified when using "
                                     "expressions: ConditionExpression is null");
  if (!request) return request.error();
  Item& item = request->attributes;
  std::string_view rv = string_member(in, "ReturnValues", "NONE");
  if (rv != "NONE" && rv != "ALL_OLD") return validation("ReturnValues can only be ALL_OLD or NONE");
  if (item_size(item) > kMaxItemSize) return validation("Item size has exceeded the maximum allowed size");
  auto table = item_table(d, ctx, in);
  if (!table) return table.error();
  std::shared_lock table_lock((*table)->mu);
  if (auto s = check_item(**table, item); !s) return s.error();
  bool old_on_failure = string_member(in, "ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
  auto w = write_one(d, *table, key_of(**table, item), *request, old_on_failure,
                     [&](const std::optional<Item>&) -> Result<Decision> {
                       return Decision{WriteOp::Put, std::move(item)};  // decided once
                     });
  if (!w) return w.error();
  PutOutcome out;
  std::optional<Item>& old = w->old_item;
  const Item& written = w->decision.item;
  if (string_member(in, "ReturnConsumedCapacity", "NONE") != "NONE")
    out.consumed_capacity = consumed_capacity(**table, write_units(old, written), in, false);
  out.item_collection_metrics = item_collection_metrics(d, **table, written, in);
  if (rv == "ALL_OLD") out.attributes = std::move(old);
  return out;
}
}  // namespace

Action put_item(DynamoDB& d) {
  Action a;
  a.input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Item", attribute_map_shape().required()},
      {"Expected", expected_shape()},
      {"ReturnValues", return_values_shape()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ReturnItemCollectionMetrics", return_item_collection_metrics_shape()},
      {"ConditionalOperator", string_shape().one_of({"AND", "OR"})},
      {"ConditionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
      {"ExpressionAttributeValues", attribute_map_shape()},
      {"ReturnValuesOnConditionCheckFailure", return_values_on_failure_shape()},
  });
  a.handler = [&d](const Context& ctx, json& in) -> Result<json> {
    auto p = put(d, ctx, in);
    if (!p) return p.error();
    json out = json::object();
    if (p->attributes) out["Attributes"] = to_json(*p->attributes);
    if (p->consumed_capacity) out["ConsumedCapacity"] = std::move(*p->consumed_capacity);
    if (p->item_collection_metrics) out["ItemCollectionMetrics"] = std::move(*p->item_collection_metrics);
    return out;
  };
  // The same answer written as text, members in the order a json object would print them.
  a.json_text_handler = [&d](const Context& ctx, json& in) -> Result<std::string> {
    auto p = put(d, ctx, in);
    if (!p) return p.error();
    std::string out = "{";
    if (p->attributes) {
      out += "\"Attributes\":";
      append_json(*p->attributes, out);
    }
    if (p->consumed_capacity) out += std::string(out.size() > 1 ? "," : "") + "\"ConsumedCapacity\":" + p->consumed_capacity->dump();
    if (p->item_collection_metrics)
      out += std::string(out.size() > 1 ? "," : "") + "\"ItemCollectionMetrics\":" + p->item_collection_metrics->dump();
    out += '}';
    return out;
  };
  return a;
}

}  // namespace streamlab::dynamodb
