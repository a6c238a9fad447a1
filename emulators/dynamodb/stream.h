#pragma once
// A DynamoDB stream: the change log of one table between an enable and a disable. Its shards
// are partitions of the partitioned log (topic from PartitionedLog::allocate_topic, partition =
// shard index); a shard is open until it rolls over (child shard, ParentShardId) or the stream is
// disabled. Each record is appended in the same WriteBatch as the item change it describes.
//
// Persisted in the meta family as "ddb/stream/" uid:u64 -> JSON (to_json).
// Sequence numbers: the decimal digits "1" shard_index:%010u offset:%020llu (31 digits), so
// they increase within a shard and across a shard's children, and decode back to a position.
// Shard ids: "shardId-" created_ms:%020lld "-" shard_index:%08x.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace streamlab::dynamodb {

struct StreamShard {
  uint32_t index = 0;
  std::optional<uint32_t> parent;
  int64_t created_ms = 0;
  std::optional<int64_t> closed_ms;
  uint64_t start_offset = 0;  // log offset of the shard's first record
  uint64_t end_offset = 0;    // log head when the shard closed

  bool open() const { return !closed_ms; }
  std::string id() const;
  static std::optional<uint32_t> parse_id(const std::string& shard_id);
};

struct Stream {
  uint64_t uid = 0;
  uint64_t log_topic = 0;  // partitioned-log topic of its shards
  uint64_t table_uid = 0;
  std::string account, region, table_name, label, view_type;
  nlohmann::json key_schema;  // the table's KeySchema, as DescribeStream shows it
  int64_t created_ms = 0;
  bool enabled = true;
  std::optional<int64_t> disabled_ms;
  std::vector<StreamShard> shards;  // ordered by index

  uint64_t topic() const { return log_topic; }
  std::string arn() const {
    return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table_name + "/stream/" + label;
  }
  StreamShard* open_shard();
  const StreamShard* shard(uint32_t index) const;
  std::string status() const { return enabled ? "ENABLED" : "DISABLED"; }

  nlohmann::json to_json() const;
  static Stream from_json(const nlohmann::json& j);
};

std::string make_sequence_number(uint32_t shard_index, uint64_t offset);
struct SequencePosition {
  uint32_t shard_index = 0;
  uint64_t offset = 0;
};
std::optional<SequencePosition> parse_sequence_number(const std::string& text);
// "2024-01-01T00:00:00.000" (UTC), the label AWS gives a stream.
std::string stream_label(int64_t ms);

}  // namespace streamlab::dynamodb
