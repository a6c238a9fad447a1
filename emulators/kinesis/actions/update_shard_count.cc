#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action update_shard_count(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"TargetShardCount", integer_shape().min(1).required()},
      {"ScalingType", string_shape().one_of({"UNIFORM_SCALING"}).required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            int account_open = k.open_shards(ctx.account, ctx.region);
            std::unique_lock lock(s.mu);
            int target = in["TargetShardCount"];
            int current = int(s.open_shard_count());
            std::string counts = "Current open shard count: " + std::to_string(current) +
                                 ", Target shard count: " + std::to_string(target);
            if (s.mode == "ON_DEMAND") return on_demand_reshard(s);
            if (target > 2 * current)
              return limit_exceeded("UpdateShardCount cannot scale up over double your current open shard count. " +
                                    counts);
            if (2 * target < current)
              return limit_exceeded(
                  "UpdateShardCount cannot scale down below half your current open shard count. " + counts);
            int limit = k.shard_limit(ctx.region);
            if (account_open - current + target > limit)
              return limit_exceeded("Target shard count or number of open shards cannot be greater than " +
                                    std::to_string(limit) + ". " + counts);
            if (target != current)
              if (auto r = k.update_shard_count(s, target); !r) return r.error();
            k.begin_update(s);
            if (auto p = k.persist(s); !p) return p.error();
            return json{{"StreamName", s.name}, {"CurrentShardCount", current}, {"TargetShardCount", target},
                        {"StreamARN", s.arn()}};
          }};
}

}  // namespace streamlab::kinesis
