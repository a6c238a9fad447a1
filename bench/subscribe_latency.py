#!/usr/bin/env python3
"""Delivery latency, put -> consumer, for SubscribeToShard (push) and a GetRecords loop (poll).

Starts its own streamlab on a free port (in memory, default throttling so the polling loop
runs at AWS's 5 reads/s per shard, as a real consumer must), writes N records one at a time
and prints p50/p99 of the time from just before each PutRecord to the moment the consumer
holds the record.
  bench/subscribe_latency.py [--records 300] [--interval-ms 10] [--bin build/streamlab]
"""
import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import boto3
from botocore.config import Config


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def client(endpoint):
    return boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test",
                        config=Config(retries={"total_max_attempts": 1}, read_timeout=30))


def produce(k, stream, n, interval, sent):
    for i in range(n):
        sent[str(i)] = time.perf_counter()
        k.put_record(StreamName=stream, Data=str(i).encode(), PartitionKey="key")
        time.sleep(interval)


def measure_push(endpoint, n, interval):
    k = client(endpoint)
    k.create_stream(StreamName="push", ShardCount=1)
    consumer = k.register_stream_consumer(StreamARN="arn:aws:kinesis:us-east-1:000000000000:stream/push",
                                          ConsumerName="bench")["Consumer"]["ConsumerARN"]
    events = client(endpoint).subscribe_to_shard(ConsumerARN=consumer, ShardId="shardId-000000000000",
                                                 StartingPosition={"Type": "LATEST"})["EventStream"]
    sent, got = {}, {}
    producer = threading.Thread(target=produce, args=(k, "push", n, interval, sent))
    producer.start()
    for ev in events:
        now = time.perf_counter()
        for r in ev["SubscribeToShardEvent"]["Records"]:
            got[r["Data"].decode()] = now
        if len(got) >= n:
            break
    events.close()
    producer.join()
    return [(got[i] - sent[i]) * 1000 for i in sent if i in got]


def measure_poll(endpoint, n, interval):
    k = client(endpoint)
    k.create_stream(StreamName="poll", ShardCount=1)
    it = k.get_shard_iterator(StreamName="poll", ShardId="shardId-000000000000",
                              ShardIteratorType="LATEST")["ShardIterator"]
    sent, got = {}, {}
    producer = threading.Thread(target=produce, args=(k, "poll", n, interval, sent))
    producer.start()
    reader = client(endpoint)
    while len(got) < n:
        out = reader.get_records(ShardIterator=it, Limit=10000)
        now = time.perf_counter()
        for r in out["Records"]:
            got[r["Data"].decode()] = now
        it = out["NextShardIterator"]
        time.sleep(0.2)  # 5 GetRecords calls per second per shard, AWS's limit
    producer.join()
    return [(got[i] - sent[i]) * 1000 for i in sent if i in got]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=300)
    ap.add_argument("--interval-ms", type=float, default=10)
    ap.add_argument("--bin", default=os.environ.get("STREAMLAB_BIN", os.path.join(here, "..", "build", "streamlab")))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    port = free_port()
    data = tempfile.mkdtemp(prefix="streamlab-bench-")
    proc = subprocess.Popen([args.bin, "serve", "--port", str(port), "--data-dir", data, "--in-memory",
                             "--state-delay-ms", "0", "--log-level", "warn"])
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(500):
            try:
                urllib.request.urlopen(endpoint + "/_streamlab/health", timeout=1)
                break
            except OSError:
                time.sleep(0.01)
        push = measure_push(endpoint, args.records, args.interval_ms / 1000)
        poll = measure_poll(endpoint, args.records, args.interval_ms / 1000)
    finally:
        proc.terminate()
        proc.wait(10)
    result = {
        "records": args.records,
        "subscribe_p50_ms": round(statistics.median(push), 2), "subscribe_p99_ms": round(percentile(push, 99), 2),
        "poll_p50_ms": round(statistics.median(poll), 2), "poll_p99_ms": round(percentile(poll, 99), 2),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"| delivery latency, put -> consumer ({args.records} records) | p50 ms | p99 ms |")
        print("|---|---:|---:|")
        print(f"| SubscribeToShard (push, HTTP/1.1) | {result['subscribe_p50_ms']} | {result['subscribe_p99_ms']} |")
        print(f"| GetRecords loop (poll, 5 calls/s) | {result['poll_p50_ms']} | {result['poll_p99_ms']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
