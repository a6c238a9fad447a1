#include "emulators/sqs/actions/common.h"

#include "server/core/encoding.h"

namespace streamlab::sqs {

SqsAction list_dead_letter_source_queues(Sqs& s) {
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"NextToken", string_shape()},
      {"MaxResults", integer_shape()},
  });
  Shape output = structure_shape({{"queueUrls", queue_url_list_shape()}, {"NextToken", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (auto r = check_range(in, "MaxResults", 1, 1000, "MaxResults must be an integer between 1 and 1000.");
                 !r)
               return r.error();
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
             for (auto& source : s.dead_letter_sources(**q)) {
               if (!after.empty() && source->name() <= after) continue;
               if (urls.size() == limit) {
                 more = true;
                 break;
               }
               urls.push_back(url_of(ctx, *source));
               last = source->name();
             }
             json out = {{"queueUrls", urls}};
             if (more && paged) out["NextToken"] = base64_encode(last);
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
