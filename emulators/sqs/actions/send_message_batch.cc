#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {
namespace {
constexpr size_t kMaxBatchBytes = 1048576;
}

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
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (auto r = check_batch(in, "SendMessageBatchRequestEntry"); !r) return r.error();
             json failed = json::array();
             std::vector<SendRequest> requests;
             std::vector<std::string> ids;
             size_t total = 0;
             for (auto& e : in["Entries"]) {
               size_t bytes = 0;
               auto request = prepare_send(ctx, **q, e, &bytes);
               total += bytes;
               if (!request) {
                 failed.push_back(batch_error(e["Id"], request.error()));
                 continue;
               }
               ids.push_back(e["Id"]);
               requests.push_back(std::move(*request));
             }
             if (total > kMaxBatchBytes) return batch_request_too_long(total, kMaxBatchBytes);
             json successful = json::array();
             if (!requests.empty()) {
               auto sent = send_and_describe(**q, std::move(requests));
               if (!sent) return sent.error();
               for (size_t i = 0; i < sent->size(); ++i) {
                 json& r = (*sent)[i];
                 r["Id"] = ids[i];
                 successful.push_back(std::move(r));
               }
             }
             return json{{"Successful", successful}, {"Failed", failed}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
