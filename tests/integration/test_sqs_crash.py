"""kill -9 in the middle of SQS traffic: nothing acknowledged is lost, nothing acknowledged as
deleted comes back, and a message in flight at the crash becomes visible again only when its
visibility timeout passes.
"""
import shutil
import tempfile
import threading
import time
import unittest

from harness import Server
from sqs_testlib import FastSqs

VISIBILITY = 4


class CrashRecovery(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="streamlab-sqs-crash-")
        self.server = Server(("--state-delay-ms", "0"), data_dir=self.dir).start()

    def tearDown(self):
        self.server.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_kill_9_mid_run(self):
        c = FastSqs(self.server.port)
        url = c.call("CreateQueue", {"QueueName": "crash", "Attributes": {"VisibilityTimeout": str(VISIBILITY)}})[
            "QueueUrl"]
        fifo = c.call("CreateQueue", {"QueueName": "crash.fifo", "Attributes": {
            "FifoQueue": "true", "ContentBasedDeduplication": "true"}})["QueueUrl"]
        acked = set()
        for base in range(0, 2000, 10):
            out = c.call("SendMessageBatch", {"QueueUrl": url, "Entries": [
                {"Id": str(i), "MessageBody": f"m{base + i}"} for i in range(10)]})
            acked.update(e["MessageId"] for e in out["Successful"])
        fifo_sent = [c.call("SendMessage", {"QueueUrl": fifo, "MessageBody": f"f{i}", "MessageGroupId": "g"})["MessageId"]
                     for i in range(5)]
        in_flight, deleted = set(), set()
        while len(in_flight) + len(deleted) < 500:
            msgs = c.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10})["Messages"]
            for m in msgs[:4]:
                c.call("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": m["ReceiptHandle"]})
                deleted.add(m["MessageId"])
            in_flight.update(m["MessageId"] for m in msgs[4:])
        received_at = time.monotonic()

        # A sender still running when the process dies: what it saw acknowledged must survive.
        stop = threading.Event()
        late_acked = set()

        def sender():
            s = FastSqs(self.server.port)
            i = 0
            try:
                while not stop.is_set():
                    r = s.call("SendMessage", {"QueueUrl": url, "MessageBody": f"late{i}"})
                    late_acked.add(r["MessageId"])
                    i += 1
            except Exception:  # noqa: BLE001 - the server went away mid-request
                pass
        t = threading.Thread(target=sender)
        t.start()
        time.sleep(0.5)
        self.server.kill9()
        stop.set()
        t.join(10)
        c.close()
        self.assertGreater(len(late_acked), 10)

        self.server.start()
        c = FastSqs(self.server.port)
        seen = {}

        def drain():
            while True:
                msgs = c.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10}).get("Messages", [])
                if not msgs:
                    return
                for m in msgs:
                    seen[m["MessageId"]] = m
                c.call("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)]})

        drain()
        self.assertLess(time.monotonic() - received_at, VISIBILITY, "the restart took longer than the timeout")
        self.assertEqual(set(seen) & in_flight, set(), "in-flight messages stay hidden until their timeout")
        self.assertEqual(set(seen) & deleted, set(), "deleted messages never come back")
        self.assertEqual((acked - deleted - in_flight) - set(seen), set(), "every acknowledged send survived")
        self.assertEqual(late_acked - set(seen), set(), "every acknowledged late send survived")
        unexpected = [m["Body"] for mid, m in seen.items() if mid not in acked and mid not in late_acked]
        self.assertTrue(all(b.startswith("late") for b in unexpected), unexpected)  # sent, answer lost in the kill

        time.sleep(max(0.0, VISIBILITY - (time.monotonic() - received_at)) + 0.2)
        before = set(seen)
        drain()
        self.assertEqual(set(seen) - before, in_flight, "in-flight messages came back after their timeout")
        counts = c.call("ReceiveMessage", {"QueueUrl": fifo, "MaxNumberOfMessages": 10,
                                           "MessageSystemAttributeNames": ["All"]})["Messages"]
        self.assertEqual([m["MessageId"] for m in counts], fifo_sent, "FIFO order survives the crash")
        c.close()


if __name__ == "__main__":
    unittest.main()
