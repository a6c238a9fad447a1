#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction set_subscription_attributes(Sns& s) {
  Shape input = structure_shape({
      {"SubscriptionArn", string_shape()},
      {"AttributeName", string_shape()},
      {"AttributeValue", string_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "SubscriptionArn", "subscriptionArn");
             if (!arn) return arn.error();
             auto name = required(in, "AttributeName", "attributeName");
             if (!name) return name.error();
             // An empty FilterPolicy removes the policy, as on AWS.
             if (auto st = s.set_subscription_attribute(*arn, *name, in.value("AttributeValue", "")); !st)
               return st.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
