#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction set_queue_attributes(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Attributes", queue_attribute_map_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (!in.contains("Attributes")) return missing_parameter("Attribute.1.Name");
             if (auto r = s.set_attributes(*q, string_map(in["Attributes"])); !r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
