#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action update_stream_mode(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape().required()},
      {"StreamId", stream_id_shape()},
      {"StreamModeDetails", stream_mode_details_shape().required()},
      {"WarmThroughputMiBps", integer_shape().min(0)},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::string mode = in["StreamModeDetails"]["StreamMode"];
            if (mode == "ON_DEMAND" && s.mode != mode &&
                k.on_demand_streams(ctx.account, ctx.region) >= k.options().on_demand_stream_limit)
              return limit_exceeded("This request would exceed the on-demand stream count limit for the account " +
                                    ctx.account + " in " + ctx.region + ".");
            std::unique_lock lock(s.mu);
            if (s.mode == mode)
              return invalid_argument("Stream " + s.name + " under account " + s.account + " is already in " + mode +
                                      " mode.");
            s.mode = mode;
            if (in.contains("WarmThroughputMiBps")) s.warm_throughput_mibps = in["WarmThroughputMiBps"];
            k.begin_update(s);
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
