#pragma once
// SQS's errors. Each has two names: the JSON protocol's __type (com.amazonaws.sqs#<type>) and
// the query protocol's code, which the JSON side also sends in x-amzn-query-error
// ("AWS.SimpleQueueService.NonExistentQueue;Sender"). Wording follows AWS's answers.
#include <string>

#include "server/core/aws_error.h"

namespace streamlab::sqs {

AwsError sqs_error(std::string type, std::string query_code, std::string message, int status = 400);

AwsError invalid_parameter_value(std::string message);        // InvalidParameterValue
AwsError missing_parameter(const std::string& name);          // MissingParameter
AwsError queue_does_not_exist(bool query_protocol);           // AWS.SimpleQueueService.NonExistentQueue
AwsError queue_name_exists(const std::string& attribute);     // QueueAlreadyExists
AwsError invalid_attribute_name(const std::string& name);     // InvalidAttributeName "Unknown Attribute X."
AwsError invalid_attribute_value(const std::string& name);    // InvalidAttributeValue
AwsError invalid_attribute_value_message(std::string message);
AwsError receipt_handle_invalid(const std::string& handle);   // ReceiptHandleIsInvalid
AwsError receipt_handle_expired(const std::string& handle);   // InvalidParameterValue "…has expired."
AwsError message_not_inflight();                              // AWS.SimpleQueueService.MessageNotInflight
AwsError not_available_for_visibility(const std::string& handle);
AwsError invalid_message_contents();                          // InvalidMessageContents
AwsError purge_in_progress(const std::string& queue_name);    // AWS.SimpleQueueService.PurgeQueueInProgress
AwsError empty_batch(const std::string& entry_type);          // AWS.SimpleQueueService.EmptyBatchRequest
AwsError too_many_entries(size_t sent);                       // AWS.SimpleQueueService.TooManyEntriesInBatchRequest
AwsError batch_ids_not_distinct(const std::string& id);       // AWS.SimpleQueueService.BatchEntryIdsNotDistinct
AwsError invalid_batch_entry_id();                            // AWS.SimpleQueueService.InvalidBatchEntryId
AwsError batch_request_too_long(size_t sent, size_t max);     // AWS.SimpleQueueService.BatchRequestTooLong
AwsError invalid_address(const std::string& url);             // InvalidAddress
AwsError resource_not_found(std::string message);             // ResourceNotFoundException
AwsError over_limit(std::string message);                     // OverLimit (403)
AwsError not_valid_for_queue_type(const std::string& parameter, const std::string& value);

}  // namespace streamlab::sqs
