#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/actions/legacy.h"

namespace streamlab::dynamodb {

Action put_item(DynamoDB& d) {
  Shape input = structure_shape({
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
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            if (auto s = rewrite_legacy(in, {"Expected", "ConditionalOperator"}, {"ConditionExpression"}); !s)
              return s.error();
            auto request = parse_write_request(in, "Item", false,
                                               "ExpressionAttributeValues can only be specified when using "
                                               "expressions: ConditionExpression is null");
            if (!request) return request.error();
            Item& item = request->attributes;
            std::string rv = in.value("ReturnValues", "NONE");
            if (rv != "NONE" && rv != "ALL_OLD") return validation("ReturnValues can only be ALL_OLD or NONE");
            if (item_size(item) > kMaxItemSize) return validation("Item size has exceeded the maximum allowed size");
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            if (auto s = check_item(**table, item); !s) return s.error();
            bool old_on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
            auto w = write_one(d, *table, key_of(**table, item), *request, old_on_failure,
                               [&](const std::optional<Item>&) -> Result<Decision> {
                                 return Decision{WriteOp::Put, std::move(item)};  // decided once
                               });
            if (!w) return w.error();
            json out = json::object();
            const auto& old = w->old_item;
            const Item& written = w->decision.item;
            if (rv == "ALL_OLD" && old) out["Attributes"] = to_json(*old);
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE")
              out["ConsumedCapacity"] = consumed_capacity(**table, write_units(old, written), in, false);
            if (auto m = item_collection_metrics(d, **table, written, in)) out["ItemCollectionMetrics"] = *m;
            return out;
          }};
}

}  // namespace streamlab::dynamodb
