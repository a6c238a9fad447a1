// The SNS action table: the whole supported surface on one screen. Query protocol only
// (Action=<Op>&Version=2010-03-31, XML answers), as every SNS client speaks it.
#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

ServiceDef make_service(Sns& s) {
  ServiceDef d;
  d.name = "sns";
  d.query_version = "2010-03-31";
  d.signing_name = "sns";
  d.xml_namespace = "http://sns.amazonaws.com/doc/2010-03-31/";
  std::pair<const char*, SnsAction> table[] = {
      {"AddPermission", add_permission(s)},
      {"ConfirmSubscription", confirm_subscription(s)},
      {"CreateTopic", create_topic(s)},
      {"DeleteTopic", delete_topic(s)},
      {"GetDataProtectionPolicy", get_data_protection_policy(s)},
      {"GetSubscriptionAttributes", get_subscription_attributes(s)},
      {"GetTopicAttributes", get_topic_attributes(s)},
      {"ListSubscriptions", list_subscriptions(s)},
      {"ListSubscriptionsByTopic", list_subscriptions_by_topic(s)},
      {"ListTagsForResource", list_tags_for_resource(s)},
      {"ListTopics", list_topics(s)},
      {"Publish", publish(s)},
      {"PublishBatch", publish_batch(s)},
      {"PutDataProtectionPolicy", put_data_protection_policy(s)},
      {"RemovePermission", remove_permission(s)},
      {"SetSubscriptionAttributes", set_subscription_attributes(s)},
      {"SetTopicAttributes", set_topic_attributes(s)},
      {"Subscribe", subscribe(s)},
      {"TagResource", tag_resource(s)},
      {"Unsubscribe", unsubscribe(s)},
      {"UntagResource", untag_resource(s)},
  };
  for (auto& [name, op] : table) {
    d.actions[name] = std::move(op.action);
    if (op.has_output) d.output_shapes[name] = std::move(op.output);
  }
  for (auto& [name, op] : not_emulated_actions()) {
    d.actions[name] = std::move(op.action);
    d.output_shapes[name] = std::move(op.output);
  }
  d.describe_state = [&s] { return s.describe_state(); };
  d.reset = [&s](const std::string& account) { return s.reset(account); };
  return d;
}

}  // namespace streamlab::sns
