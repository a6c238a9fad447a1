#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

// Account-wide billing commitment: there is no billing here, so it is accepted, not stored,
// and always reported as disabled.
Action describe_account_settings(Kinesis&) {
  return {structure_shape({}), [](const Context&, json&) -> Result<json> {
            return json{{"MinimumThroughputBillingCommitment", {{"Status", "DISABLED"}}}};
          }};
}

Action update_account_settings(Kinesis&) {
  Shape input = structure_shape({
      {"MinimumThroughputBillingCommitment",
       structure_shape({{"Status", string_shape().one_of({"ENABLED", "DISABLED"}).required()}}).required()},
  });
  return {input, [](const Context&, json& in) -> Result<json> {
            return json{{"MinimumThroughputBillingCommitment",
                         {{"Status", in["MinimumThroughputBillingCommitment"]["Status"]}}}};
          }};
}

}  // namespace streamlab::kinesis
