"""Many consumers on one queue: 8 threads receive and delete 100,000 messages while producers are
still sending. Nothing may be lost, and no message may be handed out twice while its visibility
timeout runs (every delivery is timestamped; a repeat must come at least the timeout later).

The consumers use a lean JSON 1.0 client (sqs_testlib.FastSqs) so that the 2-core machine spends
its time in the server, not in botocore; set SQS_CONCURRENCY_MESSAGES to change the count.
"""
import collections
import os
import threading
import time
import unittest

from sqs_testlib import FastSqs, SqsTest

TOTAL = int(os.environ.get("SQS_CONCURRENCY_MESSAGES", "100000"))
CONSUMERS = 8
PRODUCERS = 2
VISIBILITY = 30


class ManyConsumers(SqsTest):
    server_args = ("--state-delay-ms", "0", "--threads", "2")

    def test_eight_consumers_no_loss_no_early_redelivery(self):
        url = self.create("work", VisibilityTimeout=VISIBILITY)
        port = self.server.port
        sent_ids = set()
        sent_lock = threading.Lock()
        deliveries = collections.defaultdict(list)  # message id -> [receive times]
        deliveries_lock = threading.Lock()
        deleted = [0]
        errors = []
        producers_done = threading.Event()
        t_start = time.monotonic()

        def produce(part):
            c = FastSqs(port)
            try:
                n = TOTAL // PRODUCERS
                for base in range(0, n, 10):
                    entries = [{"Id": str(i), "MessageBody": f"p{part}-{base + i}"} for i in range(min(10, n - base))]
                    out = c.call("SendMessageBatch", {"QueueUrl": url, "Entries": entries})
                    if out.get("Failed"):
                        errors.append(out["Failed"])
                    with sent_lock:
                        sent_ids.update(e["MessageId"] for e in out["Successful"])
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
            finally:
                c.close()

        def consume():
            c = FastSqs(port)
            try:
                while True:
                    with deliveries_lock:
                        if deleted[0] >= TOTAL:
                            return
                    out = c.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": 1})
                    msgs = out.get("Messages", [])
                    now = time.monotonic()
                    if not msgs:
                        if producers_done.is_set() and deleted[0] >= len(sent_ids):
                            return
                        continue
                    with deliveries_lock:
                        for m in msgs:
                            deliveries[m["MessageId"]].append(now)
                    res = c.call("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)]})
                    if res.get("Failed"):
                        errors.append(res["Failed"])
                    with deliveries_lock:
                        deleted[0] += len(res.get("Successful", []))
            except Exception as e:  # noqa: BLE001
                errors.append(repr(e))
            finally:
                c.close()

        producers = [threading.Thread(target=produce, args=(p,)) for p in range(PRODUCERS)]
        consumers = [threading.Thread(target=consume) for _ in range(CONSUMERS)]
        for t in producers + consumers:
            t.start()
        for t in producers:
            t.join(300)
        producers_done.set()
        for t in consumers:
            t.join(300)
        elapsed = time.monotonic() - t_start
        print(f"\n{TOTAL} messages, {PRODUCERS} producers, {CONSUMERS} consumers: {elapsed:.1f} s "
              f"({TOTAL / elapsed:,.0f} msgs/s end to end)")

        self.assertEqual(errors, [])
        self.assertEqual(len(sent_ids), TOTAL)
        self.assertEqual(set(deliveries), sent_ids, "every sent message was delivered")
        early = [(mid, times) for mid, times in deliveries.items()
                 if any(b - a < VISIBILITY for a, b in zip(times, times[1:]))]
        self.assertEqual(early, [], "no message delivered twice within its visibility timeout")
        self.assertEqual(deleted[0], TOTAL)
        attrs = self.attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible")
        self.assertEqual(attrs, {"ApproximateNumberOfMessages": "0", "ApproximateNumberOfMessagesNotVisible": "0"})


if __name__ == "__main__":
    unittest.main()
