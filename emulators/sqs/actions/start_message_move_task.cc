#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction start_message_move_task(Sqs& s) {
  Shape input = structure_shape({
      {"SourceArn", string_shape()},
      {"DestinationArn", string_shape()},
      {"MaxNumberOfMessagesPerSecond", integer_shape()},
  });
  Shape output = structure_shape({{"TaskHandle", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto source_arn = required_string(in, "SourceArn");
             if (!source_arn) return source_arn.error();
             QueuePtr source = s.find_by_arn(*source_arn);
             if (!source)
               return resource_not_found("The resource that you specified for the SourceArn parameter doesn't exist.");
             if (s.dead_letter_sources(*source).empty())
               return invalid_parameter_value("Source queue must be configured as a Dead Letter Queue.");
             QueuePtr destination;
             if (std::string d = in.value("DestinationArn", ""); !d.empty()) {
               destination = s.find_by_arn(d);
               if (!destination)
                 return resource_not_found(
                     "The resource that you specified for the DestinationArn parameter doesn't exist.");
             }
             if (auto r = check_range(in, "MaxNumberOfMessagesPerSecond", 1, 500,
                                      "Must be between 1 and 500, if provided.");
                 !r)
               return r.error();
             std::optional<int64_t> rate;
             if (in.contains("MaxNumberOfMessagesPerSecond")) rate = in["MaxNumberOfMessagesPerSecond"].get<int64_t>();
             auto task = s.start_move_task(ctx, source, destination, rate);
             if (!task) return task.error();
             return json{{"TaskHandle", task->handle()}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
