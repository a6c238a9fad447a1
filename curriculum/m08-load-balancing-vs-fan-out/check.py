#!/usr/bin/env python3
"""M8 check: fan-out (two applications each read all of m8-clicks), load balancing on a log (m8-enrich's shards
owned by different workers) and on a queue (m8-tasks drained), and SNS fan-out (topic m8-orders with three SQS
subscriptions whose queue policies admit it; audit's queue holds every order, the other two were drained).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

STREAM = "m8-clicks"
TOPIC = "m8-orders"
ORDERS = 4
SYSTEMS = ("analytics", "audit", "billing")


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
    check_sns(c)


def queue_counts(sqs, url):
    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages",
                                                               "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return int(a["ApproximateNumberOfMessages"]), int(a["ApproximateNumberOfMessagesNotVisible"])


def admits(policy_text, queue_arn, topic_arn):
    """Whether a queue policy lets SNS send from this topic (the statement real AWS needs)."""
    try:
        statements = json.loads(policy_text or "{}").get("Statement", [])
    except ValueError:
        return False
    for st in statements if isinstance(statements, list) else [statements]:
        principal = st.get("Principal", {})
        service = principal.get("Service") if isinstance(principal, dict) else principal
        services = service if isinstance(service, list) else [service]
        actions = st.get("Action") if isinstance(st.get("Action"), list) else [st.get("Action")]
        source = json.dumps(st.get("Condition", {}))
        if (st.get("Effect") == "Allow" and ("sns.amazonaws.com" in services or "*" in services)
                and any(a in ("sqs:SendMessage", "sqs:*", "*") for a in actions)
                and st.get("Resource") in (queue_arn, "*") and (not st.get("Condition") or topic_arn in source)):
            return True
    return False


def peek_bodies(sqs, url, count):
    """The queue's messages without taking them (visibility timeout 0), up to count."""
    seen = {}
    for _ in range(5):
        for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                     WaitTimeSeconds=1).get("Messages", []):
            seen[m["MessageId"]] = m["Body"]
        if len(seen) >= count:
            break
    return list(seen.values())


def check_sns(c):
    sns, sqs = c.client("sns"), c.client("sqs")
    topics = [t["TopicArn"] for page in sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
    topic_arn = next((t for t in topics if t.split(":")[-1] == TOPIC), None)
    c.expect(topic_arn, f"topic {TOPIC} exists", f"topic {TOPIC} does not exist",
             "step 5: aws sns create-topic --name m8-orders", abort=True)
    subs = [s for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
            for s in page["Subscriptions"] if s["Protocol"] == "sqs"]
    subscribed = {s["Endpoint"].split(":")[-1] for s in subs}
    wanted = {f"{TOPIC}-{x}" for x in SYSTEMS}
    c.expect(wanted <= subscribed, f"fan-out: queues {', '.join(sorted(wanted))} are subscribed to {TOPIC}",
             f"{TOPIC} has SQS subscriptions for {', '.join(sorted(subscribed)) or 'no queue'}; "
             f"{', '.join(sorted(wanted - subscribed))} missing",
             "step 5: aws sns subscribe (billing) and fanout_subscriber.py --subscribe-only (analytics, audit)",
             abort=True)
    urls, refused = {}, []
    for q in sorted(wanted):
        urls[q] = c.queue_url(q, f"step 5: create queue {q}")
        a = sqs.get_queue_attributes(QueueUrl=urls[q], AttributeNames=["QueueArn", "Policy"])["Attributes"]
        if not admits(a.get("Policy"), a["QueueArn"], topic_arn):
            refused.append(q)
    c.expect(not refused, f"every subscribed queue's policy lets {TOPIC} send to it",
             f"the policy of {', '.join(refused)} does not allow sns.amazonaws.com to sqs:SendMessage from {TOPIC} "
             "(real AWS would drop the deliveries)", "step 5: aws sqs set-queue-attributes --attributes Policy=...")
    audit = f"{TOPIC}-audit"
    bodies = peek_bodies(sqs, urls[audit], ORDERS)
    delivered = []
    for b in bodies:
        try:
            env = json.loads(b)
        except ValueError:
            continue
        if isinstance(env, dict) and env.get("Type") == "Notification" and env.get("TopicArn") == topic_arn:
            delivered.append(env.get("Message"))
    c.expect(len(delivered) == ORDERS and len(bodies) == ORDERS,
             f"fan-out: {audit} holds all {ORDERS} orders, each delivered by {TOPIC}",
             f"{audit} holds {len(bodies)} messages ({len(delivered)} SNS notifications from {TOPIC}); "
             f"the {ORDERS} published orders expected, none consumed", "step 5: publish the four orders; "
             "step 6 leaves audit's queue alone")
    busy = {q: queue_counts(sqs, urls[q]) for q in (f"{TOPIC}-analytics", f"{TOPIC}-billing")}
    left = {q: sum(n) for q, n in busy.items() if sum(n)}
    c.expect(not left, f"{TOPIC}-analytics and {TOPIC}-billing were drained by their consumers",
             "still queued: " + ", ".join(f"{q} {n}" for q, n in sorted(left.items())),
             "step 6: fanout_subscriber.py --until-empty (analytics), two sqs_worker.py --until-empty (billing)")


if __name__ == "__main__":
    checklib.Check("M8", "Load Balancing vs Fan-out").run(body)
