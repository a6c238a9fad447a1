// The SNS model with the real SQS model under a manual clock: fan-out to queues (envelope and raw),
// filter policies, FIFO order and deduplication, retries of a missing queue, webhook retries ending
// in the dead-letter queue, and pending deliveries surviving a restart.
#include "emulators/sns/sns.h"

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

  void open_sns() {
    SnsOptions opt;
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

  Result<PublishResult> publish(const std::string& topic_arn, const std::string& message,
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
