#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/item_codec.h"

namespace streamlab::dynamodb {

Action get_item(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Key", attribute_map_shape().required()},
      {"AttributesToGet", list_shape(string_shape().min(1).max(65535)).min(1)},
      {"ConsistentRead", boolean_shape()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ProjectionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            if (auto s = check_table_name(in["TableName"]); !s) return s.error();
            if (in.contains("AttributesToGet") && in.contains("ProjectionExpression"))
              return validation("Can not use both expression and non-expression parameters in the same request: "
                                "Non-expression parameters: {AttributesToGet} Expression parameters: "
                                "{ProjectionExpression}");
            auto key = parse_attributes(in, "Key");
            if (!key) return key.error();
            auto ectx = expression_context(in, {"ProjectionExpression"}, "");
            if (!ectx) return ectx.error();
            std::optional<std::vector<Path>> projection;
            if (in.contains("ProjectionExpression")) {
              auto p = parse_projection(in["ProjectionExpression"].get<std::string>(), *ectx);
              if (!p) return p.error();
              projection = std::move(*p);
            } else if (in.contains("AttributesToGet")) {
              projection.emplace();
              for (auto& a : in["AttributesToGet"]) projection->push_back({PathElement{a.get<std::string>()}});
            }
            if (auto s = check_unused(*ectx); !s) return s.error();
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            if (auto s = check_key(**table, *key); !s) return s.error();
            json out = json::object();
            auto raw = d.get_raw(**table, *key);
            if (raw && !projection) {
              // Straight from the stored bytes to the wire form: no Item in between.
              if (auto j = decode_item_json(*raw)) out["Item"] = std::move(*j);
            } else if (raw) {
              if (auto item = decode_item(*raw)) out["Item"] = to_json(project(*item, *projection));
            }
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE") {
              auto item = raw ? decode_item(*raw) : std::nullopt;
              double units = read_units(item ? item_size(*item) : 0, in.value("ConsistentRead", false));
              out["ConsumedCapacity"] = consumed_capacity(**table, units, in, true);
            }
            return out;
          }};
}

}  // namespace streamlab::dynamodb
