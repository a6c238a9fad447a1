#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {
namespace {
// Tags belong to tables, addressed by ARN: arn:aws:dynamodb:REGION:ACCOUNT:table/NAME.
Result<TablePtr> tagged_table(DynamoDB& d, const Context& ctx, const std::string& arn) {
  size_t slash = arn.find(":table/");
  if (arn.rfind("arn:", 0) != 0 || slash == std::string::npos || arn.find("/index/") != std::string::npos)
    return validation("Invalid TableArn");
  auto table = d.find(ctx, arn, false);
  if (!table)
    return AwsError{"ResourceNotFoundException", "Requested resource not found: ResourcArn: " + arn + " not found",
                    400, true, {}};
  return table;
}
}  // namespace

Action tag_resource(DynamoDB& d) {
  Shape input = structure_shape({{"ResourceArn", resource_arn_shape().required()}, {"Tags", tags_shape().required()}});
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            auto table = tagged_table(d, ctx, in["ResourceArn"]);
            if (!table) return table.error();
            Table& t = **table;
            std::unique_lock lock(t.mu);
            std::map<std::string, std::string> tags = t.tags;
            for (auto& tag : in["Tags"]) tags[tag["Key"]] = tag["Value"];
            if (tags.size() > 50) return limit_exceeded("One or more parameter values were invalid: Too many tags");
            t.tags = tags;
            if (auto s = d.persist(t); !s) return s.error();
            return json::object();
          }};
}

Action untag_resource(DynamoDB& d) {
  Shape input = structure_shape({
      {"ResourceArn", resource_arn_shape().required()},
      {"TagKeys", list_shape(string_shape().min(1).max(128)).required()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            auto table = tagged_table(d, ctx, in["ResourceArn"]);
            if (!table) return table.error();
            Table& t = **table;
            std::unique_lock lock(t.mu);
            for (auto& k : in["TagKeys"]) t.tags.erase(k.get<std::string>());
            if (auto s = d.persist(t); !s) return s.error();
            return json::object();
          }};
}

Action list_tags_of_resource(DynamoDB& d) {
  Shape input = structure_shape({{"ResourceArn", resource_arn_shape().required()}, {"NextToken", string_shape()}});
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            auto table = tagged_table(d, ctx, in["ResourceArn"]);
            if (!table) return table.error();
            std::shared_lock lock((*table)->mu);
            json tags = json::array();
            for (auto& [k, v] : (*table)->tags) tags.push_back({{"Key", k}, {"Value", v}});
            return json{{"Tags", tags}};
          }};
}

}  // namespace streamlab::dynamodb
