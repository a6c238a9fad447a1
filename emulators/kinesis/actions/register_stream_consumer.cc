#include "emulators/kinesis/actions/consumer_lookup.h"

namespace streamlab::kinesis {

constexpr size_t kMaxConsumersPerStream = 20;

Action register_stream_consumer(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape().required()},
      {"ConsumerName", consumer_name_shape().required()},
      {"StreamId", stream_id_shape()},
      {"Tags", tag_map_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            if (auto w = require_writable(s, ctx.now_ms()); !w) return w.error();
            std::unique_lock lock(s.mu);
            std::string name = in["ConsumerName"];
            if (s.consumer(name))
              return resource_in_use("Consumer " + name + " under stream " + s.name + " already exists for account " +
                                     s.account + ".");
            if (s.consumers.size() >= kMaxConsumersPerStream)
              return limit_exceeded("Consumer limit of " + std::to_string(kMaxConsumersPerStream) +
                                    " reached for stream " + s.name + " under account " + s.account + ".");
            Consumer c;
            c.name = name;
            c.created_ms = ctx.now_ms();
            c.arn = s.arn() + "/consumer/" + name + ":" + std::to_string(c.created_ms / 1000);
            c.tags = in.value("Tags", std::map<std::string, std::string>{});
            s.consumers.push_back(c);
            if (auto p = k.persist(s); !p) return p.error();
            return json{{"Consumer", consumer_json(k, s, c, ctx.now_ms(), false)}};
          }};
}

}  // namespace streamlab::kinesis
