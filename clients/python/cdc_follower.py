#!/usr/bin/env python3
"""Change data capture: follows a DynamoDB table's stream, prints each change, and can keep a copy in sync.

Every write to a table with a stream enabled produces one stream record: INSERT (a new item), MODIFY (an
existing item changed) or REMOVE (an item deleted), in the order the writes happened to that item. With
--copy-to, each change is applied to a second table with the same key schema: INSERT and MODIFY write the
new image, REMOVE deletes the key. Applying a record twice leaves the same result, so replaying the stream
from its start (TRIM_HORIZON) rebuilds the copy.

The stream needs NEW_IMAGE or NEW_AND_OLD_IMAGES to copy items (with KEYS_ONLY the follower reads the
current item from the table instead).

Examples:
  cdc_follower.py --endpoint-url http://localhost:4566 --table customers --stop-when-idle 3
  cdc_follower.py --table customers --copy-to customers-copy --duration 60
"""
import json
import time

import labcommon


def build_parser():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--table", required=True, help="the table whose stream to follow")
    p.add_argument("--copy-to", metavar="TABLE", help="apply every change to this table (same key schema)")
    p.add_argument("--from", dest="start", choices=["trim_horizon", "latest"], default="trim_horizon",
                   help="start at the oldest record kept (default) or only at new changes")
    p.add_argument("--max-records", type=int, help="stop after this many stream records")
    p.add_argument("--duration", type=float, help="stop after this many seconds")
    p.add_argument("--stop-when-idle", type=float, metavar="SECONDS",
                   help="stop once the stream is read to its tip and nothing new arrived for this long")
    p.add_argument("--poll-interval", type=float, default=1.0, help="seconds between polls of an idle shard")
    return p


def plain(image):
    """A DynamoDB-JSON image as plain Python values (numbers as int or float) for printing."""
    from boto3.dynamodb.types import TypeDeserializer

    d = TypeDeserializer()

    def conv(v):
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [conv(x) for x in v]
        if isinstance(v, set):
            return sorted(conv(x) for x in v)
        if type(v).__name__ == "Decimal":
            return int(v) if v == v.to_integral_value() else float(v)
        if isinstance(v, (bytes, bytearray)) or type(v).__name__ == "Binary":
            return "<binary>"
        return v

    return {k: conv(d.deserialize(v)) for k, v in sorted((image or {}).items())}


def fmt(obj):
    return json.dumps(obj, separators=(", ", ": "), sort_keys=True, default=str)


