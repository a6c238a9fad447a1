// The item cache: hits, cached absences, updates in place, and eviction of the least recently
// used entries once a stripe's share of the budget is spent.
#include "emulators/dynamodb/item_cache.h"

#include <gtest/gtest.h>

namespace streamlab::dynamodb {
namespace {

// Keys with the same stripe, so one stripe's budget decides what stays.
std::vector<std::string> keys_in_one_stripe(size_t n) {
  std::vector<std::string> keys;
  size_t stripe = ItemCache::stripe_of("k0");
  for (int i = 0; keys.size() < n; ++i) {
    std::string k = "k";
    k += std::to_string(i);
    if (ItemCache::stripe_of(k) == stripe) keys.push_back(k);
  }
  return keys;
}

TEST(ItemCache, MissHitAndCachedAbsence) {
  ItemCache c(ItemCache::kStripes * 4096);
  size_t s = ItemCache::stripe_of("a");
  std::lock_guard lock(c.lock(s));
  EXPECT_EQ(c.find(s, "a"), nullptr);
  c.remember(s, "a", std::nullopt);
  ASSERT_NE(c.find(s, "a"), nullptr);
  EXPECT_FALSE(c.find(s, "a")->has_value());
  c.remember(s, "a", std::string("v1"));
  ASSERT_NE(c.find(s, "a"), nullptr);
  EXPECT_EQ(**c.find(s, "a"), "v1");
  c.remember(s, "a", std::string("v2"));
  EXPECT_EQ(**c.find(s, "a"), "v2");
  c.forget(s, "a");
  EXPECT_EQ(c.find(s, "a"), nullptr);
}

TEST(ItemCache, EvictsLeastRecentlyUsedWithinTheStripeBudget) {
  // 1,000 bytes per stripe: three entries of ~290 bytes (184 of them overhead) fit, four do not.
  ItemCache c(ItemCache::kStripes * 1000);
  auto keys = keys_in_one_stripe(4);
  size_t s = ItemCache::stripe_of(keys[0]);
  std::lock_guard lock(c.lock(s));
  std::string value(100, 'x');
  for (int i = 0; i < 3; ++i) c.remember(s, keys[i], value);
  ASSERT_NE(c.find(s, keys[0]), nullptr);  // keys[0] is now the most recent, keys[1] the least
  c.remember(s, keys[3], value);
  EXPECT_EQ(c.find(s, keys[1]), nullptr);
  EXPECT_NE(c.find(s, keys[0]), nullptr);
  EXPECT_NE(c.find(s, keys[2]), nullptr);
  EXPECT_NE(c.find(s, keys[3]), nullptr);
}

TEST(ItemCache, AnEntryLargerThanTheStripeBudgetIsNotKeptAndDropsTheOldCopy) {
  ItemCache c(ItemCache::kStripes * 1000);
  size_t s = ItemCache::stripe_of("big");
  std::lock_guard lock(c.lock(s));
  c.remember(s, "big", std::string("small"));
  c.remember(s, "big", std::string(5000, 'x'));
  EXPECT_EQ(c.find(s, "big"), nullptr);  // never the stale "small"
}

TEST(ItemCache, GrowingAnEntryInPlaceStillRespectsTheBudget) {
  ItemCache c(ItemCache::kStripes * 1000);
  auto keys = keys_in_one_stripe(3);
  size_t s = ItemCache::stripe_of(keys[0]);
  std::lock_guard lock(c.lock(s));
  c.remember(s, keys[0], std::string(10, 'x'));
  c.remember(s, keys[1], std::string(10, 'x'));
  c.remember(s, keys[2], std::string(10, 'x'));
  c.remember(s, keys[2], std::string(500, 'x'));  // now over budget: the oldest goes, only it
  EXPECT_EQ(c.find(s, keys[0]), nullptr);
  EXPECT_NE(c.find(s, keys[1]), nullptr);
  ASSERT_NE(c.find(s, keys[2]), nullptr);
  EXPECT_EQ((*c.find(s, keys[2]))->size(), 500u);
}

}  // namespace
}  // namespace streamlab::dynamodb
