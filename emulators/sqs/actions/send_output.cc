#include "emulators/sqs/actions/send_output.h"

#include "server/core/json_text.h"

namespace streamlab::sqs {
namespace {
std::string md5_of_trace(const std::string& trace_header) {
  return md5_of_attributes({{"AWSTraceHeader", MessageAttribute{"String", false, trace_header}}});
}
}  // namespace

void send_all_after_turn(QueuePtr queue, std::vector<SendRequest> requests, SentDone done) {
  std::vector<std::string> traces;  // the answer's MD5OfMessageSystemAttributes needs them
  traces.reserve(requests.size());
  for (auto& r : requests) traces.push_back(r.trace_header);
  Queue& q = *queue;
  q.send_after_turn(std::move(requests), [queue = std::move(queue), traces = std::move(traces),
                                          done = std::move(done)](Result<std::vector<SendResult>> sent) mutable {
    if (!sent) return done(sent.error());
    std::vector<Sent> out;
    out.reserve(sent->size());
    for (size_t i = 0; i < sent->size(); ++i) out.push_back({std::move((*sent)[i]), std::move(traces[i])});
    done(std::move(out));
  });
}

json sent_json(const Sent& s) {
  const SendResult& r = s.result;
  json out = {{"MD5OfMessageBody", r.md5_body}, {"MessageId", r.message_id}};
  if (!r.md5_attributes.empty()) out["MD5OfMessageAttributes"] = r.md5_attributes;
  if (!s.trace_header.empty()) out["MD5OfMessageSystemAttributes"] = md5_of_trace(s.trace_header);
  if (!r.sequence_number.empty()) out["SequenceNumber"] = r.sequence_number;
  return out;
}

void append_sent_json(std::string& out, const Sent& s, const std::string* id) {
  const SendResult& r = s.result;
  out += '{';
  if (id) {
    out += "\"Id\":";
    append_json_string(out, *id);
    out += ',';
  }
  if (!r.md5_attributes.empty()) {
    out += "\"MD5OfMessageAttributes\":";
    append_json_string(out, r.md5_attributes);
    out += ',';
  }
  out += "\"MD5OfMessageBody\":";
  append_json_string(out, r.md5_body);
  if (!s.trace_header.empty()) {
    out += ",\"MD5OfMessageSystemAttributes\":";
    append_json_string(out, md5_of_trace(s.trace_header));
  }
  out += ",\"MessageId\":";
  append_json_string(out, r.message_id);
  if (!r.sequence_number.empty()) {
    out += ",\"SequenceNumber\":";
    append_json_string(out, r.sequence_number);
  }
  out += '}';
}

}  // namespace streamlab::sqs
