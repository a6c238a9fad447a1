#include "emulators/dynamodb/actions/read_common.h"

#include "emulators/dynamodb/item_codec.h"

namespace streamlab::dynamodb {

std::vector<std::pair<std::string, Shape>> read_members() {
  return {
      {"TableName", table_name_shape().required()},
      {"IndexName", index_name_shape()},
      {"Select", string_shape().one_of({"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"})},
      {"AttributesToGet", list_shape(string_shape().min(1).max(65535)).min(1)},
      {"Limit", integer_shape().min(1)},
      {"ConsistentRead", boolean_shape()},
      {"ConditionalOperator", string_shape().one_of({"AND", "OR"})},
      {"ExclusiveStartKey", attribute_map_shape()},
      {"ReturnConsumedCapacity", return_consumed_capacity_shape()},
      {"ProjectionExpression", string_shape()},
      {"FilterExpression", string_shape()},
      {"ExpressionAttributeNames", expression_names_shape()},
      {"ExpressionAttributeValues", attribute_map_shape()},
  };
}

Status parse_read_options(const json& in, ExpressionContext& ectx, ReadOptions& out) {
  out.select = in.value("Select", "");
  if (in.contains("AttributesToGet") && in.contains("ProjectionExpression"))
    return validation("Can not use both expression and non-expression parameters in the same request: "
                      "Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}");
  if (in.contains("FilterExpression")) {
    auto f = parse_condition(in["FilterExpression"].get<std::string>(), "FilterExpression", ectx);
    if (!f) return f.error();
    out.filter = std::move(*f);
  }
  if (in.contains("ProjectionExpression")) {
    auto p = parse_projection(in["ProjectionExpression"].get<std::string>(), ectx);
    if (!p) return p.error();
    out.projection = std::move(*p);
  } else if (in.contains("AttributesToGet")) {
    out.projection.emplace();
    for (auto& a : in["AttributesToGet"]) out.projection->push_back({PathElement{a.get<std::string>()}});
  }
  if (out.projection && !out.select.empty() && out.select != "SPECIFIC_ATTRIBUTES")
    return validation(std::string("Cannot specify the ") +
                      (in.contains("ProjectionExpression") ? "ProjectionExpression" : "AttributesToGet") +
                      " when choosing to get " + out.select);
  if (out.select == "SPECIFIC_ATTRIBUTES" && !out.projection)
    return validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get "
                      "SPECIFIC_ATTRIBUTES");
  if (in.contains("ExclusiveStartKey")) {
    auto k = parse_item(in["ExclusiveStartKey"]);
    if (!k) return k.error();
    out.exclusive_start = std::move(*k);
  }
  return Ok{};
}

Result<const SecondaryIndex*> read_index(const Table& table, const json& in, const ReadOptions& o, int64_t now) {
  const SecondaryIndex* index = nullptr;
  if (in.contains("IndexName")) {
    std::string name = in["IndexName"];
    index = table.index(name);
    if (!index || index->effective_status(now) == "DELETED")
      return validation("The table does not have the specified index: " + name);
    if (!index->readable(now))
      return validation("Cannot read from backfilling global secondary index: " + name);
    if (index->global && in.value("ConsistentRead", false))
      return validation("Consistent reads are not supported on global secondary indexes");
    if (index->global && o.select == "ALL_ATTRIBUTES" && index->projection.type != "ALL")
      return validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                        "global secondary index " + name + " because its projection type is not ALL");
  } else if (o.select == "ALL_PROJECTED_ATTRIBUTES") {
    return validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is supported "
                      "only for index queries");
  }
  return index;
}

namespace {
// GSIs hold only their projection; LSIs fetch the rest from the table when asked for it.
bool whole_items(const ReadRun& r) {
  return !r.index || r.options.select == "ALL_ATTRIBUTES" || (!r.index->global && r.options.projection);
}
}  // namespace

json page_json(ReadRun& r, const json& in) {
  PageResult& page = r.page;
  const ReadOptions& o = r.options;
  json out = {{"Count", page.items.size() + page.raw_items.size()}, {"ScannedCount", page.scanned}};
  if (o.select != "COUNT" && !page.raw_items.empty()) {
    json items = json::array();
    for (auto& raw : page.raw_items)
      if (auto j = decode_item_json(raw)) items.push_back(std::move(*j));
    out["Items"] = std::move(items);
  } else if (o.select != "COUNT") {
    json items = json::array();
    bool whole = whole_items(r);
    for (auto& item : page.items) {
      if (!whole) item = index_projection(*r.table, *r.index, item);
      items.push_back(to_json(o.projection ? project(item, *o.projection) : item));
    }
    out["Items"] = std::move(items);
  }
  if (page.last_key) out["LastEvaluatedKey"] = to_json(*page.last_key);
  double units = read_units(page.scanned_bytes, in.value("ConsistentRead", false));
  if (auto c = consumed_capacity(*r.table, units, in, true); !c.is_null()) out["ConsumedCapacity"] = c;
  return out;
}

std::string page_text(ReadRun& r, const json& in) {
  PageResult& page = r.page;
  const ReadOptions& o = r.options;
  std::string out = "{\"Count\":" + std::to_string(page.items.size() + page.raw_items.size()) +
                    ",\"ScannedCount\":" + std::to_string(page.scanned);
  if (o.select != "COUNT") {
    out += ",\"Items\":[";
    size_t n = 0;
    for (auto& raw : page.raw_items) {
      if (n++) out += ',';
      size_t mark = out.size();
      if (!append_item_json(raw, out)) {
        out.resize(mark);
        out += "{}";
      }
    }
    bool whole = whole_items(r);
    for (auto& item : page.items) {
      if (n++) out += ',';
      if (!whole) item = index_projection(*r.table, *r.index, item);
      append_json(o.projection ? project(item, *o.projection) : item, out);
    }
    out += ']';
  }
  if (page.last_key) {
    out += ",\"LastEvaluatedKey\":";
    append_json(*page.last_key, out);
  }
  double units = read_units(page.scanned_bytes, in.value("ConsistentRead", false));
  if (auto c = consumed_capacity(*r.table, units, in, true); !c.is_null()) out += ",\"ConsumedCapacity\":" + c.dump();
  out += '}';
  return out;
}

Action read_action(Shape input, std::function<Result<ReadRun>(const Context&, json&)> run) {
  Action a;
  a.input = std::move(input);
  a.handler = [run](const Context& ctx, json& in) -> Result<json> {
    auto r = run(ctx, in);
    if (!r) return r.error();
    return page_json(*r, in);
  };
  a.json_text_handler = [run](const Context& ctx, json& in) -> Result<std::string> {
    auto r = run(ctx, in);
    if (!r) return r.error();
    return page_text(*r, in);
  };
  return a;
}

}  // namespace streamlab::dynamodb
