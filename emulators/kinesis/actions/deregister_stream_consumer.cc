#include "emulators/kinesis/actions/consumer_lookup.h"

namespace streamlab::kinesis {

Action deregister_stream_consumer(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape()},
      {"ConsumerName", consumer_name_shape()},
      {"ConsumerARN", consumer_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto ref = find_consumer(k, ctx, in);
            if (!ref) return ref.error();
            Stream& s = *ref->stream;
            std::unique_lock lock(s.mu);
            std::erase_if(s.consumers, [&](const Consumer& c) { return c.name == ref->name; });
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
