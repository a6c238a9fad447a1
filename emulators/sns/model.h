#pragma once
// Topics and subscriptions as SNS keeps them: identity, the attributes as they were set, and the
// runtime state that goes with them (compiled filter policy, FIFO sequence numbers and the
// deduplication window). Persisted as JSON in the meta family (keys.h).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulators/sns/filter_policy.h"

namespace streamlab::sns {

using json = nlohmann::json;
using Tags = std::vector<std::pair<std::string, std::string>>;  // in the order they were added

struct Topic {
  std::string account, region, name, arn;
  bool fifo = false;
  int64_t created_ms = 0;
  std::map<std::string, std::string> attributes;  // as set: DisplayName, Policy, DeliveryPolicy, ...
  Tags tags;
  std::string data_protection_policy;

  // FIFO runtime state, guarded by publish_mu (one publish at a time keeps group order).
  std::mutex publish_mu;
  uint64_t next_seq = 0, reserved_seq = 0;
  struct Dedup {
    int64_t expires_ms;
    std::string message_id, sequence_number;
  };
  std::unordered_map<std::string, Dedup> dedup;

  std::string attribute(const std::string& name, const std::string& fallback = "") const {
    auto it = attributes.find(name);
    return it == attributes.end() ? fallback : it->second;
  }
  bool content_based_deduplication() const { return attribute("ContentBasedDeduplication") == "true"; }
  int signature_version() const { return attribute("SignatureVersion") == "2" ? 2 : 1; }
  // AWS's default access policy for a new topic.
  std::string default_policy() const;

  json to_json() const;
  static std::shared_ptr<Topic> from_json(const json& j);
};
using TopicPtr = std::shared_ptr<Topic>;

struct Subscription {
  std::string arn, topic_arn, owner, protocol, endpoint;
  std::map<std::string, std::string> attributes;  // as set: RawMessageDelivery, FilterPolicy, ...
  bool pending = false;                // waiting for ConfirmSubscription
  bool confirmation_authenticated = false;
  std::string token;                   // confirmation token (pending HTTP/S and email subscriptions)
  int64_t created_ms = 0;
  std::shared_ptr<const FilterPolicy> filter;  // compiled FilterPolicy, null = everything

  std::string attribute(const std::string& name, const std::string& fallback = "") const {
    auto it = attributes.find(name);
    return it == attributes.end() ? fallback : it->second;
  }
  bool raw() const { return attribute("RawMessageDelivery") == "true"; }
  FilterScope scope() const {
    return attribute("FilterPolicyScope") == "MessageBody" ? FilterScope::MessageBody : FilterScope::MessageAttributes;
  }
  // The subscription's ARN as listings show it ("PendingConfirmation" until confirmed).
  std::string listed_arn() const { return pending ? "PendingConfirmation" : arn; }

  json to_json() const;
  static std::shared_ptr<Subscription> from_json(const json& j);
};
using SubscriptionPtr = std::shared_ptr<Subscription>;

// Protocols Subscribe accepts, and which of them streamlab delivers to.
bool known_protocol(const std::string& protocol);

}  // namespace streamlab::sns
