#pragma once
// DynamoDB table metadata: key schema, indexes, billing, stream and TTL settings, tags.
// Persisted as one JSON document per table in the meta family (keys in dynamodb.h); the items
// live in the kv family (key_codec.h). Streams are separate objects (stream.h) because they
// outlive their table for 24 hours.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulators/dynamodb/attribute_value.h"
#include "emulators/dynamodb/stream.h"

namespace streamlab::dynamodb {

using json = nlohmann::json;

struct KeyElement {
  std::string name;
  AttrType type = AttrType::S;
};

struct KeySchema {
  KeyElement hash;
  std::optional<KeyElement> range;
  json to_json() const;  // [{"AttributeName":…,"KeyType":"HASH"}, …]
};

struct Throughput {
  int64_t read = 0, write = 0;
  int64_t last_increase_ms = 0, last_decrease_ms = 0;
  int decreases_today = 0;
  json to_json(bool with_dates) const;
};

struct Projection {
  std::string type = "ALL";  // ALL, KEYS_ONLY, INCLUDE
  std::vector<std::string> non_key;
  json to_json() const;
};

// Live counters of items and bytes (rebuilt by a scan the first time they are needed).
struct Counters {
  std::atomic<int64_t> items{0};
  std::atomic<int64_t> bytes{0};
};

struct SecondaryIndex {
  std::string name;
  uint64_t uid = 0;  // storage prefix of its entries; never reused
  bool global = false;
  KeySchema key;
  Projection projection;
  Throughput throughput;  // GSIs of PROVISIONED tables
  std::string status = "ACTIVE";  // CREATING until status_until_ms, DELETING until then too
  int64_t status_until_ms = 0;
  std::shared_ptr<Counters> counters = std::make_shared<Counters>();

  std::string effective_status(int64_t now_ms) const;
  bool readable(int64_t now_ms) const { return effective_status(now_ms) == "ACTIVE"; }
  // Whether `attr` is kept in the index entries' projection (keys always are).
  bool projects(const std::string& attr, const KeySchema& table_key) const;
};

struct Table {
  uint64_t uid = 0;
  std::string account, region, name, id;
  int64_t created_ms = 0;
  std::vector<std::pair<std::string, AttrType>> attribute_definitions;
  KeySchema key;
  std::string billing_mode = "PROVISIONED";
  int64_t pay_per_request_since_ms = 0;
  Throughput throughput;
  std::vector<SecondaryIndex> lsis, gsis;
  std::optional<uint64_t> stream_uid;  // latest stream, enabled or not
  std::string ttl_attribute;
  bool ttl_enabled = false;
  std::map<std::string, std::string> tags;
  std::string table_class = "STANDARD";
  bool deletion_protection = false;
  std::optional<json> sse;

  // Runtime state, not persisted.
  // shared: item reads and writes (held for a whole request, so the metadata below stays put);
  // unique: metadata changes.
  mutable std::shared_mutex mu;
  std::shared_ptr<Stream> stream;  // the latest stream object (shared with the stream registry)
  Counters counters;
  std::atomic<bool> counted{false};

  std::string arn() const { return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name; }
  // The state machine is read before `mu` is taken (lookups), so it has its own leaf lock.
  std::string effective_status(int64_t now_ms) const;
  void set_status(std::string status, int64_t until_ms);
  bool stream_enabled() const { return stream && stream->enabled; }
  const SecondaryIndex* index(const std::string& index_name) const;
  std::optional<AttrType> attribute_type(const std::string& attr) const;
  // Every key attribute of the table and its indexes (for "Cannot update attribute x").
  bool is_table_key(const std::string& attr) const {
    return attr == key.hash.name || (key.range && attr == key.range->name);
  }

  json to_json() const;
  static std::unique_ptr<Table> from_json(const json& j);
  // DescribeTable's TableDescription.
  json describe(int64_t now_ms) const;

 private:
  mutable std::mutex status_mu_;
  std::string status_ = "CREATING";  // until status_until_ms_, then ACTIVE (or gone when DELETING)
  int64_t status_until_ms_ = 0;
};

using TablePtr = std::shared_ptr<Table>;

double epoch_seconds(int64_t ms);

}  // namespace streamlab::dynamodb
