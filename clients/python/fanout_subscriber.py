#!/usr/bin/env python3
"""Fan-out subscriber: gives an SNS topic its own SQS queue and prints every message published to the topic.

Fan-out means every subscriber receives every message. Each subscriber here owns one queue: the program
creates the queue if needed, lets the topic send to it (a queue policy for sns.amazonaws.com, which real AWS
requires), subscribes it to the topic, then receives, prints and deletes messages. Run it twice with two
queue names and both print every message; run two copies on the same queue and they share the messages
instead (load balancing).

SNS wraps each message in a JSON envelope ({"Type": "Notification", "Message": ...}); this program unwraps
it. With --raw the subscription uses raw message delivery and the body arrives as published.

Examples:
  fanout_subscriber.py --endpoint-url http://localhost:4566 --topic orders --queue orders-billing --until-empty
  fanout_subscriber.py --topic-arn arn:aws:sns:us-east-1:123456789012:orders --queue orders-audit --duration 60
"""
import json
import time

import labcommon


def build_parser():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    t = p.add_mutually_exclusive_group(required=True)
    t.add_argument("--topic", help="topic name (created if missing)")
    t.add_argument("--topic-arn", help="topic ARN")
    p.add_argument("--queue", required=True, help="this subscriber's queue name (created if missing)")
    p.add_argument("--name", help="label printed on every line (default: the queue name)")
    p.add_argument("--raw", action="store_true", help="subscribe with RawMessageDelivery=true")
    p.add_argument("--subscribe-only", action="store_true", help="set up the subscription and exit")
    p.add_argument("--max-messages", type=int, help="stop after this many messages")
    p.add_argument("--duration", type=float, help="stop after this many seconds")
    p.add_argument("--until-empty", action="store_true", help="stop when the queue has nothing left")
    p.add_argument("--wait-time", type=int, default=2, help="long-poll wait per ReceiveMessage (default 2 s)")
    return p


def queue_policy(queue_arn, topic_arn):
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "AllowTopic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue_arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}}}]})


def setup(args, sns, sqs, say):
    try:
        topic_arn = args.topic_arn or sns.create_topic(Name=args.topic)["TopicArn"]
    except Exception as exc:  # noqa: BLE001
        if labcommon.error_code(exc) in ("InvalidAction", "UnknownOperationException", "NotFound"):
            raise SystemExit("fanout_subscriber.py: this endpoint does not speak SNS (yet): "
                             f"{labcommon.explain_error(exc)}")
        raise
    url = sqs.create_queue(QueueName=args.queue)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": queue_policy(queue_arn, topic_arn)})
    existing = []
    for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn):
        existing += [s for s in page["Subscriptions"] if s["Endpoint"] == queue_arn]
    if existing:
        say(f"queue {args.queue} is already subscribed to {topic_arn}")
    else:
        attrs = {"RawMessageDelivery": "true"} if args.raw else {}
        sub = sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn, Attributes=attrs,
                            ReturnSubscriptionArn=True)
        say(f"subscribed queue {args.queue} to {topic_arn} ({sub['SubscriptionArn']})")
    return topic_arn, url


def unwrap(body):
    try:
        env = json.loads(body)
    except ValueError:
        return body, None
    if isinstance(env, dict) and env.get("Type") == "Notification" and "Message" in env:
        return env["Message"], env.get("Subject")
    return body, None


def main():
    args = build_parser().parse_args()
    clients = labcommon.Clients.from_args(args)
    sns, sqs = clients.client("sns"), clients.client("sqs")
    label = args.name or args.queue

    def say(text):
        print(f"[{label}] {text}", flush=True)

    _topic, url = setup(args, sns, sqs, say)
    if args.subscribe_only:
        return 0
    t0, got = time.monotonic(), 0
    try:
        while True:
            if args.duration is not None and time.monotonic() - t0 >= args.duration:
                break
            if args.max_messages is not None and got >= args.max_messages:
                break
            msgs = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                       WaitTimeSeconds=args.wait_time).get("Messages", [])
            if not msgs:
                if args.until_empty:
                    a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
                    if all(int(v) == 0 for v in a.values()):
                        break
                continue
            for m in msgs:
                text, subject = unwrap(m["Body"])
                got += 1
                say(f"got {text!r}" + (f" (subject {subject!r})" if subject else ""))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    finally:
        say(f"summary: {got} messages in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    labcommon.run(main)
