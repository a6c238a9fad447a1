#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction delete_topic(Sns& s) {
  Shape input = structure_shape({{"TopicArn", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "TopicArn", "topicArn");
             if (!arn) return arn.error();
             if (auto st = check_topic_arn(ctx, *arn); !st) return st.error();
             // Idempotent: deleting a topic that does not exist is not an error.
             if (auto st = s.delete_topic(*arn); !st) return st.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
