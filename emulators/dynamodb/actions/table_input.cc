#include "emulators/dynamodb/actions/table_input.h"

#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {
namespace {
constexpr const char* kInvalid = "One or more parameter values were invalid: ";

std::string names(const json& list, const char* member) {
  std::string s;
  for (auto& e : list) s += (s.empty() ? "" : ", ") + e.value(member, "");
  return s;
}
}  // namespace

Shape index_definition_shape(bool global) {
  std::vector<std::pair<std::string, Shape>> members = {
      {"IndexName", index_name_shape().required()},
      {"KeySchema", key_schema_shape().required()},
      {"Projection", projection_shape().required()},
  };
  if (global) members.push_back({"ProvisionedThroughput", provisioned_throughput_shape()});
  return structure_shape(std::move(members));
}

Result<std::vector<std::pair<std::string, AttrType>>> parse_definitions(const json& in) {
  std::vector<std::pair<std::string, AttrType>> defs;
  for (auto& d : in.value("AttributeDefinitions", json::array())) {
    AttrType t = AttrType::S;
    parse_type_name(d.value("AttributeType", "S"), t);
    std::string name = d.value("AttributeName", "");
    for (auto& [n, ignored] : defs)
      if (n == name)
        return validation(std::string(kInvalid) + "Duplicate AttributeName in AttributeDefinitions: " + name);
    defs.emplace_back(name, t);
  }
  return defs;
}

Result<KeySchema> parse_key_schema(const json& ks, const std::vector<std::pair<std::string, AttrType>>& defs) {
  std::string def_names;
  for (auto& [n, t] : defs) def_names += (def_names.empty() ? "" : ", ") + n;
  KeySchema out;
  for (size_t i = 0; i < ks.size(); ++i) {
    std::string name = ks[i].value("AttributeName", "");
    const AttrType* type = nullptr;
    for (auto& [n, t] : defs)
      if (n == name) type = &t;
    if (!type)
      return validation(std::string(kInvalid) + "Some index key attributes are not defined in AttributeDefinitions. "
                        "Keys: [" + names(ks, "AttributeName") + "], AttributeDefinitions: [" + def_names + "]");
    KeyElement k{name, *type};
    if (i == 0) out.hash = k;
    else out.range = k;
  }
  if (ks.size() == 2 && ks[0].value("AttributeName", "") == ks[1].value("AttributeName", ""))
    return validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  if (ks.empty() || ks[0].value("KeyType", "") != "HASH")
    return validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (ks.size() == 2 && ks[1].value("KeyType", "") != "RANGE")
    return validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  return out;
}

Result<SecondaryIndex> parse_index(const json& def, const std::vector<std::pair<std::string, AttrType>>& defs,
                                   bool global, const std::string& billing_mode) {
  SecondaryIndex x;
  x.name = def.value("IndexName", "");
  x.global = global;
  auto key = parse_key_schema(def.value("KeySchema", json::array()), defs);
  if (!key) return key.error();
  x.key = *key;
  json projection = def.value("Projection", json::object());
  if (!projection.contains("ProjectionType"))
    return validation(std::string(kInvalid) + "Unknown ProjectionType: null");
  x.projection.type = projection["ProjectionType"];
  if (projection.contains("NonKeyAttributes")) {
    if (x.projection.type != "INCLUDE")
      return validation(std::string(kInvalid) + "ProjectionType is " + x.projection.type +
                        ", but NonKeyAttributes is specified");
    x.projection.non_key = projection["NonKeyAttributes"].get<std::vector<std::string>>();
  } else if (x.projection.type == "INCLUDE") {
    return validation(std::string(kInvalid) + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
  if (global) {
    bool has_throughput = def.contains("ProvisionedThroughput");
    if (billing_mode == "PAY_PER_REQUEST" && has_throughput)
      return validation(std::string(kInvalid) + "ProvisionedThroughput should not be specified for index: " + x.name +
                        " when BillingMode is PAY_PER_REQUEST");
    if (billing_mode != "PAY_PER_REQUEST" && !has_throughput)
      return validation(std::string(kInvalid) + "ProvisionedThroughput must be specified for index: " + x.name);
    if (has_throughput) x.throughput = throughput_from(def["ProvisionedThroughput"]);
  }
  return x;
}

Throughput throughput_from(const json& p) {
  Throughput t;
  t.read = p.value("ReadCapacityUnits", int64_t(0));
  t.write = p.value("WriteCapacityUnits", int64_t(0));
  return t;
}

}  // namespace streamlab::dynamodb
