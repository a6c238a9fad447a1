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
  // Validates and sends; `finish` learns the outcome once the message is on disk, after the
  // worker's turn, whose other sends share the commit (Queue::send_after_turn).
  auto start = [&s](const Context& ctx, json& in, std::function<void(Result<Sent>)> finish) {
    auto q = queue_of(s, ctx, in);
    if (!q) return finish(q.error());
    auto request = prepare_send(ctx, **q, in);
    if (!request) return finish(request.error());
    std::vector<SendRequest> one;
    one.push_back(std::move(*request));
    send_all_after_turn(std::move(*q), std::move(one), [finish = std::move(finish)](Result<std::vector<Sent>> sent) {
      if (!sent) return finish(sent.error());
      finish(std::move(sent->front()));
    });
  };
  Action a{input, nullptr};
  a.async_handler = [start](const Context& ctx, json& in, ActionDone done) {
    start(ctx, in, [done = std::move(done)](Result<Sent> sent) {
      if (!sent) return done(sent.error());
      done(sent_json(*sent));
    });
  };
  a.async_json_text_handler = [start](const Context& ctx, json& in, JsonTextDone done) {
    start(ctx, in, [done = std::move(done)](Result<Sent> sent) {
      if (!sent) return done(sent.error());
      std::string out;
      out.reserve(160);
      append_sent_json(out, *sent, nullptr);
      done(std::move(out));
    });
  };
  return {a, output};
}

}  // namespace streamlab::sqs
