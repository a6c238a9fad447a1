#pragma once
// The SNS model: topics and subscriptions by ARN, publishing (filter, envelope, fan-out), and
// delivery. Actions (actions/*.cc) check their parameters and call in here.
//
// Publish commits one record and answers (as AWS acknowledges once the message is stored); the
// fan-out thread (fanout_queue.h) builds and signs the envelopes and delivers:
//   sqs       through the SQS model (Sqs::find_by_arn + Queue::send, one send per queue per batch);
//             a failed first attempt goes to the durable outbox
//   http(s)   the durable outbox (delivery_queue.h), on SNS's own threads, with retries per the
//             delivery policy and the subscription's dead-letter queue at the end
//   lambda    stored, not delivered (no Lambda service yet); email, email-json, sms: logged
#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "emulators/sns/delivery_queue.h"
#include "emulators/sns/fanout_queue.h"
#include "emulators/sns/model.h"
#include "emulators/sns/signer.h"
#include "server/core/action.h"
#include "server/storage/store.h"

namespace streamlab::sqs {
class Sqs;
class Queue;
struct SendRequest;
}

namespace streamlab::sns {

struct SnsOptions {
  int delivery_threads = 4;        // concurrent webhook attempts
  int64_t http_timeout_ms = 15000;  // AWS waits 15 s for an endpoint's answer
  size_t max_fanout_backlog = 100000;  // acknowledged publishes not yet fanned out; beyond: Throttled
  // Unconfirmed subscriptions are deleted after this long: 48 hours, as AWS does since May 2023
  // (its developer guide, "Deleting an Amazon SNS subscription and topic").
  int64_t unconfirmed_expiry_ms = 48LL * 3600 * 1000;
};

struct PublishRequest {
  std::string message;
  std::string subject;
  std::map<std::string, std::string> per_protocol;  // MessageStructure=json: protocol -> message ("default")
  MessageAttributes attributes;
  std::string group_id, dedup_id;
};

struct PublishResult {
  std::string message_id, sequence_number;
};

class Sns {
 public:
  Sns(storage::Store& store, const Clock& clock, sqs::Sqs* sqs, SnsOptions options = {});
  ~Sns();

  // Rebuilds topics, subscriptions and pending deliveries from RocksDB; the signing key loads (or
  // is generated, at first start) in the background.
  Status load();
  void start();  // the fan-out thread and the delivery threads
  void stop();

  // Topics.
  Result<TopicPtr> topic(const std::string& arn) const;
  Result<std::string> create_topic(const Context& ctx, const std::string& name,
                                   const std::map<std::string, std::string>& attributes, const Tags& tags,
                                   const std::string& data_protection_policy);
  Status delete_topic(const std::string& arn);
  std::vector<std::string> topic_arns(const std::string& account, const std::string& region) const;
  json topic_attributes(const std::string& arn) const;
  Status set_topic_attribute(const std::string& arn, const std::string& name, const std::string& value);
  Status add_permission(const std::string& arn, const std::string& label, const std::vector<std::string>& accounts,
                        const std::vector<std::string>& actions);
  Status remove_permission(const std::string& arn, const std::string& label);
  Status set_data_protection_policy(const std::string& arn, const std::string& policy);
  Result<std::string> data_protection_policy(const std::string& arn) const;
  // Tags of a topic (the only taggable SNS resource here); ResourceNotFound otherwise.
  Result<Tags> tags(const std::string& arn) const;
  Status tag(const std::string& arn, const Tags& tags);
  Status untag(const std::string& arn, const std::vector<std::string>& keys);

  // Subscriptions.
  Result<SubscriptionPtr> subscription(const std::string& arn) const;
  Result<std::string> subscribe(const Context& ctx, const std::string& topic_arn, const std::string& protocol,
                                const std::string& endpoint, const std::map<std::string, std::string>& attributes,
                                bool return_arn);
  Result<std::string> confirm(const Context& ctx, const std::string& topic_arn, const std::string& token);
  Status unsubscribe(const Context& ctx, const std::string& arn);
  std::vector<SubscriptionPtr> subscriptions(const std::string& account, const std::string& region) const;
  std::vector<SubscriptionPtr> subscriptions_of(const std::string& topic_arn) const;
  json subscription_attributes(const std::string& arn) const;
  Status set_subscription_attribute(const std::string& arn, const std::string& name, const std::string& value);

  // Publishing. Validated requests only: the action checked sizes, attributes and FIFO ids.
  Result<PublishResult> publish(const Context& ctx, const TopicPtr& topic, PublishRequest request);

  // GET /SimpleNotificationService-<md5>.pem: the signing certificate.
  std::optional<Response> serve_certificate(const Request& request);
  const Signer* signer();  // waits for the background load; null if it failed
  DeliveryQueue& deliveries() { return deliveries_; }
  FanoutQueue& fanout() { return fanout_; }

  // Lab hooks and upkeep.
  json describe_state() const;
  Status reset(const std::string& account);
  void maintain();

 private:
  struct Target;
  Status persist_topic(const Topic& t);
  Status persist_subscription(const Subscription& s);
  void index_subscription(const SubscriptionPtr& s);
  void unindex_subscription(const Subscription& s);
  std::string allocate_sequence(Topic& t);
  DeliveryJob confirmation_job(const Subscription& s, const std::string& type, const std::string& host);

  // The fan-out of acknowledged publishes (fanout.cc).
  Status fan_out(std::vector<Published>& batch, storage::Batch& done);
  void load_dedup();
  void expire_unconfirmed(int64_t now);

  // Delivery (deliver.cc).
  AttemptResult attempt(const DeliveryJob& job);
  static AttemptResult missing_queue();
  // Fills `r` for `job`; a failure when the queue can never take it.
  std::optional<AttemptResult> sqs_request(const DeliveryJob& job, const sqs::Queue& q, sqs::SendRequest& r);
  AttemptResult deliver_sqs(const DeliveryJob& job);
  AttemptResult deliver_http(const DeliveryJob& job);
  std::optional<int64_t> next_delay(const DeliveryJob& job);
  void give_up(const DeliveryJob& job, const AttemptResult& result);

  storage::Store& store_;
  const Clock& clock_;
  sqs::Sqs* sqs_;
  SnsOptions options_;
  DeliveryQueue deliveries_;
  FanoutQueue fanout_;
  std::shared_future<std::shared_ptr<Signer>> signer_;
  std::thread signer_thread_;

  mutable std::shared_mutex mu_;
  std::map<std::string, TopicPtr> topics_;        // by ARN
  std::map<std::string, SubscriptionPtr> subs_;   // by ARN
  std::unordered_map<std::string, std::vector<SubscriptionPtr>> by_topic_;
  std::unordered_map<std::string, std::string> tokens_;  // confirmation token -> subscription ARN
  std::atomic<uint64_t> published_{0}, delivered_sqs_{0};
  std::atomic<bool> stopping_{false};  // cuts webhook attempts short at shutdown
};

// The service definition (action table) for the dispatcher: query protocol, Version 2010-03-31.
ServiceDef make_service(Sns& sns);

}  // namespace streamlab::sns
