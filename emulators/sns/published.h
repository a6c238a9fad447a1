#pragma once
// A publish SNS has acknowledged and not yet fanned out: everything the delivery side needs to
// build what each subscription receives (the envelope is built and signed there, not in Publish),
// and the subscriptions that matched when it was published. Kept in RocksDB (keys.h, "sns/p/")
// from the moment Publish answers until the fan-out has handed every delivery to SQS or the outbox.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/sns/message_attributes.h"

namespace streamlab::sns {

struct Published {
  uint64_t id = 0;  // order of acceptance (the key's suffix)
  std::string topic_arn, message_id, sequence_number;
  std::string host;  // the publishing request's Host: the envelope's URLs point back at it
  int64_t timestamp_ms = 0;
  bool fifo = false;
  int signature_version = 1;
  std::string subject, message;
  std::map<std::string, std::string> per_protocol;  // MessageStructure=json
  MessageAttributes attributes;
  std::string group_id, dedup_id;
  std::vector<std::string> subscriptions;  // confirmed and matching when it was published

  // The message a protocol receives (per_protocol's entry, else its "default", else `message`).
  const std::string& message_for(const std::string& protocol) const;

  // Compact binary form (length-prefixed fields after a version byte): one small RocksDB value per
  // publish, cheaper to write than JSON.
  std::string encode() const;
  static std::optional<Published> decode(std::string_view bytes, uint64_t id);
};

}  // namespace streamlab::sns
