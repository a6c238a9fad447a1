#pragma once
// The SQS model: the queue registry (by account, region and name; by ARN), queue URLs, long
// polls and message move tasks. Actions (actions/*.cc) validate input and call in here; the
// message rules live in queue.{h,cc}, the key grammar in keys.h.
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "emulators/sqs/queue.h"
#include "server/core/action.h"
#include "server/core/scheduler.h"
#include "server/storage/store.h"

namespace streamlab::sqs {

struct MoveTask {
  std::string id;
  std::string account, region;
  std::string source_arn, destination_arn;  // empty destination: back to each message's source
  std::optional<int64_t> max_per_second;
  std::string status;  // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
  std::string failure_reason;
  int64_t started_ms = 0;
  int64_t moved = 0;
  int64_t to_move = 0;

  json to_json() const;
  static MoveTask from_json(const json& j);
  std::string handle() const;  // base64 of {"taskId":…,"sourceArn":…}, as AWS's handles are
};

class Sqs {
 public:
  // `scheduler` runs long-poll wake-ups and move tasks; without one, receives never wait.
  Sqs(storage::Store& store, const Clock& clock, Scheduler* scheduler);

  // Rebuilds queues, message indexes and move tasks from RocksDB (start-up).
  Status load();
  const Clock& clock() const { return clock_; }

  static std::string queue_url(const std::string& host, const std::string& account, const std::string& name);
  // The queue a request names by QueueUrl, or by its path (POST /<account>/<name>).
  Result<QueuePtr> resolve(const Context& ctx, const json& input);
  QueuePtr find(const std::string& account, const std::string& region, const std::string& name);
  QueuePtr find_by_arn(const std::string& arn);
  std::vector<QueuePtr> list(const std::string& account, const std::string& region);

  // CreateQueue: a new queue, or the existing one when its attributes match.
  Result<QueuePtr> create(const Context& ctx, const std::string& name, const AttributeMap& attributes,
                          const std::map<std::string, std::string>& tags);
  Status remove(const QueuePtr& queue);
  // SetQueueAttributes, with the checks that need other queues (the dead-letter target).
  Status set_attributes(const QueuePtr& queue, const AttributeMap& attributes);
  QueuePtr dead_letter_queue(const Queue& queue);
  std::vector<QueuePtr> dead_letter_sources(const Queue& dead_letter);

  // ReceiveMessage: waits up to `wait_ms` (long poll) without holding a thread.
  using ReceiveDone = std::function<void(Result<ReceiveResult>)>;
  void receive(const QueuePtr& queue, ReceiveRequest request, int64_t wait_ms, ReceiveDone done);

  // Message move tasks (redrive out of a dead-letter queue).
  Result<MoveTask> start_move_task(const Context& ctx, const QueuePtr& source, const QueuePtr& destination,
                                   std::optional<int64_t> max_per_second);
  std::vector<MoveTask> move_tasks(const std::string& source_arn);
  Result<MoveTask> cancel_move_task(const std::string& task_id);
  // Runs one step of every running task now (tests without a scheduler).
  void run_move_tasks();

  // Lab hooks and upkeep.
  json describe_state();
  Status reset(const std::string& account);
  void maintain();

 private:
  struct Poll;
  void attempt(const std::shared_ptr<Poll>& poll);
  bool step_task(const std::string& task_id);
  void schedule_task(const std::string& task_id);
  Status persist_task(const MoveTask& task);

  storage::Store& store_;
  const Clock& clock_;
  Scheduler* scheduler_;
  std::string secret_;
  std::mutex id_mu_;
  uint64_t next_id_ = 1;
  std::shared_mutex mu_;
  std::map<std::string, QueuePtr> queues_;  // by meta key
  std::mutex tasks_mu_;
  std::map<std::string, MoveTask> tasks_;
};

// The service definition (action table) for the dispatcher: JSON 1.0 and query.
ServiceDef make_service(Sqs& sqs);

}  // namespace streamlab::sqs
