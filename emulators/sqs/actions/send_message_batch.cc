#include "emulators/sqs/actions/common.h"
#include "emulators/sqs/actions/send_output.h"
#include "server/core/json_text.h"

namespace streamlab::sqs {
namespace {
constexpr size_t kMaxBatchBytes = 1048576;

struct BatchOutcome {
  std::vector<std::string> ids;  // of `sent`, in order
  std::vector<Sent> sent;
  json failed = json::array();
};
}  // namespace

SqsAction send_message_batch(Sqs& s) {
  Shape entry = structure_shape({
      {"Id", string_shape()},
      {"MessageBody", string_shape()},
      {"DelaySeconds", integer_shape()},
      {"MessageAttributes", message_attribute_map_shape()},
      {"MessageSystemAttributes", message_system_attribute_map_shape()},
      {"MessageDeduplicationId", string_shape()},
      {"MessageGroupId", string_shape()},
  });
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Entries", list_shape(entry.xml_name("SendMessageBatchRequestEntry")).flattened()},
  });
  Shape result = structure_shape({
      {"Id", string_shape()},
      {"MessageId", string_shape()},
      {"MD5OfMessageBody", string_shape()},
      {"MD5OfMessageAttributes", string_shape()},
      {"MD5OfMessageSystemAttributes", string_shape()},
      {"SequenceNumber", string_shape()},
  });
  Shape output = structure_shape({
      {"Successful", list_shape(result.xml_name("SendMessageBatchResultEntry")).flattened()},
      {"Failed", batch_error_list_shape()},
  });
  // Validates the entries and sends the valid ones; `finish` learns the outcome once they are on
  // disk, after the worker's turn, whose other sends share the commit (Queue::send_after_turn).
  auto start = [&s](const Context& ctx, json& in, std::function<void(Result<BatchOutcome>)> finish) {
    auto q = queue_of(s, ctx, in);
    if (!q) return finish(q.error());
    if (auto r = check_batch(in, "SendMessageBatchRequestEntry"); !r) return finish(r.error());
    BatchOutcome out;
    std::vector<SendRequest> requests;
    size_t total = 0;
    for (auto& e : in["Entries"]) {
      size_t bytes = 0;
      auto request = prepare_send(ctx, **q, e, &bytes);
      total += bytes;
      if (!request) {
        out.failed.push_back(batch_error(e["Id"], request.error()));
        continue;
      }
      out.ids.push_back(e["Id"]);
      requests.push_back(std::move(*request));
    }
    if (total > kMaxBatchBytes) return finish(batch_request_too_long(total, kMaxBatchBytes));
    if (requests.empty()) return finish(std::move(out));
    send_all_after_turn(std::move(*q), std::move(requests),
                        [out = std::move(out), finish = std::move(finish)](Result<std::vector<Sent>> sent) mutable {
                          if (!sent) return finish(sent.error());
                          out.sent = std::move(*sent);
                          finish(std::move(out));
                        });
  };
  Action a{input, nullptr};
  a.async_handler = [start](const Context& ctx, json& in, ActionDone done) {
    start(ctx, in, [done = std::move(done)](Result<BatchOutcome> r) {
      if (!r) return done(r.error());
      json successful = json::array();
      for (size_t i = 0; i < r->sent.size(); ++i) {
        json one = sent_json(r->sent[i]);
        one["Id"] = r->ids[i];
        successful.push_back(std::move(one));
      }
      done(json{{"Successful", std::move(successful)}, {"Failed", std::move(r->failed)}});
    });
  };
  a.async_json_text_handler = [start](const Context& ctx, json& in, JsonTextDone done) {
    start(ctx, in, [done = std::move(done)](Result<BatchOutcome> r) {
      if (!r) return done(r.error());
      std::string out;
      out.reserve(64 + 160 * r->sent.size());
      out += "{\"Failed\":";
      out += r->failed.dump();
      out += ",\"Successful\":[";
      for (size_t i = 0; i < r->sent.size(); ++i) {
        if (i) out += ',';
        append_sent_json(out, r->sent[i], &r->ids[i]);
      }
      out += "]}";
      done(std::move(out));
    });
  };
  return {a, output};
}

}  // namespace streamlab::sqs
