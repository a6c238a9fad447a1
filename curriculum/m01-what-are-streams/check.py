#!/usr/bin/env python3
"""M1 check: the stream m1-clickstream exists and holds the events written in the hands-on steps."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM = "m1-clickstream"


def body(c):
    s = c.stream_summary(STREAM, "step 2: aws kinesis create-stream --stream-name m1-clickstream --shard-count 1")
    c.expect(s["OpenShardCount"] == 1, "it has 1 shard",
             f"it has {s['OpenShardCount']} open shards, step 2 creates it with 1", "delete it and redo step 2")
    records = [r for _shard, recs in c.read_stream(STREAM) for r in recs]
    c.expect(len(records) >= 24, f"{len(records)} records in the stream (at least 24 expected)",
             f"{len(records)} records in the stream, at least 24 expected (3 in step 3, 20 in step 4, 1 in step 6)",
             "do the steps that write records: 3, 4 and 6")
    events = [r["event"] for r in records if isinstance(r["event"], dict)]
    cli = [e for e in events if "user" in e]
    c.expect(len(cli) >= 4, f"{len(cli)} events written with the CLI (with a \"user\" field)",
             f"{len(cli)} events with a \"user\" field, 4 expected: 3 from step 3 and 1 from step 6",
             "steps 3 and 6: aws kinesis put-record ... --data '{\"type\":\"page_view\",\"user\":...}'")
    produced = [e for e in events if "seq" in e and "ts" in e]
    c.expect(len(produced) >= 20, f"{len(produced)} events written by producer.py",
             f"{len(produced)} events written by producer.py, 20 expected", "step 4: clients/python/producer.py --count 20")
    keys = {r["PartitionKey"] for r in records}
    c.expect({"user-1", "user-2", "user-3"} <= keys, "events for the partition keys user-1, user-2 and user-3",
             f"partition keys seen: {', '.join(sorted(keys)) or 'none'}; user-1, user-2 and user-3 expected",
             "steps 3 and 4 use the keys user-1, user-2, user-3")
    types = {e.get("type") for e in events}
    c.expect({"page_view", "add_to_cart"} <= types, "both page_view and add_to_cart events are there",
             f"event types seen: {', '.join(sorted(t for t in types if t)) or 'none'}; page_view and add_to_cart expected",
             "step 3 writes one add_to_cart event")


if __name__ == "__main__":
    checklib.Check("M1", "What Are Streams?").run(body)
