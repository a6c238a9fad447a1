// The SNS model with the real SQS model under a manual clock: fan-out to queues (envelope and raw),
// filter policies, FIFO order and deduplication (across a restart too), retries of a missing queue,
// webhook retries ending in the dead-letter queue, acknowledged publishes and pending deliveries
// surviving a restart, the fan-out backlog's limit, and unconfirmed subscriptions expiring.
#include "emulators/sns/sns.h"

#include <chrono>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "emulators/sns/delivery_policy.h"
#include "emulators/sns/envelope.h"
#include "emulators/sqs/sqs.h"
#include "emulators/sqs/test_support.h"

namespace streamlab::sns {
namespace {

class SnsModel : public ::testing::Test {
 protected:
  void SetUp() override {
    static int n = 0;
    storage::StoreOptions o;
    o.path = "/sns-model-" + std::to_string(++n);
    o.in_memory = true;
    store = std::move(*storage::Store::open(o));
    sqs = std::make_unique<sqs::Sqs>(*store, clock, &scheduler);
    ASSERT_TRUE(sqs->load());
    open_sns();
    ctx.account = "000000000000";
    ctx.region = "us-east-1";
    ctx.host = "localhost:4566";
    ctx.clock = &clock;
  }

  void open_sns(SnsOptions opt = {}) {
    opt.http_timeout_ms = 2000;
    sns = std::make_unique<Sns>(*store, clock, sqs.get(), opt);
    ASSERT_TRUE(sns->load());
  }

  sqs::QueuePtr queue(const std::string& name, sqs::AttributeMap attrs = {}) {
    auto q = sqs->create(ctx, name, attrs, {});
    EXPECT_TRUE(q) << (q ? "" : q.error().message);
    return *q;
  }

  std::string topic(const std::string& name, std::map<std::string, std::string> attrs = {}) {
    auto arn = sns->create_topic(ctx, name, attrs, {}, "");
    EXPECT_TRUE(arn) << (arn ? "" : arn.error().message);
    return *arn;
  }

  std::string subscribe(const std::string& topic_arn, const std::string& protocol, const std::string& endpoint,
                        std::map<std::string, std::string> attrs = {}) {
    auto arn = sns->subscribe(ctx, topic_arn, protocol, endpoint, attrs, true);
    EXPECT_TRUE(arn) << (arn ? "" : arn.error().message);
    return arn ? *arn : "";
  }

  // Publish as the action calls it (acknowledged once the record is committed).
  Result<PublishResult> accept(const std::string& topic_arn, const std::string& message,
                               MessageAttributes attrs = {}, const std::string& group = "",
                               const std::string& dedup = "") {
    auto t = sns->topic(topic_arn);
    EXPECT_TRUE(t);
    PublishRequest r;
    r.message = message;
    r.attributes = std::move(attrs);
    r.group_id = group;
    r.dedup_id = dedup;
    return sns->publish(ctx, *t, std::move(r));
  }

  // Publish, then the fan-out the server's thread would run.
  Result<PublishResult> publish(const std::string& topic_arn, const std::string& message,
                                MessageAttributes attrs = {}, const std::string& group = "",
                                const std::string& dedup = "") {
    auto out = accept(topic_arn, message, std::move(attrs), group, dedup);
    sns->fanout().run_pending();
    return out;
  }

  std::vector<sqs::Delivery> receive(const sqs::QueuePtr& q, int max = 10) {
    sqs::ReceiveRequest r;
    r.max = max;
    std::vector<sqs::Delivery> got;
    sqs->receive(q, r, 0, [&](Result<sqs::ReceiveResult> res) {
      ASSERT_TRUE(res);
      got = res->messages;
    });
    return got;
  }

