// The SQS model under a manual clock: every time rule (visibility, delay, retention, redrive,
// FIFO, deduplication, long polls) is exercised without sleeping.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "emulators/sqs/errors.h"
#include "emulators/sqs/sqs.h"
#include "emulators/sqs/test_support.h"
#include "server/core/encoding.h"
#include "server/core/manual_turns.h"

namespace streamlab::sqs {
namespace {

using testing::ManualScheduler;

std::unique_ptr<storage::Store> open_store(const std::string& path, bool in_memory = true) {
  storage::StoreOptions o;
  o.path = path;
  o.in_memory = in_memory;
  auto s = storage::Store::open(o);
  EXPECT_TRUE(s) << (s ? "" : s.error().message);
  return std::move(*s);
}

class SqsModel : public ::testing::Test {
 protected:
  void SetUp() override {
    static int n = 0;
    store = open_store("/sqs-model-" + std::to_string(++n));
    sqs = std::make_unique<Sqs>(*store, clock, &scheduler);
    ASSERT_TRUE(sqs->load());
    ctx.account = "000000000000";
    ctx.region = "us-east-1";
    ctx.host = "localhost:4566";
    ctx.clock = &clock;
  }

  QueuePtr create(const std::string& name, AttributeMap attributes = {}) {
    auto q = sqs->create(ctx, name, attributes, {});
    EXPECT_TRUE(q) << (q ? "" : q.error().message);
    return q ? *q : nullptr;
  }

  SendResult send(const QueuePtr& q, const std::string& body, std::optional<int64_t> delay = std::nullopt,
                  const std::string& group = "", const std::string& dedup = "") {
    SendRequest r;
    r.body = body;
    r.delay_seconds = delay;
    r.group_id = group;
    r.dedup_id = dedup;
    EXPECT_TRUE(q->check_send(r));
    auto out = q->send({r});
    EXPECT_TRUE(out);
    return out ? out->front() : SendResult{};
  }

  // A receive without waiting; returns the deliveries.
  std::vector<Delivery> receive(const QueuePtr& q, int max = 10, std::optional<int64_t> vt = std::nullopt,
                                const std::string& attempt = "") {
    ReceiveRequest r;
    r.max = max;
    r.visibility_timeout = vt;
    r.attempt_id = attempt;
    std::vector<Delivery> got;
    sqs->receive(q, r, 0, [&](Result<ReceiveResult> res) {
      ASSERT_TRUE(res);
      got = res->messages;
    });
    return got;
  }

  static std::vector<std::string> bodies(const std::vector<Delivery>& d) {
    std::vector<std::string> out;
    for (auto& m : d) out.push_back(m.record.body);
    return out;
  }

  ManualClock clock{1700000000000};
  ManualScheduler scheduler{clock};
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<Sqs> sqs;
  Context ctx;
};

TEST_F(SqsModel, VisibilityTimeoutHidesThenReturnsTheMessage) {
  auto q = create("vis", {{"VisibilityTimeout", "30"}});
  send(q, "one");
  auto first = receive(q);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].state.receive_count, 1u);
  EXPECT_TRUE(receive(q).empty());
  clock.advance_ms(29999);
  EXPECT_TRUE(receive(q).empty());
  EXPECT_EQ(q->counts().not_visible, 1u);
  clock.advance_ms(1);
  auto second = receive(q);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].state.receive_count, 2u);
  EXPECT_EQ(second[0].record.message_id, first[0].record.message_id);
  EXPECT_NE(second[0].receipt_handle, first[0].receipt_handle);
}

