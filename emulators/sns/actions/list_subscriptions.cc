#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

SnsAction list_subscriptions(Sns& s) {
  Shape input = structure_shape({{"NextToken", string_shape()}});
  Shape output = structure_shape({{"Subscriptions", subscription_list_shape()}, {"NextToken", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             return subscription_page(s.subscriptions(ctx.account, ctx.region), in);
           }};
  return {a, output};
}

}  // namespace streamlab::sns
