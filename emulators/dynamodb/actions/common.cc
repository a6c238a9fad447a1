#include "emulators/dynamodb/actions/common.h"

#include <cmath>

#include "server/core/encoding.h"

namespace streamlab::dynamodb {

Shape table_name_shape() { return string_shape().min(1).max(1024); }
Shape index_name_shape() { return string_shape().min(3).max(255).pattern("[a-zA-Z0-9_.-]+"); }

Shape attribute_value_shape() {
  // AttributeValue is recursive (M and L hold AttributeValues): the shared shape points to itself.
  static const std::shared_ptr<Shape> av = [] {
    auto self = std::make_shared<Shape>(structure_shape({
        {"S", string_shape()},
        {"N", string_shape()},
        {"B", blob_shape()},
        {"SS", list_shape(string_shape())},
        {"NS", list_shape(string_shape())},
        {"BS", list_shape(blob_shape())},
        {"M", map_shape(string_shape(), Shape())},
        {"L", list_shape(Shape())},
        {"NULL", boolean_shape()},
        {"BOOL", boolean_shape()},
    }));
    for (auto& [name, member] : self->members_)
      if (name == "M" || name == "L") member.element_ = self;
    return self;
  }();
  return *av;
}

Shape attribute_map_shape() { return map_shape(string_shape(), attribute_value_shape()); }
Shape expression_names_shape() { return map_shape(string_shape(), string_shape()); }
Shape return_consumed_capacity_shape() { return string_shape().one_of({"INDEXES", "TOTAL", "NONE"}); }
Shape return_item_collection_metrics_shape() { return string_shape().one_of({"SIZE", "NONE"}); }
Shape return_values_shape() {
  return string_shape().one_of({"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
}
Shape return_values_on_failure_shape() { return string_shape().one_of({"ALL_OLD", "NONE"}); }
Shape key_schema_shape() {
  return list_shape(structure_shape({
                        {"AttributeName", string_shape().min(1).max(255).required()},
                        {"KeyType", string_shape().one_of({"HASH", "RANGE"}).required()},
                    }))
      .min(1)
      .max(2);
}
Shape attribute_definitions_shape() {
  return list_shape(structure_shape({
      {"AttributeName", string_shape().min(1).max(255).required()},
      {"AttributeType", string_shape().one_of({"B", "N", "S"}).required()},
  }));
}
Shape projection_shape() {
  return structure_shape({
      {"ProjectionType", string_shape().one_of({"ALL", "INCLUDE", "KEYS_ONLY"})},
      {"NonKeyAttributes", list_shape(string_shape().min(1).max(255)).min(1).max(20)},
  });
}
Shape provisioned_throughput_shape() {
  return structure_shape({
      {"ReadCapacityUnits", long_shape().min(1).required()},
      {"WriteCapacityUnits", long_shape().min(1).required()},
  });
}
Shape stream_specification_shape() {
  return structure_shape({
      {"StreamEnabled", boolean_shape().required()},
      {"StreamViewType", string_shape().one_of({"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"})},
  });
}
Shape tags_shape() {
  return list_shape(structure_shape({
      {"Key", string_shape().min(1).max(128).required()},
      {"Value", string_shape().min(0).max(256).required()},
  }));
}
Shape resource_arn_shape() { return string_shape().min(1).max(1283); }

AwsError validation(std::string m) { return AwsError::validation(std::move(m)); }
AwsError resource_in_use(std::string m) { return {"ResourceInUseException", std::move(m), 400, true, {}}; }
AwsError limit_exceeded(std::string m) { return {"LimitExceededException", std::move(m), 400, true, {}}; }

AwsError conditional_failed(const std::optional<Item>& item) {
  AwsError e{"ConditionalCheckFailedException", "The conditional request failed", 400, true, {}};
  if (item) e.details_json = json{{"Item", to_json(*item)}}.dump();
  return e;
}

namespace {
bool is_word_char(char c) {  // [a-zA-Z0-9_]
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
// Whole-string match of `sigil`[a-zA-Z0-9_]+ (ExpressionAttributeNames/Values keys).
bool is_placeholder(const std::string& key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (size_t i = 1; i < key.size(); ++i)
    if (!is_word_char(key[i])) return false;
  return true;
}
}  // namespace

Status check_table_name(const std::string& name, const std::string& member, bool allow_arn) {
  if (allow_arn && name.rfind("arn:", 0) == 0) return Ok{};
  // [a-zA-Z0-9_.-]+, checked by hand: this runs on every item request.
  bool pattern_ok = !name.empty();
  for (char c : name) pattern_ok = pattern_ok && (is_word_char(c) || c == '.' || c == '-');
  if (pattern_ok && name.size() >= 3 && name.size() <= 255) return Ok{};
  std::vector<std::string> errors;
  std::string prefix = "Value '" + name + "' at '" + member + "' failed to satisfy constraint: ";
  if (!pattern_ok) errors.push_back(prefix + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  if (name.size() < 3) errors.push_back(prefix + "Member must have length greater than or equal to 3");
  if (name.size() > 255) errors.push_back(prefix + "Member must have length less than or equal to 255");
  std::string msg = std::to_string(errors.size()) + " validation error" + (errors.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < errors.size(); ++i) msg += (i ? "; " : "") + errors[i];
  return validation(msg);
}

Result<TablePtr> item_table(DynamoDB& ddb, const Context& ctx, const json& in) {
  static const std::string kNone;
  auto it = in.find("TableName");
  return ddb.find(ctx, it != in.end() && it->is_string() ? it->get_ref<const std::string&>() : kNone, true);
}

std::string_view string_member(const json& in, const char* name, std::string_view fallback) {
  auto it = in.find(name);
  if (it == in.end() || !it->is_string()) return fallback;
  return it->get_ref<const std::string&>();
}

Result<Item> parse_attributes(const json& in, const char* member) {
  auto it = in.find(member);
  if (it == in.end()) return Item{};
  return parse_item(*it);
}

namespace {
Status check_key_value(const std::string& name, const AttributeValue& v, bool hash, const std::string& index = "") {
  if ((v.type == AttrType::S || v.type == AttrType::B) && v.scalar.empty()) {
    if (!index.empty())
      return validation("One or more parameter values are not valid. A value specified for a secondary index key is "
                        "not supported. The AttributeValue for a key attribute cannot contain an empty " +
                        std::string(v.type == AttrType::S ? "string" : "binary") + " value. IndexName: " + index +
                        ", IndexKey: " + name);
    return validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                      "contain an empty " + std::string(v.type == AttrType::S ? "string" : "binary") +
                      " value. Key: " + name);
  }
  if (index.empty() && v.type != AttrType::N) {
    if (hash && v.scalar.size() > 2048)
      return validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
                        "limit of2048 bytes");
    if (!hash && v.scalar.size() > 1024)
      return validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
                        "the size limit of 1024 bytes");
  }
  return Ok{};
}
}  // namespace

Status check_key(const Table& table, const Item& key) {
  const KeySchema& ks = table.key;
  size_t want = ks.range ? 2 : 1;
  auto schema_error = [] { return validation("The provided key element does not match the schema"); };
  if (key.size() != want) return schema_error();
  auto h = key.find(ks.hash.name);
  if (h == key.end() || h->second.type != ks.hash.type) return schema_error();
  if (ks.range) {
    auto r = key.find(ks.range->name);
    if (r == key.end() || r->second.type != ks.range->type) return schema_error();
  }
  if (auto s = check_key_value(ks.hash.name, h->second, true); !s) return s;
  if (ks.range)
    if (auto s = check_key_value(ks.range->name, key.at(ks.range->name), false); !s) return s;
  return Ok{};
}

Status check_item(const Table& table, const Item& item, bool update) {
  std::vector<const KeyElement*> keys{&table.key.hash};
  if (table.key.range) keys.push_back(&*table.key.range);
  for (size_t i = 0; i < keys.size(); ++i) {
    auto it = item.find(keys[i]->name);
    if (it == item.end())
      return validation("One or more parameter values were invalid: Missing the key " + keys[i]->name + " in the item");
    if (it->second.type != keys[i]->type)
      return validation("One or more parameter values were invalid: Type mismatch for key " + keys[i]->name +
                        " expected: " + type_name(keys[i]->type) + " actual: " + type_name(it->second.type));
    if (auto s = check_key_value(keys[i]->name, it->second, i == 0); !s) return s;
  }
  for (auto* list : {&table.gsis, &table.lsis})
    for (auto it = list->rbegin(); it != list->rend(); ++it) {
      const SecondaryIndex& x = *it;
      for (const KeyElement* k : {&x.key.hash, x.key.range ? &*x.key.range : nullptr}) {
        if (!k) continue;
        auto v = item.find(k->name);
        if (v == item.end()) continue;
        if (v->second.type != k->type) {
          if (update)
            return validation("The update expression attempted to update the secondary index key to unsupported type");
          return validation("One or more parameter values were invalid: Type mismatch for Index Key " + k->name +
                            " Expected: " + type_name(k->type) + " Actual: " + type_name(v->second.type) +
                            " IndexName: " + x.name);
        }
        if (auto s = check_key_value(k->name, v->second, false, x.name); !s) return s;
      }
    }
  if (item_size(item) > kMaxItemSize)
    return validation(update ? "Item size to update has exceeded the maximum allowed size"
                             : "Item size has exceeded the maximum allowed size");
  return Ok{};
}

Item key_of(const Table& table, const Item& item) {
  Item k;
  if (auto it = item.find(table.key.hash.name); it != item.end()) k.insert(*it);
  if (table.key.range)
    if (auto it = item.find(table.key.range->name); it != item.end()) k.insert(*it);
  return k;
}

Result<ExpressionContext> expression_context(const json& in, std::initializer_list<const char*> expressions,
                                             std::string_view values_message) {
  ExpressionContext ctx;
  auto names = in.find("ExpressionAttributeNames"), values = in.find("ExpressionAttributeValues");
  if (names == in.end() && values == in.end()) return ctx;
  bool any = false;
  for (const char* e : expressions) any |= in.contains(e);
  if (auto it = names; it != in.end()) {
    if (!any) return validation("ExpressionAttributeNames can only be specified when using expressions");
    if (it->empty()) return validation("ExpressionAttributeNames must not be empty");
    for (auto& [k, v] : it->items()) {
      if (!is_placeholder(k, '#'))
        return validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + k + "\"");
      ctx.names[k] = v.is_string() ? v.get<std::string>() : "";
    }
  }
  if (auto it = values; it != in.end()) {
    if (!any) return validation(std::string(values_message));
    if (it->empty()) return validation("ExpressionAttributeValues must not be empty");
    for (auto& [k, v] : it->items()) {
      if (!is_placeholder(k, ':'))
        return validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + k + "\"");
      auto parsed = parse_value(v);
      if (!parsed)
        return validation("ExpressionAttributeValues contains invalid value: " + parsed.error().message + " for key " + k);
      ctx.values[k] = std::move(*parsed);
    }
  }
  return ctx;
}

