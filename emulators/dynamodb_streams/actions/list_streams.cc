#include <algorithm>

#include "emulators/dynamodb_streams/actions/common.h"

namespace streamlab::dynamodb_streams {

Action list_streams(DynamoDB& d) {
  Shape input = structure_shape({
      {"TableName", string_shape().min(3).max(255).pattern("[a-zA-Z0-9_.-]+")},
      {"Limit", integer_shape().min(1)},
      {"ExclusiveStartStreamArn", stream_arn_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string table = in.value("TableName", "");
            std::string start = in.value("ExclusiveStartStreamArn", "");
            size_t limit = size_t(std::min<int64_t>(in.value("Limit", 100), 100));
            std::vector<std::pair<std::string, json>> streams;
            {
              std::shared_lock lock(d.streams_mutex());
              for (auto& s : d.list_streams(ctx.account, ctx.region))
                if (table.empty() || s->table_name == table)
                  streams.emplace_back(s->arn(), json{{"StreamArn", s->arn()},
                                                      {"TableName", s->table_name},
                                                      {"StreamLabel", s->label}});
            }
            std::sort(streams.begin(), streams.end(), [](auto& a, auto& b) { return a.first < b.first; });
            json out = {{"Streams", json::array()}};
            size_t taken = 0;
            for (auto& [arn, j] : streams) {
              if (!start.empty() && arn <= start) continue;
              if (taken == limit) {
                out["LastEvaluatedStreamArn"] = out["Streams"].back()["StreamArn"];
                break;
              }
              out["Streams"].push_back(j);
              ++taken;
            }
            return out;
          }};
}

}  // namespace streamlab::dynamodb_streams
