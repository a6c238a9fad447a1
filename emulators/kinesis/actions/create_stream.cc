#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action create_stream(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape().required()},
      {"ShardCount", integer_shape().min(1)},
      {"StreamModeDetails", stream_mode_details_shape()},
      {"Tags", tag_map_shape()},
      {"WarmThroughputMiBps", integer_shape().min(0)},
      {"MaxRecordSizeInKiB", integer_shape().min(1024).max(10240)},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            // Without a ShardCount or a mode AWS creates an on-demand stream (four shards).
            std::string mode = in.contains("StreamModeDetails") ? in["StreamModeDetails"]["StreamMode"]
                               : in.contains("ShardCount")     ? "PROVISIONED"
                                                               : "ON_DEMAND";
            if (mode == "PROVISIONED" && !in.contains("ShardCount"))
              return invalid_argument("ShardCount is required when StreamMode=PROVISIONED");
            if (mode == "ON_DEMAND" && in.contains("ShardCount"))
              return invalid_argument("ShardCount is not expected when StreamMode=ON_DEMAND");
            if (mode == "ON_DEMAND" && k.on_demand_streams(ctx.account, ctx.region) >= k.options().on_demand_stream_limit)
              return limit_exceeded("This request would exceed the on-demand stream count limit for the account " +
                                    ctx.account + " in " + ctx.region + ".");
            // ON_DEMAND streams start with four shards, as on AWS.
            int shards = mode == "ON_DEMAND" ? 4 : in["ShardCount"].get<int>();
            auto tags = in.value("Tags", std::map<std::string, std::string>{});
            auto stream = k.create(ctx, in["StreamName"], shards, mode, tags);
            if (!stream) return stream.error();
            std::unique_lock lock((*stream)->mu);
            bool dirty = false;
            if (in.contains("MaxRecordSizeInKiB")) {
              (*stream)->max_record_size_kib = in["MaxRecordSizeInKiB"];
              dirty = true;
            }
            if (in.contains("WarmThroughputMiBps")) {
              (*stream)->warm_throughput_mibps = in["WarmThroughputMiBps"];
              dirty = true;
            }
            if (dirty)
              if (auto s = k.persist(**stream); !s) return s.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
