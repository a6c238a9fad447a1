#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action delete_table(DynamoDB& d) {
  Shape input = structure_shape({{"TableName", table_name_shape().required()}});
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string name = in["TableName"];
            if (auto s = check_table_name(name); !s) return s.error();
            auto table = d.find(ctx, name, false);
            if (!table) return table.error();
            Table& t = **table;
            std::string status = t.effective_status(ctx.now_ms());
            if (status == "CREATING" || status == "UPDATING" || status == "DELETING")
              return resource_in_use("Attempt to change a resource which is still in use: Table is being " +
                                     std::string(status == "CREATING" ? "created" : status == "UPDATING" ? "updated"
                                                                                                         : "deleted") +
                                     ": " + t.name);
            if (t.deletion_protection)
              return validation("1 validation error detected: Table '" + t.name +
                                "' can't be deleted while DeletionProtectionEnabled is set to True");
            d.ensure_counted(t);
            if (auto s = d.remove(*table); !s) return s.error();
            std::shared_lock lock(t.mu);
            json description = t.describe(ctx.now_ms());
            description["TableStatus"] = "DELETING";
            return json{{"TableDescription", description}};
          }};
}

}  // namespace streamlab::dynamodb
