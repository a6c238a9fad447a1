#pragma once
// Pieces shared by the SQS actions: shapes from the service model (with their query/XML wire
// names), parameter checks worded as AWS words them, and the JSON forms of results.
#include <string>

#include "emulators/sqs/errors.h"
#include "emulators/sqs/sqs.h"
#include "server/core/action.h"

namespace streamlab::sqs {

// An operation: its action (input shape + handler) and the shape of its result, which the XML
// encoder follows. Operations without a result element set has_output = false.
struct SqsAction {
  Action action;
  Shape output;
  bool has_output = true;
};

// True when the request came in the query protocol (some messages differ by protocol).
bool query_protocol(const Context& ctx);

// Shapes.
Shape queue_attribute_map_shape();         // Attribute.N.Name / Attribute.N.Value
Shape attribute_name_list_shape();         // AttributeName.N
Shape tag_map_shape();                     // Tag.N.Key / Tag.N.Value
Shape message_attribute_map_shape();       // MessageAttribute.N.Name / .Value.{DataType,StringValue,BinaryValue}
Shape message_system_attribute_map_shape();  // MessageSystemAttribute.N.…
Shape queue_url_list_shape();              // QueueUrl.N (results)
Shape batch_error_list_shape();            // BatchResultErrorEntry.N (results)

// Parameter checks.
Result<std::string> required_string(const json& in, const char* name);
Result<QueuePtr> queue_of(Sqs& sqs, const Context& ctx, const json& in);
// Empty, more than 10 entries, bad or repeated ids: the whole batch is refused.
Status check_batch(const json& in, const std::string& entry_type);
// An integer parameter within [min, max], else "Value N for parameter P is invalid. Reason: <why>".
Status check_range(const json& in, const char* name, int64_t min, int64_t max, const std::string& why);
AttributeMap string_map(const json& obj);
std::vector<std::string> string_list(const json& arr);
// MessageBody, DelaySeconds, attributes and FIFO ids of a SendMessage or a batch entry, checked
// against the queue's rules; `bytes` (when given) gets the size that counts towards the batch
// limit once the entry parsed, even if the queue refuses it. The body is moved out of `entry`.
Result<SendRequest> prepare_send(const Context& ctx, const Queue& queue, json& entry, size_t* bytes = nullptr);

// ListQueues and ListDeadLetterSourceQueues: one page of `queues` (in name order) after the
// NextToken, up to MaxResults; the token is the last name of the previous page, so pages stay
// stable as queues come and go.
struct UrlPage {
  json urls = json::array();
  std::string next_token;  // empty on the last page, and when MaxResults was not given
};
Result<UrlPage> page_of_urls(const Context& ctx, const json& in, const std::vector<QueuePtr>& queues,
                             const std::string& name_prefix);

// Results.
std::string url_of(const Context& ctx, const Queue& queue);
json batch_error(const std::string& id, const AwsError& error);

// One factory per operation file.
SqsAction add_permission(Sqs& s);
SqsAction cancel_message_move_task(Sqs& s);
SqsAction change_message_visibility(Sqs& s);
SqsAction change_message_visibility_batch(Sqs& s);
SqsAction create_queue(Sqs& s);
SqsAction delete_message(Sqs& s);
SqsAction delete_message_batch(Sqs& s);
SqsAction delete_queue(Sqs& s);
SqsAction get_queue_attributes(Sqs& s);
SqsAction get_queue_url(Sqs& s);
SqsAction list_dead_letter_source_queues(Sqs& s);
SqsAction list_message_move_tasks(Sqs& s);
SqsAction list_queue_tags(Sqs& s);
SqsAction list_queues(Sqs& s);
SqsAction purge_queue(Sqs& s);
SqsAction receive_message(Sqs& s);
SqsAction remove_permission(Sqs& s);
SqsAction send_message(Sqs& s);
SqsAction send_message_batch(Sqs& s);
SqsAction set_queue_attributes(Sqs& s);
SqsAction start_message_move_task(Sqs& s);
SqsAction tag_queue(Sqs& s);
SqsAction untag_queue(Sqs& s);

}  // namespace streamlab::sqs
