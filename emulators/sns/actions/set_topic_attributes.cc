#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction set_topic_attributes(Sns& s) {
  Shape input = structure_shape({
      {"TopicArn", string_shape()},
      {"AttributeName", string_shape()},
      {"AttributeValue", string_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto name = required(in, "AttributeName", "attributeName");
             if (!name) return name.error();
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             if (auto st = s.set_topic_attribute((*topic)->arn, *name, in.value("AttributeValue", "")); !st)
               return st.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sns
