#include "emulators/dynamodb/wire.h"

#include "server/core/crc32.h"

namespace streamlab::dynamodb {

ServiceDef dynamodb_wire_service(std::string name, std::string target_prefix) {
  ServiceDef s;
  s.name = std::move(name);
  s.target_prefix = std::move(target_prefix);
  s.json_version = JsonVersion::v1_0;
  s.error_namespace = "com.amazonaws.dynamodb.v20120810#";
  // boto3 checks this CRC-32 of the exact body bytes on every DynamoDB response.
  s.finalize_response = [](Response& r) { r.set_header("x-amz-crc32", std::to_string(crc32(r.body))); };
  return s;
}

}  // namespace streamlab::dynamodb
