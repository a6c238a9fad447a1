#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/actions/legacy.h"

namespace streamlab::dynamodb {

Action delete_item(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Key", attribute_map_shape().required()},
      {"Expected", expected_shape()},
      {"ConditionalOperator", string_shape().one_of({"AND", "OR"})},
      {"ReturnValues", return_values_shape()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ReturnItemCollectionMetrics", return_item_collection_metrics_shape()},
      {"ConditionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
      {"ExpressionAttributeValues", attribute_map_shape()},
      {"ReturnValuesOnConditionCheckFailure", return_values_on_failure_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            if (auto s = rewrite_legacy(in, {"Expected", "ConditionalOperator"}, {"ConditionExpression"}); !s)
              return s.error();
            auto request = parse_write_request(in, "Key", false,
                                               "ExpressionAttributeValues can only be specified when using "
                                               "expressions: ConditionExpression is null");
            if (!request) return request.error();
            const Item& key = request->attributes;
            std::string rv = in.value("ReturnValues", "NONE");
            if (rv != "NONE" && rv != "ALL_OLD") return validation("ReturnValues can only be ALL_OLD or NONE");
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            if (auto s = check_key(**table, key); !s) return s.error();
            bool old_on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
            auto w = write_one(d, *table, key, *request, old_on_failure,
                               [](const std::optional<Item>&) -> Result<Decision> {
                                 return Decision{WriteOp::Delete, {}};
                               });
            if (!w) return w.error();
            json out = json::object();
            const auto& old = w->old_item;
            if (rv == "ALL_OLD" && old) out["Attributes"] = to_json(*old);
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE")
              out["ConsumedCapacity"] = consumed_capacity(**table, write_units(old, std::nullopt), in, false);
            if (auto m = item_collection_metrics(d, **table, key, in)) out["ItemCollectionMetrics"] = *m;
            return out;
          }};
}

}  // namespace streamlab::dynamodb
