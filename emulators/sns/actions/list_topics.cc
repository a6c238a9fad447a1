#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction list_topics(Sns& s) {
  Shape input = structure_shape({{"NextToken", string_shape()}});
  Shape output = structure_shape({
      {"Topics", list_shape(structure_shape({{"TopicArn", string_shape()}}))},
      {"NextToken", string_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             std::vector<std::string> arns = s.topic_arns(ctx.account, ctx.region);
             auto p = page_of(arns, in);
             if (!p) return p.error();
             json topics = json::array();
             for (size_t i = p->begin; i < p->end; ++i) topics.push_back({{"TopicArn", arns[i]}});
             json out = {{"Topics", topics}};
             if (!p->next_token.empty()) out["NextToken"] = p->next_token;
             return out;
           }};
  return {a, output};
}

}  // namespace streamlab::sns
