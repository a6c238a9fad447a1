#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action list_tags_for_stream(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"ExclusiveStartTagKey", string_shape().min(1).max(128)},
      {"Limit", integer_shape().min(1).max(50)},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(s.mu);
            std::string after = in.value("ExclusiveStartTagKey", "");
            size_t limit = in.value("Limit", 50);
            json tags = json::array();
            bool more = false;
            for (auto& [key, value] : s.tags) {
              if (!after.empty() && key <= after) continue;
              if (tags.size() == limit) {
                more = true;
                break;
              }
              tags.push_back({{"Key", key}, {"Value", value}});
            }
            return json{{"Tags", tags}, {"HasMoreTags", more}};
          }};
}

}  // namespace streamlab::kinesis
