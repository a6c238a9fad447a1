#include "emulators/dynamodb_streams/actions/common.h"

namespace streamlab::dynamodb_streams {

Action describe_stream(DynamoDB& d) {
  Shape input = structure_shape({
      {"StreamArn", stream_arn_shape().required()},
      {"Limit", integer_shape().min(1)},
      {"ExclusiveStartShardId", shard_id_shape()},
      {"ShardFilter", structure_shape({{"Type", string_shape().one_of({"CHILD_SHARDS"})},
                                       {"ShardId", shard_id_shape()}})},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            auto found = find_stream(d, in["StreamArn"]);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(d.streams_mutex());
            std::optional<uint32_t> start, parent;
            if (in.contains("ExclusiveStartShardId")) start = StreamShard::parse_id(in["ExclusiveStartShardId"]);
            if (auto f = in.find("ShardFilter"); f != in.end() && f->contains("ShardId")) {
              parent = StreamShard::parse_id((*f)["ShardId"]);
              if (!parent) return AwsError::validation("Invalid ShardId in ShardFilter: " + (*f)["ShardId"].get<std::string>());
            }
            size_t limit = size_t(std::min<int64_t>(in.value("Limit", 100), 100));
            json shards = json::array();
            std::optional<std::string> last;
            for (auto& sh : s.shards) {
              if (start && sh.index <= *start) continue;
              if (parent && sh.parent != parent) continue;
              if (shards.size() == limit) {
                last = shards.back()["ShardId"];
                break;
              }
              auto [first, end] = shard_bounds(d, s, sh);
              json range = {{"StartingSequenceNumber", dynamodb::make_sequence_number(sh.index, first)}};
              if (!sh.open())
                range["EndingSequenceNumber"] = dynamodb::make_sequence_number(sh.index, end > first ? end - 1 : first);
              json j = {{"ShardId", sh.id()}, {"SequenceNumberRange", range}};
              if (sh.parent) j["ParentShardId"] = s.shard(*sh.parent) ? s.shard(*sh.parent)->id() : "";
              shards.push_back(j);
            }
            json desc = {{"StreamArn", s.arn()},
                         {"StreamLabel", s.label},
                         {"StreamStatus", s.status()},
                         {"StreamViewType", s.view_type},
                         {"CreationRequestDateTime", dynamodb::epoch_seconds(s.created_ms)},
                         {"TableName", s.table_name},
                         {"KeySchema", s.key_schema},
                         {"Shards", shards}};
            if (last) desc["LastEvaluatedShardId"] = *last;
            return json{{"StreamDescription", desc}};
          }};
}

}  // namespace streamlab::dynamodb_streams
