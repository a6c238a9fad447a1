#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction list_queue_tags(Sqs& s) {
  Shape input = structure_shape({{"QueueUrl", string_shape()}});
  Shape output = structure_shape({{"Tags", tag_map_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto tags = (*q)->tags();
             json out = json::object();
             if (!tags.empty()) out["Tags"] = tags;
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
