#include "emulators/kinesis/actions/common.h"

#include "emulators/kinesis/sequence_number.h"
#include "server/core/encoding.h"

namespace streamlab::kinesis {

Shape stream_name_shape() { return string_shape().min(1).max(128).pattern("[a-zA-Z0-9_.-]+"); }
Shape stream_arn_shape() {
  return string_shape().min(1).max(2048).pattern(R"(arn:aws.*:kinesis:.*:\d{12}:stream/\S+)");
}
Shape stream_id_shape() { return string_shape().min(1).max(24).pattern("[a-z0-9]{20}-[a-z0-9]{3}"); }
Shape shard_id_shape() { return string_shape().min(1).max(128).pattern("[a-zA-Z0-9_.-]+"); }
Shape consumer_name_shape() { return string_shape().min(1).max(128).pattern("[a-zA-Z0-9_.-]+"); }
Shape consumer_arn_shape() {
  return string_shape().min(1).max(2048).pattern(
      R"(^(arn):aws.*:kinesis:.*:\d{12}:.*stream\/[a-zA-Z0-9_.-]+\/consumer\/[a-zA-Z0-9_.-]+:[0-9]+)");
}
Shape resource_arn_shape() {
  return string_shape().min(1).max(2048).pattern(R"(arn:aws.*:kinesis:.*:\d{12}:.*stream/\S+)");
}
Shape tag_map_shape() {
  return map_shape(string_shape().min(1).max(128), string_shape().min(0).max(256)).min(1).max(200);
}
Shape tag_key_list_shape() { return list_shape(string_shape().min(1).max(128)).min(1).max(50); }
Shape next_token_shape() { return string_shape().min(1).max(1048576); }
Shape sequence_number_shape() { return string_shape().pattern(R"(0|([1-9]\d{0,128}))"); }
Shape hash_key_shape() { return string_shape().pattern(R"(0|([1-9]\d{0,38}))"); }
Shape stream_mode_details_shape() {
  return structure_shape({{"StreamMode", string_shape().one_of({"PROVISIONED", "ON_DEMAND"}).required()}});
}

AwsError invalid_argument(std::string m) { return {"InvalidArgumentException", std::move(m), 400, true, {}}; }
AwsError resource_in_use(std::string m) { return {"ResourceInUseException", std::move(m), 400, true, {}}; }
AwsError resource_not_found(std::string m) { return {"ResourceNotFoundException", std::move(m), 400, true, {}}; }
AwsError limit_exceeded(std::string m) { return {"LimitExceededException", std::move(m), 400, true, {}}; }

double epoch_seconds(int64_t ms) { return double(ms) / 1000.0; }

json shard_json(const Stream& stream, const Shard& shard) {
  json j = {{"ShardId", shard.id()},
            {"HashKeyRange", {{"StartingHashKey", to_decimal(shard.start)}, {"EndingHashKey", to_decimal(shard.end)}}},
            {"SequenceNumberRange",
             {{"StartingSequenceNumber", make_sequence_number(shard.created_ms, stream.id, shard.index, 0)}}}};
  if (shard.parent) j["ParentShardId"] = Shard::shard_id(*shard.parent);
  if (shard.adjacent_parent) j["AdjacentParentShardId"] = Shard::shard_id(*shard.adjacent_parent);
  if (shard.closed_ms)
    j["SequenceNumberRange"]["EndingSequenceNumber"] =
        make_sequence_number(*shard.closed_ms, stream.id, shard.index, shard.end_offset);
  return j;
}

json record_json(const Stream& s, uint32_t shard_index, const storage::LogRecord& r) {
  auto stored = Kinesis::parse_payload(r.payload);
  return {{"SequenceNumber", make_sequence_number(r.timestamp_ms, s.id, shard_index, r.offset)},
          {"ApproximateArrivalTimestamp", epoch_seconds(r.timestamp_ms)},
          {"Data", base64_encode(stored.data)},
          {"PartitionKey", stored.partition_key},
          {"EncryptionType", stored.encrypted ? "KMS" : "NONE"}};
}

json child_shards_json(const Stream& s, const Shard& parent) {
  json children = json::array();
  for (auto& sh : s.shards) {
    if (sh.parent != parent.index && sh.adjacent_parent != parent.index) continue;
    json parents = json::array({Shard::shard_id(*sh.parent)});
    if (sh.adjacent_parent) parents.push_back(Shard::shard_id(*sh.adjacent_parent));
    children.push_back({{"ShardId", sh.id()},
                        {"ParentShards", parents},
                        {"HashKeyRange",
                         {{"StartingHashKey", to_decimal(sh.start)}, {"EndingHashKey", to_decimal(sh.end)}}}});
  }
  return children;
}

json stream_mode_json(const Stream& stream) { return {{"StreamMode", stream.mode}}; }

std::pair<std::string, std::string> stream_named_in(const Context& ctx, const json& in) {
  if (in.contains("StreamARN")) {
    std::string arn = in["StreamARN"];
    size_t at = arn.find(":stream/");
    std::string head = arn.substr(0, at);
    return {head.substr(head.rfind(':') + 1), arn.substr(at + 8)};
  }
  return {ctx.account, in.value("StreamName", "")};
}

Status require_active(const Stream& stream, int64_t now_ms) {
  if (stream.effective_status(now_ms) != "ACTIVE")
    return resource_in_use("Stream " + stream.name + " under account " + stream.account +
                           " not ACTIVE, instead in state " + stream.effective_status(now_ms));
  return Ok{};
}

Status require_writable(const Stream& stream, int64_t now_ms) {
  if (!stream.writable(now_ms))
    return resource_in_use("Stream " + stream.name + " under account " + stream.account +
                           " not ACTIVE or UPDATING, instead in state " + stream.effective_status(now_ms));
  return Ok{};
}

Result<StreamPtr> active_stream(Kinesis& k, const Context& ctx, const json& in) {
  auto stream = k.resolve(ctx, in);
  if (!stream) return stream;
  if (auto s = require_active(**stream, ctx.now_ms()); !s) return s.error();
  return stream;
}

AwsError on_demand_reshard(const Stream& s) {
  return AwsError::validation("Request is invalid. Stream " + s.name + " under account " + s.account +
                              " is in On-Demand mode.");
}

Status check_reshardable(const Stream& s, const std::string& shard_id) {
  auto index = Stream::parse_shard_id(shard_id);
  const Shard* shard = index ? s.shard(*index) : nullptr;
  if (!shard)
    return resource_not_found("Could not find shard " + (index ? Shard::shard_id(*index) : shard_id) + " in stream " +
                              s.name + " under account " + s.account + ".");
  if (!shard->open())
    return invalid_argument("Shard " + shard->id() + " in stream " + s.name + " under account " + s.account +
                            " has already been merged or split, and thus is not eligible for merging or splitting.");
  if (s.mode == "ON_DEMAND") return on_demand_reshard(s);
  return Ok{};
}

Status check_tag_characters(const std::vector<std::string>& texts) {
  for (auto& t : texts)
    for (unsigned char c : t) {
      bool ok = c >= 0x80 || std::isalnum(c) || c == ' ' || std::string_view("_./=+-%@").find(char(c)) != std::string_view::npos;
      if (!ok)
        return invalid_argument("Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
                                "white space, _ . / = + - % @.");
    }
  return Ok{};
}

Status check_tags(const Stream& stream, const std::map<std::string, std::string>& add) {
  std::vector<std::string> texts;
  for (auto& [key, value] : add) {
    texts.push_back(key);
    texts.push_back(value);
  }
  if (auto c = check_tag_characters(texts); !c) return c;
  size_t total = stream.tags.size();
  for (auto& [key, value] : add) total += !stream.tags.count(key);
  if (total > 50)
    return invalid_argument("Failed to add tags to stream " + stream.name + " under account " + stream.account +
                          " because a given stream cannot have more than 50 tags associated with it.");
  for (auto& [key, value] : add)
    if (key.rfind("aws:", 0) == 0)
      return invalid_argument("Failed to add tags to stream " + stream.name + " under account " + stream.account +
                              " because tag keys cannot start with 'aws:'.");
  return Ok{};
}

}  // namespace streamlab::kinesis
