#!/usr/bin/env python3
"""M9 check: m9-customers has a NEW_AND_OLD_IMAGES stream with INSERT, MODIFY and REMOVE records, ends in the
state the steps produce, and m9-customers-copy holds exactly the same items."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

EXPECTED = {"c-3": ("Alan", "Cambridge"), "c-4": ("Edsger", "Rotterdam")}


def scan(db, table):
    items = []
    for page in db.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        items += page["Items"]
    return items


def stream_records(streams, arn):
    out, shards, start = [], [], None
    while True:
        kw = {"StreamArn": arn, **({"ExclusiveStartShardId": start} if start else {})}
        d = streams.describe_stream(**kw)["StreamDescription"]
        shards += d["Shards"]
        start = d.get("LastEvaluatedShardId")
        if not start:
            break
    for s in checklib.labcommon.lineage_order(shards):
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=s["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            r = streams.get_records(ShardIterator=it, Limit=1000)
            out += r["Records"]
            it = r.get("NextShardIterator")
            if not r["Records"]:
                break
    return out


def body(c):
    db = c.client("dynamodb")
    t = c.table("m9-customers", "step 1: aws dynamodb create-table --table-name m9-customers ... --stream-specification")
    spec = t.get("StreamSpecification", {})
    c.expect(spec.get("StreamEnabled") and spec.get("StreamViewType") == "NEW_AND_OLD_IMAGES",
             "table m9-customers has a NEW_AND_OLD_IMAGES stream",
             f"m9-customers stream: {spec or 'not enabled'}; NEW_AND_OLD_IMAGES expected",
             "step 1: --stream-specification StreamEnabled=true,StreamViewType=NEW_AND_OLD_IMAGES", abort=True)
    recs = stream_records(c.client("dynamodbstreams"), t["LatestStreamArn"])
    kinds = {r["eventName"] for r in recs}
    c.expect({"INSERT", "MODIFY", "REMOVE"} <= kinds,
             f"its stream holds INSERT, MODIFY and REMOVE records ({len(recs)} in all)",
             f"its stream holds {', '.join(sorted(kinds)) or 'no records'}; INSERT, MODIFY and REMOVE expected",
             "steps 2 and 5 put, update and delete items")
    source = scan(db, "m9-customers")
    got = {i["customer_id"]["S"]: (i.get("name", {}).get("S"), i.get("city", {}).get("S")) for i in source}
    c.expect(got == EXPECTED,
             "m9-customers holds c-3 (Alan, Cambridge) and c-4 (Edsger, Rotterdam), and nothing else",
             f"m9-customers holds {got or 'nothing'}; expected {EXPECTED}", "do steps 2 and 5 in order")
    c.table("m9-customers-copy", "step 1: aws dynamodb create-table --table-name m9-customers-copy ...")
    copy = scan(db, "m9-customers-copy")

    def norm(items):
        return sorted(sorted((k, str(v)) for k, v in i.items()) for i in items)

    missing = {i["customer_id"]["S"] for i in source} - {i["customer_id"]["S"] for i in copy}
    extra = {i["customer_id"]["S"] for i in copy} - {i["customer_id"]["S"] for i in source}
    c.expect(norm(copy) == norm(source), "m9-customers-copy holds exactly the same items as m9-customers",
             "m9-customers-copy differs from m9-customers"
             + (f"; missing {sorted(missing)}" if missing else "") + (f"; extra {sorted(extra)}" if extra else ""),
             "run step 4's cdc_follower.py again: replaying the stream brings the copy in sync")


if __name__ == "__main__":
    checklib.Check("M9", "Change Data Capture").run(body)