TEST_F(SqsModel, ReceiptHandleGoesStaleOnceReceivedAgain) {
  auto q = create("stale", {{"VisibilityTimeout", "10"}});
  send(q, "m");
  auto a = receive(q);
  clock.advance_ms(10000);
  auto b = receive(q);
  ASSERT_EQ(b.size(), 1u);
  auto old = q->delete_messages({a[0].receipt_handle});
  ASSERT_FALSE(old[0]);
  EXPECT_EQ(old[0].error().query_code, "InvalidParameterValue");
  EXPECT_NE(old[0].error().message.find("The receipt handle has expired."), std::string::npos);
  EXPECT_FALSE(q->change_visibility({{a[0].receipt_handle, 5}})[0]);
  EXPECT_TRUE(q->delete_messages({b[0].receipt_handle})[0]);
  EXPECT_TRUE(q->delete_messages({b[0].receipt_handle})[0]);  // again: accepted, as AWS does
  clock.advance_ms(60000);
  EXPECT_TRUE(receive(q).empty());
  auto bad = q->delete_messages({"not-a-handle"});
  EXPECT_EQ(bad[0].error().code, "ReceiptHandleIsInvalid");
}

// A delete compares the handle's MAC with the one the receive issued instead of computing it: a
// handle altered anywhere (its MAC, or its message under the MAC of another) is still refused.
TEST_F(SqsModel, DeleteRefusesAlteredHandles) {
  auto q = create("altered");
  send(q, "a");
  send(q, "b");
  auto got = receive(q);
  ASSERT_EQ(got.size(), 2u);
  auto a = *base64_decode(got[0].receipt_handle), b = *base64_decode(got[1].receipt_handle);
  std::string bad_mac = a;
  bad_mac.back() ^= 1;
  std::string swapped = b.substr(0, 23) + a.substr(23);  // b's fields, a's MAC
  for (const std::string& raw : {bad_mac, swapped}) {
    auto r = q->delete_messages({base64_encode(raw)});
    ASSERT_FALSE(r[0]);
    EXPECT_EQ(r[0].error().code, "ReceiptHandleIsInvalid");
  }
  auto ok = q->delete_messages({got[0].receipt_handle, got[1].receipt_handle});
  EXPECT_TRUE(ok[0]);
  EXPECT_TRUE(ok[1]);
  EXPECT_FALSE(q->delete_messages({base64_encode(bad_mac)})[0]);  // deleted, and still forged
}

TEST_F(SqsModel, StandardQueueAcceptsDeleteAfterExpiryUntilReceivedAgain) {
  auto q = create("late", {{"VisibilityTimeout", "5"}});
  send(q, "m");
  auto a = receive(q);
  clock.advance_ms(6000);
  EXPECT_TRUE(q->delete_messages({a[0].receipt_handle})[0]);
  EXPECT_TRUE(receive(q).empty());
}

TEST_F(SqsModel, ChangeVisibilityRestartsTheClockAndEnforcesTwelveHours) {
  auto q = create("chg", {{"VisibilityTimeout", "30"}});
  send(q, "m");
  auto a = receive(q);
  std::string h = a[0].receipt_handle;
  clock.advance_ms(20000);
  ASSERT_TRUE(q->change_visibility({{h, 60}})[0]);  // now hidden until t=80 s
  clock.advance_ms(59000);
  EXPECT_TRUE(receive(q).empty());
  clock.advance_ms(1000);
  auto b = receive(q, 1, 43200);
  ASSERT_EQ(b.size(), 1u);
  h = b[0].receipt_handle;
  clock.advance_ms(3600 * 1000);  // one hour into the receive
  auto too_long = q->change_visibility({{h, 43200}});
  ASSERT_FALSE(too_long[0]);
  EXPECT_EQ(too_long[0].error().message,
            "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message "
            "is beyond the limit [43200 seconds]");
  EXPECT_TRUE(q->change_visibility({{h, 39600}})[0]);  // exactly 12 h after the receive
  ASSERT_TRUE(q->change_visibility({{h, 0}})[0]);      // visible at once
  EXPECT_EQ(receive(q).size(), 1u);
}

TEST_F(SqsModel, ChangeVisibilityOfAMessageNotInFlight) {
  auto q = create("nif", {{"VisibilityTimeout", "5"}});
  send(q, "m");
  auto a = receive(q);
  clock.advance_ms(5000);
  auto r = q->change_visibility({{a[0].receipt_handle, 30}});
  EXPECT_EQ(r[0].error().query_code, "AWS.SimpleQueueService.MessageNotInflight");
  ASSERT_TRUE(q->delete_messages({a[0].receipt_handle})[0]);
  EXPECT_NE(q->change_visibility({{a[0].receipt_handle, 30}})[0].error().message.find("Message does not exist"),
            std::string::npos);
}

