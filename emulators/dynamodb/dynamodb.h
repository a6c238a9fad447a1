#pragma once
// The DynamoDB model: the table registry, the item write path (conditions decided under a
// per-item lock, then item, index entries and stream record committed in ONE WriteBatch),
// reads, streams (shards on the partitioned log), TTL expiry and state transitions.
// Actions (actions/*.cc) validate input and call in here.
//
// Keys in the meta family:
//   "ddb/table/" account "/" region "/" name -> table JSON (Table::to_json)
//   "ddb/stream/" uid:u64                     -> stream JSON (Stream::to_json)
//   "ddb/next-uid"                            -> u64, next uid for tables, indexes and streams
//   "ddb/iterator-secret"                     -> 32 random bytes (HMAC key of shard iterators)
// Items and index entries: kv family, see key_codec.h. Stream records: log family, see
// stream_record.h.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "emulators/dynamodb/item_cache.h"
#include "emulators/dynamodb/table.h"
#include "server/core/action.h"
#include "server/core/scheduler.h"
#include "server/storage/partitioned_log.h"

namespace streamlab::dynamodb {

struct DynamoOptions {
  int64_t create_delay_ms = 500;  // CREATING -> ACTIVE (tables and new GSIs)
  int64_t update_delay_ms = 500;  // UPDATING -> ACTIVE
  int64_t delete_delay_ms = 500;  // DELETING -> gone
  int64_t stream_retention_ms = 24 * 3600 * 1000LL;
  int64_t shard_rollover_ms = 4 * 3600 * 1000LL;  // a stream shard's lifetime before a child takes over
  int64_t iterator_ttl_ms = 15 * 60 * 1000LL;
  int64_t ttl_sweep_ms = 2000;  // how often expired items are looked for
  int64_t idempotency_ms = 10 * 60 * 1000LL;  // TransactWriteItems ClientRequestToken window
  size_t item_cache_bytes = size_t(64) << 20;  // copies of recently used items (item_cache.h)
};

// What a logical write does to one item, decided from its current value under the item's lock.
enum class WriteOp { None, Put, Delete };
struct Decision {
  WriteOp op = WriteOp::None;
  Item item;  // the new item for Put
};
using Decide = std::function<Result<Decision>(const std::optional<Item>& old)>;

struct ItemWrite {
  TablePtr table;
  Item key;
  Decide decide;
  // Filled in by DynamoDB::write.
  std::optional<Item> old_item;
  Decision decision;
  std::optional<AwsError> error;
};

enum class Actor { user, ttl_service };

class DynamoDB {
 public:
  DynamoDB(storage::Store& store, storage::PartitionedLog& log, const Clock& clock, DynamoOptions options);
  ~DynamoDB();

  Status load();
  // Starts the TTL sweeper on the server's event loop.
  void start_background(Scheduler& scheduler);
  const DynamoOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }
  const std::string& iterator_secret() const { return iterator_secret_; }
  storage::PartitionedLog& log() { return log_; }
  storage::Store& store() { return store_; }

  // Tables. `name` may be a table name or ARN. Table operations word a missing table
  // "Requested resource not found: Table: x not found"; item operations (active = true) say
  // "Requested resource not found" and treat CREATING/DELETING tables as missing.
  Result<TablePtr> find(const Context& ctx, const std::string& name, bool active);
  std::vector<TablePtr> list(const std::string& account, const std::string& region);
  Result<TablePtr> create(const Context& ctx, std::unique_ptr<Table> table, const std::string& stream_view_type);
  Status remove(const TablePtr& table);
  // Persists table metadata; call with table->mu held exclusively.
  Status persist(const Table& table);
  uint64_t next_uid();
  void begin_update(Table& table);
  // Streams on/off; call with table->mu held exclusively.
  Status enable_stream(Table& table, const std::string& view_type);
  Status disable_stream(Table& table);
  // Adds a GSI and writes its entries for the existing items; call with table->mu exclusive.
  Status backfill_index(Table& table, const SecondaryIndex& index);
  // Items and bytes, rebuilt by a scan on first use.
  void ensure_counted(Table& table);

  // The write path: every write decides under its item's lock, then all of them commit in one
  // batch with their index entries and stream records. With all_or_nothing, one failed decision
  // writes nothing (transactions); each write's error is in writes[i].error. With tables_locked
  // the caller already holds every table's `mu` shared (actions do, for the whole request).
  Status write(std::vector<ItemWrite>& writes, bool all_or_nothing, Actor actor = Actor::user,
               bool tables_locked = false);

  // Reads.
  std::optional<Item> get(const Table& table, const Item& key);
  // The stored encoding (item_codec.h), for reads that only send the item back.
  std::optional<std::string> get_raw(const Table& table, const Item& key);
  // Encoded primary key of an item (hash [range]) per the table's schema.
  static std::string primary_key(const KeySchema& schema, const Item& item);
  static std::optional<Item> decode_primary_key(const KeySchema& schema, std::string_view in, size_t& pos);
  std::string item_key(const Table& table, const Item& item) const;

  // Streams.
  std::shared_ptr<Stream> find_stream(const std::string& arn);
  std::vector<std::shared_ptr<Stream>> list_streams(const std::string& account, const std::string& region);
  // Guards Stream metadata (shards, enabled) against rollover and disable.
  std::shared_mutex& streams_mutex() { return streams_mu_; }

  // TransactWriteItems idempotency: nullopt when the token is unknown (or expired), true when
  // a successful request with the same fingerprint used it, false on a mismatch.
  std::optional<bool> check_token(const std::string& account, const std::string& token,
                                  const std::string& fingerprint);
  void record_token(const std::string& account, const std::string& token, const std::string& fingerprint);

  // Lab hooks and periodic work.
  json describe_state();
  Status reset(const std::string& account);
  void maintain();
  // Deletes expired items of TTL-enabled tables (REMOVE records as the service); returns how many.
  size_t sweep_expired();

  static AwsError table_not_found(const std::string& name);
  static AwsError not_found();

 private:
  static std::string meta_key(const std::string& account, const std::string& region, const std::string& name);
  static std::string stream_meta_key(uint64_t uid);
  // Adds the stream's metadata to `batch` (committed with the change that made it).
  void persist_stream(const Stream& stream, storage::Batch& batch);
  void purge_if_deleted(const std::string& key);
  void index_changes(const Table& table, const std::string& pk, const Item* old_item, const Item* new_item,
                     storage::Batch& batch);
  void schedule_sweep(Scheduler& scheduler);

  storage::Store& store_;
  storage::PartitionedLog& log_;
  const Clock& clock_;
  DynamoOptions options_;
  std::string iterator_secret_;
  std::mutex uid_mu_;
  uint64_t next_uid_ = 1;
  std::shared_mutex mu_;
  std::map<std::string, TablePtr> tables_;  // by meta key
  std::shared_mutex streams_mu_;
  std::map<uint64_t, std::shared_ptr<Stream>> streams_;
  std::mutex tokens_mu_;
  std::map<std::string, std::pair<std::string, int64_t>> tokens_;  // account/token -> fingerprint, expiry
  ItemCache items_;  // the per-item locks and the items last seen under them
};

// The service definition (action table) for the dispatcher.
ServiceDef make_service(DynamoDB& ddb);

}  // namespace streamlab::dynamodb
