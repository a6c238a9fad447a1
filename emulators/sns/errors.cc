#include "emulators/sns/errors.h"

namespace streamlab::sns {

AwsError sns_error(std::string code, std::string message, int status) {
  AwsError e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.http_status = status;
  e.sender_fault = status < 500;
  return e;
}

AwsError invalid_parameter(std::string message) { return sns_error("InvalidParameter", std::move(message)); }
AwsError parameter_value_invalid(std::string message) {
  return sns_error("ParameterValueInvalid", std::move(message));
}
AwsError not_found(std::string message) { return sns_error("NotFound", std::move(message), 404); }
AwsError resource_not_found(std::string message) { return sns_error("ResourceNotFound", std::move(message), 404); }
AwsError validation_error(std::string message) { return sns_error("ValidationError", std::move(message)); }
AwsError authorization_error(std::string message) {
  return sns_error("AuthorizationError", std::move(message), 403);
}

AwsError missing_member(const std::string& member) {
  return validation_error("1 validation error detected: Value null at '" + member +
                          "' failed to satisfy constraint: Member must not be null");
}

AwsError not_emulated(const std::string& what) {
  return invalid_parameter("Invalid parameter: " + what +
                           " is not emulated by streamlab (mobile push and SMS are out of scope; see "
                           "emulators/sns/README.md)");
}

}  // namespace streamlab::sns
