#!/usr/bin/env python3
"""M6 check: m6-events has 4 shards covering the hash-key space, and 200 records over 20 device keys, each
in the shard its partition key hashes to."""
import hashlib
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM = "m6-events"


def body(c):
    c.stream_summary(STREAM, "step 1: aws kinesis create-stream --stream-name m6-events --shard-count 4")
    shards = [s for s in checklib.labcommon.list_all_shards(c.client("kinesis"), STREAM)
              if "EndingSequenceNumber" not in s["SequenceNumberRange"]]
    ranges = sorted((int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])) for s in shards)
    contiguous = bool(ranges) and ranges[0][0] == 0 and ranges[-1][1] == 2 ** 128 - 1 and all(
        a[1] + 1 == b[0] for a, b in zip(ranges, ranges[1:]))
    c.expect(len(shards) == 4 and contiguous,
             "4 open shards whose hash-key ranges cover 0 .. 2^128-1 without gaps or overlaps",
             f"{len(shards)} open shards (4 expected)" + ("" if contiguous else "; their ranges leave gaps"),
             "delete the stream and redo step 1 with --shard-count 4")
    data = c.read_stream(STREAM)
    records = [(s, r) for s, recs in data for r in recs]
    c.expect(len(records) >= 200, f"{len(records)} records in the stream",
             f"{len(records)} records in the stream, 200 expected", "step 4: producer.py --count 200 --key-count 20")
    counts = [len(recs) for _s, recs in data]
    c.expect(len(counts) == 4 and all(counts), f"every shard holds records ({', '.join(map(str, counts))})",
             f"records per shard: {', '.join(map(str, counts)) or 'none'}; every shard should hold some",
             "step 4 spreads 20 keys over the 4 shards")
    where = {}
    for s, r in records:
        where.setdefault(r["PartitionKey"], set()).add(s["ShardId"])
    devices = {k for k in where if k.startswith("device-")}
    c.expect(len(devices) >= 20 and all(len(where[k]) == 1 for k in devices),
             f"{len(devices)} device keys, each on exactly one shard",
             f"{len(devices)} device keys (20 expected)" + ("" if all(len(v) == 1 for v in where.values())
                                                              else "; some key is on several shards"),
             "step 4: --key-count 20 --key-prefix device-")
    misplaced = 0
    for s, r in records:
        h = int(hashlib.md5(r["PartitionKey"].encode()).hexdigest(), 16)
        lo, hi = int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"])
        misplaced += not lo <= h <= hi
    c.expect(misplaced == 0, "every record sits in the shard whose range holds the MD5 of its partition key",
             f"{misplaced} records are outside the range their key's MD5 points to")
    unordered = sum(1 for _s, recs in data for a, b in zip(recs, recs[1:])
                    if int(a["SequenceNumber"]) >= int(b["SequenceNumber"]))
    c.expect(unordered == 0, "sequence numbers increase within every shard",
             f"{unordered} places where a shard's sequence numbers do not increase")


if __name__ == "__main__":
    checklib.Check("M6", "Partitioned Logs Intro").run(body)
