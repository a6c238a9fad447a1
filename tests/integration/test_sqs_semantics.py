"""SQS time rules against the real server and clock (short timeouts, real sleeps): visibility,
delays, long polls that park without holding a thread and wake the moment a message is visible,
and FIFO ordering, group blocking, deduplication and receive-attempt retries through boto3.
(The same rules are covered exhaustively without sleeping in emulators/sqs/queue_test.cc.)
"""
import threading
import time
import unittest

from sqs_testlib import SqsTest, raw_json


class Visibility(SqsTest):
    def test_message_returns_after_its_visibility_timeout(self):
        url = self.create("vis", VisibilityTimeout=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        first = self.receive(url)
        self.assertEqual(len(first), 1)
        self.assertEqual(self.receive(url), [])
        time.sleep(1.1)
        again = self.receive(url, AttributeNames=["ApproximateReceiveCount"])
        self.assertEqual(len(again), 1)
        self.assertEqual(again[0]["Attributes"]["ApproximateReceiveCount"], "2")

    def test_receive_visibility_overrides_the_queue(self):
        url = self.create("override", VisibilityTimeout=60)
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        self.receive(url, VisibilityTimeout=1)
        time.sleep(1.1)
        self.assertEqual(len(self.receive(url)), 1)

    def test_delay_seconds(self):
        url = self.create("delay")
        self.sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=1)
        self.assertEqual(self.receive(url), [])
        time.sleep(1.1)
        self.assertEqual([m["Body"] for m in self.receive(url)], ["later"])


class LongPolling(SqsTest):
    def poll_in_thread(self, url, wait, **kwargs):
        result = {}

        def run():
            client = self.server.client("sqs")
            t0 = time.monotonic()
            try:
                result["messages"] = client.receive_message(QueueUrl=url, WaitTimeSeconds=wait, **kwargs).get(
                    "Messages", [])
            except Exception as e:  # noqa: BLE001 - reported through the result
                result["error"] = e
            result["done"] = time.monotonic()
            result["elapsed"] = result["done"] - t0
        t = threading.Thread(target=run)
        t.start()
        return t, result

    def test_wakes_as_soon_as_a_message_is_sent(self):
        url = self.create("wake")
        t, result = self.poll_in_thread(url, 10)
        time.sleep(0.5)
        self.assertNotIn("done", result)
        sent_at = time.monotonic()
        self.sqs.send_message(QueueUrl=url, MessageBody="now")
        t.join(10)
        self.assertEqual([m["Body"] for m in result["messages"]], ["now"])
        self.assertLess(result["done"] - sent_at, 0.5)

    def test_returns_empty_after_the_wait(self):
        url = self.create("empty")
        t0 = time.monotonic()
        self.assertEqual(self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1).get("Messages", []), [])
        self.assertGreaterEqual(time.monotonic() - t0, 0.95)
        self.assertLess(time.monotonic() - t0, 2.5)

    def test_queue_default_wait_time(self):
        url = self.create("default-wait", ReceiveMessageWaitTimeSeconds=1)
        t0 = time.monotonic()
        self.assertEqual(self.sqs.receive_message(QueueUrl=url).get("Messages", []), [])
        self.assertGreaterEqual(time.monotonic() - t0, 0.95)

    def test_wakes_when_a_delay_or_visibility_timeout_ends(self):
        url = self.create("timed", VisibilityTimeout=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=1)
        t0 = time.monotonic()
        got = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
        self.assertEqual([m["Body"] for m in got], ["delayed"])
        self.assertLess(time.monotonic() - t0, 1.6)
        t0 = time.monotonic()
        again = self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5).get("Messages", [])
        self.assertEqual(len(again), 1)
        self.assertLess(time.monotonic() - t0, 1.6)

    def test_parked_polls_hold_no_thread(self):
        # The server runs 2 I/O threads; 40 parked polls must not stop it from answering.
        url = self.create("many")
        polls = [self.poll_in_thread(url, 3) for _ in range(40)]
        time.sleep(0.5)
        t0 = time.monotonic()
        self.sqs.list_queues()
        self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
        self.assertLess(time.monotonic() - t0, 0.5)
        self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": str(i)} for i in range(5)])
        for t, _ in polls:
            t.join(10)
        received = sum(len(r["messages"]) for _, r in polls)
        self.assertEqual(received, 5)
        self.assertTrue(all("done" in r for _, r in polls))

    def test_delete_queue_ends_parked_polls(self):
        url = self.create("doomed")
        t, result = self.poll_in_thread(url, 10)
        time.sleep(0.3)
        t0 = time.monotonic()
        self.sqs.delete_queue(QueueUrl=url)
        t.join(10)
        self.assertFalse(t.is_alive())
        self.assertLess(time.monotonic() - t0, 2)
        self.assertEqual(result.get("messages"), [])


