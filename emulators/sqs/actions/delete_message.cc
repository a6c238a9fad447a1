#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction delete_message(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"ReceiptHandle", string_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto handle = required_string(in, "ReceiptHandle");
             if (!handle) return handle.error();
             Status r = (*q)->delete_messages({*handle}).front();
             if (!r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