  ManualClock clock{1700000000000};
  sqs::testing::ManualScheduler scheduler{clock};
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<sqs::Sqs> sqs;
  std::unique_ptr<Sns> sns;
  Context ctx;
};

TEST_F(SnsModel, EnvelopeToSqsIsSignedAndVerifiable) {
  auto q = queue("q1");
  std::string t = topic("orders");
  std::string sub = subscribe(t, "sqs", q->arn());
  MessageAttributes attrs;
  attrs["color"] = {"String", "red", false};
  auto out = publish(t, "hello", attrs);
  ASSERT_TRUE(out);
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  json body = json::parse(got[0].record.body);
  EXPECT_EQ(body["Type"], "Notification");
  EXPECT_EQ(body["MessageId"], out->message_id);
  EXPECT_EQ(body["TopicArn"], t);
  EXPECT_EQ(body["Message"], "hello");
  EXPECT_EQ(body["Timestamp"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(body["SignatureVersion"], "1");
  EXPECT_EQ(body["UnsubscribeURL"], "http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=" + sub);
  EXPECT_EQ(body["MessageAttributes"]["color"], json({{"Type", "String"}, {"Value", "red"}}));
  const Signer* signer = sns->signer();
  ASSERT_NE(signer, nullptr);
  EXPECT_EQ(body["SigningCertURL"], "http://localhost:4566/" + signer->certificate_file());
  Envelope e;
  e.message = body["Message"];
  e.message_id = body["MessageId"];
  e.timestamp = body["Timestamp"];
  e.topic_arn = body["TopicArn"];
  EXPECT_TRUE(Signer::verify(signer->certificate_pem(), canonical_string(e), body["Signature"].get<std::string>(), 1));
  EXPECT_EQ(got[0].record.sender_id, "AIDAIT2UOQQY3AUEKVGXU");
}

TEST_F(SnsModel, RawDeliveryMapsAttributes) {
  auto q = queue("raw");
  std::string t = topic("t");
  subscribe(t, "sqs", q->arn(), {{"RawMessageDelivery", "True"}});
  MessageAttributes attrs;
  attrs["n"] = {"Number", "42", false};
  attrs["b"] = {"Binary", std::string("\x00\x01", 2), true};
  ASSERT_TRUE(publish(t, "plain body", attrs));
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].record.body, "plain body");
  ASSERT_EQ(got[0].record.attributes.size(), 2u);
  EXPECT_EQ(got[0].record.attributes["n"].data_type, "Number");
  EXPECT_EQ(got[0].record.attributes["n"].value, "42");
  EXPECT_TRUE(got[0].record.attributes["b"].binary);
  EXPECT_EQ(got[0].record.attributes["b"].value, std::string("\x00\x01", 2));
}

TEST_F(SnsModel, FilterPoliciesChooseQueues) {
  auto red = queue("red"), blue = queue("blue"), all = queue("all");
  std::string t = topic("colors");
  subscribe(t, "sqs", red->arn(), {{"FilterPolicy", R"({"color":["red"]})"}});
  subscribe(t, "sqs", blue->arn(), {{"FilterPolicy", R"({"color":[{"prefix":"bl"}]})"}});
  subscribe(t, "sqs", all->arn());
  for (std::string c : {"red", "blue", "green"}) {
    MessageAttributes a;
    a["color"] = {"String", c, false};
    ASSERT_TRUE(publish(t, c, a));
  }
  EXPECT_EQ(receive(red).size(), 1u);
  EXPECT_EQ(receive(blue).size(), 1u);
  EXPECT_EQ(receive(all).size(), 3u);
  auto bad = sns->subscribe(ctx, t, "sqs", queue("x")->arn(), {{"FilterPolicy", R"({"a":"b"})"}}, true);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message.rfind("Invalid parameter: Attributes Reason: FilterPolicy: \"a\" must be", 0), 0u);
}

TEST_F(SnsModel, FifoTopicKeepsOrderAndDeduplicates) {
  auto q = queue("q.fifo", {{"FifoQueue", "true"}});
  std::string t = topic("t.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}});
  subscribe(t, "sqs", q->arn(), {{"RawMessageDelivery", "true"}});
  std::string last;
  for (int i = 0; i < 5; ++i) {
    auto out = publish(t, "m" + std::to_string(i), {}, "g");
    ASSERT_TRUE(out);
    EXPECT_EQ(out->sequence_number.size(), 20u);
    EXPECT_GT(out->sequence_number, last);
    last = out->sequence_number;
  }
  auto dup = publish(t, "m0", {}, "g");  // same content within 5 minutes: accepted, not delivered
  ASSERT_TRUE(dup);
  std::vector<std::string> bodies;
  for (int round = 0; round < 5 && bodies.size() < 5; ++round) {
    auto got = receive(q, 10);
    for (auto& d : got) bodies.push_back(d.record.body);
    std::vector<std::string> handles;
    for (auto& d : got) handles.push_back(d.receipt_handle);
    q->delete_messages(handles);
  }
  EXPECT_EQ(bodies, (std::vector<std::string>{"m0", "m1", "m2", "m3", "m4"}));
  EXPECT_TRUE(receive(q).empty());
  clock.advance_ms(5 * 60 * 1000 + 1);
  ASSERT_TRUE(publish(t, "m0", {}, "g"));
}

TEST_F(SnsModel, MissingQueueIsRetriedFromTheOutbox) {
  std::string t = topic("t");
  std::string arn = "arn:aws:sqs:us-east-1:000000000000:later";
  subscribe(t, "sqs", arn);
  ASSERT_TRUE(publish(t, "wait for me"));
  EXPECT_EQ(sns->deliveries().pending(), 1u);
  sns->deliveries().run_due();  // the immediate retries fail too
  EXPECT_EQ(sns->deliveries().pending(), 1u);
  auto q = queue("later");
  clock.advance_ms(1000);
  sns->deliveries().run_due();
  EXPECT_EQ(sns->deliveries().pending(), 0u);
  ASSERT_EQ(receive(q).size(), 1u);
}

TEST_F(SnsModel, WebhookRetriesThenDeadLetterQueue) {
  auto dlq = queue("dlq");
  std::string t = topic("hooks");
  std::string sub = subscribe(
      t, "http", "http://127.0.0.1:1/hook",
      {{"DeliveryPolicy", R"({"healthyRetryPolicy":{"numRetries":2,"minDelayTarget":1,"maxDelayTarget":1}})"},
       {"RedrivePolicy", json({{"deadLetterTargetArn", dlq->arn()}}).dump()}});
  auto s = sns->subscription(sub);
  ASSERT_TRUE(s);
  EXPECT_TRUE((*s)->pending);
  auto confirmed = sns->confirm(ctx, t, (*s)->token);
  ASSERT_TRUE(confirmed);
  EXPECT_EQ(*confirmed, sub);
  ASSERT_TRUE(publish(t, "to a dead endpoint"));
  for (int i = 0; i < 4; ++i) {
    sns->deliveries().run_due();
    clock.advance_ms(1000);
  }
  sns->deliveries().run_due();
  EXPECT_EQ(sns->deliveries().pending(), 0u);
  auto got = receive(dlq);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(json::parse(got[0].record.body)["Message"], "to a dead endpoint");
  EXPECT_EQ(got[0].record.attributes.count("ErrorCode"), 1u);
  EXPECT_EQ(got[0].record.attributes["ErrorCode"].value, "EndpointUnavailable");
}

TEST_F(SnsModel, PendingDeliveriesSurviveARestart) {
  std::string t = topic("t");
  std::string sub = subscribe(t, "http", "http://127.0.0.1:1/");
  ASSERT_TRUE(sns->confirm(ctx, t, (*sns->subscription(sub))->token));
  sns->deliveries().run_due();  // the confirmation was dropped once confirmed
  ASSERT_TRUE(publish(t, "durable"));
  EXPECT_EQ(sns->deliveries().pending(), 1u);
  sns.reset();
  open_sns();
  EXPECT_EQ(sns->deliveries().pending(), 1u);
  auto again = sns->subscription(sub);
  ASSERT_TRUE(again);
  EXPECT_FALSE((*again)->pending);
}

TEST_F(SnsModel, AcknowledgedPublishesWaitForTheFanoutAndSurviveARestart) {
  auto q = queue("later");
  std::string t = topic("t");
  std::string sub = subscribe(t, "sqs", q->arn());
  auto first = accept(t, "one");
  ASSERT_TRUE(first);
  ASSERT_TRUE(accept(t, "two"));
  EXPECT_EQ(sns->fanout().backlog(), 2u);
  EXPECT_TRUE(receive(q).empty());  // acknowledged, not yet delivered
  sns.reset();                      // as after kill -9: the records are all that is left
  open_sns();
  EXPECT_EQ(sns->fanout().backlog(), 2u);
  EXPECT_EQ(sns->fanout().run_pending(), 2u);
  EXPECT_EQ(sns->fanout().backlog(), 0u);
  auto got = receive(q);
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> messages;
  for (auto& d : got) {
    json body = json::parse(d.record.body);
    messages.insert(body["Message"].get<std::string>());
    if (body["Message"] == "one") {
      EXPECT_EQ(body["MessageId"], first->message_id);  // the id Publish answered
      EXPECT_EQ(body["UnsubscribeURL"], "http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=" + sub);
    }
  }
  EXPECT_EQ(messages, (std::set<std::string>{"one", "two"}));
  sns.reset();  // fanned out: nothing comes back
  open_sns();
  EXPECT_EQ(sns->fanout().backlog(), 0u);
}

TEST_F(SnsModel, OneSignatureAndOneSendPerQueueForABatch) {
  auto a = queue("a"), b = queue("b");
  std::string t = topic("t");
  std::string sa = subscribe(t, "sqs", a->arn()), sb = subscribe(t, "sqs", b->arn());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(accept(t, "m" + std::to_string(i)));
  EXPECT_EQ(sns->fanout().run_pending(), 5u);
  auto from_a = receive(a), from_b = receive(b);
  ASSERT_EQ(from_a.size(), 5u);
  ASSERT_EQ(from_b.size(), 5u);
  // The same message reaches both queues with the same signature and its own UnsubscribeURL.
  json ja = json::parse(from_a[0].record.body);
  for (auto& d : from_b) {
    json jb = json::parse(d.record.body);
    if (jb["MessageId"] != ja["MessageId"]) continue;
    EXPECT_EQ(jb["Signature"], ja["Signature"]);
    EXPECT_EQ(ja["UnsubscribeURL"], "http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=" + sa);
    EXPECT_EQ(jb["UnsubscribeURL"], "http://localhost:4566/?Action=Unsubscribe&SubscriptionArn=" + sb);
  }
}

TEST_F(SnsModel, TheFanoutThreadKeepsFifoOrderAndDeliversEverything) {
  auto fifo_q = queue("q.fifo", {{"FifoQueue", "true"}});
  auto std_q = queue("std");
  std::string fifo_t = topic("t.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}});
  std::string std_t = topic("t");
  subscribe(fifo_t, "sqs", fifo_q->arn(), {{"RawMessageDelivery", "true"}});
  subscribe(std_t, "sqs", std_q->arn(), {{"RawMessageDelivery", "true"}});
  sns->fanout().start();  // the server's fan-out thread, running while publishes arrive
  constexpr int kCount = 300;
  for (int i = 0; i < kCount; ++i) {
    ASSERT_TRUE(accept(fifo_t, "f" + std::to_string(i), {}, "g"));
    ASSERT_TRUE(accept(std_t, "s" + std::to_string(i)));
  }
  for (int i = 0; i < 500 && sns->fanout().backlog() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  sns->fanout().stop();
  ASSERT_EQ(sns->fanout().backlog(), 0u);
  std::vector<std::string> fifo_bodies;
  std::set<std::string> std_bodies;
  for (int round = 0; round < 2 * kCount && fifo_bodies.size() < size_t(kCount); ++round) {
    auto got = receive(fifo_q, 10);
    std::vector<std::string> handles;
    for (auto& d : got) {
      fifo_bodies.push_back(d.record.body);
      handles.push_back(d.receipt_handle);
    }
    fifo_q->delete_messages(handles);
  }
  for (int round = 0; round < 2 * kCount && std_bodies.size() < size_t(kCount); ++round) {
    auto got = receive(std_q, 10);
    std::vector<std::string> handles;
    for (auto& d : got) {
      std_bodies.insert(d.record.body);
      handles.push_back(d.receipt_handle);
    }
    std_q->delete_messages(handles);
  }
  ASSERT_EQ(fifo_bodies.size(), size_t(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(fifo_bodies[i], "f" + std::to_string(i));
  EXPECT_EQ(std_bodies.size(), size_t(kCount));
}

TEST_F(SnsModel, UnsubscribedBeforeTheFanoutReceivesNothing) {
  auto q = queue("q");
  std::string t = topic("t");
  std::string sub = subscribe(t, "sqs", q->arn());
  ASSERT_TRUE(accept(t, "too late"));
  ASSERT_TRUE(sns->unsubscribe(ctx, sub));
  sns->fanout().run_pending();
  EXPECT_TRUE(receive(q).empty());
  EXPECT_EQ(sns->deliveries().pending(), 0u);
}

TEST_F(SnsModel, AFullFanoutBacklogThrottlesPublish) {
  SnsOptions opt;
  opt.max_fanout_backlog = 2;
  open_sns(opt);
  std::string t = topic("t");
  subscribe(t, "sqs", queue("q")->arn());
  ASSERT_TRUE(accept(t, "1"));
  ASSERT_TRUE(accept(t, "2"));
  auto third = accept(t, "3");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, "Throttled");
  EXPECT_EQ(third.error().http_status, 429);
  sns->fanout().run_pending();
  EXPECT_TRUE(accept(t, "3"));
}

TEST_F(SnsModel, FifoDeduplicationSurvivesARestart) {
  auto q = queue("q.fifo", {{"FifoQueue", "true"}});
  std::string t = topic("t.fifo", {{"FifoTopic", "true"}});
  subscribe(t, "sqs", q->arn(), {{"RawMessageDelivery", "true"}});
  auto first = publish(t, "once", {}, "g", "d-1");
  ASSERT_TRUE(first);
  sns.reset();
  open_sns();
  clock.advance_ms(60 * 1000);
  auto again = publish(t, "once", {}, "g", "d-1");  // a retry after the restart, within 5 minutes
  ASSERT_TRUE(again);
  EXPECT_EQ(again->message_id, first->message_id);
  EXPECT_EQ(again->sequence_number, first->sequence_number);
  auto got = receive(q);
  ASSERT_EQ(got.size(), 1u);
  q->delete_messages({got[0].receipt_handle});
  // Past the window the entry is deleted from RocksDB too, and the id is new again.
  clock.advance_ms(4 * 60 * 1000 + 1);
  sns->maintain();
  sns.reset();
  open_sns();
  auto later = publish(t, "once", {}, "g", "d-1");
  ASSERT_TRUE(later);
  EXPECT_NE(later->message_id, first->message_id);
  EXPECT_GT(later->sequence_number, first->sequence_number);
}

TEST_F(SnsModel, UnconfirmedSubscriptionsExpireAfter48Hours) {
  std::string t = topic("t");
  std::string pending = subscribe(t, "http", "http://127.0.0.1:1/pending");
  std::string confirmed = subscribe(t, "http", "http://127.0.0.1:1/confirmed");
  std::string token = (*sns->subscription(pending))->token;
  ASSERT_TRUE(sns->confirm(ctx, t, (*sns->subscription(confirmed))->token));
  std::string queue_sub = subscribe(t, "sqs", queue("q")->arn());
  clock.advance_ms(48LL * 3600 * 1000 - 1);
  sns->maintain();
  EXPECT_TRUE(sns->subscription(pending));
  sns.reset();  // the age counts from Subscribe, not from the last start
  open_sns();
  clock.advance_ms(1);
  sns->maintain();
  EXPECT_FALSE(sns->subscription(pending));
  EXPECT_TRUE(sns->subscription(confirmed));
  EXPECT_TRUE(sns->subscription(queue_sub));
  auto late = sns->confirm(ctx, t, token);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message, "Invalid parameter: Token");
  EXPECT_EQ(sns->subscriptions_of(t).size(), 2u);
  sns.reset();
  open_sns();
  EXPECT_FALSE(sns->subscription(pending));
}

TEST_F(SnsModel, RetryScheduleFollowsThePolicy) {
  RetryPolicy p;
  p.num_retries = 10;
  p.num_no_delay = 1;
  p.num_min_delay = 2;
  p.num_max_delay = 2;
  p.min_delay_s = 2;
  p.max_delay_s = 12;
  EXPECT_EQ(retry_delay_ms(p, 1), 0);
  EXPECT_EQ(retry_delay_ms(p, 2), 2000);
  EXPECT_EQ(retry_delay_ms(p, 3), 2000);
  EXPECT_EQ(retry_delay_ms(p, 4), 4000);  // linear backoff over 5 steps: 4, 6, 8, 10, 12
  EXPECT_EQ(retry_delay_ms(p, 8), 12000);
  EXPECT_EQ(retry_delay_ms(p, 10), 12000);
  EXPECT_FALSE(retry_delay_ms(p, 11));
  EXPECT_EQ(retry_delay_ms(http_default_policy(), 3), 20000);
  EXPECT_FALSE(retry_delay_ms(http_default_policy(), 4));
}

TEST_F(SnsModel, TopicDeletionTakesItsSubscriptions) {
  std::string t = topic("gone");
  std::string sub = subscribe(t, "sqs", queue("q")->arn());
  ASSERT_TRUE(sns->delete_topic(t));
  EXPECT_FALSE(sns->subscription(sub));
  EXPECT_TRUE(sns->delete_topic(t));  // idempotent
  auto again = sns->create_topic(ctx, "gone", {}, {}, "");
  ASSERT_TRUE(again);
  EXPECT_TRUE(sns->subscriptions_of(*again).empty());
}

}  // namespace
}  // namespace streamlab::sns
