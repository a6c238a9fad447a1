#include "emulators/sns/envelope.h"

#include <cstdio>
#include <ctime>

#include "server/core/encoding.h"
#include "server/core/json_text.h"

namespace streamlab::sns {
namespace {

void field(std::string& out, const char* name, std::string_view value, bool& first) {
  out += first ? "\n  \"" : ",\n  \"";
  first = false;
  out += name;
  out += "\" : \"";
  append_json_escaped(out, value, true);
  out += '"';
}

void kv(std::string& out, const char* name, std::string_view value) {
  out.append(name).append("\n").append(value).append("\n");
}

}  // namespace

std::string iso_timestamp(int64_t epoch_ms) {
  std::time_t t = std::time_t(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", int(epoch_ms % 1000));
  return buf;
}

std::string canonical_string(const Envelope& e) {
  std::string out;
  out.reserve(e.message.size() + 256);
  kv(out, "Message", e.message);
  kv(out, "MessageId", e.message_id);
  if (e.type == "Notification") {
    if (!e.subject.empty()) kv(out, "Subject", e.subject);
  } else {
    kv(out, "SubscribeURL", e.subscribe_url);
  }
  kv(out, "Timestamp", e.timestamp);
  if (e.type != "Notification") kv(out, "Token", e.token);
  kv(out, "TopicArn", e.topic_arn);
  kv(out, "Type", e.type);
  return out;
}

EnvelopeParts envelope_parts(const Envelope& e) {
  EnvelopeParts parts;
  std::string& out = parts.head;
  out.reserve(e.message.size() + 640);
  out += '{';
  bool first = true;
  field(out, "Type", e.type, first);
  field(out, "MessageId", e.message_id, first);
  bool notification = e.type == "Notification";
  if (notification) {
    if (!e.sequence_number.empty()) field(out, "SequenceNumber", e.sequence_number, first);
    field(out, "TopicArn", e.topic_arn, first);
    if (!e.subject.empty()) field(out, "Subject", e.subject, first);
    field(out, "Message", e.message, first);
  } else {
    field(out, "Token", e.token, first);
    field(out, "TopicArn", e.topic_arn, first);
    field(out, "Message", e.message, first);
    field(out, "SubscribeURL", e.subscribe_url, first);
  }
  field(out, "Timestamp", e.timestamp, first);
  if (!e.signature.empty()) {
    field(out, "SignatureVersion", e.signature_version, first);
    field(out, "Signature", e.signature, first);
    field(out, "SigningCertURL", e.signing_cert_url, first);
  }
  std::string& tail = parts.tail;
  if (notification) {
    out += ",\n  \"UnsubscribeURL\" : \"";
    tail += '"';
    if (e.attributes && !e.attributes->empty()) {
      tail += ",\n  \"MessageAttributes\" : {";
      bool first_attr = true;
      for (auto& [name, a] : *e.attributes) {
        tail += first_attr ? "\n    \"" : ",\n    \"";
        first_attr = false;
        append_json_escaped(tail, name, true);
        tail += "\" : {\"Type\":\"";
        append_json_escaped(tail, a.data_type, true);
        tail += "\",\"Value\":\"";
        append_json_escaped(tail, a.binary ? base64_encode(a.value) : a.value, true);
        tail += "\"}";
      }
      tail += "\n  }";
    }
  }
  tail += "\n}";
  return parts;
}

std::string envelope_json(const EnvelopeParts& parts, std::string_view unsubscribe_url) {
  std::string out;
  out.reserve(parts.head.size() + unsubscribe_url.size() + parts.tail.size() + 8);
  out += parts.head;
  append_json_escaped(out, unsubscribe_url, true);
  out += parts.tail;
  return out;
}

std::string envelope_json(const Envelope& e) {
  EnvelopeParts parts = envelope_parts(e);
  if (e.type != "Notification") return parts.head + parts.tail;
  return envelope_json(parts, e.unsubscribe_url);
}

std::string unsubscribe_url(const std::string& host, const std::string& subscription_arn) {
  return "http://" + host + "/?Action=Unsubscribe&SubscriptionArn=" + subscription_arn;
}

std::string subscribe_url(const std::string& host, const std::string& topic_arn, const std::string& token) {
  return "http://" + host + "/?Action=ConfirmSubscription&TopicArn=" + topic_arn + "&Token=" + token;
}

std::string signing_cert_url(const std::string& host, const std::string& certificate_file) {
  return "http://" + host + "/" + certificate_file;
}

}  // namespace streamlab::sns
