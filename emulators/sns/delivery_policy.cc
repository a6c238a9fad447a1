#include "emulators/sns/delivery_policy.h"

#include <cmath>

#include "emulators/sns/errors.h"

namespace streamlab::sns {
namespace {

constexpr int kMaxDelayS = 3600;  // AWS: no HTTP/S policy may retry for longer than an hour in all
constexpr int kMaxRetries = 100;

json retry_json(const RetryPolicy& p) {
  return json{{"minDelayTarget", p.min_delay_s},     {"maxDelayTarget", p.max_delay_s},
              {"numRetries", p.num_retries},         {"numMaxDelayRetries", p.num_max_delay},
              {"numNoDelayRetries", p.num_no_delay}, {"numMinDelayRetries", p.num_min_delay},
              {"backoffFunction", p.backoff}};
}

RetryPolicy retry_from(const json& j, RetryPolicy base) {
  if (!j.is_object()) return base;
  auto num = [&](const char* name, int& into) {
    if (auto it = j.find(name); it != j.end() && it->is_number()) into = it->get<int>();
  };
  num("minDelayTarget", base.min_delay_s);
  num("maxDelayTarget", base.max_delay_s);
  num("numRetries", base.num_retries);
  num("numNoDelayRetries", base.num_no_delay);
  num("numMinDelayRetries", base.num_min_delay);
  num("numMaxDelayRetries", base.num_max_delay);
  if (auto it = j.find("backoffFunction"); it != j.end() && it->is_string()) base.backoff = it->get<std::string>();
  return base;
}

json parse_object(const std::string& text) {
  if (text.empty()) return json::object();
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

Status check_retry(const json& j, const std::string& where, const std::string& prefix) {
  auto fail = [&](const std::string& why) { return invalid_parameter(prefix + "DeliveryPolicy: " + where + "." + why); };
  if (!j.is_object()) return fail(" must be an object");
  for (auto& [k, v] : j.items()) {
    if (k == "backoffFunction") {
      static const char* kinds[] = {"linear", "arithmetic", "geometric", "exponential"};
      if (!v.is_string() || std::none_of(std::begin(kinds), std::end(kinds), [&](const char* s) { return v == s; }))
        return fail("backoffFunction must be one of linear, arithmetic, geometric, exponential");
    } else if (k == "minDelayTarget" || k == "maxDelayTarget" || k == "numRetries" || k == "numNoDelayRetries" ||
               k == "numMinDelayRetries" || k == "numMaxDelayRetries") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0) return fail(k + " must be a non-negative integer");
    } else {
      return fail(k + " is not a valid attribute");
    }
  }
  RetryPolicy p = retry_from(j, http_default_policy());
  if (p.min_delay_s < 1) return fail("minDelayTarget must be at least 1");
  if (p.max_delay_s < p.min_delay_s) return fail("maxDelayTarget must be greater than or equal to minDelayTarget");
  if (p.max_delay_s > kMaxDelayS) return fail("maxDelayTarget must be at most 3600");
  if (p.num_retries > kMaxRetries) return fail("numRetries must be at most 100");
  if (p.num_no_delay + p.num_min_delay + p.num_max_delay > p.num_retries)
    return fail("numRetries must be greater than or equal to the sum of the other phases");
  int64_t total = 0;
  for (int r = 1; r <= p.num_retries; ++r) total += retry_delay_ms(p, r).value_or(0);
  if (total > int64_t(kMaxDelayS) * 1000) return fail("total retry time must not exceed 3600 seconds");
  return Ok{};
}

}  // namespace

RetryPolicy managed_endpoint_policy() {
  RetryPolicy p;
  p.num_no_delay = 3;
  p.num_min_delay = 2;
  p.num_max_delay = 100000;
  p.num_retries = 3 + 2 + 10 + 100000;
  p.min_delay_s = 1;
  p.max_delay_s = 20;
  p.backoff = "exponential";
  return p;
}

RetryPolicy http_default_policy() { return RetryPolicy{}; }

