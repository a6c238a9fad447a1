#pragma once
// What an AWS operation is to the server: a name, an input shape, a handler that sees only
// decoded JSON and returns JSON or an AwsError. Services list their actions in one table.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "server/core/clock.h"
#include "server/core/event_sink.h"
#include "server/core/request.h"
#include "server/core/result.h"
#include "server/core/shape.h"

namespace streamlab {

using json = nlohmann::json;

// Per-request facts an action may use.
struct Context {
  std::string request_id;
  std::string account;  // 12 digits
  std::string region;
  std::string host;     // the request's Host, for URLs handed back to the client
  const Clock* clock = nullptr;
  const Request* request = nullptr;

  int64_t now_ms() const { return clock->now_ms(); }
};

using ActionHandler = std::function<Result<json>(const Context&, json&)>;
// Deferred completion: long polls and streams finish later, without holding a thread.
using ActionDone = std::function<void(Result<json>)>;
using AsyncActionHandler = std::function<void(const Context&, json&, ActionDone)>;

// Event-stream operations (SubscribeToShard): check the input, then return the code that
// feeds the stream; errors before the stream starts are ordinary error responses.
using EventStreamHandler = std::function<Result<EventStreamRun>(const Context&, json&)>;

// For JSON wire formats only: the handler writes the response body itself. Hot paths with
// large, regular outputs (GetRecords) use it beside `handler`, which serves CBOR.
using JsonTextHandler = std::function<Result<std::string>(const Context&, json&)>;

// The deferred form of JsonTextHandler (long-polled receives): the completion carries the body.
using JsonTextDone = std::function<void(Result<std::string>)>;
using AsyncJsonTextHandler = std::function<void(const Context&, json&, JsonTextDone)>;

struct Action {
  Shape input;
  ActionHandler handler;
  AsyncActionHandler async_handler;    // used instead of handler when set
  EventStreamHandler stream_handler;   // used instead of both when set
  // May be called unsigned: SNS's SubscribeURL/UnsubscribeURL links are followed by any HTTP client.
  bool anonymous = false;
  JsonTextHandler json_text_handler;   // used instead of handler for JSON requests when set
  AsyncJsonTextHandler async_json_text_handler;  // used instead of async_handler for JSON requests when set
};

// Which members carry blobs and timestamps, for codecs (CBOR) whose wire types differ from JSON's.
struct WireHints {
  std::set<std::string> blob_members;
  std::set<std::string> timestamp_members;
};

enum class JsonVersion { v1_0, v1_1 };

struct ServiceDef {
  std::string name;           // "kinesis"
  std::string target_prefix;  // "Kinesis_20131202"
  JsonVersion json_version = JsonVersion::v1_1;
  std::string error_namespace;  // prefix of __type in JSON 1.0 errors, e.g. "com.amazonaws.dynamodb.v20120810#"
  WireHints hints;
  // Query protocol (SQS, SNS): the Version parameter and SigV4 signing name that select this
  // service, the xmlns of its XML answers, and each action's output shape (for flattened
  // lists and wire names).
  std::string query_version;
  std::string signing_name;
  std::string xml_namespace;
  std::map<std::string, Shape, std::less<>> output_shapes;
  std::map<std::string, Action, std::less<>> actions;

  // Last touch on every encoded response of this service, success or error (DynamoDB adds
  // x-amz-crc32 here).
  std::function<void(Response&)> finalize_response;

  // Lab hooks (/_streamlab/state and /_streamlab/reset); an empty account means all accounts.
  std::function<json()> describe_state;
  std::function<Status(const std::string& account)> reset;
};

}  // namespace streamlab
