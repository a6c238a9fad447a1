#!/usr/bin/env python3
"""Kinesis consumer: reads every shard of a stream, follows resharding, and shows how far behind it is.

It polls with GetRecords (the "shared throughput" model: at most 5 calls/s and 2 MB/s per shard, shared by
every consumer of the stream). A child shard is read only after its parent shards have been read to their
end, so records of one partition key stay in order across a split or merge (--ignore-lineage turns this
off, to see what goes wrong). Every --status-every seconds it prints each shard's MillisBehindLatest: how
far (in time) the next record it has not read yet is behind the tip of the shard.

Positions (sequence numbers) can be kept in a DynamoDB table (--checkpoint-table), as the Kinesis Client
Library does: a second run resumes where the first stopped, and several workers of one application can
split the shards between them (--worker 1/2 and --worker 2/2 take alternate shards).

Examples:
  consumer.py --endpoint-url http://localhost:4566 --stream demo --max-records 20
  consumer.py --stream demo --from latest --duration 30 --limit 20 --process-ms 10   # a slow consumer
  consumer.py --stream demo --checkpoint-table demo-analytics --worker 1/2           # one of two workers
"""
import json
import sys
import time

import labcommon

SHARD_END = "SHARD_END"


def build_parser():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--stream", required=True, help="stream name")
    p.add_argument("--from", dest="start", choices=["trim_horizon", "latest"], default="trim_horizon",
                   help="where to start in shards without a checkpoint: the oldest record kept (trim_horizon, "
                        "default) or only new records (latest)")
    p.add_argument("--max-records", type=int, help="stop after this many records")
    p.add_argument("--duration", type=float, help="stop after this many seconds")
    p.add_argument("--stop-when-idle", type=float, metavar="SECONDS",
                   help="stop once every shard is caught up and nothing new arrived for this long")
    p.add_argument("--limit", type=int, default=1000, help="GetRecords Limit: records per call (default 1000)")
    p.add_argument("--poll-interval", type=float, default=1.0,
                   help="seconds to wait before polling a shard again after an empty answer (default 1.0)")
    p.add_argument("--process-ms", type=float, default=0.0, help="pretend each record takes this long to process")
    p.add_argument("--print", dest="show", choices=["records", "summary", "none"], default="records",
                   help="one line per record (default), or only status lines and the summary")
    p.add_argument("--status-every", type=float, default=2.0, help="seconds between lag lines (0: never)")
    p.add_argument("--check-order", action="store_true",
                   help='check that each key\'s events arrive in the order they were produced ("ts" field)')
    p.add_argument("--ignore-lineage", action="store_true",
                   help="read child shards at once, without waiting for their parents (breaks per-key order)")
    p.add_argument("--name", default="consumer", help="label printed on every line (default consumer)")
    p.add_argument("--checkpoint-table", metavar="TABLE",
                   help="DynamoDB table keeping this application's position per shard (created if missing)")
    p.add_argument("--worker", metavar="I/N", help="be worker I of N: read only shards whose number %% N == I-1")
    return p


class Checkpoints:
    """Per-shard positions in a DynamoDB table: {shard_id, checkpoint, owner, updated_at}."""

    def __init__(self, dynamodb, table, owner):
        self.db, self.table, self.owner = dynamodb, table, owner
        try:
            self.db.describe_table(TableName=table)
        except Exception as exc:  # noqa: BLE001
            if labcommon.error_code(exc) != "ResourceNotFoundException":
                raise
            try:
                self.db.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                                     AttributeDefinitions=[{"AttributeName": "shard_id", "AttributeType": "S"}],
                                     KeySchema=[{"AttributeName": "shard_id", "KeyType": "HASH"}])
                print(f"[{owner}] created checkpoint table {table}", flush=True)
            except Exception as exc2:  # noqa: BLE001 - another worker created it first
                if labcommon.error_code(exc2) != "ResourceInUseException":
                    raise
        for _ in range(240):
            if self.db.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE":
                break
            time.sleep(0.5)

    def get(self, shard_id):
        item = self.db.get_item(TableName=self.table, Key={"shard_id": {"S": shard_id}},
                                ConsistentRead=True).get("Item")
        return item["checkpoint"]["S"] if item else None

    def put(self, shard_id, checkpoint):
        self.db.put_item(TableName=self.table, Item={
            "shard_id": {"S": shard_id}, "checkpoint": {"S": checkpoint}, "owner": {"S": self.owner},
            "updated_at": {"S": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}})


