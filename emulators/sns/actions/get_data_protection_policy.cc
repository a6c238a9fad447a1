#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction get_data_protection_policy(Sns& s) {
  Shape input = structure_shape({{"ResourceArn", string_shape()}});
  Shape output = structure_shape({{"DataProtectionPolicy", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto topic = topic_of(s, ctx, in, "ResourceArn", "resourceArn");
             if (!topic) return topic.error();
             // Stored, not enforced (see README).
             auto policy = s.data_protection_policy((*topic)->arn);
             if (!policy) return policy.error();
             return json{{"DataProtectionPolicy", *policy}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
