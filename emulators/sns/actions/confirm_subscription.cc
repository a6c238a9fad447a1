#include "emulators/sns/actions/common.h"

#include "emulators/sns/attributes.h"

namespace streamlab::sns {

// Also reached without a signature: the SubscribeURL handed to webhooks is a plain GET of
// ?Action=ConfirmSubscription&TopicArn=…&Token=… on this server.
SnsAction confirm_subscription(Sns& s) {
  Shape input = structure_shape({
      {"TopicArn", string_shape()},
      {"Token", string_shape()},
      {"AuthenticateOnUnsubscribe", string_shape()},
  });
  Shape output = structure_shape({{"SubscriptionArn", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto topic_arn = required(in, "TopicArn", "topicArn");
             if (!topic_arn) return topic_arn.error();
             auto token = required(in, "Token", "token");
             if (!token) return token.error();
             auto arn = parse_arn(*topic_arn);
             if (!arn || arn->service != "sns") return invalid_parameter("Invalid parameter: Topic");
             if (auto topic = s.topic(*topic_arn); !topic) return topic.error();
             auto sub = s.confirm(ctx, *topic_arn, *token);
             if (!sub) return sub.error();
             return json{{"SubscriptionArn", *sub}};
           }};
  a.anonymous = true;
  return {a, output};
}

}  // namespace streamlab::sns