class Fifo(SqsTest):
    def send(self, url, body, group, dedup=None):
        kwargs = {"QueueUrl": url, "MessageBody": body, "MessageGroupId": group}
        if dedup:
            kwargs["MessageDeduplicationId"] = dedup
        return self.sqs.send_message(**kwargs)

    def test_order_and_group_blocking(self):
        url = self.create("o.fifo", FifoQueue="true", ContentBasedDeduplication="true")
        seqs = [self.send(url, f"a{i}", "A")["SequenceNumber"] for i in range(3)]
        self.assertEqual(seqs, sorted(seqs, key=int))
        self.send(url, "b0", "B")
        first = self.receive(url, MaxNumberOfMessages=2, AttributeNames=["All"])
        self.assertEqual([m["Body"] for m in first], ["a0", "a1"])
        self.assertEqual(first[0]["Attributes"]["MessageGroupId"], "A")
        self.assertEqual(first[0]["Attributes"]["SequenceNumber"], seqs[0])
        self.assertIn("MessageDeduplicationId", first[0]["Attributes"])
        self.assertEqual([m["Body"] for m in self.receive(url)], ["b0"])  # A is blocked
        for m in first:
            self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual([m["Body"] for m in self.receive(url)], ["a2"])

    def test_deduplication(self):
        url = self.create("d.fifo", FifoQueue="true")
        a = self.send(url, "one", "g", "same")
        b = self.send(url, "two", "g", "same")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.assertEqual([m["Body"] for m in self.receive(url)], ["one"])

    def test_receive_request_attempt_id(self):
        url = self.create("r.fifo", FifoQueue="true", ContentBasedDeduplication="true")
        self.send(url, "m1", "g")
        first = self.receive(url, ReceiveRequestAttemptId="attempt-1")
        retry = self.receive(url, ReceiveRequestAttemptId="attempt-1")
        self.assertEqual([m["ReceiptHandle"] for m in retry], [m["ReceiptHandle"] for m in first])
        self.assertEqual(self.receive(url, ReceiveRequestAttemptId="attempt-2"), [])

    def test_fifo_dead_letter_queue(self):
        self.create("dl.fifo", FifoQueue="true")
        url = self.create("src.fifo", FifoQueue="true", ContentBasedDeduplication="true", VisibilityTimeout=0,
                          RedrivePolicy='{"deadLetterTargetArn":"%s","maxReceiveCount":1}' % self.arn("dl.fifo"))
        self.send(url, "x", "g")
        self.receive(url)
        self.assertEqual(self.receive(url), [])
        dead = self.receive(self.url("dl.fifo"), AttributeNames=["All"])
        self.assertEqual(dead[0]["Attributes"]["MessageGroupId"], "g")


class JsonOnlyMembers(SqsTest):
    def test_message_system_attribute_names_and_trace_header(self):
        url = self.create("trace")
        sent = raw_json(self.server.port, "SendMessage", {
            "QueueUrl": url, "MessageBody": "x",
            "MessageSystemAttributes": {"AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-abc"}}}).json()
        self.assertEqual(len(sent["MD5OfMessageSystemAttributes"]), 32)
        got = raw_json(self.server.port, "ReceiveMessage", {
            "QueueUrl": url, "MessageSystemAttributeNames": ["AWSTraceHeader", "SentTimestamp"]}).json()
        self.assertEqual(set(got["Messages"][0]["Attributes"]), {"AWSTraceHeader", "SentTimestamp"})
        self.assertEqual(got["Messages"][0]["Attributes"]["AWSTraceHeader"], "Root=1-abc")


if __name__ == "__main__":
    unittest.main()
