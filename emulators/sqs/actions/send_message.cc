#include "emulators/sqs/actions/common.h"
#include "emulators/sqs/actions/send_output.h"

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
  auto run = [&s](const Context& ctx, json& in) -> Result<Sent> {
    auto q = queue_of(s, ctx, in);
    if (!q) return q.error();
    auto request = prepare_send(ctx, **q, in);
    if (!request) return request.error();
    std::vector<SendRequest> one;
    one.push_back(std::move(*request));
    auto sent = send_all(**q, std::move(one));
    if (!sent) return sent.error();
    return std::move(sent->front());
  };
  Action a{input, [run](const Context& ctx, json& in) -> Result<json> {
             auto sent = run(ctx, in);
             if (!sent) return sent.error();
             return sent_json(*sent);
           }};
  a.json_text_handler = [run](const Context& ctx, json& in) -> Result<std::string> {
    auto sent = run(ctx, in);
    if (!sent) return sent.error();
    std::string out;
    out.reserve(160);
    append_sent_json(out, *sent, nullptr);
    return out;
  };
  return {a, output};
}

}  // namespace streamlab::sqs
