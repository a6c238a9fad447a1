#pragma once
// SNS's errors, by their query-protocol codes (botocore's model: InvalidParameterException is
// "InvalidParameter", InvalidParameterValueException is "ParameterValueInvalid", ...). Messages
// follow AWS's answers.
#include <string>

#include "server/core/aws_error.h"

namespace streamlab::sns {

AwsError invalid_parameter(std::string message);        // InvalidParameter, 400
AwsError parameter_value_invalid(std::string message);  // ParameterValueInvalid, 400
AwsError not_found(std::string message);                // NotFound, 404
AwsError resource_not_found(std::string message);       // ResourceNotFound, 404
AwsError validation_error(std::string message);         // ValidationError, 400
AwsError authorization_error(std::string message);      // AuthorizationError, 403
AwsError sns_error(std::string code, std::string message, int status = 400);

inline AwsError topic_not_found() { return not_found("Topic does not exist"); }
inline AwsError subscription_not_found() { return not_found("Subscription does not exist"); }
// "1 validation error detected: Value null at 'topicArn' failed to satisfy constraint: Member must not be null"
AwsError missing_member(const std::string& member);
// Mobile push and SMS are out of scope: a clear InvalidParameter naming the operation.
AwsError not_emulated(const std::string& what);

}  // namespace streamlab::sns
