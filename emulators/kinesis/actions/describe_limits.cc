#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action describe_limits(Kinesis& k) {
  return {structure_shape({}), [&k](const Context& ctx, json&) -> Result<json> {
            return json{{"ShardLimit", k.shard_limit(ctx.region)},
                        {"OpenShardCount", k.open_shards(ctx.account, ctx.region)},
                        {"OnDemandStreamCount", k.on_demand_streams(ctx.account, ctx.region)},
                        {"OnDemandStreamCountLimit", k.options().on_demand_stream_limit}};
          }};
}

}  // namespace streamlab::kinesis