TEST_F(SqsModel, QueueAndMessageDelays) {
  auto q = create("delay", {{"DelaySeconds", "10"}});
  send(q, "queue-delay");
  send(q, "message-delay", 2);
  send(q, "no-delay", 0);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"no-delay"});
  EXPECT_EQ(q->counts().delayed, 2u);
  clock.advance_ms(2000);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"message-delay"});
  clock.advance_ms(8000);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"queue-delay"});
}

TEST_F(SqsModel, RetentionRemovesOldMessages) {
  auto q = create("ret", {{"MessageRetentionPeriod", "60"}});
  send(q, "old");
  clock.advance_ms(30000);
  send(q, "new");
  clock.advance_ms(30000);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"new"});
  EXPECT_EQ(q->counts().visible + q->counts().not_visible, 1u);
}

TEST_F(SqsModel, RedriveMovesToTheDeadLetterQueueAfterMaxReceiveCount) {
  auto dlq = create("dlq");
  auto q = create("src", {{"VisibilityTimeout", "1"},
                          {"RedrivePolicy", R"({"deadLetterTargetArn":")" + dlq->arn() + R"(","maxReceiveCount":"2"})"}});
  auto sent = send(q, "poison");
  EXPECT_EQ(receive(q).size(), 1u);
  clock.advance_ms(1000);
  EXPECT_EQ(receive(q).size(), 1u);
  clock.advance_ms(1000);
  EXPECT_TRUE(receive(q).empty());  // third receive: moved instead
  auto dead = receive(dlq);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].record.message_id, sent.message_id);
  EXPECT_EQ(dead[0].record.dlq_source_arn, q->arn());
  EXPECT_EQ(dead[0].state.receive_count, 3u);
  auto sources = sqs->dead_letter_sources(*dlq);
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0], q);
}

TEST_F(SqsModel, RedrivePolicyChecksTheTarget) {
  auto q = create("rp");
  auto missing = sqs->set_attributes(
      q, {{"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:nope","maxReceiveCount":3})"}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("Dead letter target does not exist."), std::string::npos);
  auto bad_count = sqs->set_attributes(q, {{"RedrivePolicy", R"({"deadLetterTargetArn":"x","maxReceiveCount":0})"}});
  EXPECT_NE(bad_count.error().message.find("valid values are from 1 to 1000 both inclusive"), std::string::npos);
  auto fifo_dlq = create("d.fifo", {{"FifoQueue", "true"}});
  auto mixed = sqs->set_attributes(
      q, {{"RedrivePolicy", R"({"deadLetterTargetArn":")" + fifo_dlq->arn() + R"(","maxReceiveCount":3})"}});
  EXPECT_NE(mixed.error().message.find("same type"), std::string::npos);
}

TEST_F(SqsModel, FifoKeepsGroupOrderAndBlocksAGroupInFlight) {
  auto q = create("order.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  for (int i = 0; i < 3; ++i) send(q, "a" + std::to_string(i), std::nullopt, "A");
  for (int i = 0; i < 2; ++i) send(q, "b" + std::to_string(i), std::nullopt, "B");
  auto first = receive(q, 2);
  EXPECT_EQ(bodies(first), (std::vector<std::string>{"a0", "a1"}));
  // Group A is blocked while a0/a1 are in flight; B is served.
  EXPECT_EQ(bodies(receive(q, 10)), (std::vector<std::string>{"b0", "b1"}));
  EXPECT_TRUE(receive(q).empty());
  ASSERT_TRUE(q->delete_messages({first[0].receipt_handle})[0]);
  EXPECT_TRUE(receive(q).empty());  // a1 still in flight
  ASSERT_TRUE(q->delete_messages({first[1].receipt_handle})[0]);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"a2"});
  EXPECT_EQ(first[0].record.sequence_number < first[1].record.sequence_number, true);
}

