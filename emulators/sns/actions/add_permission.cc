#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction add_permission(Sns& s) {
  Shape input = structure_shape({
      {"TopicArn", string_shape()},
      {"Label", string_shape()},
      {"AWSAccountId", string_list_shape()},
      {"ActionName", string_list_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto label = required(in, "Label", "label");
             if (!label) return label.error();
             auto accounts = string_list(in.value("AWSAccountId", json::array()));
             auto actions = string_list(in.value("ActionName", json::array()));
             if (accounts.empty()) return missing_member("aWSAccountId");
             if (actions.empty()) return missing_member("actionName");
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             if (auto st = s.add_permission((*topic)->arn, *label, accounts, actions); !st) return st.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
