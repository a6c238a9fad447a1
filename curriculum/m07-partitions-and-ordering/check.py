#!/usr/bin/env python3
"""M7 check: m7-orders was split at the middle of shard 0, holds 600 order events whose per-key order holds when
read parents first, and m7-positions holds a consumer position per original shard."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM, TABLE = "m7-orders", "m7-positions"
PARENT = "shardId-000000000000"
MID = 2 ** 126


def body(c):
    c.stream_summary(STREAM, "step 1: aws kinesis create-stream --stream-name m7-orders --shard-count 2")
    shards = checklib.labcommon.list_all_shards(c.client("kinesis"), STREAM)
    by_id = {s["ShardId"]: s for s in shards}
    children = sorted(s["ShardId"] for s in shards if s.get("ParentShardId") == PARENT)
    parent = by_id.get(PARENT)
    closed = parent is not None and "EndingSequenceNumber" in parent["SequenceNumberRange"]
    at_mid = len(children) == 2 and sorted(int(by_id[x]["HashKeyRange"]["StartingHashKey"]) for x in children) == [0, MID]
    c.expect(closed and at_mid, f"{PARENT} is closed and split into {' and '.join(children)} at 2^126",
             f"{PARENT} is {'closed' if closed else 'still open'}, with {len(children)} children"
             + ("" if at_mid or len(children) != 2 else " that do not split it at 2^126"),
             "step 4: aws kinesis split-shard --shard-to-split shardId-000000000000 "
             "--new-starting-hash-key 85070591730234615865843651857942052864")
    data = c.read_stream(STREAM)
    events = [(s["ShardId"], r) for s, recs in data for r in recs
              if isinstance(r["event"], dict) and r["event"].get("type") == "order_updated"]
    before = sum(1 for _s, r in events if r["event"].get("run") == "before-split")
    after = sum(1 for _s, r in events if r["event"].get("run") == "after-split")
    c.expect(before >= 300 and after >= 300, f"{before + after} order events ({before} before and {after} after the split)",
             f"{before} events tagged before-split and {after} after-split; 300 of each expected",
             "steps 2 and 4: producer.py --count 300 --tag before-split / --tag after-split")
    moved = []
    for key in ("order-1", "order-2", "order-4", "order-6"):
        where = {sid for sid, r in events if r["PartitionKey"] == key}
        if PARENT in where and where & set(children):
            moved.append(key)
    c.expect(len(moved) == 4, f"orders {', '.join(moved)} have events in {PARENT} and in one of its children",
             f"only {', '.join(moved) or 'no order'} of order-1, order-2, order-4, order-6 have events on both sides "
             "of the split", "write the after-split events (step 4) after splitting")
    last, bad = {}, 0
    for _sid, r in events:  # read_stream: parents before children, each shard in order
        ts = r["event"].get("ts", 0)
        bad += ts < last.get(r["PartitionKey"], 0)
        last[r["PartitionKey"]] = max(ts, last.get(r["PartitionKey"], 0))
    c.expect(bad == 0, "read parents first, every order's events are in the order they were produced",
             f"{bad} events are out of their order's order even when read parents first",
             "write with PutRecord (the producer's default --batch-size 1) so retries cannot reorder a key")
    table = c.table(TABLE, "step 3: consumer.py --checkpoint-table m7-positions")
    items = c.client("dynamodb").scan(TableName=table["TableName"])["Items"]
    saved = {i["shard_id"]["S"]: i["checkpoint"]["S"] for i in items}
    valid = {sid for sid, seq in saved.items()
             if any(r["SequenceNumber"] == seq for s, recs in data if s["ShardId"] == sid for r in recs)
             or seq == "SHARD_END"}
    want = {PARENT, "shardId-000000000001"}
    c.expect(want <= valid, f"checkpoint table {TABLE} holds a position for {' and '.join(sorted(want))}",
             f"checkpoint table {TABLE} has positions for {', '.join(sorted(valid)) or 'no shard'}; both "
             f"{' and '.join(sorted(want))} expected", "step 3: run both consumers with --checkpoint-table m7-positions")


if __name__ == "__main__":
    checklib.Check("M7", "Partitions & Ordering").run(body)
