#include "emulators/sqs/attributes.h"

#include <algorithm>
#include <array>
#include <cstdlib>

#include "emulators/sqs/errors.h"

namespace streamlab::sqs {
namespace {

struct Range {
  const char* name;
  int64_t min, max;
};
constexpr std::array<Range, 6> kRanges = {{{"DelaySeconds", 0, 900},
                                           {"MaximumMessageSize", 1024, 1048576},
                                           {"MessageRetentionPeriod", 60, 1209600},
                                           {"ReceiveMessageWaitTimeSeconds", 0, 20},
                                           {"VisibilityTimeout", 0, 43200},
                                           {"KmsDataKeyReusePeriodSeconds", 60, 86400}}};

const char* kCommon[] = {"DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy",
                         "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", "RedrivePolicy",
                         "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
                         "SqsManagedSseEnabled"};
const char* kFifoOnly[] = {"FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"};
const char* kComputed[] = {"All", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                           "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp",
                           "QueueArn"};

template <class List>
bool in(const List& list, const std::string& name) {
  return std::any_of(std::begin(list), std::end(list), [&](const char* n) { return name == n; });
}

std::optional<int64_t> to_int(const std::string& v) {
  if (v.empty() || v.size() > 18) return std::nullopt;
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return n;
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

AwsError redrive_invalid(const std::string& value, const std::string& reason) {
  return invalid_parameter_value("Value " + value + " for parameter RedrivePolicy is invalid. Reason: " + reason);
}

// Checks one attribute; returns the value to store (normalised), or nullopt to remove it.
Result<std::optional<std::string>> check(const std::string& name, const std::string& value, bool fifo, bool creating) {
  for (auto& r : kRanges) {
    if (name != r.name) continue;
    auto n = to_int(value);
    if (!n || *n < r.min || *n > r.max) return invalid_attribute_value(name);
    return std::optional<std::string>(std::to_string(*n));
  }
  if (name == "SqsManagedSseEnabled" || name == "ContentBasedDeduplication") {
    std::string v = lower(value);
    if (v != "true" && v != "false") return invalid_attribute_value(name);
    return std::optional<std::string>(v);
  }
  if (name == "FifoQueue") {
    std::string v = lower(value);
    if (v != "true" && v != "false") return invalid_attribute_value(name);
    if (!creating && (v == "true") != fifo)
      return invalid_attribute_value_message(
          "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.");
    return std::optional<std::string>(v);
  }
  if (name == "DeduplicationScope") {
    if (value != "messageGroup" && value != "queue") return invalid_attribute_value(name);
    return std::optional<std::string>(value);
  }
  if (name == "FifoThroughputLimit") {
    if (value != "perQueue" && value != "perMessageGroupId") return invalid_attribute_value(name);
    return std::optional<std::string>(value);
  }
  if (name == "Policy") {
    if (value.empty()) return std::optional<std::string>();
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return invalid_attribute_value(name);
    return std::optional<std::string>(value);
  }
  if (name == "RedrivePolicy") {
    if (value.empty()) return std::optional<std::string>();
    auto p = parse_redrive_policy(value);
    if (!p) return p.error();
    json norm = {{"deadLetterTargetArn", p->dead_letter_target_arn}, {"maxReceiveCount", p->max_receive_count}};
    return std::optional<std::string>(norm.dump());
  }
  if (name == "RedriveAllowPolicy") {
    if (value.empty()) return std::optional<std::string>();
    json j = json::parse(value, nullptr, false);
    auto bad = [&](const std::string& why) {
      return invalid_parameter_value("Value " + value + " for parameter RedriveAllowPolicy is invalid. Reason: " + why);
    };
    if (j.is_discarded() || !j.is_object()) return bad("Redrive allow policy is not a valid JSON map.");
    std::string perm = j.value("redrivePermission", "");
    if (perm != "allowAll" && perm != "denyAll" && perm != "byQueue")
      return bad("Invalid value for redrivePermission.");
    auto arns = j.find("sourceQueueArns");
    if (perm == "byQueue" && (arns == j.end() || !arns->is_array() || arns->empty() || arns->size() > 10))
      return bad("sourceQueueArns must contain between 1 and 10 queue ARNs when redrivePermission is byQueue.");
    if (perm != "byQueue" && arns != j.end())
      return bad("sourceQueueArns can only be specified when redrivePermission is byQueue.");
    return std::optional<std::string>(j.dump());
  }
  if (name == "KmsMasterKeyId") {
    if (value.empty()) return std::optional<std::string>();
    return std::optional<std::string>(value);
  }
  return invalid_attribute_name(name);
}

}  // namespace

bool is_known_attribute_name(const std::string& name) {
  return in(kCommon, name) || in(kFifoOnly, name) || in(kComputed, name);
}

Result<RedrivePolicy> parse_redrive_policy(const std::string& value) {
  json j = json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return redrive_invalid(value, "Redrive policy is not a valid JSON map.");
  auto arn = j.find("deadLetterTargetArn");
  if (arn == j.end() || !arn->is_string())
    return redrive_invalid(value, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.");
  auto count = j.find("maxReceiveCount");
  if (count == j.end())
    return redrive_invalid(value, "Redrive policy does not contain mandatory attribute: maxReceiveCount.");
  std::optional<int64_t> n;
  if (count->is_number_integer()) n = count->get<int64_t>();
  else if (count->is_string()) n = to_int(count->get<std::string>());
  if (!n || *n < 1 || *n > 1000)
    return redrive_invalid(value, "Invalid value for maxReceiveCount: " +
                                      (count->is_string() ? count->get<std::string>() : count->dump()) +
                                      ", valid values are from 1 to 1000 both inclusive.");
  return RedrivePolicy{arn->get<std::string>(), int(*n)};
}

QueueConfig::QueueConfig(bool fifo) : fifo_(fifo) {
  values_ = {{"DelaySeconds", "0"},
             {"MaximumMessageSize", "1048576"},
             {"MessageRetentionPeriod", "345600"},
             {"ReceiveMessageWaitTimeSeconds", "0"},
             {"VisibilityTimeout", "30"},
             {"SqsManagedSseEnabled", "true"}};
  if (fifo) {
    values_["FifoQueue"] = "true";
    values_["ContentBasedDeduplication"] = "false";
    values_["DeduplicationScope"] = "queue";
    values_["FifoThroughputLimit"] = "perQueue";
  }
  refresh();
}

Status QueueConfig::apply(const AttributeMap& attributes, bool creating) {
  std::vector<std::pair<std::string, std::optional<std::string>>> changes;
  for (auto& [name, value] : attributes) {
    if (!in(kCommon, name) && !(in(kFifoOnly, name) && (fifo_ || (creating && name == "FifoQueue"))))
      return invalid_attribute_name(name);
    auto v = check(name, value, fifo_, creating);
    if (!v) return v.error();
    changes.emplace_back(name, std::move(*v));
  }
  for (auto& [name, v] : changes) {
    if (name == "FifoQueue" && !fifo_) continue;  // "false" on a standard queue is not shown
    if (v) values_[name] = *v;
    else values_.erase(name);
  }
  refresh();
  return Ok{};
}

std::optional<std::string> QueueConfig::first_difference(const AttributeMap& attributes) const {
  for (auto& [name, value] : attributes) {
    auto v = check(name, value, fifo_, true);
    if (!v) return name;
    if (name == "FifoQueue") {
      if ((*v == std::optional<std::string>("true")) != fifo_) return name;
      continue;
    }
    auto it = values_.find(name);
    std::optional<std::string> current = it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
    if (current != *v) return name;
  }
  return std::nullopt;
}

bool QueueConfig::content_based_deduplication() const {
  auto it = values_.find("ContentBasedDeduplication");
  return it != values_.end() && it->second == "true";
}

bool QueueConfig::dedup_per_message_group() const {
  auto it = values_.find("DeduplicationScope");
  return it != values_.end() && it->second == "messageGroup";
}

bool QueueConfig::allows_source(const std::string& source_arn) const {
  auto it = values_.find("RedriveAllowPolicy");
  if (it == values_.end()) return true;
  json j = json::parse(it->second, nullptr, false);
  std::string perm = j.is_object() ? j.value("redrivePermission", "allowAll") : "allowAll";
  if (perm == "denyAll") return false;
  if (perm == "byQueue") {
    for (auto& a : j.value("sourceQueueArns", json::array()))
      if (a.is_string() && a.get<std::string>() == source_arn) return true;
    return false;
  }
  return true;
}

void QueueConfig::set_policy(const std::string& policy) {
  if (policy.empty()) values_.erase("Policy");
  else values_["Policy"] = policy;
}

json QueueConfig::to_json() const { return json(values_); }

QueueConfig QueueConfig::from_json(const json& j, bool fifo) {
  QueueConfig c(fifo);
  if (j.is_object())
    for (auto& [k, v] : j.items())
      if (v.is_string()) c.values_[k] = v.get<std::string>();
  c.refresh();
  return c;
}

void QueueConfig::refresh() {
  auto num = [&](const char* name, int64_t fallback) {
    auto it = values_.find(name);
    auto n = it == values_.end() ? std::nullopt : to_int(it->second);
    return n ? *n : fallback;
  };
  delay_seconds_ = num("DelaySeconds", 0);
  maximum_message_size_ = num("MaximumMessageSize", 1048576);
  retention_seconds_ = num("MessageRetentionPeriod", 345600);
  receive_wait_seconds_ = num("ReceiveMessageWaitTimeSeconds", 0);
  visibility_timeout_ = num("VisibilityTimeout", 30);
  redrive_.reset();
  if (auto it = values_.find("RedrivePolicy"); it != values_.end())
    if (auto p = parse_redrive_policy(it->second)) redrive_ = *p;
}

}  // namespace streamlab::sqs