TEST_F(SqsModel, FifoReceiptExpiresWithItsVisibility) {
  auto q = create("exp.fifo", {{"FifoQueue", "true"}, {"VisibilityTimeout", "5"}});
  send(q, "x", std::nullopt, "g", "d1");
  auto a = receive(q);
  clock.advance_ms(5000);
  auto r = q->delete_messages({a[0].receipt_handle});
  ASSERT_FALSE(r[0]);
  EXPECT_NE(r[0].error().message.find("The receipt handle has expired."), std::string::npos);
}

TEST_F(SqsModel, FifoDeduplicatesForFiveMinutes) {
  auto q = create("dedup.fifo", {{"FifoQueue", "true"}});
  auto a = send(q, "one", std::nullopt, "g", "same");
  auto b = send(q, "two", std::nullopt, "g", "same");
  EXPECT_EQ(a.message_id, b.message_id);
  EXPECT_EQ(q->counts().visible, 1u);
  clock.advance_ms(5 * 60 * 1000 - 1);
  EXPECT_EQ(send(q, "three", std::nullopt, "g", "same").message_id, a.message_id);
  clock.advance_ms(1);
  EXPECT_NE(send(q, "four", std::nullopt, "g", "same").message_id, a.message_id);
  EXPECT_EQ(q->counts().visible, 2u);
}

TEST_F(SqsModel, FifoContentBasedDeduplicationAndParameterRules) {
  auto q = create("cbd.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  auto a = send(q, "same body", std::nullopt, "g");
  auto b = send(q, "same body", std::nullopt, "g");
  EXPECT_EQ(a.message_id, b.message_id);
  SendRequest no_group;
  no_group.body = "x";
  EXPECT_EQ(q->check_send(no_group).error().message, "The request must contain the parameter MessageGroupId.");
  SendRequest delayed = no_group;
  delayed.group_id = "g";
  delayed.delay_seconds = 5;
  EXPECT_NE(q->check_send(delayed).error().message.find("not valid for this queue type"), std::string::npos);
  auto plain = create("plain.fifo", {{"FifoQueue", "true"}});
  SendRequest no_dedup = no_group;
  no_dedup.group_id = "g";
  EXPECT_NE(plain->check_send(no_dedup).error().message.find("ContentBasedDeduplication"), std::string::npos);
  auto standard = create("standard");
  SendRequest dedup_on_standard;
  dedup_on_standard.body = "x";
  dedup_on_standard.dedup_id = "d";
  EXPECT_NE(standard->check_send(dedup_on_standard).error().message.find("MessageDeduplicationId"),
            std::string::npos);
}

TEST_F(SqsModel, ReceiveRequestAttemptIdReturnsTheSameMessages) {
  auto q = create("attempt.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  send(q, "m1", std::nullopt, "g");
  send(q, "m2", std::nullopt, "g");
  auto a = receive(q, 10, 30, "try-1");
  ASSERT_EQ(a.size(), 2u);
  clock.advance_ms(10000);
  auto again = receive(q, 10, 30, "try-1");
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].receipt_handle, a[0].receipt_handle);
  clock.advance_ms(25000);  // the retry restarted the 30 s visibility
  EXPECT_TRUE(receive(q).empty());
}

TEST_F(SqsModel, MaximumMessageSizeCountsAttributes) {
  auto q = create("size", {{"MaximumMessageSize", "1024"}});
  SendRequest r;
  r.body = std::string(1000, 'x');
  EXPECT_TRUE(q->check_send(r));
  r.attributes["a"] = MessageAttribute{"String", false, std::string(30, 'y')};
  auto s = q->check_send(r);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
}

