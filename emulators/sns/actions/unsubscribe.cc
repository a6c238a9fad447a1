#include "emulators/sns/actions/common.h"

#include "emulators/sns/attributes.h"

namespace streamlab::sns {

// Also reached without a signature: the UnsubscribeURL in every notification is a plain GET of
// ?Action=Unsubscribe&SubscriptionArn=… on this server.
SnsAction unsubscribe(Sns& s) {
  Shape input = structure_shape({{"SubscriptionArn", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "SubscriptionArn", "subscriptionArn");
             if (!arn) return arn.error();
             auto parsed = parse_arn(*arn);
             size_t parts = size_t(std::count(arn->begin(), arn->end(), ':')) + 1;
             if (!parsed)
               return invalid_parameter("Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 "
                                        "elements, not " + std::to_string(parts));
             if (parsed->service != "sns" || parts != 7) return invalid_parameter("Invalid parameter: SubscriptionId");
             if (auto st = s.unsubscribe(ctx, *arn); !st) return st.error();
             return json::object();
           }};
  a.anonymous = true;
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
