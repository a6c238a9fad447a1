#include "emulators/sqs/actions/common.h"

#include "server/core/encoding.h"

namespace streamlab::sqs {

SqsAction cancel_message_move_task(Sqs& s) {
  Shape input = structure_shape({{"TaskHandle", string_shape()}});
  Shape output = structure_shape({{"ApproximateNumberOfMessagesMoved", long_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto handle = required_string(in, "TaskHandle");
             if (!handle) return handle.error();
             // A handle is base64 of {"taskId":…,"sourceArn":…}.
             auto raw = base64_decode(*handle);
             json j = raw ? json::parse(*raw, nullptr, false) : json();
             if (!j.is_object() || !j.contains("taskId") || !j.contains("sourceArn") || !j["taskId"].is_string() ||
                 !j["sourceArn"].is_string())
               return invalid_parameter_value("Value for parameter TaskHandle is invalid.");
             if (!s.find_by_arn(j["sourceArn"]))
               return resource_not_found("The resource that you specified for the SourceArn parameter doesn't exist.");
             auto task = s.cancel_move_task(j["taskId"]);
             if (!task) return task.error();
             return json{{"ApproximateNumberOfMessagesMoved", task->moved}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
