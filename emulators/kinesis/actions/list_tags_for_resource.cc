#include "emulators/kinesis/actions/resource_tags.h"

namespace streamlab::kinesis {

Action list_tags_for_resource(Kinesis& k) {
  Shape input = structure_shape({
      {"ResourceARN", resource_arn_shape().required()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto r = resolve_resource(k, ctx, in["ResourceARN"]);
            if (!r) return r.error();
            std::shared_lock lock(r->stream->mu);
            auto* tags = tags_of(*r);
            json out = json::array();
            if (tags)
              for (auto& [key, value] : *tags) out.push_back({{"Key", key}, {"Value", value}});
            return json{{"Tags", out}};
          }};
}

}  // namespace streamlab::kinesis