// Sends read copies of these settings outside the queue's mutex: a change must reach the next send.
TEST_F(SqsModel, SetAttributesReachTheNextSend) {
  auto q = create("settings");
  SendRequest big;
  big.body = std::string(2000, 'x');
  EXPECT_TRUE(q->check_send(big));
  ASSERT_TRUE(q->set_attributes({{"MaximumMessageSize", "1024"}, {"DelaySeconds", "5"}}));
  auto s = q->check_send(big);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
  send(q, "delayed");
  EXPECT_TRUE(receive(q).empty());
  EXPECT_EQ(q->counts().delayed, 1u);
  clock.advance_ms(5000);
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"delayed"});

  auto f = create("settings.fifo", {{"FifoQueue", "true"}});
  SendRequest no_dedup;
  no_dedup.body = "b";
  no_dedup.group_id = "g";
  EXPECT_FALSE(f->check_send(no_dedup));
  ASSERT_TRUE(f->set_attributes({{"ContentBasedDeduplication", "true"}}));
  EXPECT_TRUE(f->check_send(no_dedup));
}

// Sends of one worker turn share a commit: they are answered, and receivable, only once it is made.
TEST_F(SqsModel, SendsAfterTheTurnAnswerOnceCommitted) {
  auto q = create("turn");
  std::vector<std::string> answered;
  {
    ManualTurns turns;
    for (std::string body : {"a", "b", "c"}) {
      SendRequest r;
      r.body = body;
      q->send_after_turn({r}, [&answered, body](Result<std::vector<SendResult>> out) {
        ASSERT_TRUE(out);
        ASSERT_EQ(out->size(), 1u);
        EXPECT_EQ(out->front().md5_body, md5_hex(body));
        answered.push_back(body);
      });
    }
    EXPECT_EQ(turns.waiting(), 1u);
    EXPECT_TRUE(answered.empty());
    EXPECT_TRUE(receive(q).empty());  // not on disk yet, so not in the index
    turns.end_turn();
  }
  EXPECT_EQ(answered, (std::vector<std::string>{"a", "b", "c"}));
  auto got = bodies(receive(q));
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b", "c"}));

  // A FIFO queue commits under its lock, so it answers at once.
  auto f = create("turn.fifo", {{"FifoQueue", "true"}, {"ContentBasedDeduplication", "true"}});
  ManualTurns turns;
  bool fifo_answered = false;
  SendRequest r;
  r.body = "f";
  r.group_id = "g";
  f->send_after_turn({r}, [&](Result<std::vector<SendResult>> out) {
    ASSERT_TRUE(out);
    fifo_answered = true;
  });
  EXPECT_TRUE(fifo_answered);
  EXPECT_EQ(turns.waiting(), 0u);
  EXPECT_EQ(bodies(receive(f)), std::vector<std::string>{"f"});
}

// A turn dropped before its commit (the loop stopped) acknowledges nothing and leaves the queue usable.
TEST_F(SqsModel, ADroppedTurnAcknowledgesNothing) {
  auto q = create("dropped");
  bool answered = false;
  {
    ManualTurns turns;
    SendRequest r;
    r.body = "never";
    q->send_after_turn({r}, [&](Result<std::vector<SendResult>>) { answered = true; });
    turns.drop();
  }
  EXPECT_FALSE(answered);
  EXPECT_TRUE(receive(q).empty());
  send(q, "later");
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"later"});
}

TEST_F(SqsModel, PurgeOncePerMinute) {
  auto q = create("purge");
  send(q, "a");
  ASSERT_TRUE(q->purge());
  EXPECT_EQ(q->counts().visible, 0u);
  send(q, "b");
  auto again = q->purge();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().query_code, "AWS.SimpleQueueService.PurgeQueueInProgress");
  EXPECT_EQ(again.error().http_status, 403);
  clock.advance_ms(60000);
  EXPECT_TRUE(q->purge());
}

