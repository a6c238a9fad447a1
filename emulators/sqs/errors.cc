#include "emulators/sqs/errors.h"

namespace streamlab::sqs {

AwsError sqs_error(std::string type, std::string query_code, std::string message, int status) {
  return {std::move(type), std::move(message), status, true, std::move(query_code)};
}

AwsError invalid_parameter_value(std::string message) {
  return sqs_error("InvalidParameterValueException", "InvalidParameterValue", std::move(message));
}

AwsError missing_parameter(const std::string& name) {
  return sqs_error("MissingRequiredParameterException", "MissingParameter",
                   "The request must contain the parameter " + name + ".");
}

AwsError queue_does_not_exist(bool query_protocol) {
  // AWS words it differently per protocol.
  return sqs_error("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                   query_protocol ? "The specified queue does not exist for this wsdl version."
                                  : "The specified queue does not exist.");
}

AwsError queue_name_exists(const std::string& attribute) {
  return sqs_error("QueueNameExists", "QueueAlreadyExists",
                   "A queue already exists with the same name and a different value for attribute " + attribute);
}

AwsError invalid_attribute_name(const std::string& name) {
  return sqs_error("InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute " + name + ".");
}

AwsError invalid_attribute_value(const std::string& name) {
  return invalid_attribute_value_message("Invalid value for the parameter " + name + ".");
}

AwsError invalid_attribute_value_message(std::string message) {
  return sqs_error("InvalidAttributeValue", "InvalidAttributeValue", std::move(message));
}

AwsError receipt_handle_invalid(const std::string& handle) {
  return sqs_error("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
                   "The input receipt handle \"" + handle + "\" is not a valid receipt handle.", 404);
}

AwsError receipt_handle_expired(const std::string& handle) {
  return invalid_parameter_value("Value " + handle +
                                 " for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.");
}

AwsError message_not_inflight() {
  return sqs_error("MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight",
                   "The message referred to is not in flight.");
}

AwsError not_available_for_visibility(const std::string& handle) {
  return invalid_parameter_value("Value " + handle +
                                 " for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not "
                                 "available for visibility timeout change.");
}

AwsError invalid_message_contents() {
  return sqs_error("InvalidMessageContents", "InvalidMessageContents",
                   "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | "
                   "#xE000 to #xFFFD | #x10000 to #x10FFFF");
}

AwsError purge_in_progress(const std::string& queue_name) {
  return sqs_error("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress",
                   "Only one PurgeQueue operation on " + queue_name + " is allowed every 60 seconds.", 403);
}

AwsError empty_batch(const std::string& entry_type) {
  return sqs_error("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
                   "There should be at least one " + entry_type + " in the request.");
}

AwsError too_many_entries(size_t sent) {
  return sqs_error("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
                   "Maximum number of entries per request are 10. You have sent " + std::to_string(sent) + ".");
}

AwsError batch_ids_not_distinct(const std::string& id) {
  return sqs_error("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
                   "Id " + id + " repeated.");
}

AwsError invalid_batch_entry_id() {
  return sqs_error("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
                   "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at "
                   "most 80 letters long.");
}

AwsError batch_request_too_long(size_t sent, size_t max) {
  return sqs_error("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
                   "Batch requests cannot be longer than " + std::to_string(max) + " bytes. You have sent " +
                       std::to_string(sent) + " bytes.");
}

AwsError invalid_address(const std::string& url) {
  return sqs_error("InvalidAddress", "InvalidAddress", "The address " + url + " is not valid for this endpoint.", 404);
}

AwsError resource_not_found(std::string message) {
  return sqs_error("ResourceNotFoundException", "ResourceNotFoundException", std::move(message), 404);
}

AwsError over_limit(std::string message) { return sqs_error("OverLimit", "OverLimit", std::move(message), 403); }

AwsError not_valid_for_queue_type(const std::string& parameter, const std::string& value) {
  return invalid_parameter_value("Value " + value + " for parameter " + parameter +
                                 " is invalid. Reason: The request include parameter that is not valid for this queue "
                                 "type.");
}

}  // namespace streamlab::sqs
