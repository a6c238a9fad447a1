#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction list_queues(Sqs& s) {
  Shape input = structure_shape({
      {"QueueNamePrefix", string_shape()},
      {"NextToken", string_shape()},
      {"MaxResults", integer_shape()},
  });
  Shape output = structure_shape({{"QueueUrls", queue_url_list_shape()}, {"NextToken", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto page = page_of_urls(ctx, in, s.list(ctx.account, ctx.region), in.value("QueueNamePrefix", ""));
             if (!page) return page.error();
             json out = json::object();
             if (!page->urls.empty()) out["QueueUrls"] = std::move(page->urls);
             if (!page->next_token.empty()) out["NextToken"] = page->next_token;
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
