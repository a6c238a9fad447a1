#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/actions/legacy.h"

namespace streamlab::dynamodb {
namespace {
// Checks AWS makes before reading the item: key attributes are never updated, index keys are
// scalars, and literal values assigned to index keys have the index's type.
Status check_paths(const Table& t, const UpdateExpression& update) {
  for (auto& a : update.actions) {
    const std::string& top = a.path[0].name;
    if (t.is_table_key(top))
      return validation("One or more parameter values were invalid: Cannot update attribute " + top +
                        ". This attribute is part of the key");
  }
  for (auto& a : update.actions) {
    const std::string& top = a.path[0].name;
    for (auto* list : {&t.gsis, &t.lsis})
      for (auto& x : *list)
        for (const KeyElement* k : {&x.key.hash, x.key.range ? &*x.key.range : nullptr}) {
          if (!k || k->name != top) continue;
          if (a.path.size() > 1)
            return validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
                              "allowed: IndexKey: " + top);
          bool literal = (a.kind == UpdateAction::Kind::set || a.kind == UpdateAction::Kind::add) &&
                         a.value.kind == Operand::Kind::value;
          if (literal && a.value.value.type != k->type)
            return validation("One or more parameter values were invalid: Type mismatch for Index Key " + top +
                              " Expected: " + type_name(k->type) + " Actual: " + type_name(a.value.value.type) +
                              " IndexName: " + x.name);
        }
  }
  return Ok{};
}
}  // namespace

Action update_item(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Key", attribute_map_shape().required()},
      {"AttributeUpdates", attribute_updates_shape()},
      {"Expected", expected_shape()},
      {"ConditionalOperator", string_shape().one_of({"AND", "OR"})},
      {"ReturnValues", return_values_shape()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ReturnItemCollectionMetrics", return_item_collection_metrics_shape()},
      {"UpdateExpression", string_shape()},
      {"ConditionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
      {"ExpressionAttributeValues", attribute_map_shape()},
      {"ReturnValuesOnConditionCheckFailure", return_values_on_failure_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            if (auto s = rewrite_legacy(in, {"AttributeUpdates", "Expected", "ConditionalOperator"},
                                        {"UpdateExpression", "ConditionExpression"});
                !s)
              return s.error();
            auto request = parse_write_request(in, "Key", true,
                                               "ExpressionAttributeValues can only be specified when using "
                                               "expressions: UpdateExpression and ConditionExpression are null");
            if (!request) return request.error();
            const Item& key = request->attributes;
            const std::optional<UpdateExpression>& update = request->update;
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            const Table& t = **table;
            if (auto s = check_key(t, key); !s) return s.error();
            if (update)
              if (auto s = check_paths(t, *update); !s) return s.error();
            bool old_on_failure = in.value("ReturnValuesOnConditionCheckFailure", "NONE") == "ALL_OLD";
            auto w = write_one(d, *table, key, *request, old_on_failure,
                               [&](const std::optional<Item>& old) -> Result<Decision> {
                                 Decision decision{WriteOp::Put, old ? *old : key};
                                 if (update)
                                   if (auto s = apply_update(*update, decision.item); !s) return s.error();
                                 if (auto s = check_item(t, decision.item, true); !s) return s.error();
                                 return decision;
                               });
            if (!w) return w.error();
            const auto& old = w->old_item;
            const Item& now = w->decision.item;
            std::string rv = in.value("ReturnValues", "NONE");
            std::optional<Item> attributes;
            if (rv == "ALL_OLD" && old) attributes = *old;
            if (rv == "ALL_NEW") attributes = now;
            if (update && rv == "UPDATED_OLD" && old) attributes = project(*old, action_paths(*update));
            if (update && rv == "UPDATED_NEW") attributes = project(now, action_paths(*update));
            json out = json::object();
            if (attributes && !attributes->empty()) out["Attributes"] = to_json(*attributes);
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE")
              out["ConsumedCapacity"] = consumed_capacity(t, write_units(old, now), in, false);
            if (auto m = item_collection_metrics(d, t, key, in)) out["ItemCollectionMetrics"] = *m;
            return out;
          }};
}

}  // namespace streamlab::dynamodb
