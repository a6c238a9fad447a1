#include <set>

#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action transact_get_items(DynamoDB& d) {
  Shape get = structure_shape({
      {"Key", attribute_map_shape().required()},
      {"TableName", table_name_shape().required()},
      {"ProjectionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
  });
  Shape input = structure_shape({
      {"TransactItems", list_shape(structure_shape({{"Get", get.required()}})).min(1).max(100).required()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            struct Read {
              TablePtr table;
              Item key;
              std::optional<std::vector<Path>> projection;
            };
            std::vector<Read> reads;
            TableLocks locks;
            std::set<std::string> seen;
            for (auto& m : in["TransactItems"]) {
              const json& spec = m["Get"];
              if (auto s = check_table_name(spec["TableName"]); !s) return s.error();
              Read r;
              auto key = parse_attributes(spec, "Key");
              if (!key) return key.error();
              r.key = std::move(*key);
              auto ectx = expression_context(spec, {"ProjectionExpression"}, "");
              if (!ectx) return ectx.error();
              if (spec.contains("ProjectionExpression")) {
                auto p = parse_projection(spec["ProjectionExpression"].get<std::string>(), *ectx);
                if (!p) return p.error();
                r.projection = std::move(*p);
              }
              if (auto s = check_unused(*ectx); !s) return s.error();
              auto table = d.find(ctx, spec["TableName"], true);
              if (!table) return table.error();
              locks.add(*table);
              if (auto s = check_key(**table, r.key); !s) return s.error();
              std::string id = std::to_string((*table)->uid) + "/" + DynamoDB::primary_key((*table)->key, r.key);
              if (!seen.insert(id).second)
                return validation("Transaction request cannot include multiple operations on one item");
              r.table = *table;
              reads.push_back(std::move(r));
            }
            json responses = json::array();
            std::map<std::string, std::pair<const Table*, double>> units;
            for (auto& r : reads) {
              auto item = d.get(*r.table, r.key);
              json one = json::object();
              if (item) one["Item"] = to_json(r.projection ? project(*item, *r.projection) : *item);
              responses.push_back(one);
              auto& u = units[r.table->name];
              u.first = r.table.get();
              u.second += 2 * read_units(item ? item_size(*item) : 0, true);
            }
            json out = {{"Responses", responses}};
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE") {
              json consumed = json::array();
              for (auto& [name, u] : units) consumed.push_back(consumed_capacity(*u.first, u.second, in, true));
              out["ConsumedCapacity"] = consumed;
            }
            return out;
          }};
}

}  // namespace streamlab::dynamodb