Result<WriteRequest> parse_write_request(const json& in, const char* attributes_member, bool with_update,
                                         std::string_view values_message) {
  if (auto s = check_table_name(in["TableName"]); !s) return s.error();
  WriteRequest r;
  auto attributes = parse_attributes(in, attributes_member);
  if (!attributes) return attributes.error();
  r.attributes = std::move(*attributes);
  auto expressions = with_update ? expression_context(in, {"UpdateExpression", "ConditionExpression"}, values_message)
                                 : expression_context(in, {"ConditionExpression"}, values_message);
  if (!expressions) return expressions.error();
  r.expressions = std::move(*expressions);
  if (auto it = in.find("UpdateExpression"); with_update && it != in.end()) {
    auto u = parse_update(it->get_ref<const std::string&>(), r.expressions);
    if (!u) return u.error();
    r.update = std::move(*u);
  }
  if (auto it = in.find("ConditionExpression"); it != in.end()) {
    auto c = parse_condition(it->get_ref<const std::string&>(), "ConditionExpression", r.expressions);
    if (!c) return c.error();
    r.condition = std::move(*c);
  }
  if (auto s = check_unused(r.expressions); !s) return s.error();
  return r;
}

Result<ItemWrite> write_one(DynamoDB& ddb, const TablePtr& table, Item key, const WriteRequest& request,
                            bool old_on_failure, Decide change) {
  std::vector<ItemWrite> writes(1);
  writes[0].table = table;
  writes[0].key = std::move(key);
  writes[0].decide = [&](const std::optional<Item>& old) -> Result<Decision> {
    if (request.condition && !evaluate(*request.condition, old ? *old : Item{}))
      return conditional_failed(old_on_failure ? old : std::nullopt);
    return change(old);
  };
  if (auto s = ddb.write(writes, true, Actor::user, true); !s) return s.error();
  return std::move(writes[0]);
}

