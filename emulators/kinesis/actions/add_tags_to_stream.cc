#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action add_tags_to_stream(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"Tags", tag_map_shape().required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            auto tags = in["Tags"].get<std::map<std::string, std::string>>();
            if (auto c = check_tags(s, tags); !c) return c.error();
            for (auto& [key, value] : tags) s.tags[key] = value;
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
