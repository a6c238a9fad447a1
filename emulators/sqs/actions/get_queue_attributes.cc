#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction get_queue_attributes(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"AttributeNames", attribute_name_list_shape()},
  });
  Shape output = structure_shape({{"Attributes", queue_attribute_map_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             std::vector<std::string> names = string_list(in.value("AttributeNames", json::array()));
             bool all = false;
             for (auto& n : names) {
               if (!is_known_attribute_name(n)) return invalid_attribute_name(n);
               all = all || n == "All";
             }
             auto wanted = [&](const std::string& n) { return all || std::find(names.begin(), names.end(), n) != names.end(); };
             Queue& queue = **q;
             json attrs = json::object();
             QueueConfig config = queue.config();
             for (auto& [k, v] : config.values())
               if (wanted(k)) attrs[k] = v;
             if (wanted("ApproximateNumberOfMessages") || wanted("ApproximateNumberOfMessagesNotVisible") ||
                 wanted("ApproximateNumberOfMessagesDelayed")) {
               Counts c = queue.counts();
               if (wanted("ApproximateNumberOfMessages")) attrs["ApproximateNumberOfMessages"] = std::to_string(c.visible);
               if (wanted("ApproximateNumberOfMessagesNotVisible"))
                 attrs["ApproximateNumberOfMessagesNotVisible"] = std::to_string(c.not_visible);
               if (wanted("ApproximateNumberOfMessagesDelayed"))
                 attrs["ApproximateNumberOfMessagesDelayed"] = std::to_string(c.delayed);
             }
             if (wanted("CreatedTimestamp")) attrs["CreatedTimestamp"] = std::to_string(queue.identity().created_s);
             if (wanted("LastModifiedTimestamp")) attrs["LastModifiedTimestamp"] = std::to_string(queue.last_modified_s());
             if (wanted("QueueArn")) attrs["QueueArn"] = queue.arn();
             json out = json::object();
             if (!attrs.empty()) out["Attributes"] = attrs;
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
