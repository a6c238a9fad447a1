#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action remove_tags_from_stream(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"TagKeys", tag_key_list_shape().required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            if (auto c = check_tag_characters(in["TagKeys"].get<std::vector<std::string>>()); !c) return c.error();
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            for (auto& key : in["TagKeys"]) s.tags.erase(key.get<std::string>());
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
