#pragma once
// Delivery retry policies (AWS "Amazon SNS message delivery retries"): four phases (immediate,
// pre-backoff at the minimum delay, backoff from minimum to maximum, post-backoff at the
// maximum). SQS and Lambda subscriptions use AWS's fixed policy; HTTP/S ones the subscription's
// DeliveryPolicy, else the topic's "http" section, else 3 retries 20 seconds apart.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/core/result.h"

namespace streamlab::sns {

using json = nlohmann::json;

struct RetryPolicy {
  int num_retries = 3;
  int num_no_delay = 0;
  int num_min_delay = 0;
  int num_max_delay = 0;
  int min_delay_s = 20;
  int max_delay_s = 20;
  std::string backoff = "linear";  // linear, arithmetic, geometric, exponential
};

// 3 immediate, 2 at 1 s, 10 backing off from 1 s to 20 s, 100,000 at 20 s (23 days).
RetryPolicy managed_endpoint_policy();
// HTTP/S default: 3 retries, 20 s apart.
RetryPolicy http_default_policy();

// Delay before retry number `retry` (1 = the first retry after the first failed attempt), or
// nothing once the policy is exhausted.
std::optional<int64_t> retry_delay_ms(const RetryPolicy& policy, int retry);

// Checks a DeliveryPolicy attribute: a subscription's ({"healthyRetryPolicy": …, "requestPolicy":
// …}) or a topic's ({"http": {"defaultHealthyRetryPolicy": …, …}}). Errors are InvalidParameter.
Status check_delivery_policy(const std::string& text, bool topic, const std::string& error_prefix);

// The policy and Content-Type an HTTP/S subscription is delivered with.
struct HttpDelivery {
  RetryPolicy retry;
  std::string content_type = "text/plain; charset=UTF-8";
};
HttpDelivery effective_http_delivery(const std::string& topic_policy, const std::string& subscription_policy);
// The EffectiveDeliveryPolicy attribute text (topics and HTTP/S subscriptions).
std::string effective_topic_delivery_policy(const std::string& topic_policy);
std::string effective_subscription_delivery_policy(const std::string& topic_policy,
                                                   const std::string& subscription_policy);

}  // namespace streamlab::sns
