#include "emulators/kinesis/actions/resource_tags.h"

namespace streamlab::kinesis {

Action untag_resource(Kinesis& k) {
  Shape input = structure_shape({
      {"TagKeys", tag_key_list_shape().required()},
      {"ResourceARN", resource_arn_shape().required()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto r = resolve_resource(k, ctx, in["ResourceARN"]);
            if (!r) return r.error();
            std::unique_lock lock(r->stream->mu);
            auto* tags = tags_of(*r);
            if (!tags) return resource_not_found("Resource " + in["ResourceARN"].get<std::string>() + " not found.");
            for (auto& key : in["TagKeys"]) tags->erase(key.get<std::string>());
            if (auto p = k.persist(*r->stream); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
