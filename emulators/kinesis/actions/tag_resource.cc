#include "emulators/kinesis/actions/resource_tags.h"

namespace streamlab::kinesis {

Action tag_resource(Kinesis& k) {
  Shape input = structure_shape({
      {"Tags", tag_map_shape().required()},
      {"ResourceARN", resource_arn_shape().required()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto r = resolve_resource(k, ctx, in["ResourceARN"]);
            if (!r) return r.error();
            std::unique_lock lock(r->stream->mu);
            auto* tags = tags_of(*r);
            if (!tags) return resource_not_found("Resource " + in["ResourceARN"].get<std::string>() + " not found.");
            auto add = in["Tags"].get<std::map<std::string, std::string>>();
            if (r->consumer_name.empty())
              if (auto c = check_tags(*r->stream, add); !c) return c.error();
            for (auto& [key, value] : add) (*tags)[key] = value;
            if (auto p = k.persist(*r->stream); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
