// The journal layout (journal.h): what a restart rebuilds from it, its garbage collection, the
// rewrite of records nobody deletes, and the move of data written before it into it.
#include <gtest/gtest.h>

#include <filesystem>

#include "emulators/sqs/journal.h"
#include "emulators/sqs/keys.h"
#include "emulators/sqs/sqs.h"
#include "server/storage/big_endian.h"

namespace streamlab::sqs {
namespace {

class SqsJournal : public ::testing::Test {
 protected:
  void SetUp() override {
    static int n = 0;
    dir = (std::filesystem::temp_directory_path() /
           ("sqs-journal-" + std::to_string(::getpid()) + "-" + std::to_string(++n)))
              .string();
    std::filesystem::remove_all(dir);
    ctx.account = "000000000000";
    ctx.region = "us-east-1";
    ctx.clock = &clock;
    open();
  }
  void TearDown() override {
    sqs.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  void open() {
    sqs.reset();
    store.reset();
    storage::StoreOptions o;
    o.path = dir;
    auto s = storage::Store::open(o);
    ASSERT_TRUE(s) << s.error().message;
    store = std::move(*s);
    sqs = std::make_unique<Sqs>(*store, clock, nullptr);
    ASSERT_TRUE(sqs->load());
  }
  QueuePtr queue(const std::string& name) {
    if (auto q = sqs->find(ctx.account, ctx.region, name)) return q;
    auto q = sqs->create(ctx, name, {{"VisibilityTimeout", "30"}}, {});
    EXPECT_TRUE(q);
    return *q;
  }
  void send(const QueuePtr& q, const std::string& body) {
    SendRequest r;
    r.body = body;
    ASSERT_TRUE(q->send({r}));
  }
  std::vector<Delivery> receive(const QueuePtr& q, int max = 10) {
    ReceiveRequest r;
    r.max = max;
    std::vector<Delivery> got;
    sqs->receive(q, r, 0, [&](Result<ReceiveResult> res) {
      ASSERT_TRUE(res);
      got = res->messages;
    });
    return got;
  }
  // Journal entries of a queue on disk.
  size_t journal_entries(const QueuePtr& q) {
    size_t n = 0;
    std::string p = keys::with_queue(keys::kJournal, q->id());
    store->scan(storage::Family::kv, p, storage::prefix_end(p), [&](std::string_view, std::string_view) {
      ++n;
      return true;
    });
    return n;
  }

  std::string dir;
  ManualClock clock{1700000000000};
  Context ctx;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<Sqs> sqs;
};

TEST(JournalEntryTest, ItemsReadBackInOrderAndDamageIsReported) {
  DeliveryState st;
  st.receive_count = 3;
  st.gen = 7;
  JournalEntry e;
  e.record(5, "rec", nullptr);
  e.record(6, "rec6", &st);
  e.state(5, st);
  e.removed(6);
  st.visible_at_ms = 1700000030000;
  st.first_receive_ms = 1700000000000;
  st.last_receive_ms = 1700000001000;
  JournalEntry with_state;
  with_state.state(9, st);
  with_state.record(10, "r", &st);
  size_t states = 0;
  ASSERT_TRUE(read_journal(with_state.bytes(), [&](const JournalItem& i) {
    EXPECT_EQ(i.state, st.encode());  // the layout DeliveryState::decode reads
    ++states;
  }));
  EXPECT_EQ(states, 2u);
  std::vector<std::pair<JournalKind, uint64_t>> seen;
  ASSERT_TRUE(read_journal(e.bytes(), [&](const JournalItem& i) { seen.emplace_back(i.kind, i.seq); }));
  EXPECT_EQ(seen, (std::vector<std::pair<JournalKind, uint64_t>>{
                      {JournalKind::record, 5}, {JournalKind::record, 6}, {JournalKind::state, 5},
                      {JournalKind::removed, 6}}));
  EXPECT_EQ(journal_record(e.bytes(), 6), std::optional<std::string_view>("rec6"));
  EXPECT_FALSE(journal_record(e.bytes(), 7));
  std::string cut = e.bytes().substr(0, e.bytes().size() - 3);
  EXPECT_FALSE(read_journal(cut, [](const JournalItem&) {}));
  EXPECT_FALSE(read_journal("", [](const JournalItem&) {}));
}

// Many send -> receive -> delete cycles: a restart finds exactly the messages not deleted, with
// their delivery state, and the collected journal stays small.
TEST_F(SqsJournal, RestartKeepsWhatWasNotDeletedAndTheJournalIsCollected) {
  auto q = queue("cycle");
  for (int i = 0; i < 3000; ++i) {
    send(q, "m" + std::to_string(i));
    auto got = receive(q, 1);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE(q->delete_messages({got[0].receipt_handle})[0]);
  }
  send(q, "in-flight");
  send(q, "waiting");
  auto got = receive(q, 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].record.body, "in-flight");
  // 9000 changes, but everything before the oldest live record went in range deletes.
  EXPECT_LT(journal_entries(q), 4096u + 10);
  open();
  q = queue("cycle");
  Counts c = q->counts();
  EXPECT_EQ(c.visible, 1u);
  EXPECT_EQ(c.not_visible, 1u);
  EXPECT_LE(journal_entries(q), 3u);  // start-up dropped the garbage
  clock.advance_ms(30000);
  auto again = receive(q);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].record.body, "in-flight");
  EXPECT_EQ(again[0].state.receive_count, 2u);
  EXPECT_EQ(again[1].record.body, "waiting");
}