TEST_F(SqsModel, CreateQueueIsIdempotentOnlyWithTheSameAttributes) {
  auto q = create("idem", {{"VisibilityTimeout", "40"}});
  auto same = sqs->create(ctx, "idem", {{"VisibilityTimeout", "40"}}, {});
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, q);
  auto other = sqs->create(ctx, "idem", {{"VisibilityTimeout", "41"}}, {});
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().query_code, "QueueAlreadyExists");
  EXPECT_FALSE(sqs->create(ctx, "bad name", {}, {}));
  EXPECT_FALSE(sqs->create(ctx, "nosuffix", {{"FifoQueue", "true"}}, {}));
  auto bad_attr = sqs->create(ctx, "x", {{"VisibilityTimeout", "43201"}}, {});
  EXPECT_EQ(bad_attr.error().message, "Invalid value for the parameter VisibilityTimeout.");
  auto unknown = sqs->create(ctx, "y", {{"ContentBasedDeduplication", "true"}}, {});
  EXPECT_EQ(unknown.error().message, "Unknown Attribute ContentBasedDeduplication.");
}

TEST_F(SqsModel, LongPollWakesWhenAMessageArrives) {
  auto q = create("poll");
  std::optional<std::vector<Delivery>> got;
  ReceiveRequest r;
  sqs->receive(q, r, 20000, [&](Result<ReceiveResult> res) { got = res->messages; });
  scheduler.run();
  EXPECT_FALSE(got);
  clock.advance_ms(5000);
  scheduler.run();
  EXPECT_FALSE(got);
  send(q, "hello");
  scheduler.run();
  ASSERT_TRUE(got);
  EXPECT_EQ(bodies(*got), std::vector<std::string>{"hello"});
}

TEST_F(SqsModel, LongPollWakesWhenADelayEndsOrTimesOut) {
  auto q = create("poll2");
  send(q, "later", 3);
  std::optional<std::vector<Delivery>> got;
  sqs->receive(q, ReceiveRequest{}, 20000, [&](Result<ReceiveResult> res) { got = res->messages; });
  scheduler.advance(2900);
  EXPECT_FALSE(got);
  scheduler.advance(100);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 1u);

  std::optional<std::vector<Delivery>> none;
  sqs->receive(q, ReceiveRequest{}, 2000, [&](Result<ReceiveResult> res) { none = res->messages; });
  scheduler.advance(1900);
  EXPECT_FALSE(none);
  scheduler.advance(100);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(SqsModel, MoveTaskRedrivesBackToTheSource) {
  auto dlq = create("mt-dlq");
  auto q = create("mt-src", {{"VisibilityTimeout", "0"},
                             {"RedrivePolicy", R"({"deadLetterTargetArn":")" + dlq->arn() + R"(","maxReceiveCount":1})"}});
  for (int i = 0; i < 5; ++i) send(q, "m" + std::to_string(i));
  receive(q, 10);
  EXPECT_TRUE(receive(q, 10).empty());  // all five moved
  EXPECT_EQ(dlq->counts().visible, 5u);
  auto task = sqs->start_move_task(ctx, dlq, nullptr, std::nullopt);
  ASSERT_TRUE(task);
  scheduler.run();
  EXPECT_EQ(dlq->counts().visible, 0u);
  EXPECT_EQ(q->counts().visible, 5u);
  auto tasks = sqs->move_tasks(dlq->arn());
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].status, "COMPLETED");
  EXPECT_EQ(tasks[0].moved, 5);
  auto back = receive(q, 10);
  ASSERT_EQ(back.size(), 5u);
  EXPECT_EQ(back[0].state.receive_count, 1u);  // counts start over after a redrive
  EXPECT_TRUE(back[0].record.dlq_source_arn.empty());
}

// Records beyond the queue's in-memory cache are read back from RocksDB; either way a receive
// returns what was sent, and a deleted message's memory is given back to the cache.
TEST_F(SqsModel, LargeBacklogsAreReadFromDisk) {
  auto q = create("big");
  std::vector<std::string> sent;
  for (int i = 0; i < 7; ++i) {
    sent.push_back(std::string(1000000, char('a' + i)));
    send(q, sent.back());
  }
  std::vector<std::string> got;
  for (int round = 0; round < 7; ++round) {
    auto d = receive(q, 1);
    ASSERT_EQ(d.size(), 1u);
    got.push_back(d[0].record.body);
    EXPECT_EQ(d[0].record.md5_body, md5_hex_of(sent[size_t(round)]));
    ASSERT_TRUE(q->delete_messages({d[0].receipt_handle})[0]);
  }
  EXPECT_EQ(got, sent);
  send(q, "again");
  EXPECT_EQ(bodies(receive(q)), std::vector<std::string>{"again"});
}

