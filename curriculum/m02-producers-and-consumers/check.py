#!/usr/bin/env python3
"""M2 check: the stream m2-orders has two shards and the 30 orders the producer wrote in step 2."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM = "m2-orders"
KEYS = ["customer-1", "customer-2", "customer-3", "customer-4"]


def body(c):
    s = c.stream_summary(STREAM, "step 1: aws kinesis create-stream --stream-name m2-orders --shard-count 2")
    c.expect(s["OpenShardCount"] == 2, "it has 2 open shards",
             f"it has {s['OpenShardCount']} open shards; step 1 creates it with 2", "delete it and redo step 1")
    per_shard, orders = {}, []
    for shard, recs in c.read_stream(STREAM):
        mine = [r for r in recs if isinstance(r["event"], dict) and r["event"].get("type") == "order_placed"]
        per_shard[shard["ShardId"]] = len(mine)
        orders += mine
    c.expect(len(orders) >= 30, f"{len(orders)} order_placed events in the stream (30 expected)",
             f"{len(orders)} order_placed events in the stream; step 2 writes 30",
             "step 2: producer.py --count 30 --event-type order_placed (with the consumer)")
    keys = sorted({r["PartitionKey"] for r in orders})
    c.expect(set(KEYS) <= set(keys), "events for " + ", ".join(KEYS[:-1]) + " and " + KEYS[-1],
             f"partition keys seen: {', '.join(keys) or 'none'}; expected {', '.join(KEYS)}",
             "step 2 passes --keys customer-1,customer-2,customer-3,customer-4")
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(per_shard.items()))
    c.expect(len([v for v in per_shard.values() if v]) >= 2, f"both shards hold events ({shown})",
             f"events are not on both shards ({shown or 'no shards'})", "use the four keys of step 2")
    last, bad = {}, 0
    for r in orders:  # read_stream returns each shard in sequence order
        ts = r["event"].get("ts", 0)
        bad += ts < last.get(r["PartitionKey"], 0)
        last[r["PartitionKey"]] = ts
    c.expect(bad == 0, "every customer's events are in the order they were produced",
             f"{bad} events are out of their customer's order")


if __name__ == "__main__":
    checklib.Check("M2", "Producers & Consumers").run(body)
