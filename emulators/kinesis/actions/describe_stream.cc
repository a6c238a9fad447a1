#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action describe_stream(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"Limit", integer_shape().min(1).max(10000)},
      {"ExclusiveStartShardId", shard_id_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(s.mu);
            size_t limit = in.value("Limit", 100);
            std::string after = in.value("ExclusiveStartShardId", "");
            json shards = json::array();
            bool more = false;
            // A stream still CREATING has no shards to show yet.
            bool creating = s.effective_status(ctx.now_ms()) == "CREATING";
            for (auto& sh : s.shards) {
              if (creating) break;
              if (!after.empty() && sh.id() <= after) continue;
              if (shards.size() == limit) {
                more = true;
                break;
              }
              shards.push_back(shard_json(s, sh));
            }
            json enhanced = json::array({{{"ShardLevelMetrics", s.monitoring}}});
            json d = {{"StreamName", s.name},
                      {"StreamARN", s.arn()},
                      {"StreamStatus", s.effective_status(ctx.now_ms())},
                      {"StreamModeDetails", stream_mode_json(s)},
                      {"Shards", shards},
                      {"HasMoreShards", more},
                      {"RetentionPeriodHours", s.retention_hours},
                      {"StreamCreationTimestamp", epoch_seconds(s.created_ms)},
                      {"EnhancedMonitoring", enhanced},
                      {"EncryptionType", s.encryption}};
            if (s.encryption == "KMS") d["KeyId"] = s.key_id;
            return json{{"StreamDescription", d}};
          }};
}

}  // namespace streamlab::kinesis
