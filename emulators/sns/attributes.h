#pragma once
// Topic and subscription attributes: which names may be set, the rules for their values (AWS's
// wording), and the maps Get*Attributes answer with.
#include <string>

#include "emulators/sns/model.h"
#include "server/core/result.h"

namespace streamlab::sns {

// `prefix` is "Invalid parameter: " (Set*Attributes) or "Invalid parameter: Attributes Reason: "
// (CreateTopic / Subscribe), as AWS words the two.
Status check_topic_attribute(const Topic& topic, const std::string& name, const std::string& value, bool create,
                             const std::string& prefix);
// FilterPolicy is compiled by the caller (it needs the scope); every other name is checked here.
Status check_subscription_attribute(const Topic& topic, const std::string& protocol, const std::string& endpoint,
                                    const std::string& name, const std::string& value, const std::string& prefix);
// The stored form of a value (RawMessageDelivery is kept in lower case).
std::string normalized_subscription_attribute(const std::string& name, const std::string& value);

json topic_attributes_view(const Topic& t, size_t confirmed, size_t pending);
json subscription_attributes_view(const Subscription& s, const Topic* topic);

// "arn:aws:sqs:<region>:<account>:<name>" and friends: the parts of an ARN, or nothing.
struct Arn {
  std::string partition, service, region, account, resource;
};
std::optional<Arn> parse_arn(const std::string& text);

}  // namespace streamlab::sns
