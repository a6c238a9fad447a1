#!/usr/bin/env python3
"""Kinesis producer: writes JSON events at a chosen rate, over chosen partition keys, one by one or in batches.

Each record is a JSON event:
  {"type": "page_view", "key": "user-2", "seq": 7, "n": 31, "ts": 1732800000123456, "run": "demo", "payload": "..."}
  key   the partition key          seq  how many events this run sent for that key before (0, 1, 2...)
  n     position in this run       ts   producer time in microseconds (increases for every record of a run
                                        and across runs on one machine: consumers use it to check order)
Throttled records (ProvisionedThroughputExceededException) are retried with back-off, and counted, so
backpressure is visible; with --no-retry they are dropped instead (load shedding).

Examples:
  producer.py --endpoint-url http://localhost:4566 --stream demo --count 20 --keys user-1,user-2 --rate 10
  producer.py --stream demo --count 3000 --rate 0 --batch-size 500      # as fast as possible
"""
import json
import random
import sys
import time

import labcommon


def build_parser():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--stream", required=True, help="stream name")
    amount = p.add_mutually_exclusive_group()
    amount.add_argument("--count", type=int, help="records to write (default 10 unless --duration)")
    amount.add_argument("--duration", type=float, help="write for this many seconds")
    p.add_argument("--rate", type=float, default=10.0, help="records per second; 0 = as fast as possible (default 10)")
    p.add_argument("--keys", help="comma-separated partition keys, used round-robin (default: key-0..key-3)")
    p.add_argument("--key-count", type=int, help="use N keys named <key-prefix>0..N-1 instead of --keys")
    p.add_argument("--key-prefix", default="key-", help="prefix for --key-count keys (default key-)")
    p.add_argument("--batch-size", type=int, default=1,
                   help="records per request: 1 uses PutRecord, 2..500 use PutRecords (default 1)")
    p.add_argument("--payload-bytes", type=int, default=0, help="pad each event with this many bytes (default 0)")
    p.add_argument("--event-type", default="event", help='the event\'s "type" field (default event)')
    p.add_argument("--tag", default="", help='a label stored in each event\'s "run" field')
    p.add_argument("--no-retry", action="store_true", help="drop throttled records instead of retrying them")
    p.add_argument("--print", dest="show", choices=["records", "seconds", "none"],
                   help="one line per record, one per second, or only the summary "
                        "(default: records for up to 50 records, else seconds)")
    return p


