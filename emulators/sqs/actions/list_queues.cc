#include "emulators/sqs/actions/common.h"

#include "server/core/encoding.h"

namespace streamlab::sqs {

SqsAction list_queues(Sqs& s) {
  Shape input = structure_shape({
      {"QueueNamePrefix", string_shape()},
      {"NextToken", string_shape()},
      {"MaxResults", integer_shape()},
  });
  Shape output = structure_shape({{"QueueUrls", queue_url_list_shape()}, {"NextToken", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             if (auto r = check_range(in, "MaxResults", 1, 1000, "MaxResults must be an integer between 1 and 1000.");
                 !r)
               return r.error();
             std::string prefix = in.value("QueueNamePrefix", "");
             // The token is the last name of the previous page, so pages stay stable as queues come and go.
             std::string after;
             if (auto t = in.find("NextToken"); t != in.end()) {
               auto raw = base64_decode(t->get<std::string>());
               if (!raw || raw->empty()) return invalid_parameter_value("Invalid NextToken value.");
               after = *raw;
             }
             bool paged = in.contains("MaxResults");
             size_t limit = paged ? size_t(in["MaxResults"].get<int64_t>()) : 1000;
             json urls = json::array();
             std::string last;
             bool more = false;
             for (auto& q : s.list(ctx.account, ctx.region)) {
               if (q->name().rfind(prefix, 0) != 0 || (!after.empty() && q->name() <= after)) continue;
               if (urls.size() == limit) {
                 more = true;
                 break;
               }
               urls.push_back(url_of(ctx, *q));
               last = q->name();
             }
             json out = json::object();
             if (!urls.empty()) out["QueueUrls"] = urls;
             if (more && paged) out["NextToken"] = base64_encode(last);
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
