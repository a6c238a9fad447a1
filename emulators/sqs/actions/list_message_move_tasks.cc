#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction list_message_move_tasks(Sqs& s) {
  Shape input = structure_shape({
      {"SourceArn", string_shape()},
      {"MaxResults", integer_shape()},
  });
  Shape entry = structure_shape({
      {"TaskHandle", string_shape()},
      {"Status", string_shape()},
      {"SourceArn", string_shape()},
      {"DestinationArn", string_shape()},
      {"MaxNumberOfMessagesPerSecond", integer_shape()},
      {"ApproximateNumberOfMessagesMoved", long_shape()},
      {"ApproximateNumberOfMessagesToMove", long_shape()},
      {"FailureReason", string_shape()},
      {"StartedTimestamp", long_shape()},
  });
  Shape output = structure_shape({{"Results", list_shape(entry).flattened()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto source_arn = required_string(in, "SourceArn");
             if (!source_arn) return source_arn.error();
             if (!s.find_by_arn(*source_arn))
               return resource_not_found("The resource that you specified for the SourceArn parameter doesn't exist.");
             if (auto r = check_range(in, "MaxResults", 1, 10, "Must be between 1 and 10, if provided."); !r)
               return r.error();
             size_t limit = size_t(in.value("MaxResults", int64_t(1)));
             json results = json::array();
             for (auto& t : s.move_tasks(*source_arn)) {
               if (results.size() == limit) break;
               json r = {{"Status", t.status},
                         {"SourceArn", t.source_arn},
                         {"ApproximateNumberOfMessagesMoved", t.moved},
                         {"ApproximateNumberOfMessagesToMove", t.to_move},
                         {"StartedTimestamp", t.started_ms}};
               if (t.status == "RUNNING") r["TaskHandle"] = t.handle();
               if (!t.destination_arn.empty()) r["DestinationArn"] = t.destination_arn;
               if (t.max_per_second) r["MaxNumberOfMessagesPerSecond"] = *t.max_per_second;
               if (!t.failure_reason.empty()) r["FailureReason"] = t.failure_reason;
               results.push_back(std::move(r));
             }
             return json{{"Results", results}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
