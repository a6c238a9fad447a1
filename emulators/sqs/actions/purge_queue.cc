#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction purge_queue(Sqs& s) {
  Shape input = structure_shape({{"QueueUrl", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (auto r = (*q)->purge(); !r) return r.error();
             return json::object();
           }};
  return {a, Shape(), false};
}

}  // namespace streamlab::sqs
