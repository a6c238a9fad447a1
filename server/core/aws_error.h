#pragma once
// An AWS error as a value. Only the protocol codecs decide how it looks on the wire.
#include <string>

namespace streamlab {

struct AwsError {
  std::string code;     // short name, e.g. "ResourceNotFoundException"
  std::string message;  // AWS's exact wording
  int http_status = 400;
  bool sender_fault = true;
  std::string query_code;  // code used by query-compatible services (SQS), empty = same as code
  // Extra members of a JSON error body, as a JSON object text (DynamoDB's CancellationReasons, Item).
  std::string details_json;

  static AwsError validation(std::string message) {
    return {"ValidationException", std::move(message), 400, true, {}};
  }
  static AwsError serialization(std::string message) {
    return {"SerializationException", std::move(message), 400, true, {}};
  }
  static AwsError internal(std::string message) {
    return {"InternalFailure", std::move(message), 500, false, {}};
  }
};

}  // namespace streamlab
