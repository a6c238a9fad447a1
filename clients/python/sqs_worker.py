#!/usr/bin/env python3
"""SQS worker: receives messages, "processes" them, and acknowledges each by deleting it.

A message that is received but not deleted is not lost: when its visibility timeout ends, SQS hands it
out again (to this worker or another one) with a higher ApproximateReceiveCount. This worker can be told
to fail, to watch that happen:
  --fail-on TEXT      fail every message whose body contains TEXT (a "poison" message)
  --fail-every N      fail every Nth message received
  --crash-after N     exit abruptly after receiving the Nth message, without acknowledging it
A queue with a RedrivePolicy moves a message to its dead-letter queue once it has been received
maxReceiveCount times without being deleted.

Examples:
  sqs_worker.py --endpoint-url http://localhost:4566 --queue jobs --until-empty
  sqs_worker.py --queue jobs --fail-on POISON --name worker-a --duration 30
"""
import os
import sys
import time

import labcommon


def build_parser():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--queue", required=True, help="queue name or queue URL")
    p.add_argument("--name", default="worker", help="label printed on every line (default worker)")
    p.add_argument("--fail-on", metavar="TEXT", help="fail (do not delete) messages whose body contains TEXT")
    p.add_argument("--fail-every", type=int, metavar="N", help="fail every Nth message received")
    p.add_argument("--crash-after", type=int, metavar="N", help="exit without acknowledging the Nth message")
    p.add_argument("--process-ms", type=float, default=0.0, help="time each message takes to process")
    p.add_argument("--visibility-timeout", type=int, help="override the queue's visibility timeout (seconds)")
    p.add_argument("--wait-time", type=int, default=2, help="long-poll wait per ReceiveMessage, 0-20 s (default 2)")
    p.add_argument("--batch", type=int, default=1, help="messages per ReceiveMessage, 1-10 (default 1)")
    p.add_argument("--max-messages", type=int, help="stop after acknowledging this many messages")
    p.add_argument("--duration", type=float, help="stop after this many seconds")
    p.add_argument("--until-empty", action="store_true",
                   help="stop when the queue has no messages left, visible or in flight")
    return p


def short(msg_id):
    return msg_id[:8]


class Worker:
    def __init__(self, args, sqs):
        self.a, self.sqs = args, sqs
        q = args.queue
        self.url = q if q.startswith(("http://", "https://")) else sqs.get_queue_url(QueueName=q)["QueueUrl"]
        self.received = self.acked = self.failed = 0

    def say(self, text):
        print(f"[{self.a.name}] {text}", flush=True)

    def queue_empty(self):
        attrs = self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed"])["Attributes"]
        return all(int(v) == 0 for v in attrs.values())

    def should_fail(self, body):
        if self.a.fail_on and self.a.fail_on in body:
            return f"body contains {self.a.fail_on!r}"
        if self.a.fail_every and self.received % self.a.fail_every == 0:
            return f"every {self.a.fail_every}th message fails"
        return None

    def run(self):
        a = self.a
        t0 = time.monotonic()
        vt = a.visibility_timeout
        if vt is None:
            vt = int(self.sqs.get_queue_attributes(QueueUrl=self.url, AttributeNames=["VisibilityTimeout"])
                     ["Attributes"]["VisibilityTimeout"])
        self.say(f"polling {self.url} (visibility timeout {vt} s)")
        try:
            while True:
                if a.duration is not None and time.monotonic() - t0 >= a.duration:
                    break
                if a.max_messages is not None and self.acked >= a.max_messages:
                    break
                wait = a.wait_time
                if a.duration is not None:
                    wait = max(0, min(wait, int(a.duration - (time.monotonic() - t0))))
                kwargs = {"QueueUrl": self.url, "MaxNumberOfMessages": max(1, min(a.batch, 10)),
                          "WaitTimeSeconds": wait, "AttributeNames": ["ApproximateReceiveCount"]}
                if a.visibility_timeout is not None:
                    kwargs["VisibilityTimeout"] = a.visibility_timeout
                msgs = self.sqs.receive_message(**kwargs).get("Messages", [])
                if not msgs:
                    if a.until_empty and self.queue_empty():
                        self.say("queue is empty (nothing visible, nothing in flight)")
                        break
                    continue
                for m in msgs:
                    self.received += 1
                    n = m.get("Attributes", {}).get("ApproximateReceiveCount", "?")
                    body = m["Body"]
                    shown = body if len(body) <= 60 else body[:57] + "..."
                    if a.crash_after and self.received >= a.crash_after:
                        self.say(f"got   {short(m['MessageId'])} {shown!r} (receive #{n}) -- crashing now, "
                                 f"without deleting it")
                        sys.stdout.flush()
                        os._exit(3)
                    if a.process_ms:
                        time.sleep(a.process_ms / 1000.0)
                    why = self.should_fail(body)
                    if why:
                        self.failed += 1
                        self.say(f"FAIL  {short(m['MessageId'])} {shown!r} (receive #{n}): {why}; not deleted, "
                                 f"so SQS redelivers it in {vt} s")
                        continue
                    self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=m["ReceiptHandle"])
                    self.acked += 1
                    self.say(f"ack   {short(m['MessageId'])} {shown!r} (receive #{n}): processed and deleted")
        finally:
            self.say(f"summary: {self.received} received, {self.acked} acknowledged (deleted), "
                     f"{self.failed} failed in {time.monotonic() - t0:.1f} s")
        return 0


def main():
    args = build_parser().parse_args()
    clients = labcommon.Clients.from_args(args)
    return Worker(args, clients.client("sqs")).run()


if __name__ == "__main__":
    labcommon.run(main)
