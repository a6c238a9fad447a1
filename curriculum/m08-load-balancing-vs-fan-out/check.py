#!/usr/bin/env python3
"""M8 check: fan-out (two applications each read all of m8-clicks), load balancing on a log (m8-enrich's shards
owned by different workers) and on a queue (m8-tasks drained).

TODO (SNS): once streamlab has SNS, also check topic m8-orders with two SQS subscriptions, both queues drained.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM = "m8-clicks"


def positions(c, table, hint):
    c.table(table, hint)
    items = c.client("dynamodb").scan(TableName=table, ConsistentRead=True)["Items"]
    return {i["shard_id"]["S"]: (i["checkpoint"]["S"], i.get("owner", {}).get("S")) for i in items}


def body(c):
    c.stream_summary(STREAM, "step 1: aws kinesis create-stream --stream-name m8-clicks --shard-count 2")
    data = c.read_stream(STREAM)
    last = {s["ShardId"]: recs[-1]["SequenceNumber"] for s, recs in data if recs}
    total = sum(len(recs) for _s, recs in data)
    c.expect(total >= 100 and len(last) == 2, f"{total} clicks on {len(last)} shards",
             f"{total} clicks on {len(last)} shards; 100 on 2 shards expected", "step 1: producer.py --count 100")

    def read_all(pos):
        return all(pos.get(sid, (None,))[0] in (seq, "SHARD_END") for sid, seq in last.items())

    for app in ("m8-analytics", "m8-audit"):
        pos = positions(c, app, f"step 2: consumer.py --checkpoint-table {app}")
        c.expect(read_all(pos), f"fan-out: application {app} has read every shard to its last record",
                 f"application {app} has not read every shard to its end (positions: "
                 f"{ {k: v[0][-6:] for k, v in pos.items()} or 'none'})", "step 2: run both consumers until they stop")
    pos = positions(c, "m8-enrich", "step 3: consumer.py --checkpoint-table m8-enrich --worker 1/2 (and 2/2)")
    owners = {sid: owner for sid, (_seq, owner) in pos.items()}
    c.expect(read_all(pos) and len(set(owners.values())) == len(last) == len(owners),
             "load balancing: application m8-enrich read every shard to its end, with each shard owned by a different "
             f"worker ({', '.join(sorted(set(owners.values())))})",
             f"m8-enrich: shard owners {owners or 'none'}; every shard read to its end by a different worker expected",
             "step 3: two workers, --worker 1/2 and --worker 2/2, sharing --checkpoint-table m8-enrich")
    sqs = c.client("sqs")
    q = c.queue_url("m8-tasks", "step 1: aws sqs create-queue --queue-name m8-tasks")
    a = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["ApproximateNumberOfMessages",
                                                             "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    left = sum(int(v) for v in a.values())
    c.expect(left == 0, "load balancing: queue m8-tasks is empty, all 10 tasks were processed",
             f"queue m8-tasks still holds {left} messages", "step 4: run both workers with --until-empty")


if __name__ == "__main__":
    checklib.Check("M8", "Load Balancing vs Fan-out").run(body)
