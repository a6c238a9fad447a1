#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction remove_permission(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Label", string_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto label = required_string(in, "Label");
             if (!label) return label.error();
             if (auto r = (*q)->remove_permission(*label); !r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
