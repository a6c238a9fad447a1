#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction untag_queue(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"TagKeys", list_shape(string_shape().xml_name("TagKey")).flattened()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto keys = string_list(in.value("TagKeys", json::array()));
             if (keys.empty()) return missing_parameter("TagKeys");
             if (auto r = (*q)->untag(keys); !r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
