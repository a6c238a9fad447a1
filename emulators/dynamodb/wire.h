#pragma once
// The wire conventions DynamoDB and DynamoDB Streams share: JSON 1.0, DynamoDB's error
// namespace in __type, and the x-amz-crc32 header on every response.
#include <string>

#include "server/core/action.h"

namespace streamlab::dynamodb {

// A service definition with those conventions set and no actions yet.
ServiceDef dynamodb_wire_service(std::string name, std::string target_prefix);

}  // namespace streamlab::dynamodb
