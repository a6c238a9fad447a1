#include "emulators/sqs/actions/common.h"

#include <regex>

namespace streamlab::sqs {
namespace {
const char* kActions[] = {"*", "AddPermission", "CancelMessageMoveTask", "ChangeMessageVisibility",
                          "ChangeMessageVisibilityBatch", "CreateQueue", "DeleteMessage", "DeleteMessageBatch",
                          "DeleteQueue", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues",
                          "ListMessageMoveTasks", "ListQueueTags", "ListQueues", "PurgeQueue", "ReceiveMessage",
                          "RemovePermission", "SendMessage", "SendMessageBatch", "SetQueueAttributes",
                          "StartMessageMoveTask", "TagQueue", "UntagQueue"};
}  // namespace

SqsAction add_permission(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Label", string_shape()},
      {"AWSAccountIds", list_shape(string_shape().xml_name("AWSAccountId")).flattened()},
      {"Actions", list_shape(string_shape().xml_name("ActionName")).flattened()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             auto label = required_string(in, "Label");
             if (!label) return label.error();
             static const std::regex label_re("[A-Za-z0-9_-]{1,80}");
             if (!std::regex_match(*label, label_re))
               return invalid_parameter_value("Value " + *label +
                                              " for parameter Label is invalid. Reason: Can only include alphanumeric "
                                              "characters, hyphens, or underscores. 1 to 80 in length");
             auto accounts = string_list(in.value("AWSAccountIds", json::array()));
             if (accounts.empty()) return missing_parameter("AWSAccountIds");
             auto actions = string_list(in.value("Actions", json::array()));
             if (actions.empty()) return missing_parameter("Actions");
             for (auto& act : actions)
               if (std::find(std::begin(kActions), std::end(kActions), act) == std::end(kActions))
                 return invalid_parameter_value("Value SQS:" + act +
                                                " for parameter ActionName is invalid. Reason: Please refer to the "
                                                "appropriate WSDL for a list of valid actions. ");
             if (auto r = (*q)->add_permission(*label, accounts, actions); !r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
