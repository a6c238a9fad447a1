#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction list_tags_for_resource(Sns& s) {
  Shape input = structure_shape({{"ResourceArn", string_shape()}});
  Shape output = structure_shape({{"Tags", tag_list_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto arn = required(in, "ResourceArn", "resourceArn");
             if (!arn) return arn.error();
             if (auto st = check_topic_arn(ctx, *arn, "ResourceArn"); !st) return st.error();
             auto tags = s.tags(*arn);
             if (!tags) return tags.error();
             json list = json::array();
             for (auto& [k, v] : *tags) list.push_back({{"Key", k}, {"Value", v}});
             return json{{"Tags", list}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
