#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/item_codec.h"

namespace streamlab::dynamodb {

namespace {
// GetItem's lookup; `raw` is the stored item, `projection` what to keep of it.
struct Lookup {
  TablePtr table;
  std::optional<std::string> raw;
  std::optional<std::vector<Path>> projection;
};

Result<Lookup> look_up(DynamoDB& d, const Context& ctx, json& in) {
  if (auto s = check_table_name(in["TableName"]); !s) return s.error();
  if (in.contains("AttributesToGet") && in.contains("ProjectionExpression"))
    return validation("Can not use both expression and non-expression parameters in the same request: "
                      "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
  auto key = parse_attributes(in, "Key");
  if (!key) return key.error();
  auto ectx = expression_context(in, {"ProjectionExpression"}, "");
  if (!ectx) return ectx.error();
  Lookup l;
  if (in.contains("ProjectionExpression")) {
    auto p = parse_projection(in["ProjectionExpression"].get<std::string>(), *ectx);
    if (!p) return p.error();
    l.projection = std::move(*p);
  } else if (in.contains("AttributesToGet")) {
    l.projection.emplace();
    for (auto& a : in["AttributesToGet"]) l.projection->push_back({PathElement{a.get<std::string>()}});
  }
  if (auto s = check_unused(*ectx); !s) return s.error();
  auto table = item_table(d, ctx, in);
  if (!table) return table.error();
  std::shared_lock table_lock((*table)->mu);
  if (auto s = check_key(**table, *key); !s) return s.error();
  l.table = *table;
  l.raw = d.get_raw(**table, *key);
  return l;
}

std::optional<json> capacity(const Lookup& l, const json& in) {
  if (string_member(in, "ReturnConsumedCapacity", "NONE") == "NONE") return std::nullopt;
  auto item = l.raw ? decode_item(*l.raw) : std::nullopt;
  return consumed_capacity(*l.table, read_units(item ? item_size(*item) : 0, in.value("ConsistentRead", false)), in,
                           true);
}
}  // namespace

Action get_item(DynamoDB& d) {
  Action a;
  a.input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"Key", attribute_map_shape().required()},
      {"AttributesToGet", list_shape(string_shape().min(1).max(65535)).min(1)},
      {"ConsistentRead", boolean_shape()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ProjectionExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
  });
  a.handler = [&d](const Context& ctx, json& in) -> Result<json> {
    auto l = look_up(d, ctx, in);
    if (!l) return l.error();
    json out = json::object();
    if (auto item = l->raw ? decode_item(*l->raw) : std::nullopt)
      out["Item"] = to_json(l->projection ? project(*item, *l->projection) : *item);
    if (auto c = capacity(*l, in)) out["ConsumedCapacity"] = *c;
    return out;
  };
  // The hot path: stored bytes straight to JSON text.
  a.json_text_handler = [&d](const Context& ctx, json& in) -> Result<std::string> {
    auto l = look_up(d, ctx, in);
    if (!l) return l.error();
    std::string out = "{";
    if (l->raw && !l->projection) {
      out += "\"Item\":";
      size_t mark = out.size();
      if (!append_item_json(*l->raw, out)) out.resize(mark - 7);
    } else if (auto item = l->raw ? decode_item(*l->raw) : std::nullopt) {
      out += "\"Item\":";
      append_json(project(*item, *l->projection), out);
    }
    if (auto c = capacity(*l, in)) out += std::string(out.size() > 1 ? "," : "") + "\"ConsumedCapacity\":" + c->dump();
    out += '}';
    return out;
  };
  return a;
}

}  // namespace streamlab::dynamodb
