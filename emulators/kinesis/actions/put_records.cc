#include "emulators/kinesis/actions/common.h"

#include <algorithm>

#include "emulators/kinesis/actions/record_input.h"
#include "emulators/kinesis/sequence_number.h"
#include "server/core/json_text.h"

namespace streamlab::kinesis {
namespace {

struct Written {
  std::vector<RecordOutcome> outcomes;
  int failed = 0;
  uint64_t stream_id = 0;
  std::string encryption;
};

Result<Written> write_records(Kinesis& k, const Context& ctx, json& in) {
  auto found = k.resolve(ctx, in);
  if (!found) return found.error();
  Stream& s = **found;
  if (auto w = require_writable(s, ctx.now_ms()); !w) return w.error();
  std::vector<RecordInput> records;
  size_t total = 0;
  const json& list = in["Records"];
  records.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    auto r = parse_record_input(s, list[i]);
    if (!r) return r.error();
    total += r->size();
    records.push_back(std::move(*r));
  }
  // 5 MiB per request, or ten records of the stream's maximum size if that is larger.
  size_t cap = std::max<size_t>(5u << 20, size_t(s.max_record_size_kib) * 1024);
  if (total > cap) return invalid_argument("Records size exceeds " + std::to_string(cap >> 20) + " MB limit");
  Written w;
  w.outcomes = k.put(s, records);
  for (auto& o : w.outcomes) w.failed += !o.error_code.empty();
  w.stream_id = s.id;
  w.encryption = s.encryption;
  return w;
}

}  // namespace

Action put_records(Kinesis& k) {
  Shape entry = structure_shape({
      {"Data", blob_shape().min(0).max(10485760).required()},
      {"ExplicitHashKey", hash_key_shape()},
      {"PartitionKey", string_shape().min(1).max(256).required()},
  });
  entry.java_class("com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry");
  Action a;
  a.input = structure_shape({
      {"Records", list_shape(entry).min(1).max(500).required()},
      {"StreamName", stream_name_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  a.handler = [&k](const Context& ctx, json& in) -> Result<json> {
    auto w = write_records(k, ctx, in);
    if (!w) return w.error();
    json results = json::array();
    for (auto& o : w->outcomes) {
      if (o.error_code.empty())
        results.push_back({{"ShardId", o.shard_id()}, {"SequenceNumber", o.sequence_number(w->stream_id)}});
      else
        results.push_back({{"ErrorCode", o.error_code}, {"ErrorMessage", o.error_message}});
    }
    return json{{"FailedRecordCount", w->failed}, {"Records", results}, {"EncryptionType", w->encryption}};
  };
  // The same document written directly, members in the order nlohmann writes them (sorted).
  a.json_text_handler = [&k](const Context& ctx, json& in) -> Result<std::string> {
    auto w = write_records(k, ctx, in);
    if (!w) return w.error();
    std::string out;
    out.reserve(96 + w->outcomes.size() * 120);
    out += "{\"EncryptionType\":";
    append_json_string(out, w->encryption);
    out += ",\"FailedRecordCount\":";
    out += std::to_string(w->failed);
    out += ",\"Records\":[";
    // Shard ids and sequence-number writers, made once per shard; ids and digits need no escaping.
    std::vector<std::pair<uint32_t, std::string>> shard_ids;
    std::vector<SequenceNumberWriter> writers;  // writers[k] numbers shard_ids[k]'s records
    for (size_t i = 0; i < w->outcomes.size(); ++i) {
      const RecordOutcome& o = w->outcomes[i];
      if (i) out += ',';
      if (o.error_code.empty()) {
        auto id = std::find_if(shard_ids.begin(), shard_ids.end(), [&](auto& p) { return p.first == o.shard_index; });
        if (id == shard_ids.end()) {
          id = shard_ids.insert(id, {o.shard_index, o.shard_id()});
          writers.emplace_back(w->stream_id, o.shard_index);
        }
        out += "{\"SequenceNumber\":\"";
        writers[size_t(id - shard_ids.begin())].append(out, o.timestamp_ms, o.offset);
        out += "\",\"ShardId\":\"";
        out += id->second;
        out += '"';
      } else {
        out += "{\"ErrorCode\":";
        append_json_string(out, o.error_code);
        out += ",\"ErrorMessage\":";
        append_json_string(out, o.error_message);
      }
      out += '}';
    }
    out += "]}";
    return out;
  };
  return a;
}

}  // namespace streamlab::kinesis
