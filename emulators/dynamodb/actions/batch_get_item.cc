#include <set>

#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/item_codec.h"

namespace streamlab::dynamodb {

Action batch_get_item(DynamoDB& d) {
  Shape keys_and_attributes = structure_shape({
      {"Keys", list_shape(attribute_map_shape()).min(1).max(100).required()},
      {"AttributesToGet", list_shape(string_shape().min(1).max(65535)).min(1)},
      {"ConsistentRead", boolean_shape()},
      {"ProjectionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
  });
  Shape input = structure_shape({
      {"RequestItems", map_shape(string_shape(), keys_and_attributes).min(1).max(100).required()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            struct Request {
              TablePtr table;
              std::vector<Item> keys;
              std::optional<std::vector<Path>> projection;
              bool consistent = false;
            };
            std::vector<Request> requests;
            TableLocks locks;
            size_t total = 0;
            for (auto& [name, spec] : in["RequestItems"].items()) {
              if (auto s = check_table_name(name, "requestItems." + name); !s) return s.error();
              total += spec["Keys"].size();
              if (total > 100) return validation("Too many items requested for the BatchGetItem call");
              Request r;
              if (spec.contains("AttributesToGet") && spec.contains("ProjectionExpression"))
                return validation("Can not use both expression and non-expression parameters in the same request: "
                                  "Non-expression parameters: {AttributesToGet} Expression parameters: "
                                  "{ProjectionExpression}");
              auto ectx = expression_context(spec, {"ProjectionExpression"}, "");
              if (!ectx) return ectx.error();
              if (spec.contains("ProjectionExpression")) {
                auto p = parse_projection(spec["ProjectionExpression"].get<std::string>(), *ectx);
                if (!p) return p.error();
                r.projection = std::move(*p);
              } else if (spec.contains("AttributesToGet")) {
                r.projection.emplace();
                for (auto& a : spec["AttributesToGet"]) r.projection->push_back({PathElement{a.get<std::string>()}});
              }
              if (auto s = check_unused(*ectx); !s) return s.error();
              for (auto& k : spec["Keys"]) {
                auto key = parse_item(k);
                if (!key) return key.error();
                r.keys.push_back(std::move(*key));
              }
              r.consistent = spec.value("ConsistentRead", false);
              auto table = d.find(ctx, name, true);
              if (!table) return table.error();
              locks.add(*table);
              r.table = *table;
              std::set<std::string> seen;
              for (auto& key : r.keys) {
                if (auto s = check_key(**table, key); !s) return s.error();
                if (!seen.insert(DynamoDB::primary_key((*table)->key, key)).second)
                  return validation("Provided list of item keys contains duplicates");
              }
              requests.push_back(std::move(r));
            }
            json responses = json::object(), consumed = json::array();
            for (auto& r : requests) {
              json items = json::array();
              size_t bytes = 0;
              for (auto& key : r.keys)
                if (auto item = d.get(*r.table, key)) {
                  bytes += item_size(*item);
                  items.push_back(to_json(r.projection ? project(*item, *r.projection) : *item));
                }
              responses[r.table->name] = std::move(items);
              if (auto c = consumed_capacity(*r.table, read_units(bytes, r.consistent), in, true); !c.is_null())
                consumed.push_back(c);
            }
            json out = {{"Responses", responses}, {"UnprocessedKeys", json::object()}};
            if (!consumed.empty()) out["ConsumedCapacity"] = consumed;
            return out;
          }};
}

}  // namespace streamlab::dynamodb