// A data dir of its own, removed before and after, and a manual clock: queues reopened from disk.
class SqsDurability : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir = (std::filesystem::temp_directory_path() / ("sqs-" + name + "-" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir);
    ctx.account = "000000000000";
    ctx.region = "us-east-1";
    ctx.clock = &clock;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }

  std::string dir;
  ManualClock clock{1700000000000};
  Context ctx;
};

TEST_F(SqsDurability, InFlightMessagesSurviveARestartAndReappearAfterTheirTimeout) {
  std::string kept_id, in_flight_id;
  {
    auto store = open_store(dir, false);
    Sqs sqs(*store, clock, nullptr);
    ASSERT_TRUE(sqs.load());
    auto q = *sqs.create(ctx, "durable", {{"VisibilityTimeout", "30"}}, {{"team", "a"}});
    SendRequest r;
    for (auto body : {"deleted", "in-flight", "waiting"}) {
      r.body = body;
      ASSERT_TRUE(q->send({r}));
    }
    ReceiveRequest two;
    two.max = 2;
    std::vector<Delivery> got;
    sqs.receive(q, two, 0, [&](Result<ReceiveResult> res) { got = res->messages; });
    ASSERT_EQ(got.size(), 2u);
    ASSERT_TRUE(q->delete_messages({got[0].receipt_handle})[0]);
    in_flight_id = got[1].record.message_id;
  }
  {
    auto store = open_store(dir, false);
    Sqs sqs(*store, clock, nullptr);
    ASSERT_TRUE(sqs.load());
    auto q = sqs.find("000000000000", "us-east-1", "durable");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->tags().at("team"), "a");
    Counts c = q->counts();
    EXPECT_EQ(c.visible, 1u);
    EXPECT_EQ(c.not_visible, 1u);
    clock.advance_ms(30000);
    ReceiveRequest all;
    all.max = 10;
    std::vector<Delivery> got;
    sqs.receive(q, all, 0, [&](Result<ReceiveResult> res) { got = res->messages; });
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].record.message_id, in_flight_id);
    EXPECT_EQ(got[0].state.receive_count, 2u);
    EXPECT_EQ(got[1].record.body, "waiting");
  }
}

// After a restart the queue remembers no issued MAC: handles from before are checked by computing it.
TEST_F(SqsDurability, HandlesIssuedBeforeARestartStillDelete) {
  std::string handle;
  {
    auto store = open_store(dir, false);
    Sqs sqs(*store, clock, nullptr);
    ASSERT_TRUE(sqs.load());
    auto q = *sqs.create(ctx, "handles", {{"VisibilityTimeout", "30"}}, {});
    SendRequest r;
    r.body = "m";
    ASSERT_TRUE(q->send({r}));
    sqs.receive(q, ReceiveRequest{}, 0, [&](Result<ReceiveResult> res) { handle = res->messages.at(0).receipt_handle; });
    ASSERT_FALSE(handle.empty());
  }
  {
    auto store = open_store(dir, false);
    Sqs sqs(*store, clock, nullptr);
    ASSERT_TRUE(sqs.load());
    auto q = sqs.find("000000000000", "us-east-1", "handles");
    ASSERT_TRUE(q);
    std::string forged = *base64_decode(handle);
    forged.back() ^= 1;
    EXPECT_EQ(q->delete_messages({base64_encode(forged)})[0].error().code, "ReceiptHandleIsInvalid");
    EXPECT_TRUE(q->delete_messages({handle})[0]);
    EXPECT_EQ(q->counts().not_visible, 0u);
  }
}

}  // namespace
}  // namespace streamlab::sqs
