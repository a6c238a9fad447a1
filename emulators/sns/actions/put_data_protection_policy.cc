#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction put_data_protection_policy(Sns& s) {
  Shape input = structure_shape({{"ResourceArn", string_shape()}, {"DataProtectionPolicy", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto policy = required(in, "DataProtectionPolicy", "dataProtectionPolicy");
             if (!policy) return policy.error();
             json j = json::parse(*policy, nullptr, false);
             if (j.is_discarded() || !j.is_object()) return invalid_parameter("Invalid parameter: DataProtectionPolicy");
             auto topic = topic_of(s, ctx, in, "ResourceArn", "resourceArn");
             if (!topic) return topic.error();
             if (auto st = s.set_data_protection_policy((*topic)->arn, *policy); !st) return st.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
