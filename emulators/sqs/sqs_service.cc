// The SQS action table: the whole supported surface on one screen. One definition serves both
// protocols: JSON 1.0 (X-Amz-Target: AmazonSQS.<Op>) and query (Action=<Op>&Version=2012-11-05).
#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

ServiceDef make_service(Sqs& s) {
  ServiceDef d;
  d.name = "sqs";
  d.target_prefix = "AmazonSQS";
  d.json_version = JsonVersion::v1_0;
  d.error_namespace = "com.amazonaws.sqs#";
  d.query_version = "2012-11-05";
  d.signing_name = "sqs";
  d.xml_namespace = "http://queue.amazonaws.com/doc/2012-11-05/";
  d.hints.blob_members = {"BinaryValue"};
  std::pair<const char*, SqsAction> table[] = {
      {"AddPermission", add_permission(s)},
      {"CancelMessageMoveTask", cancel_message_move_task(s)},
      {"ChangeMessageVisibility", change_message_visibility(s)},
      {"ChangeMessageVisibilityBatch", change_message_visibility_batch(s)},
      {"CreateQueue", create_queue(s)},
      {"DeleteMessage", delete_message(s)},
      {"DeleteMessageBatch", delete_message_batch(s)},
      {"DeleteQueue", delete_queue(s)},
      {"GetQueueAttributes", get_queue_attributes(s)},
      {"GetQueueUrl", get_queue_url(s)},
      {"ListDeadLetterSourceQueues", list_dead_letter_source_queues(s)},
      {"ListMessageMoveTasks", list_message_move_tasks(s)},
      {"ListQueueTags", list_queue_tags(s)},
      {"ListQueues", list_queues(s)},
      {"PurgeQueue", purge_queue(s)},
      {"ReceiveMessage", receive_message(s)},
      {"RemovePermission", remove_permission(s)},
      {"SendMessage", send_message(s)},
      {"SendMessageBatch", send_message_batch(s)},
      {"SetQueueAttributes", set_queue_attributes(s)},
      {"StartMessageMoveTask", start_message_move_task(s)},
      {"TagQueue", tag_queue(s)},
      {"UntagQueue", untag_queue(s)},
  };
  for (auto& [name, op] : table) {
    d.actions[name] = std::move(op.action);
    if (op.has_output) d.output_shapes[name] = std::move(op.output);
  }
  d.describe_state = [&s] { return s.describe_state(); };
  d.reset = [&s](const std::string& account) { return s.reset(account); };
  return d;
}

}  // namespace streamlab::sqs
