#include "emulators/dynamodb/item_cache.h"

namespace streamlab::dynamodb {

const std::optional<std::string>* ItemCache::find(size_t stripe, std::string_view key) {
  Stripe& s = stripes_[stripe];
  auto it = s.by_key.find(key);
  if (it == s.by_key.end()) return nullptr;
  s.recent.splice(s.recent.begin(), s.recent, it->second);
  return &it->second->stored;
}

void ItemCache::forget(size_t stripe, std::string_view key) {
  Stripe& s = stripes_[stripe];
  auto it = s.by_key.find(key);
  if (it == s.by_key.end()) return;
  auto entry = it->second;
  s.by_key.erase(it);
  s.bytes -= entry->cost();
  s.recent.erase(entry);
}

void ItemCache::remember(size_t stripe, std::string_view key, std::optional<std::string> stored) {
  Stripe& s = stripes_[stripe];
  size_t cost = key.size() + (stored ? stored->size() : 0) + kEntryOverhead;
  if (cost > stripe_budget_) return forget(stripe, key);  // would evict all else: leave it to storage
  if (auto it = s.by_key.find(key); it != s.by_key.end()) {
    s.bytes -= it->second->cost();
    it->second->stored = std::move(stored);
    s.recent.splice(s.recent.begin(), s.recent, it->second);
  } else {
    s.recent.push_front(Entry{std::string(key), std::move(stored)});
    s.by_key.emplace(s.recent.front().key, s.recent.begin());
  }
  s.bytes += cost;
  while (s.bytes > stripe_budget_) {
    auto& victim = s.recent.back();
    s.by_key.erase(victim.key);
    s.bytes -= victim.cost();
    s.recent.pop_back();
  }
}

}  // namespace streamlab::dynamodb
