#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction tag_resource(Sns& s) {
  Shape input = structure_shape({{"ResourceArn", string_shape()}, {"Tags", tag_list_shape()}});
  Shape output = structure_shape({});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "ResourceArn", "resourceArn");
             if (!arn) return arn.error();
             if (!in.contains("Tags")) return missing_member("tags");
             auto tags = tags_of(in["Tags"]);
             if (!tags) return tags.error();
             if (auto st = check_topic_arn(ctx, *arn, "ResourceArn"); !st) return st.error();
             if (auto st = s.tag(*arn, *tags); !st) return st.error();
             return json::object();
           }};
  return {a, output};
}

}  // namespace streamlab::sns
