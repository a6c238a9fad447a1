#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction create_queue(Sqs& s) {
  Shape input = structure_shape({
      {"QueueName", string_shape()},
      {"Attributes", queue_attribute_map_shape()},
      {"tags", tag_map_shape()},
  });
  Shape output = structure_shape({{"QueueUrl", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto name = required_string(in, "QueueName");
             if (!name) return name.error();
             std::map<std::string, std::string> tags;
             for (auto& [k, v] : string_map(in.value("tags", json::object()))) tags[k] = v;
             auto q = s.create(ctx, *name, string_map(in.value("Attributes", json::object())), tags);
             if (!q) return q.error();
             return json{{"QueueUrl", url_of(ctx, **q)}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
