#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action describe_time_to_live(DynamoDB& d) {
  Shape input = structure_shape({{"TableName", table_name_shape().required()}});
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string name = in["TableName"];
            if (auto s = check_table_name(name); !s) return s.error();
            auto table = d.find(ctx, name, false);
            if (!table) return table.error();
            std::shared_lock lock((*table)->mu);
            json desc = {{"TimeToLiveStatus", (*table)->ttl_enabled ? "ENABLED" : "DISABLED"}};
            if ((*table)->ttl_enabled) desc["AttributeName"] = (*table)->ttl_attribute;
            return json{{"TimeToLiveDescription", desc}};
          }};
}

Action update_time_to_live(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", table_name_shape().required()},
      {"TimeToLiveSpecification", structure_shape({{"Enabled", boolean_shape().required()},
                                                   {"AttributeName", string_shape().min(1).max(255).required()}})
                                      .required()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string name = in["TableName"];
            if (auto s = check_table_name(name); !s) return s.error();
            auto table = d.find(ctx, name, false);
            if (!table) return table.error();
            Table& t = **table;
            json spec = in["TimeToLiveSpecification"];
            bool enable = spec["Enabled"];
            std::unique_lock lock(t.mu);
            if (enable && t.ttl_enabled) return validation("TimeToLive is already enabled");
            if (!enable && !t.ttl_enabled) return validation("TimeToLive is already disabled");
            if (!enable && spec["AttributeName"] != t.ttl_attribute)
              return validation("TimeToLive is active on a different AttributeName: current AttributeName is " +
                                t.ttl_attribute);
            t.ttl_enabled = enable;
            t.ttl_attribute = enable ? spec["AttributeName"].get<std::string>() : "";
            if (auto s = d.persist(t); !s) return s.error();
            return json{{"TimeToLiveSpecification", spec}};
          }};
}

}  // namespace streamlab::dynamodb
