#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action delete_item(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Key", attribute_map_shape().required()},
      {"Expected", map_shape(string_shape(), structure_shape({}))},
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
            if (auto s = check_table_name(in["TableName"]); !s) return s.error();
            if (auto s = reject_legacy(in, {"Expected", "ConditionalOperator"}); !s) return s.error();
            auto key = parse_attributes(in, "Key");
            if (!key) return key.error();
            auto ectx = expression_context(in, {"ConditionExpression"},
                                           "ExpressionAttributeValues can only be specified when using expressions: "
                                           "ConditionExpression is null");
            if (!ectx) return ectx.error();
            std::optional<Condition> condition;
            if (in.contains("ConditionExpression")) {
              auto c = parse_condition(in["ConditionExpression"].get<std::string>(), "ConditionExpression", *ectx);
              if (!c) return c.error();
              condition = std::move(*c);
            }
            if (auto s = check_unused(*ectx); !s) return s.error();
            std::string rv = in.value("ReturnValues", "NONE");
            if (rv != "NONE" && rv != "ALL_OLD") return validation("ReturnValues can only be ALL_OLD or NONE");
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            if (auto s = check_key(**table, *key); !s) return s.error();
            bool old_on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
            std::vector<ItemWrite> writes(1);
            writes[0].table = *table;
            writes[0].key = *key;
            writes[0].decide = [&](const std::optional<Item>& old) -> Result<Decision> {
              if (condition && !evaluate(*condition, old ? *old : Item{}))
                return conditional_failed(old_on_failure ? old : std::nullopt);
              return Decision{WriteOp::Delete, {}};
            };
            if (auto s = d.write(writes, true, Actor::user, true); !s) return s.error();
            json out = json::object();
            const auto& old = writes[0].old_item;
            if (rv == "ALL_OLD" && old) out["Attributes"] = to_json(*old);
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE")
              out["ConsumedCapacity"] = consumed_capacity(**table, write_units(old, std::nullopt), in, false);
            if (auto m = item_collection_metrics(d, **table, *key, in)) out["ItemCollectionMetrics"] = *m;
            return out;
          }};
}

}  // namespace streamlab::dynamodb
