#pragma once
// Queue attributes: the settable ones with their defaults, ranges and AWS's complaints, kept
// as the strings GetQueueAttributes returns, plus the typed values the queue logic reads.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/core/result.h"

namespace streamlab::sqs {

using json = nlohmann::json;
using AttributeMap = std::map<std::string, std::string>;

struct RedrivePolicy {
  std::string dead_letter_target_arn;
  int max_receive_count = 0;
};

class QueueConfig {
 public:
  explicit QueueConfig(bool fifo = false);

  // Checks every name and value first (AWS rejects the whole request on one bad attribute),
  // then applies them. `creating`: CreateQueue (FifoQueue allowed) rather than SetQueueAttributes.
  Status apply(const AttributeMap& attributes, bool creating);
  // The first attribute whose value differs from `attributes` (CreateQueue on an existing name).
  std::optional<std::string> first_difference(const AttributeMap& attributes) const;

  // Settable attributes as GetQueueAttributes shows them (unset optional ones are absent).
  const AttributeMap& values() const { return values_; }
  json to_json() const;
  static QueueConfig from_json(const json& j, bool fifo);

  bool fifo() const { return fifo_; }
  int64_t delay_seconds() const { return delay_seconds_; }
  int64_t maximum_message_size() const { return maximum_message_size_; }
  int64_t retention_seconds() const { return retention_seconds_; }
  int64_t receive_wait_seconds() const { return receive_wait_seconds_; }
  int64_t visibility_timeout() const { return visibility_timeout_; }
  bool content_based_deduplication() const;
  bool dedup_per_message_group() const;
  const std::optional<RedrivePolicy>& redrive_policy() const { return redrive_; }
  // The RedriveAllowPolicy permits a queue with this ARN to use this queue as its dead-letter queue.
  bool allows_source(const std::string& source_arn) const;

  // "Policy" is also edited by AddPermission/RemovePermission.
  void set_policy(const std::string& policy);

 private:
  void refresh();

  bool fifo_;
  AttributeMap values_;
  int64_t delay_seconds_ = 0, maximum_message_size_ = 1048576, retention_seconds_ = 345600,
          receive_wait_seconds_ = 0, visibility_timeout_ = 30;
  std::optional<RedrivePolicy> redrive_;
};

// Names GetQueueAttributes accepts (including computed ones and "All").
bool is_known_attribute_name(const std::string& name);
// Parses and normalises a RedrivePolicy value; errors name the value as AWS does.
Result<RedrivePolicy> parse_redrive_policy(const std::string& value);

}  // namespace streamlab::sqs
