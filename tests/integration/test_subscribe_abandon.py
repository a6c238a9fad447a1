"""SubscribeToShard subscribers that vanish: no subscription state or memory may leak.

1,000 subscriptions are opened over raw HTTP/1.1 and dropped right after the response headers
(half of them after reading the first events). The server must notice every one (at the
latest at its next heartbeat, 5 s), release the (consumer, shard) claims, keep its memory
bounded, and serve a fresh subscription afterwards.
"""
import json
import socket
import time

import harness
from streamlab_testlib import auth_headers


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class AbandonedSubscriptionsTest(harness.ServerTest):
    server_args = ("--state-delay-ms", "0", "--throttle", "off")

    def subscribe_raw(self, consumer_arn, shard, read_events):
        body = json.dumps({"ConsumerARN": consumer_arn, "ShardId": shard,
                           "StartingPosition": {"Type": "TRIM_HORIZON"}}).encode()
        headers = {"Host": "127.0.0.1", "Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "Kinesis_20131202.SubscribeToShard", "Content-Length": str(len(body))}
        headers.update(auth_headers())
        head = "POST / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        s.sendall(head.encode() + body)
        got = b""
        # Headers only, or headers and the first event (the initial-response) for half of them.
        while b"\r\n\r\n" not in got or (read_events and len(got) <= got.index(b"\r\n\r\n") + 4):
            chunk = s.recv(65536)
            if not chunk:
                break
            got += chunk
        status = got.split(b" ", 2)[1] if got else b""
        s.close()  # abandon mid-stream
        return status

    def state(self):
        return self.server.lab("/_streamlab/state")["kinesis"]

    def test_thousand_abandoned_subscriptions_leak_nothing(self):
        k = self.server.client("kinesis")
        k.create_stream(StreamName="s", ShardCount=4)
        for i in range(20):
            k.put_record(StreamName="s", Data=b"x" * 100, PartitionKey=f"k{i}")
        arn = "arn:aws:kinesis:us-east-1:000000000000:stream/s"
        consumers = [k.register_stream_consumer(StreamARN=arn, ConsumerName=f"c{i}")["Consumer"]["ConsumerARN"]
                     for i in range(5)]
        before = rss_kib(self.server.proc.pid)
        statuses = {}
        for i in range(1000):
            # 5 consumers x 4 shards = 20 claims; wait for a claim to be released when all are taken.
            consumer, shard = consumers[i % 5], f"shardId-{(i // 5) % 4:012d}"
            deadline = time.time() + 10
            while True:
                status = self.subscribe_raw(consumer, shard, read_events=i % 2 == 0)
                if status == b"200" or time.time() > deadline:
                    break
                time.sleep(0.05)  # ResourceInUse: the previous holder is not released yet
            statuses[status] = statuses.get(status, 0) + 1
        self.assertEqual(statuses, {b"200": 1000})
        deadline = time.time() + 12
        while self.state()["subscriptions"] and time.time() < deadline:
            time.sleep(0.2)
        self.assertEqual(self.state()["subscriptions"], 0, "every abandoned subscription is released")
        after = rss_kib(self.server.proc.pid)
        self.assertLess(after - before, 64 * 1024, f"RSS grew from {before} KiB to {after} KiB")
        # And the server still serves a real subscriber.
        events = k.subscribe_to_shard(ConsumerARN=consumers[0], ShardId="shardId-000000000000",
                                      StartingPosition={"Type": "TRIM_HORIZON"})["EventStream"]
        try:
            first = next(iter(events))
            self.assertIn("SubscribeToShardEvent", first)
        finally:
            events.close()
