#include "emulators/sns/actions/common.h"

#include <algorithm>
#include <set>

#include "emulators/sns/attributes.h"
#include "server/core/encoding.h"

namespace streamlab::sns {
namespace {

constexpr size_t kPageSize = 100;
constexpr size_t kMaxMessageBytes = 256 * 1024;

bool valid_subject(const std::string& s) {
  if (s.empty() || s.size() >= 100) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7E) return false;
  return true;
}

bool valid_fifo_id(const std::string& v) {
  if (v.empty() || v.size() > 128) return false;
  for (char c : v)
    if (c < '!' || c > '~') return false;
  return true;
}

}  // namespace

Shape attribute_map_shape() { return map_shape(string_shape(), string_shape()); }

Shape tag_list_shape() {
  return list_shape(structure_shape({{"Key", string_shape()}, {"Value", string_shape()}}));
}

Shape string_list_shape() { return list_shape(string_shape()); }

Shape message_attribute_map_shape() {
  return map_shape(string_shape().xml_name("Name"), structure_shape({{"DataType", string_shape()},
                                                                      {"StringValue", string_shape()},
                                                                      {"BinaryValue", blob_shape()}})
                                                        .xml_name("Value"));
}

Shape subscription_list_shape() {
  return list_shape(structure_shape({{"SubscriptionArn", string_shape()},
                                     {"Owner", string_shape()},
                                     {"Protocol", string_shape()},
                                     {"Endpoint", string_shape()},
                                     {"TopicArn", string_shape()}}));
}

Result<std::string> required(const json& in, const char* name, const char* member) {
  auto it = in.find(name);
  if (it == in.end() || !it->is_string()) return missing_member(member);
  return it->get<std::string>();
}

Status check_topic_arn(const Context& ctx, const std::string& arn, const std::string& param) {
  auto a = parse_arn(arn);
  if (!a) {
    size_t parts = size_t(std::count(arn.begin(), arn.end(), ':')) + 1;
    return invalid_parameter("Invalid parameter: " + param + " Reason: An ARN must have at least 6 elements, not " +
                             std::to_string(parts));
  }
  if (a->service != "sns" || a->resource.find(':') != std::string::npos ||
      (!ctx.region.empty() && a->region != ctx.region))
    return invalid_parameter("Invalid parameter: " + param);
  return Ok{};
}

Result<TopicPtr> topic_of(Sns& sns, const Context& ctx, const json& in, const char* param, const char* member) {
  auto arn = required(in, param, member);
  if (!arn) return arn.error();
  if (auto s = check_topic_arn(ctx, *arn, param); !s) return s.error();
  return sns.topic(*arn);
}

std::map<std::string, std::string> string_map(const json& obj) {
  std::map<std::string, std::string> out;
  if (obj.is_object())
    for (auto& [k, v] : obj.items()) out[k] = v.is_string() ? v.get<std::string>() : std::string();
  return out;
}

