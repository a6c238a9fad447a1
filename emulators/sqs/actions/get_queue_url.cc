#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction get_queue_url(Sqs& s) {
  Shape input = structure_shape({
      {"QueueName", string_shape()},
      {"QueueOwnerAWSAccountId", string_shape()},
  });
  Shape output = structure_shape({{"QueueUrl", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto name = required_string(in, "QueueName");
             if (!name) return name.error();
             std::string owner = in.value("QueueOwnerAWSAccountId", "");
             QueuePtr q = s.find(owner.empty() ? ctx.account : owner, ctx.region, *name);
             if (!q) return queue_does_not_exist(query_protocol(ctx));
             return json{{"QueueUrl", url_of(ctx, *q)}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
