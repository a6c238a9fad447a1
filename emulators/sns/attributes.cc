#include "emulators/sns/attributes.h"

#include <set>

#include "emulators/sns/delivery_policy.h"
#include "emulators/sns/errors.h"

namespace streamlab::sns {
namespace {

const std::set<std::string>& topic_attribute_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> n = {"DeliveryPolicy",  "DisplayName",     "Policy",        "KmsMasterKeyId",
                               "SignatureVersion", "TracingConfig",  "ContentBasedDeduplication",
                               "FifoTopic",        "ArchivePolicy",  "FifoThroughputScope"};
    for (const char* p : {"Application", "HTTP", "Lambda", "SQS", "Firehose"}) {
      n.insert(std::string(p) + "SuccessFeedbackRoleArn");
      n.insert(std::string(p) + "SuccessFeedbackSampleRate");
      n.insert(std::string(p) + "FailureFeedbackRoleArn");
    }
    return n;
  }();
  return names;
}

bool is_bool_text(const std::string& v) {
  std::string l = v;
  for (auto& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
  return l == "true" || l == "false";
}

}  // namespace

std::optional<Arn> parse_arn(const std::string& text) {
  std::vector<std::string> parts;
  size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = text.find(':', pos);
    if (colon == std::string::npos) return std::nullopt;
    parts.push_back(text.substr(pos, colon - pos));
    pos = colon + 1;
  }
  if (parts[0] != "arn" || parts[1].empty() || parts[2].empty() || pos >= text.size()) return std::nullopt;
  return Arn{parts[1], parts[2], parts[3], parts[4], text.substr(pos)};
}

Status check_topic_attribute(const Topic& t, const std::string& name, const std::string& value, bool create,
                             const std::string& prefix) {
  if (!topic_attribute_names().count(name) || (!create && name == "FifoTopic"))
    return invalid_parameter(prefix + "AttributeName");
  if (name == "DeliveryPolicy" && !value.empty()) return check_delivery_policy(value, true, prefix);
  if (name == "Policy" && !value.empty()) {
    json p = json::parse(value, nullptr, false);
    if (p.is_discarded() || !p.is_object()) return invalid_parameter(prefix + "Policy: failed to parse JSON.");
  }
  if (name == "SignatureVersion" && value != "1" && value != "2")
    return invalid_parameter(prefix + "SignatureVersion: Invalid value [" + value + "]. Must be 1 or 2.");
  if (name == "TracingConfig" && value != "PassThrough" && value != "Active")
    return invalid_parameter(prefix + "TracingConfig: Invalid value [" + value +
                             "]. Must be PassThrough or Active.");
  if (name == "DisplayName" && value.size() > 100)
    return invalid_parameter(prefix + "DisplayName: must be at most 100 characters long");
  if (name == "ContentBasedDeduplication") {
    if (!t.fifo)
      return invalid_parameter(prefix +
                               "ContentBasedDeduplication Reason: Content based deduplication can only be set for "
                               "FIFO topics");
    if (!is_bool_text(value)) return invalid_parameter(prefix + "ContentBasedDeduplication");
  }
  if ((name == "ArchivePolicy" || name == "FifoThroughputScope") && !t.fifo)
    return invalid_parameter(prefix + name + " Reason: " + name + " can only be set for FIFO topics");
  return Ok{};
}

