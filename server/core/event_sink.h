#pragma once
// Where an event-stream action (SubscribeToShard) sends its events. The protocol layer frames
// them (application/vnd.amazon.eventstream) in the request's payload format; the action only
// sees JSON. Thread-safe.
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "server/core/aws_error.h"

namespace streamlab {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Sends one event; false once the peer has gone (the producer should stop).
  virtual bool send_event(const std::string& event_type, const nlohmann::json& payload) = 0;
  // Sends an in-stream exception event and ends the stream.
  virtual void send_error(const AwsError& error) = 0;
  virtual void end() = 0;
  virtual bool closed() const = 0;
  virtual size_t buffered_bytes() const = 0;
  // Runs once when the stream ends for any reason; at once if it already has.
  virtual void on_close(std::function<void()> callback) = 0;
};

// What an event-stream action returns once its input checks out: the code that feeds the
// stream, called after the initial-response event went out.
using EventStreamRun = std::function<void(std::shared_ptr<EventSink>)>;

}  // namespace streamlab
