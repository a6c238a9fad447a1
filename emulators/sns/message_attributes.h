#pragma once
// SNS message attributes: the rules Publish applies to them (AWS's wording), their size, and the
// two forms they leave in: the notification envelope ({"Type":…,"Value":…}) and SQS message
// attributes for raw delivery.
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "server/core/result.h"

namespace streamlab::sns {

using json = nlohmann::json;

struct MessageAttribute {
  std::string data_type;  // String, Number, Binary, String.Array, or one of them with a custom suffix
  std::string value;      // text, or the raw bytes when binary
  bool binary = false;
};
// Sorted by name, as AWS lists them in the envelope.
using MessageAttributes = std::map<std::string, MessageAttribute>;

// The decoded MessageAttributes map (name -> {DataType, StringValue, BinaryValue}) checked as
// Publish checks it. `batch_position` (1-based) names the entry of a PublishBatch in messages.
Result<MessageAttributes> parse_message_attributes(const json& input, int batch_position = 0);
// Bytes the attributes add to the 256 KiB message limit: name, type and value of each.
size_t attributes_size(const MessageAttributes& attributes);
// JSON forms for persistence.
json attributes_to_json(const MessageAttributes& attributes);
MessageAttributes attributes_from_json(const json& j);

}  // namespace streamlab::sns
