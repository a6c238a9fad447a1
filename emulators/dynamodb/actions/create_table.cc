#include <set>

#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/actions/table_input.h"

namespace streamlab::dynamodb {
namespace {
constexpr const char* kInvalid = "One or more parameter values were invalid: ";

// CreateTable's own rules, in AWS's order (billing, key schema, indexes).
Status check_indexes(const Table& t, const json& in) {
  std::set<std::string> names;
  if (in.contains("LocalSecondaryIndexes")) {
    if (t.lsis.empty()) return validation(std::string(kInvalid) + "List of LocalSecondaryIndexes is empty");
    if (!t.key.range)
      return validation(std::string(kInvalid) + "Table KeySchema does not have a range key, which is required when "
                        "specifying a LocalSecondaryIndex");
    for (auto& x : t.lsis) {
      if (!x.key.range)
        return validation(std::string(kInvalid) + "Index KeySchema does not have a range key for index: " + x.name);
      if (x.key.hash.name != t.key.hash.name)
        return validation(std::string(kInvalid) + "Index KeySchema does not have the same leading hash key as table "
                          "KeySchema for index: " + x.name + ". index hash key: " + x.key.hash.name +
                          ", table hash key: " + t.key.hash.name);
      if (!names.insert(x.name).second)
        return validation(std::string(kInvalid) + "Duplicate index name: " + x.name);
    }
    if (t.lsis.size() > 5)
      return validation(std::string(kInvalid) + "Number of LocalSecondaryIndexes exceeds per-table limit of 5");
  }
  if (in.contains("GlobalSecondaryIndexes")) {
    if (t.gsis.empty()) return validation(std::string(kInvalid) + "List of GlobalSecondaryIndexes is empty");
    for (auto& x : t.gsis)
      if (!names.insert(x.name).second)
        return validation(std::string(kInvalid) + "Duplicate index name: " + x.name);
    if (t.gsis.size() > 20)
      return validation(std::string(kInvalid) + "GlobalSecondaryIndex count exceeds the per-table limit of 20");
  }
  // Every definition must be a key of the table or of an index.
  std::set<std::string> used{t.key.hash.name};
  if (t.key.range) used.insert(t.key.range->name);
  for (auto* list : {&t.lsis, &t.gsis})
    for (auto& x : *list) {
      used.insert(x.key.hash.name);
      if (x.key.range) used.insert(x.key.range->name);
    }
  if (used.size() != t.attribute_definitions.size()) {
    if (t.lsis.empty() && t.gsis.empty())
      return validation(std::string(kInvalid) + "Number of attributes in KeySchema does not exactly match number of "
                        "attributes defined in AttributeDefinitions");
    std::string defs;
    for (auto& [n, ty] : t.attribute_definitions) defs += (defs.empty() ? "" : ", ") + n;
    return validation(std::string(kInvalid) + "Some AttributeDefinitions are not used. AttributeDefinitions: [" + defs +
                      "], keys used: [" + [&] {
                        std::string k;
                        for (auto& u : used) k += (k.empty() ? "" : ", ") + u;
                        return k;
                      }() + "]");
  }
  return Ok{};
}
}  // namespace

Action create_table(DynamoDB& d) {
  Shape input = structure_shape({
      {"AttributeDefinitions", attribute_definitions_shape().required()},
      {"TableName", table_name_shape().required()},
      {"KeySchema", key_schema_shape().required()},
      {"LocalSecondaryIndexes", list_shape(index_definition_shape(false))},
      {"GlobalSecondaryIndexes", list_shape(index_definition_shape(true))},
      {"BillingMode", string_shape().one_of({"PROVISIONED", "PAY_PER_REQUEST"})},
      {"ProvisionedThroughput", provisioned_throughput_shape()},
      {"StreamSpecification", stream_specification_shape()},
      {"SSESpecification", structure_shape({{"Enabled", boolean_shape()}, {"SSEType", string_shape()},
                                            {"KMSMasterKeyId", string_shape()}})},
      {"Tags", tags_shape()},
      {"TableClass", string_shape().one_of({"STANDARD", "STANDARD_INFREQUENT_ACCESS"})},
      {"DeletionProtectionEnabled", boolean_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string name = in["TableName"];
            if (auto s = check_table_name(name, "tableName", false); !s) return s.error();
            auto t = std::make_unique<Table>();
            t->name = name;
            t->billing_mode = in.value("BillingMode", "PROVISIONED");
            if (t->billing_mode == "PAY_PER_REQUEST") {
              if (in.contains("ProvisionedThroughput"))
                return validation(std::string(kInvalid) + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                                  "specified when BillingMode is PAY_PER_REQUEST");
              t->pay_per_request_since_ms = ctx.now_ms();
            } else {
              if (!in.contains("ProvisionedThroughput"))
                return validation(std::string(kInvalid) + "ReadCapacityUnits and WriteCapacityUnits must both be "
                                  "specified when BillingMode is PROVISIONED");
              t->throughput = throughput_from(in["ProvisionedThroughput"]);
              for (auto [v, what] : {std::pair{t->throughput.read, "ReadCapacityUnits"},
                                     std::pair{t->throughput.write, "WriteCapacityUnits"}})
                if (v > 1000000000000LL)
                  return validation("Given value " + std::to_string(v) + " for " + what + " is out of bounds");
            }
            auto defs = parse_definitions(in);
            if (!defs) return defs.error();
            t->attribute_definitions = *defs;
            if (in["KeySchema"].size() > defs->size())
              return validation("Invalid KeySchema: Some index key attribute have no definition");
            auto key = parse_key_schema(in["KeySchema"], *defs);
            if (!key) return key.error();
            t->key = *key;
            for (auto& def : in.value("LocalSecondaryIndexes", json::array())) {
              auto x = parse_index(def, *defs, false, t->billing_mode);
              if (!x) return x.error();
              t->lsis.push_back(*x);
            }
            for (auto& def : in.value("GlobalSecondaryIndexes", json::array())) {
              auto x = parse_index(def, *defs, true, t->billing_mode);
              if (!x) return x.error();
              t->gsis.push_back(*x);
            }
            if (auto s = check_indexes(*t, in); !s) return s.error();
            std::string view;
            if (auto spec = in.find("StreamSpecification"); spec != in.end()) {
              bool enabled = spec->value("StreamEnabled", false);
              if (enabled && !spec->contains("StreamViewType"))
                return validation(std::string(kInvalid) + "You must specify a StreamViewType when enabling a stream");
              if (!enabled && spec->contains("StreamViewType"))
                return validation(std::string(kInvalid) + "You cannot specify a StreamViewType when disabling a stream");
              if (enabled) view = (*spec)["StreamViewType"];
            }
            for (auto& tag : in.value("Tags", json::array())) t->tags[tag["Key"]] = tag["Value"];
            t->table_class = in.value("TableClass", "STANDARD");
            t->deletion_protection = in.value("DeletionProtectionEnabled", false);
            if (auto sse = in.find("SSESpecification"); sse != in.end() && sse->value("Enabled", false))
              t->sse = json{{"Status", "ENABLED"}, {"SSEType", sse->value("SSEType", "KMS")},
                            {"KMSMasterKeyArn", "arn:aws:kms:" + ctx.region + ":" + ctx.account + ":key/" +
                                                    sse->value("KMSMasterKeyId", "aws/dynamodb")}};
            auto created = d.create(ctx, std::move(t), view);
            if (!created) return created.error();
            std::shared_lock lock((*created)->mu);
            return json{{"TableDescription", (*created)->describe(ctx.now_ms())}};
          }};
}

}  // namespace streamlab::dynamodb
