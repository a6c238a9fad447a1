#include "server/storage/store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "server/core/manual_turns.h"

namespace streamlab::storage {
namespace {

class StoreTurns : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("streamlab-store-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = open();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::unique_ptr<Store> open() {
    StoreOptions o;
    o.path = dir_.string();
    auto s = Store::open(o);
    EXPECT_TRUE(s) << (s ? "" : s.error().message);
    return s ? std::move(*s) : nullptr;
  }
  Batch put(Family f, const std::string& key, const std::string& value) {
    Batch b;
    b.put(f, key, value);
    return b;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTurns, WithoutATurnTheCommitHappensAtOnce) {
  bool called = false;
  store_->commit_after_turn(put(Family::kv, "a", "1"), [&](Status s) {
    EXPECT_TRUE(s);
    called = true;
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(store_->get(Family::kv, "a").value_or(""), "1");
}

TEST_F(StoreTurns, BatchesOfOneTurnCommitTogetherAndAnswerInOrder) {
  ManualTurns turns;
  std::vector<int> answered;
  store_->commit_after_turn(put(Family::kv, "a", "1"), [&](Status s) {
    EXPECT_TRUE(s);
    answered.push_back(1);
  });
  Batch second;
  second.put(Family::meta, "m", "2");
  second.put(Family::kv, "b", "2");
  second.del(Family::kv, "a-old");
  store_->commit_after_turn(std::move(second), [&](Status s) {
    EXPECT_TRUE(s);
    answered.push_back(2);
  });
  Batch third;
  third.del_range(Family::kv, "x0", "x9");
  third.put(Family::log, "c", "3");
  store_->commit_after_turn(std::move(third), [&](Status s) {
    EXPECT_TRUE(s);
    answered.push_back(3);
  });
  EXPECT_EQ(turns.waiting(), 1u);  // one commit for the turn
  EXPECT_TRUE(answered.empty());
  EXPECT_FALSE(store_->get(Family::kv, "a"));  // nothing is written before the turn ends

  turns.end_turn();
  EXPECT_EQ(answered, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(store_->get(Family::kv, "a").value_or(""), "1");
  EXPECT_EQ(store_->get(Family::meta, "m").value_or(""), "2");
  EXPECT_EQ(store_->get(Family::kv, "b").value_or(""), "2");
  EXPECT_EQ(store_->get(Family::log, "c").value_or(""), "3");

  // The next turn starts afresh.
  store_->commit_after_turn(put(Family::kv, "d", "4"), [&](Status) { answered.push_back(4); });
  EXPECT_EQ(turns.waiting(), 1u);
  turns.end_turn();
  EXPECT_EQ(answered.back(), 4);
}

TEST_F(StoreTurns, MergedBatchesKeepTheirOrder) {
  // A later batch of the turn overrides an earlier one, as separate commits would.
  ManualTurns turns;
  store_->commit_after_turn(put(Family::kv, "k", "first"), [](Status) {});
  store_->commit_after_turn(put(Family::kv, "k", "second"), [](Status) {});
  Batch gone;
  gone.put(Family::kv, "g", "x");
  gone.del(Family::kv, "g");
  store_->commit_after_turn(std::move(gone), [](Status) {});
  turns.end_turn();
  EXPECT_EQ(store_->get(Family::kv, "k").value_or(""), "second");
  EXPECT_FALSE(store_->get(Family::kv, "g"));
}

TEST_F(StoreTurns, ADroppedTurnDoesNotSwallowLaterBatches) {
  ManualTurns turns;
  bool first = false, second = false;
  store_->commit_after_turn(put(Family::kv, "lost", "1"), [&](Status) { first = true; });
  turns.drop();
  store_->commit_after_turn(put(Family::kv, "kept", "2"), [&](Status) { second = true; });
  EXPECT_EQ(turns.waiting(), 1u);
  turns.end_turn();
  EXPECT_FALSE(first);  // never acknowledged, so never promised
  EXPECT_TRUE(second);
  EXPECT_EQ(store_->get(Family::kv, "kept").value_or(""), "2");
}

TEST_F(StoreTurns, WhatATurnCommittedSurvivesAReopen) {
  {
    ManualTurns turns;
    for (int i = 0; i < 50; ++i)
      store_->commit_after_turn(put(Family::kv, "k" + std::to_string(i), std::to_string(i)), [](Status) {});
    turns.end_turn();
  }
  store_.reset();
  store_ = open();
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(store_->get(Family::kv, "k" + std::to_string(i)).value_or(""), std::to_string(i));
}

}  // namespace
}  // namespace streamlab::storage
