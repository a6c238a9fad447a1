#!/usr/bin/env python3
"""M3 check: m3-telemetry holds every retried "burst" reading, only part of the "shed" ones, the "live"
readings of the slow-consumer step, and keeps records for 48 hours."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM = "m3-telemetry"


def body(c):
    s = c.stream_summary(STREAM, "step 1: aws kinesis create-stream --stream-name m3-telemetry --shard-count 1")
    c.expect(s["OpenShardCount"] == 1, "it has 1 shard", f"it has {s['OpenShardCount']} open shards; step 1 creates 1")
    c.expect(s["RetentionPeriodHours"] == 48, "retention is 48 hours",
             f"retention is {s['RetentionPeriodHours']} hours, 48 expected",
             "step 6: aws kinesis increase-stream-retention-period --retention-period-hours 48")
    runs = {}
    for _shard, recs in c.read_stream(STREAM):
        for r in recs:
            e = r["event"]
            if isinstance(e, dict):
                runs.setdefault(e.get("run"), set()).add((r["PartitionKey"], e.get("seq")))
    burst, shed, live = (len(runs.get(k, ())) for k in ("burst", "shed", "live"))
    c.expect(burst == 3000,
             f'all {burst} "burst" readings are in the stream: throttled records were retried, none lost',
             f'{burst} distinct "burst" readings in the stream, 3000 expected',
             "step 2: producer.py --count 3000 --rate 0 --batch-size 500 --tag burst (without --no-retry)")
    c.expect(0 < shed < 3000,
             f'{shed} of 3000 "shed" readings are in the stream: the rest were dropped on purpose',
             f'{shed} "shed" readings in the stream; step 3 should leave some, but fewer than 3000',
             "step 3: the same burst with --tag shed --no-retry, right after step 2")
    c.expect(live >= 600, f'{live} "live" readings from step 4',
             f'{live} "live" readings in the stream; step 4 writes about 1200', "step 4: producer.py --duration 6 --rate 200 --tag live")


if __name__ == "__main__":
    checklib.Check("M3", "Backpressure & Durability").run(body)
