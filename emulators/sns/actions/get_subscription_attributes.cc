#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction get_subscription_attributes(Sns& s) {
  Shape input = structure_shape({{"SubscriptionArn", string_shape()}});
  Shape output = structure_shape({{"Attributes", attribute_map_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "SubscriptionArn", "subscriptionArn");
             if (!arn) return arn.error();
             json attributes = s.subscription_attributes(*arn);
             if (attributes.is_null()) return subscription_not_found();
             return json{{"Attributes", attributes}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