// A message nobody deletes does not pin the journal: maintenance writes its record again at the
// end, with its state, and everything older is collected.
TEST_F(SqsJournal, AnOldUndeletedMessageIsRewrittenSoTheJournalIsCollected) {
  auto q = queue("stuck");
  send(q, "stuck");
  ASSERT_EQ(receive(q, 1).size(), 1u);  // in flight, receive count 1
  for (int i = 0; i < 40000; ++i) {
    send(q, "m");
    auto got = receive(q, 1);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_TRUE(q->delete_messages({got[0].receipt_handle})[0]);
    if (i % 1000 == 0) sqs->maintain();
  }
  sqs->maintain();
  // 120,000 changes; without the rewrite all of them would still be on disk.
  EXPECT_LT(journal_entries(q), 65536u + 4096u);
  open();
  q = queue("stuck");
  EXPECT_EQ(q->counts().not_visible, 1u);
  clock.advance_ms(30000);
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].record.body, "stuck");
  EXPECT_EQ(got[0].state.receive_count, 2u);
}

// Data written before the journal (a record and a state key per message) is read at start-up and
// moved into the journal.
TEST_F(SqsJournal, MessagesStoredBeforeTheJournalAreMovedIntoIt) {
  auto q = queue("legacy");
  uint64_t id = q->id();
  MessageRecord waiting, in_flight;
  waiting.sent_ms = in_flight.sent_ms = clock.now_ms();
  waiting.visible_at_ms = in_flight.visible_at_ms = clock.now_ms();
  waiting.message_id = "id-waiting";
  waiting.body = "waiting";
  waiting.md5_body = md5_hex_of("waiting");
  in_flight.message_id = "id-in-flight";
  in_flight.body = "in-flight";
  in_flight.md5_body = md5_hex_of("in-flight");
  DeliveryState st;
  st.visible_at_ms = clock.now_ms() + 30000;
  st.receive_count = 1;
  st.gen = 1;
  st.first_receive_ms = st.last_receive_ms = clock.now_ms();
  storage::Batch b;
  b.put(storage::Family::kv, keys::message(id, 1), waiting.encode());
  b.put(storage::Family::kv, keys::message(id, 2), in_flight.encode());
  b.put(storage::Family::kv, keys::state(id, 2), st.encode());
  b.put(storage::Family::kv, keys::state(id, 3), st.encode());  // its message is gone
  ASSERT_TRUE(store->commit(b));
  open();
  q = queue("legacy");
  size_t old_keys = 0;
  for (auto prefix : {keys::kMessage, keys::kState}) {
    std::string p = keys::with_queue(prefix, id);
    store->scan(storage::Family::kv, p, storage::prefix_end(p), [&](std::string_view, std::string_view) {
      ++old_keys;
      return true;
    });
  }
  EXPECT_EQ(old_keys, 0u);
  EXPECT_EQ(journal_entries(q), 1u);
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].record.body, "waiting");
  ASSERT_TRUE(q->delete_messages({got[0].receipt_handle})[0]);
  send(q, "new");  // sequence numbers continue after the old ones
  open();
  q = queue("legacy");
  clock.advance_ms(30000);
  got = receive(q);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].record.message_id, "id-in-flight");
  EXPECT_EQ(got[0].state.receive_count, 2u);
  EXPECT_EQ(got[1].record.body, "new");
}

}  // namespace
}  // namespace streamlab::sqs
