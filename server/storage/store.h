#pragma once
// The one RocksDB database. Column families:
//   meta  resource metadata (streams, queues, tables), small values rewritten on change
//   log   partitioned-log records (see partitioned_log.h for the key grammar)
//   kv    item-style state (queue messages, table items)
// No RocksDB types leave storage/: callers use Batch and Store.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/result.h"

namespace streamlab::storage {

enum class Family { meta = 0, log = 1, kv = 2 };

enum class Durability {
  process,  // WAL written before acknowledging; survives a killed process
  fsync,    // WAL fsynced before acknowledging (RocksDB groups concurrent writers)
};

struct StoreOptions {
  std::string path;
  bool in_memory = false;
  Durability durability = Durability::process;
};

// One logical change: everything in a Batch commits atomically or not at all.
class Batch {
 public:
  Batch();
  ~Batch();
  Batch(Batch&&) noexcept;
  Batch& operator=(Batch&&) noexcept;
  void put(Family f, std::string_view key, std::string_view value);
  void del(Family f, std::string_view key);
  void del_range(Family f, std::string_view begin, std::string_view end);  // [begin, end)
  size_t count() const;
  // One batch holding every operation of `batches`, in order (the inputs are consumed).
  static Batch concatenate(std::vector<Batch>& batches);

 private:
  friend class Store;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class Store {
 public:
  static Result<std::unique_ptr<Store>> open(const StoreOptions& options);
  ~Store();

  Status commit(Batch& batch);
  // Commits `batch` together with the other batches the calling thread hands over in the same
  // turn (server/core/turn.h), in one write, then calls each `done` in the order given, on this
  // thread. Without a turn (a thread with no poster) it commits at once and calls `done` before
  // returning. Callers acknowledge only in `done`, so durability is unchanged; what they save is
  // the WAL write, the write-group handshake with other threads, and their wake-ups.
  void commit_after_turn(Batch batch, std::function<void(Status)> done);
  std::optional<std::string> get(Family f, std::string_view key) const;
  // Visit keys in [begin, end) in order until the visitor returns false.
  void scan(Family f, std::string_view begin, std::string_view end,
            const std::function<bool(std::string_view key, std::string_view value)>& visit) const;
  // Visit keys in [begin, end) from the last one backwards.
  void scan_reverse(Family f, std::string_view begin, std::string_view end,
                    const std::function<bool(std::string_view key, std::string_view value)>& visit) const;
  // Flush memtables and sync the WAL (shutdown).
  void flush();
  // Reclaim space of deleted ranges in the background.
  void compact_range(Family f, std::string_view begin, std::string_view end);
  const StoreOptions& options() const { return options_; }

 private:
  struct Impl;
  explicit Store(StoreOptions options);
  StoreOptions options_;
  std::unique_ptr<Impl> impl_;
};

// Key of the next key after every key starting with `prefix` (for prefix scans).
std::string prefix_end(std::string prefix);

}  // namespace streamlab::storage
