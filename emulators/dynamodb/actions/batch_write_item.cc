#include <set>

#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action batch_write_item(DynamoDB& d) {
  Shape write_request = structure_shape({
      {"PutRequest", structure_shape({{"Item", attribute_map_shape().required()}})},
      {"DeleteRequest", structure_shape({{"Key", attribute_map_shape().required()}})},
  });
  Shape input = structure_shape({
      {"RequestItems", map_shape(string_shape(), list_shape(write_request).min(1).max(25)).min(1).max(25).required()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ReturnItemCollectionMetrics", return_item_collection_metrics_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::vector<ItemWrite> writes;
            TableLocks locks;
            std::vector<std::pair<bool, Item>> ops;  // put?, item or key
            size_t total = 0;
            for (auto& [name, requests] : in["RequestItems"].items()) {
              if (auto s = check_table_name(name, "requestItems." + name); !s) return s.error();
              total += requests.size();
              if (total > 25) return validation("Too many items requested for the BatchWriteItem call");
              std::vector<std::pair<bool, Item>> parsed;
              for (auto& r : requests) {
                bool put = r.contains("PutRequest"), del = r.contains("DeleteRequest");
                if (put == del)
                  return validation("Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest");
                auto attrs = parse_item(put ? r["PutRequest"]["Item"] : r["DeleteRequest"]["Key"]);
                if (!attrs) return attrs.error();
                if (put && item_size(*attrs) > kMaxItemSize)
                  return validation("Item size has exceeded the maximum allowed size");
                parsed.emplace_back(put, std::move(*attrs));
              }
              auto table = d.find(ctx, name, true);
              if (!table) return table.error();
              locks.add(*table);
              std::set<std::string> seen;
              for (auto& [put, attrs] : parsed) {
                if (auto s = put ? check_item(**table, attrs) : check_key(**table, attrs); !s) return s.error();
                Item key = key_of(**table, attrs);
                if (!seen.insert(DynamoDB::primary_key((*table)->key, key)).second)
                  return validation("Provided list of item keys contains duplicates");
                ItemWrite w;
                w.table = *table;
                w.key = key;
                Decision decision{put ? WriteOp::Put : WriteOp::Delete, put ? attrs : Item{}};
                w.decide = [decision](const std::optional<Item>&) -> Result<Decision> { return decision; };
                writes.push_back(std::move(w));
              }
            }
            // BatchWriteItem is not atomic on AWS; committing all of it in one batch is a stronger guarantee.
            if (auto s = d.write(writes, false, Actor::user, true); !s) return s.error();
            std::map<std::string, std::pair<const Table*, double>> units;
            for (auto& w : writes) {
              auto& u = units[w.table->name];
              u.first = w.table.get();
              u.second += write_units(w.old_item, w.decision.op == WriteOp::Put
                                                      ? std::optional<Item>(w.decision.item) : std::nullopt);
            }
            json out = {{"UnprocessedItems", json::object()}};
            json consumed = json::array();
            for (auto& [name, u] : units)
              if (auto c = consumed_capacity(*u.first, u.second, in, false); !c.is_null()) consumed.push_back(c);
            if (!consumed.empty()) out["ConsumedCapacity"] = consumed;
            if (in.value("ReturnItemCollectionMetrics", "NONE") == "SIZE") out["ItemCollectionMetrics"] = json::object();
            return out;
          }};
}

}  // namespace streamlab::dynamodb
