#pragma once
// The Kinesis data model: streams, shards with their lineage, registered consumers.
// Persisted as one JSON document per stream in the meta family (see kinesis.h for the keys);
// the records themselves live in the partitioned log, one partition per shard.
#include <cstdint>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulators/kinesis/hash_key.h"
#include "emulators/kinesis/throughput.h"

namespace streamlab::kinesis {

using json = nlohmann::json;

struct Shard {
  uint32_t index = 0;
  std::optional<uint32_t> parent, adjacent_parent;
  u128 start = 0, end = kMaxHashKey;
  int64_t created_ms = 0;
  std::optional<int64_t> closed_ms;
  uint64_t end_offset = 0;  // log head when the shard closed

  bool open() const { return !closed_ms; }
  std::string id() const { return shard_id(index); }
  static std::string shard_id(uint32_t index);
};

struct Consumer {
  std::string name;
  std::string arn;
  int64_t created_ms = 0;
  std::map<std::string, std::string> tags;
  std::string policy;  // resource policy JSON, empty when none
};

struct Stream {
  uint64_t id = 0;  // topic in the partitioned log; never reused
  std::string account, region, name;
  int64_t created_ms = 0;
  std::string status = "CREATING";  // status until status_until_ms, then ACTIVE (or gone if DELETING)
  int64_t status_until_ms = 0;
  int retention_hours = 24;
  std::string mode = "PROVISIONED";
  int max_record_size_kib = 1024;
  std::string encryption = "NONE";
  std::string key_id;
  std::vector<std::string> monitoring;
  std::map<std::string, std::string> tags;
  std::vector<Shard> shards;  // ordered by index
  std::vector<Consumer> consumers;
  int64_t warm_throughput_mibps = 0;
  std::string policy;  // resource policy JSON, empty when none

  // Runtime state, not persisted.
  mutable std::shared_mutex mu;  // shared: puts and reads; unique: metadata changes
  std::mutex throughput_mu;  // throughput_of inserts under a shared `mu`
  std::map<uint32_t, std::unique_ptr<ShardThroughput>> throughput;

  std::string arn() const { return "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name; }
  Consumer* consumer(const std::string& consumer_name);
  std::string effective_status(int64_t now_ms) const;
  bool writable(int64_t now_ms) const;
  const Shard* shard(uint32_t index) const;
  const Shard* shard_by_id(const std::string& shard_id) const;
  static std::optional<uint32_t> parse_shard_id(const std::string& shard_id);
  // The open shard whose range contains the hash key.
  const Shard* shard_for_hash(u128 hash) const;
  size_t open_shard_count() const;
  uint32_t next_shard_index() const { return shards.empty() ? 0 : shards.back().index + 1; }
  ShardThroughput& throughput_of(uint32_t index, const ShardLimits& limits, int64_t now_ms);

  json to_json() const;
  static std::unique_ptr<Stream> from_json(const json& j);
};

}  // namespace streamlab::kinesis
