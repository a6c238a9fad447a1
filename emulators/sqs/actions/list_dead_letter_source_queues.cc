#include "emulators/sqs/actions/common.h"

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
             auto page = page_of_urls(ctx, in, s.dead_letter_sources(**q), "");
             if (!page) return page.error();
             json out = {{"queueUrls", std::move(page->urls)}};
             if (!page->next_token.empty()) out["NextToken"] = page->next_token;
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