std::vector<std::string> string_list(const json& arr) {
  std::vector<std::string> out;
  if (arr.is_array())
    for (auto& v : arr)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Result<Tags> tags_of(const json& list) {
  Tags out;
  std::set<std::string> seen;
  if (!list.is_array()) return out;
  for (auto& t : list) {
    std::string key = t.value("Key", ""), value = t.value("Value", "");
    if (!t.contains("Key")) return missing_member("tags.member.key");
    if (key.empty() || key.size() > 128)
      return invalid_parameter("Invalid parameter: Tags Reason: Tag key must be between 1 and 128 characters");
    if (value.size() > 256)
      return invalid_parameter("Invalid parameter: Tags Reason: Tag value must be at most 256 characters");
    if (!seen.insert(key).second) return invalid_parameter("Invalid parameter: Duplicated keys are not allowed.");
    out.emplace_back(key, value);
  }
  return out;
}

Result<PublishRequest> parse_publish(const json& in, const Topic& topic, int position) {
  PublishRequest r;
  auto message = in.find("Message");
  if (message == in.end() || !message->is_string())
    return missing_member(position ? "publishBatchRequestEntries." + std::to_string(position) + ".member.message"
                                   : std::string("message"));
  r.message = message->get<std::string>();
  if (r.message.empty()) return invalid_parameter("Invalid parameter: Empty message");
  if (auto s = in.find("Subject"); s != in.end()) {
    r.subject = s->get<std::string>();
    if (!valid_subject(r.subject)) return invalid_parameter("Invalid parameter: Subject");
  }
  auto attributes = parse_message_attributes(in.value("MessageAttributes", json::object()), position);
  if (!attributes) return attributes.error();
  r.attributes = std::move(*attributes);
  if (r.message.size() + attributes_size(r.attributes) > kMaxMessageBytes)
    return invalid_parameter("Invalid parameter: Message too long");
  if (auto st = in.find("MessageStructure"); st != in.end()) {
    if (*st != "json") return invalid_parameter("Invalid parameter: MessageStructure");
    json j = json::parse(r.message, nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return invalid_parameter("Invalid parameter: Message Structure - JSON message body failed to parse");
    // Keys whose values are not strings are ignored, as AWS ignores them.
    for (auto& [k, v] : j.items())
      if (v.is_string()) r.per_protocol[k] = v.get<std::string>();
    if (!r.per_protocol.count("default"))
      return invalid_parameter("Invalid parameter: Message Structure - No default entry in JSON message body");
  }
  r.group_id = in.value("MessageGroupId", "");
  r.dedup_id = in.value("MessageDeduplicationId", "");
  if (topic.fifo) {
    if (r.group_id.empty())
      return invalid_parameter("Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
    if (!valid_fifo_id(r.group_id)) return invalid_parameter("Invalid parameter: MessageGroupId");
    // A missing MessageDeduplicationId is checked by Sns::publish, which reads the topic's
    // ContentBasedDeduplication under the registry lock.
    if (!r.dedup_id.empty() && !valid_fifo_id(r.dedup_id))
      return invalid_parameter("Invalid parameter: MessageDeduplicationId");
  } else {
    if (in.contains("MessageDeduplicationId"))
      return invalid_parameter(
          "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter "
          "that is not valid for this topic type");
    if (in.contains("MessageGroupId"))
      return invalid_parameter(
          "Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid "
          "for this topic type");
  }
  return r;
}

Result<Page> page_of(const std::vector<std::string>& keys, const json& in) {
  Page p;
  if (auto t = in.find("NextToken"); t != in.end() && t->is_string() && !t->get<std::string>().empty()) {
    auto key = base64_decode(t->get<std::string>());
    if (!key) return invalid_parameter("Invalid parameter: NextToken");
    p.begin = size_t(std::lower_bound(keys.begin(), keys.end(), *key) - keys.begin());
  }
  p.end = std::min(keys.size(), p.begin + kPageSize);
  if (p.end < keys.size()) p.next_token = base64_encode(keys[p.end]);
  return p;
}

json subscription_json(const Subscription& s) {
  return {{"SubscriptionArn", s.listed_arn()},
          {"Owner", s.owner},
          {"Protocol", s.protocol},
          {"Endpoint", s.endpoint},
          {"TopicArn", s.topic_arn}};
}

Result<json> subscription_page(const std::vector<SubscriptionPtr>& subs, const json& in) {
  std::vector<std::string> keys;
  keys.reserve(subs.size());
  for (auto& sub : subs) keys.push_back(sub->arn);
  auto p = page_of(keys, in);
  if (!p) return p.error();
  json list = json::array();
  for (size_t i = p->begin; i < p->end; ++i) list.push_back(subscription_json(*subs[i]));
  json out = {{"Subscriptions", list}};
  if (!p->next_token.empty()) out["NextToken"] = p->next_token;
  return out;
}

}  // namespace streamlab::sns
