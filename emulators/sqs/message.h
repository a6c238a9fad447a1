#pragma once
// A message as stored (the record, written once at send time) and as delivered (the state,
// rewritten on every receive), their byte layouts, and the rules for message attributes:
// validation with AWS's wording, size, and the MD5 digest clients may check (WIRE.md §6.1).
//
// record := 0x01 sent_ms:u64 visible_at_ms:u64 field* (each field: len:u32 bytes) in the order
//           message_id body md5_body md5_attributes sender_id group_id dedup_id sequence_number
//           trace_header dlq_source_arn attributes
//           attributes := count:u32 (name, data_type, kind:u8 [1 string | 2 binary], value)*
// state  := 0x01 visible_at_ms:u64 receive_count:u32 gen:u32 first_receive_ms:u64 last_receive_ms:u64
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "server/core/result.h"

namespace streamlab::sqs {

using json = nlohmann::json;

struct MessageAttribute {
  std::string data_type;  // "String", "Number", "Binary", or one of them with a ".custom" suffix
  bool binary = false;    // the value travels as BinaryValue (raw bytes here)
  std::string value;
};
// Sorted by name: the order the MD5 digest uses (byte order equals Java's for ASCII names).
using MessageAttributes = std::map<std::string, MessageAttribute>;

struct MessageRecord {
  int64_t sent_ms = 0;
  int64_t visible_at_ms = 0;  // when it first becomes visible (send time + delay)
  std::string message_id;
  std::string body;
  std::string md5_body;
  std::string md5_attributes;  // empty without attributes
  std::string sender_id;
  std::string group_id;
  std::string dedup_id;
  std::string sequence_number;
  std::string trace_header;    // AWSTraceHeader system attribute
  std::string dlq_source_arn;  // set when redriven to a dead-letter queue
  MessageAttributes attributes;

  std::string encode() const;
  static std::optional<MessageRecord> decode(std::string_view bytes);
};

struct DeliveryState {
  int64_t visible_at_ms = 0;
  uint32_t receive_count = 0;
  uint32_t gen = 0;  // receipt generation: bumped on every receive, so older handles go stale
  int64_t first_receive_ms = 0;
  int64_t last_receive_ms = 0;

  std::string encode() const;
  static std::optional<DeliveryState> decode(std::string_view bytes);
};

// MessageAttributes (JSON input shape: name -> {DataType, StringValue, BinaryValue}) checked
// and converted; errors are InvalidParameterValue with AWS's wording.
Result<MessageAttributes> parse_message_attributes(const json& input);
// The same, for MessageSystemAttributes (only AWSTraceHeader, a String, is allowed).
Result<std::string> parse_trace_header(const json& input);
// JSON output form, restricted to the names a ReceiveMessage asked for ("All", ".*", "prefix.*").
json attributes_json(const MessageAttributes& attributes, const json& requested_names, bool* any = nullptr);
MessageAttributes filter_attributes(const MessageAttributes& attributes, const json& requested_names);
// Lowercase hex MD5 of the attributes as WIRE.md §6.1 describes; empty for no attributes.
std::string md5_of_attributes(const MessageAttributes& attributes);
// Lowercase hex MD5 of bytes (MD5OfMessageBody).
std::string md5_hex_of(std::string_view bytes);
// Bytes the attributes add to the message size: name + data type + value of each.
size_t attributes_size(const MessageAttributes& attributes);
// True when the text is valid UTF-8 made of the characters SQS accepts:
// #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
bool valid_message_text(std::string_view text);

}  // namespace streamlab::sqs
