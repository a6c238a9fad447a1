#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action describe_table(DynamoDB& d) {
  Shape input = structure_shape({{"TableName", table_name_shape().required()}});
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string name = in["TableName"];
            if (auto s = check_table_name(name); !s) return s.error();
            auto table = d.find(ctx, name, false);
            if (!table) return table.error();
            d.ensure_counted(**table);
            std::shared_lock lock((*table)->mu);
            return json{{"Table", (*table)->describe(ctx.now_ms())}};
          }};
}

}  // namespace streamlab::dynamodb
