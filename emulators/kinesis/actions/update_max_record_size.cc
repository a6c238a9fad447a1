#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action update_max_record_size(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
      {"MaxRecordSizeInKiB", integer_shape().min(1024).max(10240).required()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            s.max_record_size_kib = in["MaxRecordSizeInKiB"];
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
