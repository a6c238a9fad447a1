#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action delete_stream(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"EnforceConsumerDeletion", boolean_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto stream = k.resolve(ctx, in);
            if (!stream) return stream.error();
            std::string status = (*stream)->effective_status(ctx.now_ms());
            if (status == "DELETING") return json();
            if (auto s = k.remove(ctx, *stream, in.value("EnforceConsumerDeletion", false)); !s) return s.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
