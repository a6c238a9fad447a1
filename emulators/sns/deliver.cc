// One delivery attempt per protocol, the retry schedule, and the dead-letter queue at the end.
// Attempts run on the delivery threads (SQS's first attempt on the fan-out thread, fanout.cc); none
// of them holds the registry lock while talking to an endpoint.
#include <spdlog/spdlog.h>

#include "emulators/sns/attributes.h"
#include "emulators/sns/delivery_policy.h"
#include "emulators/sns/http_client.h"
#include "emulators/sns/sns.h"
#include "emulators/sqs/sqs.h"
#include "server/core/encoding.h"

namespace streamlab::sns {
namespace {

// The SenderId SQS reports for messages SNS sends.
constexpr const char* kSnsSenderId = "AIDAIT2UOQQY3AUEKVGXU";

sqs::MessageAttribute to_sqs(const MessageAttribute& a) {
  sqs::MessageAttribute out;
  out.data_type = a.data_type;
  out.binary = a.binary;
  out.value = a.value;
  return out;
}

}  // namespace

AttemptResult Sns::attempt(const DeliveryJob& job) {
  if (job.kind != "UnsubscribeConfirmation") {
    std::shared_lock lock(mu_);
    auto it = subs_.find(job.subscription_arn);
    if (it == subs_.end()) return {Outcome::Drop, "", "subscription deleted"};
    if (job.kind == "SubscriptionConfirmation" && !it->second->pending) return {Outcome::Drop, "", "already confirmed"};
  }
  if (job.protocol == "sqs") return deliver_sqs(job);
  if (job.protocol == "http" || job.protocol == "https") return deliver_http(job);
  return {Outcome::Drop, "", "protocol not delivered"};
}

AttemptResult Sns::missing_queue() {
  return {Outcome::Retry, "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist."};
}

std::optional<AttemptResult> Sns::sqs_request(const DeliveryJob& job, const sqs::Queue& q, sqs::SendRequest& r) {
  r.body = job.body;
  r.sender_id = kSnsSenderId;
  if (job.raw) {
    // SQS carries at most 10 message attributes; AWS fails such raw deliveries.
    if (job.attributes.size() > 10)
      return AttemptResult{Outcome::Fail, "InvalidParameterValue",
                           "Number of message attributes [" + std::to_string(job.attributes.size()) +
                               "] exceeds the allowed maximum [10]."};
    for (auto& [name, a] : job.attributes) r.attributes.emplace(name, to_sqs(a));
  }
  if (q.fifo()) {
    r.group_id = job.group_id;
    r.dedup_id = job.dedup_id;
  }
  if (auto s = q.check_send(r); !s)
    return AttemptResult{Outcome::Fail, s.error().query_code.empty() ? s.error().code : s.error().query_code,
                         s.error().message};
  return std::nullopt;
}

AttemptResult Sns::deliver_sqs(const DeliveryJob& job) {
  if (!sqs_) return {Outcome::Retry, "InternalError", "SQS is not available"};
  sqs::QueuePtr q = sqs_->find_by_arn(job.endpoint);
  if (!q) return missing_queue();
  sqs::SendRequest r;
  if (auto failed = sqs_request(job, *q, r)) return *failed;
  auto sent = q->send({std::move(r)});
  if (!sent) return {Outcome::Retry, sent.error().code, sent.error().message};
  ++delivered_sqs_;
  return {};
}

AttemptResult Sns::deliver_http(const DeliveryJob& job) {
  std::string content_type = "text/plain; charset=UTF-8";
  {
    std::shared_lock lock(mu_);
    auto s = subs_.find(job.subscription_arn);
    auto t = topics_.find(job.topic_arn);
    content_type = effective_http_delivery(t == topics_.end() ? "" : t->second->attribute("DeliveryPolicy"),
                                           s == subs_.end() ? "" : s->second->attribute("DeliveryPolicy"))
                       .content_type;
  }
  std::vector<std::pair<std::string, std::string>> headers = {
      {"x-amz-sns-message-type", job.kind},
      {"x-amz-sns-message-id", job.message_id},
      {"x-amz-sns-topic-arn", job.topic_arn},
  };
  if (job.kind != "SubscriptionConfirmation") headers.emplace_back("x-amz-sns-subscription-arn", job.subscription_arn);
  if (job.raw) headers.emplace_back("x-amz-sns-rawdelivery", "true");
  headers.emplace_back("Content-Type", content_type);
  headers.emplace_back("User-Agent", "Amazon Simple Notification Service Agent");
  HttpOutcome o = http_post(job.endpoint, headers, job.body, options_.http_timeout_ms, &stopping_);
  if (o.status >= 200 && o.status < 300) return {};
  if (o.status == 0) return {Outcome::Retry, "EndpointUnavailable", o.error};
  return {Outcome::Retry, "HTTP" + std::to_string(o.status),
          "the endpoint answered HTTP " + std::to_string(o.status)};
}

std::optional<int64_t> Sns::next_delay(const DeliveryJob& job) {
  RetryPolicy policy = managed_endpoint_policy();
  if (job.protocol == "http" || job.protocol == "https") {
    std::shared_lock lock(mu_);
    auto s = subs_.find(job.subscription_arn);
    if (s == subs_.end() && job.kind != "UnsubscribeConfirmation") return std::nullopt;
    auto t = topics_.find(job.topic_arn);
    policy = effective_http_delivery(t == topics_.end() ? "" : t->second->attribute("DeliveryPolicy"),
                                     s == subs_.end() ? "" : s->second->attribute("DeliveryPolicy"))
                 .retry;
  }
  return retry_delay_ms(policy, job.attempts);
}

void Sns::give_up(const DeliveryJob& job, const AttemptResult& result) {
  std::string dlq;
  {
    std::shared_lock lock(mu_);
    if (auto s = subs_.find(job.subscription_arn); s != subs_.end() && job.kind == "Notification") {
      json rp = json::parse(s->second->attribute("RedrivePolicy", "{}"), nullptr, false);
      if (rp.is_object()) dlq = rp.value("deadLetterTargetArn", "");
    }
  }
  sqs::QueuePtr q = dlq.empty() || !sqs_ ? nullptr : sqs_->find_by_arn(dlq);
  if (!q) {
    spdlog::warn("sns: message {} for {} dropped after {} attempts: {}", job.message_id, job.subscription_arn,
                 job.attempts, result.error_message);
    return;
  }
  // AWS's dead-letter messages: the body that failed, with the reason as message attributes.
  sqs::SendRequest r;
  r.body = job.body;
  r.sender_id = kSnsSenderId;
  if (job.raw)
    for (auto& [name, a] : job.attributes)
      if (r.attributes.size() < 7) r.attributes.emplace(name, to_sqs(a));
  auto text = [](std::string v) {
    sqs::MessageAttribute a;
    a.data_type = "String";
    a.value = v.empty() ? std::string("-") : std::move(v);
    return a;
  };
  r.attributes["RequestID"] = text(uuid_v4());
  r.attributes["ErrorCode"] = text(result.error_code);
  r.attributes["ErrorMessage"] = text(result.error_message);
  if (q->fifo()) {
    r.group_id = job.group_id.empty() ? "sns" : job.group_id;
    r.dedup_id = job.dedup_id.empty() ? job.message_id : job.dedup_id;
  }
  if (auto s = q->check_send(r); !s) {
    spdlog::warn("sns: dead-letter queue {} refused message {}: {}", dlq, job.message_id, s.error().message);
    return;
  }
  if (auto sent = q->send({std::move(r)}); !sent)
    spdlog::warn("sns: dead-letter queue {} refused message {}: {}", dlq, job.message_id, sent.error().message);
}

}  // namespace streamlab::sns
