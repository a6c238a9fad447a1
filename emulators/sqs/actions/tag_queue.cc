#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction tag_queue(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Tags", tag_map_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (!in.contains("Tags") || in["Tags"].empty()) return missing_parameter("Tags");
             std::map<std::string, std::string> tags;
             for (auto& [k, v] : string_map(in["Tags"])) {
               if (k.empty() || k.size() > 128)
                 return invalid_parameter_value("Tag keys must be between 1 and 128 characters in length.");
               if (v.size() > 256) return invalid_parameter_value("Tag values must be less than 256 characters in length.");
               tags[k] = v;
             }
             if (auto r = (*q)->tag(tags); !r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
