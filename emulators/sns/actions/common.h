#pragma once
// Pieces shared by the SNS actions: shapes from the service model with their query wire names
// (maps as <Name>.entry.N.key/value, lists as <Name>.member.N), parameter checks worded as AWS
// words them, and the JSON forms of results.
#include <map>
#include <string>
#include <vector>

#include "emulators/sns/errors.h"
#include "emulators/sns/sns.h"
#include "server/core/action.h"

namespace streamlab::sns {

// An operation: its action (input shape + handler) and the shape of its result, which the XML
// encoder follows. Operations without a result element set has_output = false.
struct SnsAction {
  Action action;
  Shape output;
  bool has_output = true;
};

// Shapes.
Shape attribute_map_shape();          // Attributes.entry.N.key / .value
Shape tag_list_shape();               // Tags.member.N.Key / .Value
Shape string_list_shape();            // <Name>.member.N
Shape message_attribute_map_shape();  // MessageAttributes.entry.N.Name / .Value.{DataType,StringValue,BinaryValue}
Shape subscription_list_shape();      // results: Subscriptions.member.N.{SubscriptionArn,Owner,Protocol,…}

// Parameters.
// A present, non-empty string; otherwise "1 validation error detected: Value null at '<member>'…".
Result<std::string> required(const json& in, const char* name, const char* member);
// An SNS topic ARN in the caller's region: "Invalid parameter: TopicArn" otherwise.
Status check_topic_arn(const Context& ctx, const std::string& arn, const std::string& param = "TopicArn");
// The topic a request names (ARN checks, then NotFound "Topic does not exist").
Result<TopicPtr> topic_of(Sns& sns, const Context& ctx, const json& in, const char* param = "TopicArn",
                          const char* member = "topicArn");
std::map<std::string, std::string> string_map(const json& obj);
std::vector<std::string> string_list(const json& arr);
Result<Tags> tags_of(const json& list);

// Publish and PublishBatch: Message, Subject, MessageStructure, MessageAttributes and the FIFO ids
// of one message, checked against the topic. `position` > 0 names a batch entry.
Result<PublishRequest> parse_publish(const json& entry, const Topic& topic, int position);

// Paging, 100 per page: `keys` sorted; the page starts at the request's NextToken (the base64 of
// the first key it holds) and names the next page's first key in its own NextToken.
struct Page {
  size_t begin = 0, end = 0;
  std::string next_token;
};
Result<Page> page_of(const std::vector<std::string>& keys, const json& in);

json subscription_json(const Subscription& s);
// One page of `subs` (sorted by ARN) as {"Subscriptions": [...], "NextToken"?}.
Result<json> subscription_page(const std::vector<SubscriptionPtr>& subs, const json& in);

// One factory per operation file.
SnsAction add_permission(Sns& s);
SnsAction confirm_subscription(Sns& s);
SnsAction create_topic(Sns& s);
SnsAction delete_topic(Sns& s);
SnsAction get_data_protection_policy(Sns& s);
SnsAction get_subscription_attributes(Sns& s);
SnsAction get_topic_attributes(Sns& s);
SnsAction list_subscriptions(Sns& s);
SnsAction list_subscriptions_by_topic(Sns& s);
SnsAction list_tags_for_resource(Sns& s);
SnsAction list_topics(Sns& s);
SnsAction publish(Sns& s);
SnsAction publish_batch(Sns& s);
SnsAction put_data_protection_policy(Sns& s);
SnsAction remove_permission(Sns& s);
SnsAction set_subscription_attributes(Sns& s);
SnsAction set_topic_attributes(Sns& s);
SnsAction subscribe(Sns& s);
SnsAction tag_resource(Sns& s);
SnsAction unsubscribe(Sns& s);
SnsAction untag_resource(Sns& s);
// Mobile push and SMS: every operation answers InvalidParameter "… is not emulated …".
std::vector<std::pair<std::string, SnsAction>> not_emulated_actions();

}  // namespace streamlab::sns
