"""kill -9 between publish and delivery: every publish that was acknowledged is delivered after the
restart, to the webhook that was down when it was published (pending deliveries live in RocksDB) and
to the SQS queues (Publish answers once its record is committed; the fan-out left behind resumes at
start-up). Also what else must outlive a kill -9: a FIFO topic's deduplication window, and an
unconfirmed subscription (still pending, still confirmable, its age kept for its 48-hour expiry)."""
import json
import shutil
import socket
import tempfile
import threading
import time
import unittest

import boto3
from botocore.config import Config

from harness import Server
from sns_testlib import ACCOUNT, REGION, FastSns, Receiver
from sqs_testlib import FastSqs

# Retries every second for a minute: long enough to outlive the restart.
PATIENT = json.dumps({"healthyRetryPolicy": {"numRetries": 60, "minDelayTarget": 1, "maxDelayTarget": 1}})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Crash(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="streamlab-sns-crash-")
        self.server = Server(("--state-delay-ms", "0", "--throttle", "off"), data_dir=self.dir).start()

    def tearDown(self):
        self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_kill_9_between_publish_and_delivery(self):
        hook_port = free_port()
        hook = Receiver(port=hook_port)
        sns = boto3.client("sns", endpoint_url=self.server.endpoint, region_name=REGION, aws_access_key_id="test",
                           aws_secret_access_key="test", config=Config(retries={"total_max_attempts": 1}))
        topic = sns.create_topic(Name="crash")["TopicArn"]
        sqs = FastSqs(self.server.port)
        url = sqs.call("CreateQueue", {"QueueName": "crash-q"})["QueueUrl"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:crash-q",
                      Attributes={"RawMessageDelivery": "true"})
        sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=hook.url, Attributes={"DeliveryPolicy": PATIENT})
        deadline = time.time() + 10
        while any(s["SubscriptionArn"] == "PendingConfirmation"
                  for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]):
            self.assertLess(time.time(), deadline, "the webhook never confirmed")
            time.sleep(0.05)
        hook.close()  # the endpoint goes down: deliveries wait in the outbox

        acked = set()
        stop = threading.Event()

        def publisher():
            client = FastSns(self.server.port)
            i = 0
            try:
                while not stop.is_set():
                    client.publish(topic, f"m{i}")
                    acked.add(f"m{i}")
                    i += 1
            except Exception:  # noqa: BLE001 - the server died mid-request
                pass

        t = threading.Thread(target=publisher)
        t.start()
        time.sleep(1.0)
        self.server.kill9()
        stop.set()
        t.join(10)
        sqs.close()
        self.assertGreater(len(acked), 20)

        hook = Receiver(port=hook_port)  # the endpoint is back
        self.addCleanup(hook.close)
        self.server.start()
        want = len(acked)
        deadline = time.time() + 30
        while time.time() < deadline:
            got = {json.loads(r["body"])["Message"] for r in hook.of_type("Notification")}
            if acked <= got:
                break
            time.sleep(0.2)
        got = {json.loads(r["body"])["Message"] for r in hook.of_type("Notification")}
        self.assertEqual(acked - got, set(), f"{len(acked - got)} of {want} acknowledged publishes never reached the "
                                              "webhook")

        sqs = FastSqs(self.server.port)
        self.addCleanup(sqs.close)
        bodies = set()
        empty = 0
        while empty < 2:
            msgs = sqs.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10,
                                               "WaitTimeSeconds": 1}).get("Messages", [])
            empty = 0 if msgs else empty + 1
            for m in msgs:
                bodies.add(m["Body"])
                sqs.call("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": m["ReceiptHandle"]})
        self.assertEqual(acked - bodies, set())

    def test_fifo_deduplication_outlives_kill_9(self):
        sns = self.server.client("sns")
        sqs = self.server.client("sqs")
        topic = sns.create_topic(Name="dedup.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
        url = sqs.create_queue(QueueName="dedup.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:dedup.fifo",
                      Attributes={"RawMessageDelivery": "true"})
        first = sns.publish(TopicArn=topic, Message="pay 10", MessageGroupId="g", MessageDeduplicationId="pay-1")
        self.server.kill9()
        self.server.start()
        sns = self.server.client("sns")
        sqs = self.server.client("sqs")
        # The producer retries after the crash, within 5 minutes: the same answer, no second message.
        again = sns.publish(TopicArn=topic, Message="pay 10", MessageGroupId="g", MessageDeduplicationId="pay-1")
        self.assertEqual(again["MessageId"], first["MessageId"])
        self.assertEqual(again["SequenceNumber"], first["SequenceNumber"])
        other = sns.publish(TopicArn=topic, Message="pay 20", MessageGroupId="g", MessageDeduplicationId="pay-2")
        self.assertGreater(int(other["SequenceNumber"]), int(first["SequenceNumber"]))
        bodies = []
        deadline = time.time() + 10
        while len(bodies) < 2 and time.time() < deadline:
            for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                bodies.append(m["Body"])
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(bodies, ["pay 10", "pay 20"])
        self.assertEqual(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []), [])

    def test_unconfirmed_subscription_outlives_kill_9(self):
        hook = Receiver(confirm=False)
        self.addCleanup(hook.close)
        sns = self.server.client("sns")
        topic = sns.create_topic(Name="pending")["TopicArn"]
        arn = sns.subscribe(TopicArn=topic, Protocol="http", Endpoint=hook.url,
                            ReturnSubscriptionArn=True)["SubscriptionArn"]
        deadline = time.time() + 10
        while not hook.of_type("SubscriptionConfirmation"):
            self.assertLess(time.time(), deadline, "no SubscriptionConfirmation arrived")
            time.sleep(0.05)
        token = json.loads(hook.of_type("SubscriptionConfirmation")[0]["body"])["Token"]
        self.server.kill9()
        self.server.start()
        sns = self.server.client("sns")
        listed = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        self.assertEqual([s["SubscriptionArn"] for s in listed], ["PendingConfirmation"])
        attrs = sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]
        self.assertEqual(attrs["PendingConfirmation"], "true")
        # Well inside the 48 hours after which SNS deletes it (sns_test.cc runs that clock).
        self.assertEqual(sns.confirm_subscription(TopicArn=topic, Token=token)["SubscriptionArn"], arn)
        self.assertEqual(sns.get_subscription_attributes(SubscriptionArn=arn)["Attributes"]["PendingConfirmation"],
                         "false")


if __name__ == "__main__":
    unittest.main()
