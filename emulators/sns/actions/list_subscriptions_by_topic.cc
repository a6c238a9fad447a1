#include "emulators/sns/actions/common.h"

#include <algorithm>

namespace streamlab::sns {

SnsAction list_subscriptions_by_topic(Sns& s) {
  Shape input = structure_shape({{"TopicArn", string_shape()}, {"NextToken", string_shape()}});
  Shape output = structure_shape({{"Subscriptions", subscription_list_shape()}, {"NextToken", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             std::vector<SubscriptionPtr> subs = s.subscriptions_of((*topic)->arn);
             std::sort(subs.begin(), subs.end(), [](auto& a, auto& b) { return a->arn < b->arn; });
             return subscription_page(subs, in);
           }};
  return {a, output};
}

}  // namespace streamlab::sns
