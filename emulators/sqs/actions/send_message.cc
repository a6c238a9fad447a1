#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction send_message(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"MessageBody", string_shape()},
      {"DelaySeconds", integer_shape()},
      {"MessageAttributes", message_attribute_map_shape()},
      {"MessageSystemAttributes", message_system_attribute_map_shape()},
      {"MessageDeduplicationId", string_shape()},
      {"MessageGroupId", string_shape()},
  });
  Shape output = structure_shape({
      {"MD5OfMessageBody", string_shape()},
      {"MD5OfMessageAttributes", string_shape()},
      {"MD5OfMessageSystemAttributes", string_shape()},
      {"MessageId", string_shape()},
      {"SequenceNumber", string_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto request = parse_send(ctx, in);
             if (!request) return request.error();
             if (auto r = (*q)->check_send(*request); !r) return r.error();
             SendRequest copy_for_result;
             copy_for_result.trace_header = request->trace_header;
             auto sent = (*q)->send({std::move(*request)});
             if (!sent) return sent.error();
             return send_result_json(sent->front(), copy_for_result);
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
