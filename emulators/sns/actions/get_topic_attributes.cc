#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction get_topic_attributes(Sns& s) {
  Shape input = structure_shape({{"TopicArn", string_shape()}});
  Shape output = structure_shape({{"Attributes", attribute_map_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             json attributes = s.topic_attributes((*topic)->arn);
             if (attributes.is_null()) return topic_not_found();
             return json{{"Attributes", attributes}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
