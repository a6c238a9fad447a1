#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

Action list_tables(DynamoDB& d) {
  Shape input = structure_shape({
      {"ExclusiveStartTableName", string_shape().min(3).max(255).pattern("[a-zA-Z0-9_.-]+")},
      {"Limit", integer_shape().min(1).max(100)},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string start = in.value("ExclusiveStartTableName", "");
            size_t limit = size_t(in.value("Limit", 100));
            std::vector<std::string> names;
            for (auto& t : d.list(ctx.account, ctx.region))
              if (t->name > start) names.push_back(t->name);
            std::sort(names.begin(), names.end());
            json out = {{"TableNames", json::array()}};
            for (size_t i = 0; i < names.size() && i < limit; ++i) out["TableNames"].push_back(names[i]);
            if (names.size() > limit) out["LastEvaluatedTableName"] = names[limit - 1];
            return out;
          }};
}

}  // namespace streamlab::dynamodb
