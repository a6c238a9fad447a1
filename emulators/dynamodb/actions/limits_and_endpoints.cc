#include "emulators/dynamodb/actions/common.h"

namespace streamlab::dynamodb {

// AWS's default quotas for an account in a region.
Action describe_limits(DynamoDB&) {
  return {structure_shape({}), [](const Context&, json&) -> Result<json> {
            return json{{"AccountMaxReadCapacityUnits", 80000},
                        {"AccountMaxWriteCapacityUnits", 80000},
                        {"TableMaxReadCapacityUnits", 40000},
                        {"TableMaxWriteCapacityUnits", 40000}};
          }};
}

// The endpoint is the server itself, as the client reached it.
Action describe_endpoints(DynamoDB&) {
  return {structure_shape({}), [](const Context& ctx, json&) -> Result<json> {
            std::string host = ctx.host.empty() ? "localhost" : ctx.host;
            return json{{"Endpoints", json::array({{{"Address", host}, {"CachePeriodInMinutes", 1440}}})}};
          }};
}

}  // namespace streamlab::dynamodb
