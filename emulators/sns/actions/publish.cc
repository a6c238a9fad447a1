#include "emulators/sns/actions/common.h"

namespace streamlab::sns {


SnsAction publish(Sns& s) {
  Shape input = structure_shape({
      {"TopicArn", string_shape()},
      {"TargetArn", string_shape()},
      {"PhoneNumber", string_shape()},
      {"Message", string_shape()},
      {"Subject", string_shape()},
      {"MessageStructure", string_shape()},
      {"MessageAttributes", message_attribute_map_shape()},
      {"MessageDeduplicationId", string_shape()},
      {"MessageGroupId", string_shape()},
  });
  Shape output = structure_shape({{"MessageId", string_shape()}, {"SequenceNumber", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             if (in.contains("PhoneNumber")) return not_emulated("Publish to a PhoneNumber (SMS)");
             std::string topic_param = in.contains("TopicArn") ? "TopicArn" : "TargetArn";
             if (!in.contains(topic_param))
               return invalid_parameter(
                   "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
             std::string arn = in[topic_param].get<std::string>();
             if (arn.find(":endpoint/") != std::string::npos)
               return not_emulated("Publish to a platform endpoint (mobile push)");
             if (!in.contains("Message")) return missing_member("message");
             if (auto st = check_topic_arn(ctx, arn, topic_param); !st) return st.error();
             auto topic = s.topic(arn);
             if (!topic) return topic.error();
             auto request = parse_publish(in, **topic, 0);
             if (!request) return request.error();
             auto out = s.publish(ctx, *topic, std::move(*request));
             if (!out) return out.error();
             json result = {{"MessageId", out->message_id}};
             if (!out->sequence_number.empty()) result["SequenceNumber"] = out->sequence_number;
             return result;
           }};
  return {a, output};
}

}  // namespace streamlab::sns
