#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

// The account-wide billing commitment is recorded per account and region; nothing is billed.
Action describe_account_settings(Kinesis& k) {
  return {structure_shape({}), [&k](const Context& ctx, json&) -> Result<json> {
            return json{{"MinimumThroughputBillingCommitment",
                         {{"Status", k.billing_commitment(ctx.account, ctx.region)}}}};
          }};
}

Action update_account_settings(Kinesis& k) {
  Shape input = structure_shape({
      {"MinimumThroughputBillingCommitment",
       structure_shape({{"Status", string_shape().one_of({"ENABLED", "DISABLED"}).required()}}).required()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            std::string status = in["MinimumThroughputBillingCommitment"]["Status"];
            if (auto s = k.set_billing_commitment(ctx.account, ctx.region, status); !s) return s.error();
            return json{{"MinimumThroughputBillingCommitment", {{"Status", status}}}};
          }};
}

}  // namespace streamlab::kinesis