class Consumer:
    def __init__(self, args, kinesis, checkpoints):
        self.a, self.k, self.cp = args, kinesis, checkpoints
        self.worker = None
        if args.worker:
            i, n = (int(x) for x in args.worker.split("/"))
            if not 1 <= i <= n:
                raise SystemExit("consumer.py: --worker must be I/N with 1 <= I <= N, e.g. 1/2")
            self.worker = (i - 1, n)
        self.shards = {}       # shard id -> shard description
        self.readers = {}      # shard id -> {"iterator", "last_seq", "behind", "next_at", "count"}
        self.done = set()      # shards read to their end (or skipped)
        self.counts = {}       # shard id -> records handled
        self.total = 0
        self.calls = self.empty_calls = self.throttled = 0
        self.last_ts = {}      # key -> last "ts" seen (order check)
        self.violations = 0
        self.max_ts = 0
        self.out_of_produce_order = 0
        self.max_lag = 0
        self.initial_open = None

    def mine(self, shard_id):
        if not self.worker:
            return True
        return int(shard_id.rsplit("-", 1)[1]) % self.worker[1] == self.worker[0]

    def say(self, text):
        print(f"[{self.a.name}] {text}", flush=True)

    # Shards and lineage ---------------------------------------------------------------------
    def refresh(self):
        listing = labcommon.list_all_shards(self.k, self.a.stream)
        first = not self.shards
        for s in listing:
            sid = s["ShardId"]
            if sid in self.shards:
                self.shards[sid] = s
                continue
            self.shards[sid] = s
            if not first:
                self.say(f"new shard {sid} (parent {s.get('ParentShardId')}"
                         + (f", adjacent parent {s['AdjacentParentShardId']}" if s.get("AdjacentParentShardId") else "")
                         + ")")
        if first:
            self.initial_open = {s["ShardId"] for s in listing if "EndingSequenceNumber" not in s["SequenceNumberRange"]}
        self.next_refresh = time.monotonic() + 5.0

    def parents_done(self, s):
        for p in (s.get("ParentShardId"), s.get("AdjacentParentShardId")):
            if not p or p not in self.shards or p in self.done:
                continue
            if not self.mine(p) and self.cp and self.cp.get(p) == SHARD_END:
                continue
            if not self.mine(p) and not self.cp:
                continue  # another worker owns it and nothing tells us when it ends: do not wait
            return False
        return True

    def start_shard(self, sid):
        s = self.shards[sid]
        closed = "EndingSequenceNumber" in s["SequenceNumberRange"]
        saved = self.cp.get(sid) if self.cp else None
        if saved == SHARD_END:
            self.done.add(sid)
            return
        if saved:
            kwargs, where = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": saved}, \
                "after its checkpoint"
        elif self.a.start == "latest" and sid in self.initial_open:
            kwargs, where = {"ShardIteratorType": "LATEST"}, "at LATEST"
        elif self.a.start == "latest" and closed and sid in self.shards and sid not in self.new_since_start:
            self.done.add(sid)  # closed before we started: with --from latest nothing in it is new
            return
        else:
            kwargs, where = {"ShardIteratorType": "TRIM_HORIZON"}, "at TRIM_HORIZON"
        it = labcommon.call_paced(self.k.get_shard_iterator, StreamName=self.a.stream, ShardId=sid,
                                  **kwargs)["ShardIterator"]
        self.readers[sid] = {"iterator": it, "last_seq": saved, "behind": None, "next_at": 0.0, "kwargs": kwargs}
        self.counts.setdefault(sid, 0)
        if self.a.show == "records" or len(self.shards) <= 8:
            self.say(f"reading {sid} {where}")

    def schedule(self):
        for sid in sorted(self.shards):
            if sid in self.done or sid in self.readers or not self.mine(sid):
                continue
            if self.a.ignore_lineage or self.parents_done(self.shards[sid]):
                self.start_shard(sid)

    # Reading ------------------------------------------------------------------------------
    def finish_shard(self, sid, resp):
        self.done.add(sid)
        del self.readers[sid]
        if self.cp:
            self.cp.put(sid, SHARD_END)
        children = [c["ShardId"] for c in resp.get("ChildShards", [])]
        self.say(f"{sid} is closed and fully read" + (f"; its children: {', '.join(children)}" if children else ""))
        self.refresh()
        for c in children:
            self.new_since_start.add(c)

    def handle(self, sid, rec):
        ev = labcommon.decode(rec["Data"])
        key = rec["PartitionKey"]
        ts = ev.get("ts") if isinstance(ev, dict) else None
        note = ""
        if isinstance(ts, int):
            if self.a.check_order and ts < self.last_ts.get(key, -1):
                self.violations += 1
                note = "   <-- ORDER VIOLATION: produced before the previous record of this key"
            self.last_ts[key] = max(ts, self.last_ts.get(key, -1))
            if ts < self.max_ts:
                self.out_of_produce_order += 1
            self.max_ts = max(self.max_ts, ts)
        if self.a.show == "records":
            body = json.dumps(ev, separators=(",", ":")) if not isinstance(ev, str) else ev
            if len(body) > 120:
                body = body[:117] + "..."
            print(f"[{self.a.name}] {sid} key={key} {body}{note}", flush=True)
        elif note:
            print(f"[{self.a.name}] {sid} key={key} ts={ts}{note}", flush=True)
        if self.a.process_ms:
            time.sleep(self.a.process_ms / 1000.0)

    def poll(self, sid):
        r = self.readers[sid]
        self.calls += 1
        try:
            resp = self.k.get_records(ShardIterator=r["iterator"], Limit=self.a.limit)
        except Exception as exc:  # noqa: BLE001
            code = labcommon.error_code(exc)
            if labcommon.is_throttle(exc):
                self.throttled += 1
                r["next_at"] = time.monotonic() + 1.0
                return 0
            if code == "ExpiredIteratorException":
                kwargs = ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "StartingSequenceNumber": r["last_seq"]}
                          if r["last_seq"] else r["kwargs"])
                r["iterator"] = self.k.get_shard_iterator(StreamName=self.a.stream, ShardId=sid,
                                                          **kwargs)["ShardIterator"]
                return 0
            raise
        records = resp["Records"]
        r["behind"] = resp.get("MillisBehindLatest", 0)
        self.max_lag = max(self.max_lag, r["behind"])
        handled = 0
        for rec in records:
            if self.a.max_records is not None and self.total >= self.a.max_records:
                break
            self.handle(sid, rec)
            r["last_seq"] = rec["SequenceNumber"]
            self.counts[sid] = self.counts.get(sid, 0) + 1
            self.total += 1
            handled += 1
        if handled and self.cp:
            self.cp.put(sid, r["last_seq"])
        if handled < len(records):  # stopped in the middle of a batch: resume after the last one handled
            return handled
        if not records:
            self.empty_calls += 1
        nxt = resp.get("NextShardIterator")
        if nxt is None:
            self.finish_shard(sid, resp)
            return handled
        r["iterator"] = nxt
        # 5 calls/s per shard at most; wait longer after an empty answer from a caught-up shard.
        r["next_at"] = time.monotonic() + (self.a.poll_interval if not records and r["behind"] == 0 else 0.2)
        return handled

    def status(self):
        lags = ", ".join(f"{sid}={self.readers[sid]['behind'] / 1000:.1f}s" for sid in sorted(self.readers)
                         if self.readers[sid]["behind"] is not None)
        print(f"[{self.a.name} {time.monotonic() - self.t0:5.1f}s] read {self.total} records; "
              f"MillisBehindLatest: {lags or 'n/a'}", flush=True)

    def run(self):
        a = self.a
        self.t0 = time.monotonic()
        self.new_since_start = set()
        self.refresh()
        where = f"as worker {a.worker}, its share of the shards of" if a.worker else "every shard of"
        self.say(f"consuming {where} {a.stream} ({len(self.shards)} shards)")
        self.schedule()
        last_activity = time.monotonic()
        next_status = self.t0 + a.status_every if a.status_every else float("inf")
        try:
            while True:
                now = time.monotonic()
                if a.max_records is not None and self.total >= a.max_records:
                    break
                if a.duration is not None and now - self.t0 >= a.duration:
                    break
                if now >= next_status:
                    self.status()
                    next_status = now + a.status_every
                if now >= self.next_refresh:
                    self.refresh()
                    self.schedule()
                due = [sid for sid, r in self.readers.items() if r["next_at"] <= now]
                if not due:
                    caught_up = all(r["behind"] == 0 for r in self.readers.values())
                    if a.stop_when_idle is not None and caught_up and now - last_activity >= a.stop_when_idle:
                        break
                    wake = min([r["next_at"] for r in self.readers.values()] + [self.next_refresh, next_status])
                    time.sleep(max(0.0, min(wake - now, 0.25)))
                    continue
                for sid in sorted(due):
                    if sid in self.readers and self.poll(sid):
                        last_activity = time.monotonic()
                    if a.max_records is not None and self.total >= a.max_records:
                        break
                self.schedule()
        finally:
            self.summary()
        return 1 if (a.check_order and self.violations) else 0

    def summary(self):
        el = time.monotonic() - self.t0
        print(f"[{self.a.name}] summary: {self.total} records in {el:.1f} s", flush=True)
        for sid in sorted(self.counts):
            r = self.readers.get(sid)
            state = "closed, read to its end" if sid in self.done else f"MillisBehindLatest {(r or {}).get('behind') or 0}"
            print(f"[{self.a.name}]   {sid}: {self.counts[sid]} records, {state}")
        print(f"[{self.a.name}]   GetRecords calls: {self.calls} ({self.empty_calls} empty, "
              f"{self.throttled} throttled); highest MillisBehindLatest seen: {self.max_lag} ms")
        if self.a.check_order:
            verdict = "OK" if not self.violations else f"{self.violations} VIOLATION(S)"
            print(f"[{self.a.name}]   per-key order: {verdict} ({len(self.last_ts)} keys)")
            print(f"[{self.a.name}]   records that arrived after a record produced later (any key): "
                  f"{self.out_of_produce_order}")
        sys.stdout.flush()


def main():
    args = build_parser().parse_args()
    clients = labcommon.Clients.from_args(args)
    kinesis = clients.client("kinesis", retries=1)
    cp = Checkpoints(clients.client("dynamodb"), args.checkpoint_table, args.name) if args.checkpoint_table else None
    return Consumer(args, kinesis, cp).run()


if __name__ == "__main__":
    labcommon.run(main)
