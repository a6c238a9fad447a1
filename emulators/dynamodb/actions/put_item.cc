#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action put_item(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Item", attribute_map_shape().required()},
      {"Expected", map_shape(string_shape(), structure_shape({}))},
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
            if (auto s = check_table_name(in["TableName"]); !s) return s.error();
            if (auto s = reject_legacy(in, {"Expected", "ConditionalOperator"}); !s) return s.error();
            auto item = parse_attributes(in, "Item");
            if (!item) return item.error();
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
            if (item_size(*item) > kMaxItemSize) return validation("Item size has exceeded the maximum allowed size");
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            if (auto s = check_item(**table, *item); !s) return s.error();
            bool old_on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
            std::vector<ItemWrite> writes(1);
            writes[0].table = *table;
            writes[0].key = key_of(**table, *item);
            writes[0].decide = [&](const std::optional<Item>& old) -> Result<Decision> {
              if (condition && !evaluate(*condition, old ? *old : Item{}))
                return conditional_failed(old_on_failure ? old : std::nullopt);
              return Decision{WriteOp::Put, std::move(*item)};  // decided once
            };
            if (auto s = d.write(writes, true, Actor::user, true); !s) return s.error();
            json out = json::object();
            const auto& old = writes[0].old_item;
            const Item& written = writes[0].decision.item;
            if (rv == "ALL_OLD" && old) out["Attributes"] = to_json(*old);
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE")
              out["ConsumedCapacity"] = consumed_capacity(**table, write_units(old, written), in, false);
            if (auto m = item_collection_metrics(d, **table, written, in)) out["ItemCollectionMetrics"] = *m;
            return out;
          }};
}

}  // namespace streamlab::dynamodb
