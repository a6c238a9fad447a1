"""Webhooks: a local receiver (http.server on 127.0.0.1) gets the SubscriptionConfirmation, confirms by
following SubscribeURL back to this server, then receives notifications with AWS's headers and verifies
every signature with the certificate downloaded from SigningCertURL. Retries follow the delivery policy,
and what finally fails lands in the subscription's dead-letter queue."""
import json
import time
import unittest
import urllib.request

from sns_testlib import Receiver, SnsTest, verify_signature

FAST_RETRIES = json.dumps({"healthyRetryPolicy": {"numRetries": 3, "minDelayTarget": 1, "maxDelayTarget": 1}})


class Webhooks(SnsTest):
    def receiver(self, **kwargs):
        r = Receiver(**kwargs)
        self.addCleanup(r.close)
        return r

    def test_confirm_receive_and_verify(self):
        hook = self.receiver()
        arn = self.topic("hooks")
        out = self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url)
        self.assertEqual(out["SubscriptionArn"], "pending confirmation")
        [conf] = hook.wait("SubscriptionConfirmation", 1)
        doc = json.loads(conf["body"])
        self.assertEqual(list(doc), ["Type", "MessageId", "Token", "TopicArn", "Message", "SubscribeURL", "Timestamp",
                                     "SignatureVersion", "Signature", "SigningCertURL"])
        self.assertEqual(doc["Message"], f"You have chosen to subscribe to the topic {arn}.\nTo confirm the "
                                         "subscription, visit the SubscribeURL included in this message.")
        self.assertTrue(doc["SubscribeURL"].startswith(
            f"http://127.0.0.1:{self.server.port}/?Action=ConfirmSubscription&TopicArn={arn}&Token="))
        self.assertEqual(conf["headers"]["x-amz-sns-message-type"], "SubscriptionConfirmation")
        self.assertEqual(conf["headers"]["x-amz-sns-topic-arn"], arn)
        self.assertEqual(conf["headers"]["x-amz-sns-message-id"], doc["MessageId"])
        self.assertNotIn("x-amz-sns-subscription-arn", conf["headers"])
        self.assertEqual(conf["headers"]["content-type"], "text/plain; charset=UTF-8")
        self.assertEqual(conf["headers"]["user-agent"], "Amazon Simple Notification Service Agent")
        self.assertTrue(verify_signature(doc))

        # The receiver followed SubscribeURL (an unsigned GET); the subscription is confirmed.
        deadline = time.time() + 10
        while time.time() < deadline:
            subs = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
            if subs[0]["SubscriptionArn"] != "PendingConfirmation":
                break
            time.sleep(0.05)
        sub = subs[0]["SubscriptionArn"]
        attrs = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(attrs["PendingConfirmation"], "false")
        self.assertEqual(attrs["ConfirmationWasAuthenticated"], "false")
        self.assertIn("healthyRetryPolicy", json.loads(attrs["EffectiveDeliveryPolicy"]))

        for i in range(5):
            self.sns.publish(TopicArn=arn, Message=f"event {i}", Subject="s",
                             MessageAttributes={"i": {"DataType": "Number", "StringValue": str(i)}})
        notes = hook.wait("Notification", 5)
        self.assertEqual(len(notes), 5)
        self.assertEqual(sorted(json.loads(n["body"])["Message"] for n in notes), [f"event {i}" for i in range(5)])
        cert = urllib.request.urlopen(json.loads(notes[0]["body"])["SigningCertURL"], timeout=5).read()
        for n in notes:
            doc = json.loads(n["body"])
            self.assertEqual(n["headers"]["x-amz-sns-subscription-arn"], sub)
            self.assertEqual(n["headers"]["x-amz-sns-message-id"], doc["MessageId"])
            self.assertEqual(doc["Subject"], "s")
            self.assertEqual(doc["MessageAttributes"]["i"]["Type"], "Number")
            self.assertTrue(verify_signature(doc, cert))

    def test_no_notifications_before_confirmation(self):
        hook = self.receiver(confirm=False)
        arn = self.topic("unconfirmed")
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url)
        [conf] = hook.wait("SubscriptionConfirmation", 1)
        self.sns.publish(TopicArn=arn, Message="not yet")
        time.sleep(0.5)
        self.assertEqual(hook.of_type("Notification", status=None), [])
        token = json.loads(conf["body"])["Token"]
        self.assert_error(lambda: self.sns.confirm_subscription(TopicArn=arn, Token="0" * 20), "InvalidParameter",
                          "Invalid parameter: Token")
        sub = self.sns.confirm_subscription(TopicArn=arn, Token=token)["SubscriptionArn"]
        attrs = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(attrs["ConfirmationWasAuthenticated"], "true")
        self.sns.publish(TopicArn=arn, Message="now")
        [note] = hook.wait("Notification", 1)
        self.assertEqual(json.loads(note["body"])["Message"], "now")

    def test_raw_delivery_and_content_type(self):
        hook = self.receiver()
        arn = self.topic("rawhook")
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url, ReturnSubscriptionArn=True,
                           Attributes={"RawMessageDelivery": "true", "DeliveryPolicy": json.dumps(
                               {"requestPolicy": {"headerContentType": "application/json"}})})
        hook.wait("SubscriptionConfirmation", 1)
        self.wait_confirmed(arn)
        self.sns.publish(TopicArn=arn, Message='{"raw": true}')
        [note] = hook.wait("Notification", 1)
        self.assertEqual(note["body"], '{"raw": true}')
        self.assertEqual(note["headers"]["x-amz-sns-rawdelivery"], "true")
        self.assertEqual(note["headers"]["content-type"], "application/json")

    def wait_confirmed(self, arn, n=1):
        deadline = time.time() + 10
        while time.time() < deadline:
            subs = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
            done = [s for s in subs if s["SubscriptionArn"] != "PendingConfirmation"]
            if len(done) >= n:
                return done
            time.sleep(0.05)
        self.fail("subscription never confirmed")

    def test_retries_until_the_endpoint_recovers(self):
        hook = self.receiver(statuses=[])
        arn = self.topic("flaky")
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url,
                           Attributes={"DeliveryPolicy": FAST_RETRIES})
        hook.wait("SubscriptionConfirmation", 1)
        self.wait_confirmed(arn)
        with hook.lock:
            hook.statuses = [500, 503]
        self.sns.publish(TopicArn=arn, Message="eventually")
        got = hook.wait("Notification", 1, timeout=10)
        self.assertEqual(len(got), 1)
        attempts = hook.of_type("Notification", status=None)
        self.assertEqual([a["status"] for a in attempts], [500, 503, 200])
        ids = {a["headers"]["x-amz-sns-message-id"] for a in attempts}
        self.assertEqual(len(ids), 1, "retries keep the original MessageId")

    def test_dead_letter_queue_gets_what_finally_fails(self):
        hook = self.receiver()
        dlq_url, dlq = self.queue("hook-dlq")
        arn = self.topic("doomed")
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url,
                           Attributes={"DeliveryPolicy": FAST_RETRIES,
                                       "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq})})
        hook.wait("SubscriptionConfirmation", 1)
        self.wait_confirmed(arn)
        with hook.lock:
            hook.statuses = [500] * 10
        self.sns.publish(TopicArn=arn, Message="never delivered")
        [m] = self.receive_all(dlq_url, 1, timeout=15)
        self.assertEqual(json.loads(m["Body"])["Message"], "never delivered")
        self.assertEqual(m["MessageAttributes"]["ErrorCode"]["StringValue"], "HTTP500")
        self.assertIn("RequestID", m["MessageAttributes"])
        self.assertEqual(len(hook.of_type("Notification", status=500)), 4)  # 1 attempt + 3 retries

    def test_https_endpoint_with_a_self_signed_certificate(self):
        hook = self.receiver(tls=True)
        arn = self.topic("secure")
        self.sns.subscribe(TopicArn=arn, Protocol="https", Endpoint=hook.url)
        hook.wait("SubscriptionConfirmation", 1)
        self.wait_confirmed(arn)
        self.sns.publish(TopicArn=arn, Message="over TLS")
        [note] = hook.wait("Notification", 1)
        doc = json.loads(note["body"])
        self.assertEqual(doc["Message"], "over TLS")
        self.assertTrue(verify_signature(doc))

    def test_refused_and_hanging_endpoints_do_not_block_the_server(self):
        hang = self.receiver(delay=3)
        arn = self.topic("slow")
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hang.url)
        dead = "http://127.0.0.1:1/nothing-listens-here"
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=dead)
        start = time.time()
        for i in range(20):
            self.sns.publish(TopicArn=arn, Message=str(i))
        self.assertLess(time.time() - start, 2.0, "publishing must not wait for endpoints")
        self.assertIn("Topics", self.sns.list_topics())

    def test_unsubscribe_url_sends_an_unsubscribe_confirmation(self):
        hook = self.receiver()
        arn = self.topic("bye")
        self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url)
        hook.wait("SubscriptionConfirmation", 1)
        self.wait_confirmed(arn)
        self.sns.publish(TopicArn=arn, Message="last one")
        [note] = hook.wait("Notification", 1)
        doc = json.loads(note["body"])
        urllib.request.urlopen(doc["UnsubscribeURL"], timeout=5).read()
        [bye] = hook.wait("UnsubscribeConfirmation", 1)
        bye_doc = json.loads(bye["body"])
        self.assertTrue(bye_doc["Message"].startswith("You have chosen to deactivate subscription "))
        self.assertTrue(verify_signature(bye_doc))
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"], [])


class Shutdown(unittest.TestCase):
    def test_a_hanging_endpoint_does_not_hold_up_shutdown(self):
        import harness
        server = harness.Server(("--state-delay-ms", "0")).start()
        hook = Receiver(delay=30)
        try:
            sns = server.client("sns")
            arn = sns.create_topic(Name="hang")["TopicArn"]
            sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=hook.url)
            time.sleep(0.5)  # the confirmation POST is now hanging in the receiver
            start = time.time()
            self.assertEqual(server.stop(), 0)
            self.assertLess(time.time() - start, 5)
        finally:
            server.close()
            hook.httpd.server_close()


if __name__ == "__main__":
    unittest.main()
