#pragma once
// What SendMessage and SendMessageBatch answer for each message sent, as a JSON tree (query
// protocol, whose XML follows the output shape) or written straight as JSON text: for the JSON
// protocol the tree and its serialisation cost more than the rest of a send but the commit.
#include <functional>
#include <string>
#include <vector>

#include "emulators/sqs/queue.h"
#include "server/core/result.h"

namespace streamlab::sqs {

struct Sent {
  SendResult result;
  std::string trace_header;  // MD5OfMessageSystemAttributes is computed over it
};

// Sends `requests` and answers through `done` once the messages are on disk
// (Queue::send_after_turn), which lets the sends of one turn of an HTTP worker share a commit.
// Keeps `queue` alive until then.
using SentDone = std::function<void(Result<std::vector<Sent>>)>;
void send_all_after_turn(QueuePtr queue, std::vector<SendRequest> requests, SentDone done);
json sent_json(const Sent& sent);
// Appends the same members as sent_json, in the order nlohmann writes them (sorted), with "Id"
// first when `id` is given (batch entries).
void append_sent_json(std::string& out, const Sent& sent, const std::string* id);

}  // namespace streamlab::sqs
