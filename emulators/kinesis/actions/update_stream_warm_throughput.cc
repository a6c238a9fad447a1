#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action update_stream_warm_throughput(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape()},
      {"StreamName", stream_name_shape()},
      {"StreamId", stream_id_shape()},
      {"WarmThroughputMiBps", integer_shape().min(0).required()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            if (s.mode != "ON_DEMAND")
              return invalid_argument("Warm throughput can only be configured for streams in ON_DEMAND mode.");
            s.warm_throughput_mibps = in["WarmThroughputMiBps"];
            if (auto p = k.persist(s); !p) return p.error();
            return json{{"StreamARN", s.arn()},
                        {"StreamName", s.name},
                        {"WarmThroughput",
                         {{"TargetMiBps", s.warm_throughput_mibps}, {"CurrentMiBps", s.warm_throughput_mibps}}}};
          }};
}

}  // namespace streamlab::kinesis