std::optional<int64_t> retry_delay_ms(const RetryPolicy& p, int retry) {
  if (retry < 1 || retry > p.num_retries) return std::nullopt;
  if (retry <= p.num_no_delay) return 0;
  retry -= p.num_no_delay;
  if (retry <= p.num_min_delay) return int64_t(p.min_delay_s) * 1000;
  retry -= p.num_min_delay;
  int backoff = p.num_retries - p.num_no_delay - p.num_min_delay - p.num_max_delay;
  if (retry > backoff) return int64_t(p.max_delay_s) * 1000;
  double lo = p.min_delay_s, hi = p.max_delay_s, k = retry, n = backoff;
  double s;
  if (p.backoff == "arithmetic") s = lo + (hi - lo) * (k * (k + 1)) / (n * (n + 1));
  else if (p.backoff == "geometric") s = lo * std::pow(hi / lo, k / n);
  else if (p.backoff == "exponential") s = lo + (hi - lo) * (std::pow(2.0, k) - 1) / (std::pow(2.0, n) - 1);
  else s = lo + (hi - lo) * k / n;
  return int64_t(std::llround(s * 1000));
}

Status check_delivery_policy(const std::string& text, bool topic, const std::string& prefix) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return invalid_parameter(prefix + "DeliveryPolicy: failed to parse JSON.");
  if (topic) {
    for (auto& [k, v] : j.items()) {
      if (k != "http" && k != "https") continue;  // other protocols' sections are accepted and ignored
      if (!v.is_object()) return invalid_parameter(prefix + "DeliveryPolicy: " + k + " must be an object");
      if (auto r = v.find("defaultHealthyRetryPolicy"); r != v.end())
        if (auto s = check_retry(*r, k + ".defaultHealthyRetryPolicy", prefix); !s) return s;
    }
    return Ok{};
  }
  if (auto r = j.find("healthyRetryPolicy"); r != j.end() && !r->is_null())
    if (auto s = check_retry(*r, "healthyRetryPolicy", prefix); !s) return s;
  return Ok{};
}

HttpDelivery effective_http_delivery(const std::string& topic_policy, const std::string& subscription_policy) {
  HttpDelivery out;
  json t = parse_object(topic_policy), s = parse_object(subscription_policy);
  json http = t.value("http", json::object());
  if (!http.is_object()) http = json::object();
  out.retry = retry_from(http.value("defaultHealthyRetryPolicy", json()), out.retry);
  if (auto rp = http.value("defaultRequestPolicy", json()); rp.is_object())
    out.content_type = rp.value("headerContentType", out.content_type);
  if (!http.value("disableSubscriptionOverrides", false)) {
    out.retry = retry_from(s.value("healthyRetryPolicy", json()), out.retry);
    if (auto rp = s.value("requestPolicy", json()); rp.is_object())
      out.content_type = rp.value("headerContentType", out.content_type);
  }
  return out;
}

std::string effective_topic_delivery_policy(const std::string& topic_policy) {
  HttpDelivery d = effective_http_delivery(topic_policy, "");
  json t = parse_object(topic_policy);
  bool disable = t.value("http", json::object()).is_object() &&
                 t.value("http", json::object()).value("disableSubscriptionOverrides", false);
  return json{{"http",
               {{"defaultHealthyRetryPolicy", retry_json(d.retry)},
                {"disableSubscriptionOverrides", disable},
                {"defaultRequestPolicy", {{"headerContentType", d.content_type}}}}}}
      .dump();
}

std::string effective_subscription_delivery_policy(const std::string& topic_policy,
                                                   const std::string& subscription_policy) {
  HttpDelivery d = effective_http_delivery(topic_policy, subscription_policy);
  return json{{"healthyRetryPolicy", retry_json(d.retry)},
              {"sicklyRetryPolicy", nullptr},
              {"throttlePolicy", nullptr},
              {"requestPolicy", {{"headerContentType", d.content_type}}},
              {"guaranteed", false}}
      .dump();
}

}  // namespace streamlab::sns
