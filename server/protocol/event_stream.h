#pragma once
// AWS event-stream framing (application/vnd.amazon.eventstream), as botocore and the JS SDK
// check it (both CRCs):
//   message := total_len:u32 headers_len:u32 prelude_crc:u32 headers payload message_crc:u32
//   header  := name_len:u8 name value_type:u8 (7 = string) value_len:u16 value
// prelude_crc covers the first 8 bytes, message_crc everything before it.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/core/action.h"
#include "server/core/event_sink.h"
#include "server/protocol/json_rpc.h"

namespace streamlab::protocol {

using EventHeaders = std::vector<std::pair<std::string, std::string>>;

std::string encode_event_message(const EventHeaders& headers, std::string_view payload);

struct DecodedEvent {
  EventHeaders headers;
  std::string payload;
};
// Decodes one message from the front of `bytes` (tests and tools); nullopt if incomplete or
// corrupt. On success `consumed` is the message's length.
std::optional<DecodedEvent> decode_event_message(std::string_view bytes, size_t& consumed);

// An EventSink writing framed events to a streaming HTTP response.
std::shared_ptr<EventSink> make_event_sink(std::shared_ptr<ResponseStream> stream, const ServiceDef& service,
                                           Format format);

}  // namespace streamlab::protocol
