#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction untag_resource(Sns& s) {
  Shape input = structure_shape({{"ResourceArn", string_shape()}, {"TagKeys", string_list_shape()}});
  Shape output = structure_shape({});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "ResourceArn", "resourceArn");
             if (!arn) return arn.error();
             if (!in.contains("TagKeys")) return missing_member("tagKeys");
             if (auto st = check_topic_arn(ctx, *arn, "ResourceArn"); !st) return st.error();
             if (auto st = s.untag(*arn, string_list(in["TagKeys"])); !st) return st.error();
             return json::object();
           }};
  return {a, output};
}

}  // namespace streamlab::sns
