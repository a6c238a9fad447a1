#pragma once
// The per-item locks (1,024 stripes chosen by a hash of the item's storage key) and, under each
// stripe's lock, a bounded copy of recently read or written items' stored bytes.
//
// Why: a RocksDB point lookup walks the memtable skiplist (~60 key comparisons, ~12k
// instructions), and PutItem needs one before every write (conditions, ReturnValues, stream
// images, table counters) beside GetItem's own. A hash lookup here costs a few hundred.
//
// Why it cannot disagree with storage: every item write decides and commits holding its
// stripe's lock and updates the copy there, after the commit succeeded; readers take the same
// lock, and fill a miss from storage while holding it, so no stale fill can land after a write.
// Storage stays the only truth: scans, queries and restarts never look here.
#include <array>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace streamlab::dynamodb {

class ItemCache {
 public:
  static constexpr size_t kStripes = 1024;

  explicit ItemCache(size_t budget_bytes) : stripe_budget_(budget_bytes / kStripes) {}

  static size_t stripe_of(std::string_view item_key) { return std::hash<std::string_view>{}(item_key) % kStripes; }
  std::mutex& lock(size_t stripe) { return stripes_[stripe].mu; }

  // Callers hold lock(stripe) for all of the following.
  // The cached stored bytes (an empty optional: the item is known not to exist), or nullptr
  // when the key is not cached. Valid until the stripe changes.
  const std::optional<std::string>* find(size_t stripe, std::string_view key);
  // What storage now holds for `key` (nullopt: nothing).
  void remember(size_t stripe, std::string_view key, std::optional<std::string> stored);
  void forget(size_t stripe, std::string_view key);

 private:
  struct Entry {
    std::string key;
    std::optional<std::string> stored;
    size_t cost() const { return key.size() + (stored ? stored->size() : 0) + kEntryOverhead; }
  };
  // Beyond the key and value bytes (libstdc++, glibc): list node with the Entry (96), map node
  // with its cached hash (48), bucket slot (8), malloc rounding of both heap strings (~32).
  static constexpr size_t kEntryOverhead = 184;
  struct Stripe {
    std::mutex mu;
    std::list<Entry> recent;  // most recently used first
    std::unordered_map<std::string_view, std::list<Entry>::iterator> by_key;  // views into `recent`
    size_t bytes = 0;
  };
  size_t stripe_budget_;
  std::array<Stripe, kStripes> stripes_;
};

}  // namespace streamlab::dynamodb