class Producer:
    def __init__(self, args, kinesis):
        self.args, self.k = args, kinesis
        if args.key_count:
            self.keys = [f"{args.key_prefix}{i}" for i in range(args.key_count)]
        elif args.keys:
            self.keys = [k for k in args.keys.split(",") if k]
        else:
            self.keys = [f"key-{i}" for i in range(4)]
        self.per_key = {k: 0 for k in self.keys}
        self.n = 0
        self.last_ts = 0
        self.sent = self.throttled = self.dropped = self.failed = 0
        self.per_shard = {}
        self.window = {"sent": 0, "throttled": 0, "dropped": 0}

    def make(self):
        key = self.keys[self.n % len(self.keys)]
        ts = max(time.time_ns() // 1000, self.last_ts + 1)
        self.last_ts = ts
        event = {"type": self.args.event_type, "key": key, "seq": self.per_key[key], "n": self.n, "ts": ts}
        if self.args.tag:
            event["run"] = self.args.tag
        if self.args.payload_bytes:
            event["payload"] = "x" * self.args.payload_bytes
        self.per_key[key] += 1
        self.n += 1
        return {"Data": json.dumps(event, separators=(",", ":")).encode(), "PartitionKey": key, "_event": event}

    def record_ok(self, rec, shard_id, seq):
        self.sent += 1
        self.window["sent"] += 1
        self.per_shard[shard_id] = self.per_shard.get(shard_id, 0) + 1
        if self.show == "records":
            e = rec["_event"]
            print(f"put key={e['key']:<10} seq={e['seq']:<4} -> {shard_id}  SequenceNumber {seq}", flush=True)

    def send(self, batch):
        """Sends until every record is in (or dropped). Returns nothing; counts everything."""
        backoff = 0.05
        while batch:
            if len(batch) == 1 and self.args.batch_size == 1:
                rec = batch[0]
                try:
                    r = self.k.put_record(StreamName=self.args.stream, Data=rec["Data"], PartitionKey=rec["PartitionKey"])
                    self.record_ok(rec, r["ShardId"], r["SequenceNumber"])
                    return
                except Exception as exc:  # noqa: BLE001
                    if not labcommon.is_throttle(exc):
                        raise
                    failed = [rec]
            else:
                r = self.k.put_records(StreamName=self.args.stream,
                                       Records=[{"Data": x["Data"], "PartitionKey": x["PartitionKey"]} for x in batch])
                failed = []
                for rec, res in zip(batch, r["Records"]):
                    if "ErrorCode" in res:
                        if res["ErrorCode"] != "ProvisionedThroughputExceededException":
                            self.failed += 1
                            print(f"record for key {rec['PartitionKey']} failed: {res['ErrorCode']}: "
                                  f"{res.get('ErrorMessage', '')}", file=sys.stderr)
                        failed.append(rec)
                    else:
                        self.record_ok(rec, res["ShardId"], res["SequenceNumber"])
            throttled = len(failed)
            self.throttled += throttled
            self.window["throttled"] += throttled
            if not failed:
                return
            if self.args.no_retry:
                self.dropped += len(failed)
                self.window["dropped"] += len(failed)
                return
            if self.show == "records":
                print(f"  throttled: {throttled} record(s) refused with ProvisionedThroughputExceededException, "
                      f"retrying in {backoff * 1000:.0f} ms", flush=True)
            self.tick()
            time.sleep(backoff * (0.5 + random.random()))
            backoff = min(backoff * 2, 1.0)
            batch = failed

    def tick(self, force=False):
        now = time.monotonic()
        if self.show == "seconds" and (force or now >= self.next_report):
            w = self.window
            extra = f", dropped {w['dropped']}" if self.args.no_retry else ""
            print(f"[{now - self.start:5.1f}s] sent {w['sent']:>5} (total {self.sent}), "
                  f"throttled {w['throttled']}{extra}", flush=True)
            self.window = {"sent": 0, "throttled": 0, "dropped": 0}
            self.next_report = now + 1.0

    def run(self):
        a = self.args
        total = a.count if a.count is not None else (None if a.duration else 10)
        self.show = a.show or ("records" if total is not None and total <= 50 else "seconds")
        batch_size = max(1, min(a.batch_size, 500))
        self.start = time.monotonic()
        self.next_report = self.start + 1.0
        ok = False
        try:
            while True:
                now = time.monotonic()
                if total is not None and self.n >= total:
                    break
                if a.duration is not None and now - self.start >= a.duration:
                    break
                if a.rate > 0:  # pace: record n is due at start + n / rate
                    due = self.start + self.n / a.rate
                    if due > now:
                        time.sleep(min(due - now, 0.5))
                        self.tick()
                        continue
                size = batch_size if total is None else min(batch_size, total - self.n)
                if a.rate > 0:  # never run ahead of the rate to fill a batch
                    size = max(1, min(size, int((time.monotonic() - self.start) * a.rate) - self.n + 1))
                self.send([self.make() for _ in range(size)])
                self.tick()
            ok = True
        finally:
            if ok or self.sent or self.throttled:  # interrupted: still say what got in
                self.tick(force=self.window["sent"] or self.window["throttled"])
                self.summary()
        return 0

    def summary(self):
        elapsed = max(time.monotonic() - self.start, 1e-9)
        how = "PutRecord" if self.args.batch_size == 1 else f"PutRecords (batches of up to {self.args.batch_size})"
        print(f"done: {self.sent} records written to {self.args.stream} in {elapsed:.1f} s "
              f"({self.sent / elapsed:.0f} records/s) with {how}")
        if self.throttled or self.args.no_retry:
            fate = f"dropped {self.dropped}" if self.args.no_retry else "every one retried until accepted"
            print(f"throttled: {self.throttled} record(s) refused with ProvisionedThroughputExceededException; {fate}")
        if self.failed:
            print(f"failed: {self.failed} record(s) refused for other reasons")
        shards = ", ".join(f"{k}: {v}" for k, v in sorted(self.per_shard.items()))
        print(f"records per shard: {shards or 'none'}", flush=True)


def main():
    args = build_parser().parse_args()
    if args.batch_size < 1 or args.batch_size > 500:
        print("producer.py: --batch-size must be between 1 and 500 (the PutRecords limit)", file=sys.stderr)
        return 2
    clients = labcommon.Clients.from_args(args)
    # One attempt per call: throttles are handled (and counted) here instead of hidden inside botocore.
    kinesis = clients.client("kinesis", retries=1)
    return Producer(args, kinesis).run()


if __name__ == "__main__":
    labcommon.run(main)