Status check_subscription_attribute(const Topic& topic, const std::string& protocol, const std::string& endpoint,
                                    const std::string& name, const std::string& value, const std::string& prefix) {
  if (name == "FilterPolicy") return Ok{};
  if (name == "FilterPolicyScope") {
    if (value != "MessageAttributes" && value != "MessageBody")
      return invalid_parameter(prefix + "FilterPolicyScope: Invalid value [" + value +
                               "]. Please use either MessageBody or MessageAttributes");
    return Ok{};
  }
  if (name == "RawMessageDelivery") {
    if (!is_bool_text(value))
      return invalid_parameter(prefix + "RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
    if (protocol != "sqs" && protocol != "http" && protocol != "https" && protocol != "firehose")
      return invalid_parameter(prefix + "Delivery protocol [" + protocol + "] does not support raw message delivery.");
    return Ok{};
  }
  if (name == "RedrivePolicy") {
    if (value.empty()) return Ok{};
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return invalid_parameter(prefix + "RedrivePolicy: failed to parse JSON.");
    auto target = parse_arn(j.value("deadLetterTargetArn", ""));
    if (!target) return invalid_parameter(prefix + "RedrivePolicy: deadLetterTargetArn is an invalid arn");
    bool fifo_target = target->resource.size() > 5 && target->resource.rfind(".fifo") == target->resource.size() - 5;
    if (topic.fifo && endpoint.size() > 5 && endpoint.rfind(".fifo") == endpoint.size() - 5 &&
        (!fifo_target || target->service != "sqs"))
      return invalid_parameter(prefix +
                               "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.");
    return Ok{};
  }
  if (name == "DeliveryPolicy") {
    if (value.empty()) return Ok{};
    if (protocol != "http" && protocol != "https")
      return invalid_parameter(prefix + "DeliveryPolicy: Delivery protocol [" + protocol +
                               "] does not support delivery policies");
    return check_delivery_policy(value, false, prefix);
  }
  if (name == "SubscriptionRoleArn" || name == "ReplayPolicy") return Ok{};
  return invalid_parameter(prefix + "AttributeName");
}

std::string normalized_subscription_attribute(const std::string& name, const std::string& value) {
  if (name != "RawMessageDelivery") return value;
  std::string l = value;
  for (auto& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
  return l;
}

json topic_attributes_view(const Topic& t, size_t confirmed, size_t pending) {
  json a = json::object();
  for (auto& [k, v] : t.attributes) a[k] = v;
  if (!a.contains("Policy")) a["Policy"] = t.default_policy();
  a["Owner"] = t.account;
  a["TopicArn"] = t.arn;
  a["SubscriptionsConfirmed"] = std::to_string(confirmed);
  a["SubscriptionsPending"] = std::to_string(pending);
  a["SubscriptionsDeleted"] = "0";
  a["EffectiveDeliveryPolicy"] = effective_topic_delivery_policy(t.attribute("DeliveryPolicy"));
  if (!a.contains("DisplayName")) a["DisplayName"] = "";
  if (t.fifo) {
    a["FifoTopic"] = "true";
    if (!a.contains("ContentBasedDeduplication")) a["ContentBasedDeduplication"] = "false";
  }
  return a;
}

json subscription_attributes_view(const Subscription& s, const Topic* topic) {
  json a = json::object();
  for (auto& [k, v] : s.attributes)
    if (!v.empty()) a[k] = v;
  a["ConfirmationWasAuthenticated"] = s.confirmation_authenticated ? "true" : "false";
  a["Endpoint"] = s.endpoint;
  a["Owner"] = s.owner;
  a["PendingConfirmation"] = s.pending ? "true" : "false";
  a["Protocol"] = s.protocol;
  a["RawMessageDelivery"] = s.raw() ? "true" : "false";
  a["SubscriptionArn"] = s.arn;
  a["SubscriptionPrincipal"] = "arn:aws:iam::" + s.owner + ":root";
  a["TopicArn"] = s.topic_arn;
  // AWS shows the scope only next to a policy.
  if (s.attribute("FilterPolicy").empty()) a.erase("FilterPolicyScope");
  else if (!a.contains("FilterPolicyScope")) a["FilterPolicyScope"] = "MessageAttributes";
  if (s.protocol == "http" || s.protocol == "https")
    a["EffectiveDeliveryPolicy"] =
        effective_subscription_delivery_policy(topic ? topic->attribute("DeliveryPolicy") : "", s.attribute("DeliveryPolicy"));
  return a;
}

}  // namespace streamlab::sns
