#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction remove_permission(Sns& s) {
  Shape input = structure_shape({{"TopicArn", string_shape()}, {"Label", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto label = required(in, "Label", "label");
             if (!label) return label.error();
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             if (auto st = s.remove_permission((*topic)->arn, *label); !st) return st.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
