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
            if (s.mode == "ON_DEMAND")
              return invalid_argument("UpdateShardCount is not supported for stream " + s.name +
                                      " under account " + s.account + " in On-Demand mode.");
            if (target > 2 * current)
              return invalid_argument("UpdateShardCount failed for stream " + s.name + " under account " + s.account +
                                      ". Cannot scale to more than double the current shard count. Current shard "
                                      "count: " + std::to_string(current) + ", requested: " + std::to_string(target));
            if (2 * target < current)
              return invalid_argument("UpdateShardCount failed for stream " + s.name + " under account " + s.account +
                                      ". Cannot scale to less than half the current shard count. Current shard "
                                      "count: " + std::to_string(current) + ", requested: " + std::to_string(target));
            if (account_open - current + target > k.options().shard_limit)
              return limit_exceeded("This request would exceed the shard limit for the account " + ctx.account +
                                    " in " + ctx.region + ". Current shard count for the account: " +
                                    std::to_string(account_open) + ". Limit: " +
                                    std::to_string(k.options().shard_limit) +
                                    ". Number of additional shards that would have resulted from this request: " +
                                    std::to_string(target - current) +
                                    ". Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/"
                                    "gr/aws_service_limits.html) for current limits and how to request higher limits.");
            if (target != current)
              if (auto r = k.update_shard_count(s, target); !r) return r.error();
            k.begin_update(s);
            if (auto p = k.persist(s); !p) return p.error();
            return json{{"StreamName", s.name}, {"CurrentShardCount", current}, {"TargetShardCount", target},
                        {"StreamARN", s.arn()}};
          }};
}

}  // namespace streamlab::kinesis
