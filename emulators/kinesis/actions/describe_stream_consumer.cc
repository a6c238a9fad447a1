#include "emulators/kinesis/actions/consumer_lookup.h"

namespace streamlab::kinesis {

Action describe_stream_consumer(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape()},
      {"ConsumerName", consumer_name_shape()},
      {"ConsumerARN", consumer_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto ref = find_consumer(k, ctx, in);
            if (!ref) return ref.error();
            std::shared_lock lock(ref->stream->mu);
            const Consumer* c = ref->stream->consumer(ref->name);
            if (!c) return resource_not_found("Consumer " + ref->name + " not found.");
            return json{{"ConsumerDescription", consumer_json(k, *ref->stream, *c, ctx.now_ms(), true)}};
          }};
}

}  // namespace streamlab::kinesis
