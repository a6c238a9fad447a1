#include <set>

#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {
namespace {
Shape operation_shape(const std::string& op) {
  std::vector<std::pair<std::string, Shape>> m = {
      {"TableName", table_name_shape().required()},
      {"ConditionExpression", op == "ConditionCheck" ? string_shape().required() : string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
      {"ExpressionAttributeValues", attribute_map_shape()},
      {"ReturnValuesOnConditionCheckFailure", return_values_on_failure_shape()},
  };
  m.push_back({op == "Put" ? "Item" : "Key", attribute_map_shape().required()});
  if (op == "Update") m.push_back({"UpdateExpression", string_shape().required()});
  return structure_shape(std::move(m));
}

// One transaction member turned into a write whose decision applies its condition and change.
Result<ItemWrite> member_write(DynamoDB& d, const Context& ctx, const std::string& op, const json& spec,
                               TableLocks& locks) {
  auto request = parse_write_request(spec, op == "Put" ? "Item" : "Key", op == "Update",
                                     "ExpressionAttributeValues can only be specified when using expressions");
  if (!request) return request.error();
  const Item* attrs = &request->attributes;
  auto update = std::make_shared<std::optional<UpdateExpression>>(std::move(request->update));
  auto condition = std::make_shared<std::optional<Condition>>(std::move(request->condition));
  auto table = d.find(ctx, spec["TableName"], true);
  if (!table) return table.error();
  locks.add(*table);
  const Table& t = **table;
  if (auto s = op == "Put" ? check_item(t, *attrs) : check_key(t, *attrs); !s) return s.error();
  if (update->has_value())
    for (auto& a : (*update)->actions)
      if (t.is_table_key(a.path[0].name))
        return validation("One or more parameter values were invalid: Cannot update attribute " + a.path[0].name +
                          ". This attribute is part of the key");
  ItemWrite w;
  w.table = *table;
  w.key = key_of(t, *attrs);
  Item given = *attrs;
  w.decide = [op, given, update, condition, &t](const std::optional<Item>& old) -> Result<Decision> {
    if (condition->has_value() && !evaluate(**condition, old ? *old : Item{})) return conditional_failed(std::nullopt);
    if (op == "ConditionCheck") return Decision{};
    if (op == "Delete") return Decision{WriteOp::Delete, {}};
    if (op == "Put") return Decision{WriteOp::Put, given};
    Decision decision{WriteOp::Put, old ? *old : given};
    if (auto s = apply_update(**update, decision.item); !s) return s.error();
    if (auto s = check_item(t, decision.item, true); !s) return s.error();
    return decision;
  };
  return w;
}
}  // namespace

Action transact_write_items(DynamoDB& d) {
  Shape member = structure_shape({
      {"ConditionCheck", operation_shape("ConditionCheck")},
      {"Put", operation_shape("Put")},
      {"Delete", operation_shape("Delete")},
      {"Update", operation_shape("Update")},
  });
  Shape input = structure_shape({
      {"TransactItems", list_shape(member).min(1).max(100).required()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ReturnItemCollectionMetrics", return_item_collection_metrics_shape()},
      {"ClientRequestToken", string_shape().min(1).max(36)},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string token = in.value("ClientRequestToken", "");
            std::string fingerprint = in["TransactItems"].dump();
            if (!token.empty())
              if (auto seen = d.check_token(ctx.account, token, fingerprint)) {
                if (!*seen)
                  return AwsError{"IdempotentParameterMismatchException",
                                  "The request uses the same client token as a previous, but non-identical request.",
                                  400, true, {}};
                return json::object();  // already applied
              }
            std::vector<ItemWrite> writes;
            TableLocks locks;
            std::vector<bool> old_on_failure;
            std::set<std::string> seen;
            for (auto& m : in["TransactItems"]) {
              if (m.size() != 1) return validation("TransactItems can only contain one of Check, Put, Update or Delete");
              std::string op = m.begin().key();
              auto w = member_write(d, ctx, op, m.begin().value(), locks);
              if (!w) return w.error();
              std::string id = std::to_string(w->table->uid) + "/" + DynamoDB::primary_key(w->table->key, w->key);
              if (!seen.insert(id).second)
                return validation("Transaction request cannot include multiple operations on one item");
              old_on_failure.push_back(m.begin().value().value("ReturnValuesOnConditionCheckFailure", "") == "ALL_OLD");
              writes.push_back(std::move(*w));
            }
            if (auto s = d.write(writes, true, Actor::user, true); !s) {
              bool any = false;
              for (auto& w : writes) any |= w.error.has_value();
              if (!any) return s.error();
              json reasons = json::array();
              std::string codes;
              for (size_t i = 0; i < writes.size(); ++i) {
                const auto& e = writes[i].error;
                json r = {{"Code", "None"}};
                if (e) {
                  bool cond = e->code == "ConditionalCheckFailedException";
                  r = {{"Code", cond ? "ConditionalCheckFailed" : "ValidationError"}, {"Message", e->message}};
                  if (cond && old_on_failure[i] && writes[i].old_item) r["Item"] = to_json(*writes[i].old_item);
                }
                codes += (i ? ", " : "") + r["Code"].get<std::string>();
                reasons.push_back(r);
              }
              AwsError e{"TransactionCanceledException",
                         "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]",
                         400, true, {}};
              e.details_json = json{{"CancellationReasons", reasons}}.dump();
              return e;
            }
            if (!token.empty()) d.record_token(ctx.account, token, fingerprint);
            json out = json::object();
            if (in.value("ReturnConsumedCapacity", "NONE") != "NONE") {
              std::map<std::string, std::pair<const Table*, double>> units;
              for (auto& w : writes) {
                auto& u = units[w.table->name];
                u.first = w.table.get();
                // Transactions cost two units per item, as on AWS.
                u.second += 2 * write_units(w.old_item, w.decision.op == WriteOp::Put
                                                            ? std::optional<Item>(w.decision.item) : std::nullopt);
              }
              json consumed = json::array();
              for (auto& [name, u] : units) consumed.push_back(consumed_capacity(*u.first, u.second, in, false));
              out["ConsumedCapacity"] = consumed;
            }
            return out;
          }};
}

}  // namespace streamlab::dynamodb
