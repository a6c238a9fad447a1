#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction change_message_visibility(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"ReceiptHandle", string_shape()},
      {"VisibilityTimeout", integer_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto handle = required_string(in, "ReceiptHandle");
             if (!handle) return handle.error();
             if (!in.contains("VisibilityTimeout")) return missing_parameter("VisibilityTimeout");
             if (auto r = check_range(in, "VisibilityTimeout", 0, 43200, "Must be between 0 and 43200, if provided.");
                 !r)
               return r.error();
             Status r = (*q)->change_visibility({{*handle, in["VisibilityTimeout"].get<int64_t>()}}).front();
             if (!r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