class Follower:
    def __init__(self, args, dynamodb, streams):
        self.a, self.db, self.st = args, dynamodb, streams
        table = dynamodb.describe_table(TableName=args.table)["Table"]
        spec = table.get("StreamSpecification", {})
        if not spec.get("StreamEnabled") or not table.get("LatestStreamArn"):
            raise SystemExit(f"cdc_follower.py: table {args.table} has no stream; enable one with\n"
                             f"  aws dynamodb update-table --table-name {args.table} "
                             f"--stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES")
        self.arn = table["LatestStreamArn"]
        self.view = spec.get("StreamViewType")
        self.key_names = [k["AttributeName"] for k in table["KeySchema"]]
        if args.copy_to:
            dynamodb.describe_table(TableName=args.copy_to)  # fails early, with AWS's message, if missing
        self.readers, self.done, self.shards = {}, set(), {}
        self.total = 0
        self.counts = {"INSERT": 0, "MODIFY": 0, "REMOVE": 0}

    def list_shards(self):
        shards, start = [], None
        while True:
            kw = {"StreamArn": self.arn}
            if start:
                kw["ExclusiveStartShardId"] = start
            d = self.st.describe_stream(**kw)["StreamDescription"]
            shards += d["Shards"]
            start = d.get("LastEvaluatedShardId")
            if not start:
                return shards

    def schedule(self, first=False):
        for s in self.list_shards():
            sid = s["ShardId"]
            self.shards.setdefault(sid, s)
            if sid in self.readers or sid in self.done:
                continue
            parent = s.get("ParentShardId")
            if parent and parent in self.shards and parent not in self.done:
                continue  # parents first: changes to one item stay in order
            closed = "EndingSequenceNumber" in s.get("SequenceNumberRange", {})
            if first and self.a.start == "latest":
                if closed:
                    self.done.add(sid)
                    continue
                kind = "LATEST"
            else:
                kind = "TRIM_HORIZON"
            it = self.st.get_shard_iterator(StreamArn=self.arn, ShardId=sid, ShardIteratorType=kind)["ShardIterator"]
            self.readers[sid] = {"iterator": it, "next_at": 0.0, "tip": False}
        self.next_refresh = time.monotonic() + 5.0

    def key_of(self, keys):
        k = plain(keys)
        return " ".join(f"{n}={k.get(n)}" for n in self.key_names)

    def apply(self, rec):
        name = rec["eventName"]
        d = rec["dynamodb"]
        new, old = d.get("NewImage"), d.get("OldImage")
        line = f"{name:<6}  {self.key_of(d['Keys'])}"
        if name == "MODIFY" and old is not None and new is not None:
            po, pn = plain(old), plain(new)
            changed = [f"{k}: {fmt(po.get(k))} -> {fmt(pn.get(k))}" for k in sorted(set(po) | set(pn))
                       if po.get(k) != pn.get(k)]
            line += "  changed " + "; ".join(changed)
        elif name == "INSERT" and new is not None:
            line += "  new " + fmt(plain(new))
        elif name == "REMOVE" and old is not None:
            line += "  old " + fmt(plain(old))
        if self.a.copy_to:
            if name == "REMOVE":
                self.db.delete_item(TableName=self.a.copy_to, Key=d["Keys"])
            else:
                item = new
                if item is None:  # KEYS_ONLY / OLD_IMAGE streams: read the item as it is now
                    item = self.db.get_item(TableName=self.a.table, Key=d["Keys"], ConsistentRead=True).get("Item")
                if item is None:
                    self.db.delete_item(TableName=self.a.copy_to, Key=d["Keys"])
                else:
                    self.db.put_item(TableName=self.a.copy_to, Item=item)
            line += f"   -> applied to {self.a.copy_to}"
        print(line, flush=True)
        self.counts[name] = self.counts.get(name, 0) + 1

    def run(self):
        a = self.a
        t0 = time.monotonic()
        print(f"following {a.table} (stream view {self.view})" + (f", copying to {a.copy_to}" if a.copy_to else ""),
              flush=True)
        self.schedule(first=True)
        last = time.monotonic()
        try:
            while True:
                now = time.monotonic()
                if a.duration is not None and now - t0 >= a.duration:
                    break
                if a.max_records is not None and self.total >= a.max_records:
                    break
                if now >= self.next_refresh:
                    self.schedule()
                due = [s for s, r in self.readers.items() if r["next_at"] <= now]
                if not due:
                    if (a.stop_when_idle is not None and all(r["tip"] for r in self.readers.values())
                            and now - last >= a.stop_when_idle):
                        break
                    time.sleep(0.1)
                    continue
                for sid in sorted(due):
                    r = self.readers[sid]
                    resp = self.st.get_records(ShardIterator=r["iterator"], Limit=1000)
                    recs = resp.get("Records", [])
                    for rec in recs:
                        if a.max_records is not None and self.total >= a.max_records:
                            break
                        self.apply(rec)
                        self.total += 1
                        last = time.monotonic()
                    nxt = resp.get("NextShardIterator")
                    if nxt is None:
                        del self.readers[sid]
                        self.done.add(sid)
                        self.schedule()
                        continue
                    r["iterator"] = nxt
                    r["tip"] = not recs
                    r["next_at"] = time.monotonic() + (a.poll_interval if not recs else 0.0)
        finally:
            c = self.counts
            print(f"summary: {self.total} changes ({c['INSERT']} INSERT, {c['MODIFY']} MODIFY, {c['REMOVE']} REMOVE) "
                  f"in {time.monotonic() - t0:.1f} s", flush=True)
        return 0


def main():
    args = build_parser().parse_args()
    clients = labcommon.Clients.from_args(args)
    return Follower(args, clients.client("dynamodb"), clients.client("dynamodbstreams")).run()


if __name__ == "__main__":
    labcommon.run(main)
