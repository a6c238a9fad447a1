#pragma once
// The Kinesis model: the stream registry, resharding, and the record path onto the
// partitioned log. Actions (actions/*.cc) validate input and call in here.
//
// Keys in the meta family:
//   "kinesis/stream/" account "/" region "/" name  -> stream JSON (Stream::to_json)
//   "kinesis/iterator-secret"                       -> 32 random bytes (HMAC key of shard iterators)
//   "kinesis/account/" account "/" region           -> billing commitment status (ENABLED|DISABLED)
// Records, in the log family, one partition per shard (topic = stream id, partition = shard index):
//   payload := flags:u8 partition_key_len:u16 partition_key data
//   flags   := bit 0 set when the stream was KMS-encrypted as the record arrived
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "emulators/kinesis/sequence_number.h"
#include "emulators/kinesis/stream.h"
#include "emulators/kinesis/subscription.h"
#include "emulators/kinesis/throughput.h"
#include "server/core/action.h"
#include "server/storage/partitioned_log.h"

namespace streamlab::kinesis {

struct KinesisOptions {
  int64_t create_delay_ms = 500;  // CREATING -> ACTIVE
  int64_t update_delay_ms = 500;  // UPDATING -> ACTIVE
  int64_t delete_delay_ms = 500;  // DELETING -> gone
  bool throttle = true;
  ShardLimits limits;
  int shard_limit = 0;  // open shards per account and region; 0: AWS's default for the region
  int on_demand_stream_limit = 50;
  int64_t iterator_ttl_ms = 5 * 60 * 1000;
};

// A record to put, already in its stored form (the payload grammar above), so the data is
// decoded once, straight into the bytes the log keeps. put() sets the flags byte.
struct RecordInput {
  std::string payload;
  std::optional<u128> explicit_hash_key;

  std::string_view partition_key() const {
    size_t n = (size_t(uint8_t(payload[1])) << 8) | uint8_t(payload[2]);
    return std::string_view(payload).substr(3, n);
  }
  size_t size() const { return payload.size() - 3; }  // data and partition key, as the limits count
};

// Where a put record went; the texts (shard id, sequence number) are written by the caller.
struct RecordOutcome {
  uint32_t shard_index = 0;
  int64_t timestamp_ms = 0;
  uint64_t offset = 0;
  std::string error_code;  // empty on success
  std::string error_message;

  std::string shard_id() const { return Shard::shard_id(shard_index); }
  std::string sequence_number(uint64_t stream_id) const {
    return make_sequence_number(timestamp_ms, stream_id, shard_index, offset);
  }
};

using StreamPtr = std::shared_ptr<Stream>;

class Kinesis {
 public:
  Kinesis(storage::Store& store, storage::PartitionedLog& log, const Clock& clock, KinesisOptions options);

  // Rebuilds the registry from RocksDB (start-up).
  Status load();
  // Enables SubscribeToShard, whose pushes run on the scheduler's threads.
  void attach_scheduler(Scheduler& scheduler);
  Subscriptions* subscriptions() { return subscriptions_.get(); }
  // The offset AT_/AFTER_SEQUENCE_NUMBER starts from: the record with that number (or the
  // first after it when it names none), capped at `end`.
  uint64_t offset_for_sequence(storage::TopicPartition tp, const SequenceParts& parts, const std::string& text,
                               bool after, uint64_t end);
  const KinesisOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }
  const std::string& iterator_secret() const { return iterator_secret_; }
  storage::PartitionedLog& log() { return log_; }

  // Finds the stream named by StreamName or StreamARN in the input.
  Result<StreamPtr> resolve(const Context& ctx, const json& input);
  Result<StreamPtr> find(const std::string& account, const std::string& region, const std::string& name);
  StreamPtr find_by_id(uint64_t id);
  std::vector<StreamPtr> list(const std::string& account, const std::string& region);

  Result<StreamPtr> create(const Context& ctx, const std::string& name, int shard_count, const std::string& mode,
                           const std::map<std::string, std::string>& tags);
  Status remove(const Context& ctx, const StreamPtr& stream, bool enforce_consumer_deletion);
  // Writes stream metadata; call with stream->mu held exclusively.
  Status persist(const Stream& stream);
  // Marks the stream UPDATING for the configured delay.
  void begin_update(Stream& stream);

  // Resharding; call with stream->mu held exclusively. Parents stay readable and closed.
  Status split(Stream& stream, uint32_t shard_index, u128 new_start);
  Status merge(Stream& stream, uint32_t shard_index, uint32_t adjacent_index);
  Status update_shard_count(Stream& stream, int target);

  // The record path (sets each payload's flags byte).
  std::vector<RecordOutcome> put(Stream& stream, std::vector<RecordInput>& records);
  struct StoredRecord {
    bool encrypted = false;
    std::string_view partition_key, data;
  };
  static StoredRecord parse_payload(std::string_view payload);

  // Open shards in this account and region (for the shard limit).
  int open_shards(const std::string& account, const std::string& region);
  int shard_limit(const std::string& region) const;
  // LimitExceededException for a request that would open `additional` shards past the limit.
  AwsError shard_limit_error(const std::string& account, const std::string& region, int open, int additional) const;
  int on_demand_streams(const std::string& account, const std::string& region);

  // The account's MinimumThroughputBillingCommitment status (recorded; nothing is billed here).
  std::string billing_commitment(const std::string& account, const std::string& region);
  Status set_billing_commitment(const std::string& account, const std::string& region, const std::string& status);

  // Lab hooks.
  json describe_state();
  Status reset(const std::string& account);
  // Removes expired records and finished deletions (called periodically).
  void maintain();

  static AwsError not_found(const std::string& name, const std::string& account);

 private:
  static std::string meta_key(const std::string& account, const std::string& region, const std::string& name);
  void purge_if_deleted(const std::string& key);
  Shard& new_shard(Stream& stream, u128 start, u128 end, std::optional<uint32_t> parent,
                   std::optional<uint32_t> adjacent);
  void close_shard(Stream& stream, Shard& shard);

  storage::Store& store_;
  storage::PartitionedLog& log_;
  const Clock& clock_;
  KinesisOptions options_;
  std::string iterator_secret_;
  std::shared_mutex mu_;
  std::map<std::string, StreamPtr> streams_;  // by meta key
  std::map<uint64_t, StreamPtr> by_id_;
  std::unique_ptr<Subscriptions> subscriptions_;
};

// The service definition (action table) for the dispatcher.
ServiceDef make_service(Kinesis& kinesis);

}  // namespace streamlab::kinesis