double write_units(const std::optional<Item>& a, const std::optional<Item>& b) {
  size_t bytes = std::max(a ? item_size(*a) : 0, b ? item_size(*b) : 0);
  return std::max(1.0, std::ceil(double(bytes) / 1024.0));
}

double read_units(size_t bytes, bool consistent) {
  double units = std::max(1.0, std::ceil(double(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

json consumed_capacity(const Table& table, double units, const json& in, bool read) {
  std::string_view mode = string_member(in, "ReturnConsumedCapacity", "NONE");
  if (mode == "NONE") return nullptr;
  json c = {{"TableName", table.name}, {"CapacityUnits", units}};
  if (read) c["ReadCapacityUnits"] = units;
  else c["WriteCapacityUnits"] = units;
  if (mode == "INDEXES") c["Table"] = read ? json{{"CapacityUnits", units}, {"ReadCapacityUnits", units}}
                                           : json{{"CapacityUnits", units}, {"WriteCapacityUnits", units}};
  return c;
}

std::optional<json> item_collection_metrics(DynamoDB&, const Table& table, const Item& key, const json& in) {
  if (string_member(in, "ReturnItemCollectionMetrics", "NONE") != "SIZE" || table.lsis.empty()) return std::nullopt;
  Item hash;
  hash.emplace(table.key.hash.name, key.at(table.key.hash.name));
  return json{{"ItemCollectionKey", to_json(hash)}, {"SizeEstimateRangeGB", {0.0, 1.0}}};
}

}  // namespace streamlab::dynamodb
