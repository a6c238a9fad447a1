#include "emulators/kinesis/actions/common.h"

#include "emulators/kinesis/actions/record_input.h"
#include "emulators/kinesis/sequence_number.h"
#include "server/core/json_text.h"

namespace streamlab::kinesis {
namespace {

struct Written {
  RecordOutcome outcome;
  uint64_t stream_id = 0;
  std::string encryption;
};

Result<Written> write_record(Kinesis& k, const Context& ctx, json& in) {
  auto found = k.resolve(ctx, in);
  if (!found) return found.error();
  Stream& s = **found;
  if (auto w = require_writable(s, ctx.now_ms()); !w) return w.error();
  if (auto it = in.find("SequenceNumberForOrdering"); it != in.end()) {
    // Our numbers already increase strictly per shard; only foreign numbers are refused.
    const std::string& seq = it->get_ref<const std::string&>();
    auto parts = parse_sequence_number(seq);
    if (!parts || parts->stream_id != s.id || parts->timestamp_ms > ctx.now_ms())
      return invalid_argument("ExclusiveMinimumSequenceNumber " + seq + " used in PutRecord on stream " + s.name +
                              " under account " + s.account + " is invalid.");
  }
  auto record = parse_record_input(s, in);
  if (!record) return record.error();
  std::vector<RecordInput> one;
  one.push_back(std::move(*record));
  auto outcome = k.put(s, one);
  RecordOutcome& o = outcome.front();
  if (!o.error_code.empty()) return AwsError{o.error_code, o.error_message, 400, true, {}};
  return Written{std::move(o), s.id, s.encryption};
}

}  // namespace

Action put_record(Kinesis& k) {
  Action a;
  a.input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"Data", blob_shape().min(0).max(10485760).required()},
      {"PartitionKey", string_shape().min(1).max(256).required()},
      {"ExplicitHashKey", hash_key_shape()},
      {"SequenceNumberForOrdering", sequence_number_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  a.handler = [&k](const Context& ctx, json& in) -> Result<json> {
    auto w = write_record(k, ctx, in);
    if (!w) return w.error();
    return json{{"ShardId", w->outcome.shard_id()},
                {"SequenceNumber", w->outcome.sequence_number(w->stream_id)},
                {"EncryptionType", w->encryption}};
  };
  // The same document, members in the order nlohmann writes them (sorted).
  a.json_text_handler = [&k](const Context& ctx, json& in) -> Result<std::string> {
    auto w = write_record(k, ctx, in);
    if (!w) return w.error();
    std::string out;
    out.reserve(160);
    out += "{\"EncryptionType\":";
    append_json_string(out, w->encryption);
    // Digits and "shardId-" need no escaping.
    const RecordOutcome& o = w->outcome;
    out += ",\"SequenceNumber\":\"";
    append_sequence_number(out, o.timestamp_ms, w->stream_id, o.shard_index, o.offset);
    out += "\",\"ShardId\":\"";
    out += o.shard_id();
    out += "\"}";
    return out;
  };
  return a;
}

}  // namespace streamlab::kinesis
