#include "emulators/sqs/actions/common.h"

#include <set>
#include <tuple>

#include "server/core/encoding.h"
#include "server/core/json_text.h"

namespace streamlab::sqs {
namespace {

// The system attributes a receive asked for ("All" or names), as strings.
json system_attributes(const Delivery& d, const std::set<std::string>& names, bool fifo) {
  bool all = names.count("All") > 0;
  json out = json::object();
  auto put = [&](const char* name, const std::string& value) {
    if (!value.empty() && (all || names.count(name))) out[name] = value;
  };
  put("SenderId", d.record.sender_id);
  put("SentTimestamp", std::to_string(d.record.sent_ms));
  put("ApproximateReceiveCount", std::to_string(d.state.receive_count));
  put("ApproximateFirstReceiveTimestamp", std::to_string(d.state.first_receive_ms));
  put("AWSTraceHeader", d.record.trace_header);
  put("DeadLetterQueueSourceArn", d.record.dlq_source_arn);
  put("MessageGroupId", d.record.group_id);
  if (fifo) {
    put("MessageDeduplicationId", d.record.dedup_id);
    put("SequenceNumber", d.record.sequence_number);
  }
  return out;
}

Shape message_shape() {
  return structure_shape({
      {"MessageId", string_shape()},
      {"ReceiptHandle", string_shape()},
      {"MD5OfBody", string_shape()},
      {"Body", string_shape()},
      {"Attributes", queue_attribute_map_shape()},
      {"MD5OfMessageAttributes", string_shape()},
      {"MessageAttributes", message_attribute_map_shape()},
  });
}

// Which attributes the caller asked to see with each message.
struct Wanted {
  std::set<std::string> names;  // system attributes ("All" or names)
  json message_attribute_names = json::array();
  bool fifo = false;
};
using Finish = std::function<void(Result<ReceiveResult>, const Wanted&)>;

// Checks the request and starts the receive; `finish` runs once, when it completes (at once, or
// later from a long poll, on another thread: nothing here may outlive this call but `finish`).
void start_receive(Sqs& s, const Context& ctx, json& in, Finish finish) {
  auto q = queue_of(s, ctx, in);
  if (!q) return finish(q.error(), Wanted{});
  for (auto [name, min, max, why] :
       {std::tuple{"MaxNumberOfMessages", 1, 10, "Must be between 1 and 10, if provided."},
        std::tuple{"VisibilityTimeout", 0, 43200, "Must be >= 0 and <= 43200, if provided."},
        std::tuple{"WaitTimeSeconds", 0, 20, "Must be >= 0 and <= 20, if provided."}})
    if (auto r = check_range(in, name, min, max, why); !r) return finish(r.error(), Wanted{});
  ReceiveRequest request;
  request.max = int(in.value("MaxNumberOfMessages", int64_t(1)));
  if (in.contains("VisibilityTimeout")) request.visibility_timeout = in["VisibilityTimeout"].get<int64_t>();
  request.attempt_id = in.value("ReceiveRequestAttemptId", "");
  if (request.attempt_id.size() > 128)
    return finish(invalid_parameter_value("Value " + request.attempt_id +
                                          " for parameter ReceiveRequestAttemptId is invalid. Reason: "
                                          "ReceiveRequestAttemptId can only include alphanumeric and punctuation "
                                          "characters. 1 to 128 in length."),
                  Wanted{});
  Wanted wanted;
  for (auto& n : string_list(in.value("AttributeNames", json::array()))) wanted.names.insert(n);
  for (auto& n : string_list(in.value("MessageSystemAttributeNames", json::array()))) wanted.names.insert(n);
  wanted.message_attribute_names = in.value("MessageAttributeNames", json::array());
  wanted.fifo = (*q)->fifo();
  int64_t wait_s = in.contains("WaitTimeSeconds") ? in["WaitTimeSeconds"].get<int64_t>()
                                                  : (*q)->receive_wait_seconds();
  s.receive(*q, request, wait_s * 1000, [finish = std::move(finish), wanted = std::move(wanted)](Result<ReceiveResult> r) {
    finish(std::move(r), wanted);
  });
}

// The result as the query codec and CBOR want it.
json result_json(ReceiveResult& r, const Wanted& w) {
  json messages = json::array();
  messages.get_ref<json::array_t&>().reserve(r.messages.size());
  for (auto& d : r.messages) {
    // Members emplaced into the object directly: an initializer list builds each pair as an
    // array first, a measurable part of a receive of ten.
    json m(json::value_t::object);
    auto& members = m.get_ref<json::object_t&>();
    members.emplace("MessageId", std::move(d.record.message_id));
    members.emplace("ReceiptHandle", std::move(d.receipt_handle));
    members.emplace("MD5OfBody", std::move(d.record.md5_body));
    members.emplace("Body", std::move(d.record.body));
    if (!w.names.empty())
      if (json attrs = system_attributes(d, w.names, w.fifo); !attrs.empty()) members.emplace("Attributes", std::move(attrs));
    if (!d.record.attributes.empty()) {
      MessageAttributes chosen = filter_attributes(d.record.attributes, w.message_attribute_names);
      if (!chosen.empty()) {
        // The digest covers exactly the attributes returned, as clients recompute it.
        members.emplace("MD5OfMessageAttributes", md5_of_attributes(chosen));
        members.emplace("MessageAttributes", attributes_json(chosen, json::array({"All"})));
      }
    }
    messages.push_back(std::move(m));
  }
  json out = json::object();
  if (!messages.empty()) out["Messages"] = std::move(messages);
  return out;
}

// The same document written as JSON text directly (JSON 1.0 requests): a receive of ten spent
// about an eighth of a round trip building and dumping the tree above.
std::string result_text(const ReceiveResult& r, const Wanted& w) {
  if (r.messages.empty()) return "{}";
  std::string out = "{\"Messages\":[";
  for (size_t i = 0; i < r.messages.size(); ++i) {
    const Delivery& d = r.messages[i];
    out += i ? ",{" : "{";
    out += "\"MessageId\":";
    append_json_string(out, d.record.message_id);
    out += ",\"ReceiptHandle\":";
    append_json_string(out, d.receipt_handle);
    out += ",\"MD5OfBody\":";
    append_json_string(out, d.record.md5_body);
    out += ",\"Body\":";
    append_json_string(out, d.record.body);
    if (!w.names.empty())
      if (json attrs = system_attributes(d, w.names, w.fifo); !attrs.empty()) out += ",\"Attributes\":" + attrs.dump();
    if (!d.record.attributes.empty()) {
      MessageAttributes chosen = filter_attributes(d.record.attributes, w.message_attribute_names);
      if (!chosen.empty()) {
        out += ",\"MD5OfMessageAttributes\":";
        append_json_string(out, md5_of_attributes(chosen));
        out += ",\"MessageAttributes\":" + attributes_json(chosen, json::array({"All"})).dump();
      }
    }
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace

SqsAction receive_message(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"AttributeNames", attribute_name_list_shape()},
      {"MessageSystemAttributeNames", list_shape(string_shape()).flattened()},
      {"MessageAttributeNames", list_shape(string_shape().xml_name("MessageAttributeName")).flattened()},
      {"MaxNumberOfMessages", integer_shape()},
      {"VisibilityTimeout", integer_shape()},
      {"WaitTimeSeconds", integer_shape()},
      {"ReceiveRequestAttemptId", string_shape()},
  });
  Shape output = structure_shape({{"Messages", list_shape(message_shape().xml_name("Message")).flattened()}});
  Action a;
  a.input = input;
  a.async_handler = [&s](const Context& ctx, json& in, ActionDone done) {
    start_receive(s, ctx, in, [done = std::move(done)](Result<ReceiveResult> r, const Wanted& w) {
      if (!r) return done(r.error());
      done(result_json(*r, w));
    });
  };
  a.async_json_text_handler = [&s](const Context& ctx, json& in, JsonTextDone done) {
    start_receive(s, ctx, in, [done = std::move(done)](Result<ReceiveResult> r, const Wanted& w) {
      if (!r) return done(r.error());
      done(result_text(*r, w));
    });
  };
  return {a, output};
}

}  // namespace streamlab::sqs
