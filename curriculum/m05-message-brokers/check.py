#!/usr/bin/env python3
"""M5 check: m5-jobs (visibility 4 s, redrive to m5-jobs-dlq after 3 receives) is empty, and the dead-letter
queue holds the poison job."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import checklib  # noqa: E402

COUNTS = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]


def body(c):
    sqs = c.client("sqs")
    q = c.queue_url("m5-jobs", "step 2 creates m5-jobs with the attributes file")
    dlq = c.queue_url("m5-jobs-dlq", "step 2: aws sqs create-queue --queue-name m5-jobs-dlq")
    attrs = sqs.get_queue_attributes(QueueUrl=q, AttributeNames=["All"])["Attributes"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    c.expect(attrs.get("VisibilityTimeout") == "4", "queue m5-jobs has a visibility timeout of 4 s",
             f"m5-jobs has a visibility timeout of {attrs.get('VisibilityTimeout')} s, 4 expected",
             "step 2: \"VisibilityTimeout\": \"4\" in the attributes file")
    policy = json.loads(attrs.get("RedrivePolicy") or "{}")
    c.expect(policy.get("deadLetterTargetArn") == dlq_arn and str(policy.get("maxReceiveCount")) == "3",
             "m5-jobs sends messages to m5-jobs-dlq after 3 receives",
             f"m5-jobs RedrivePolicy is {attrs.get('RedrivePolicy') or 'missing'}; expected "
             f"deadLetterTargetArn {dlq_arn} and maxReceiveCount 3", "step 2: the RedrivePolicy in the attributes file")
    left = {k: int(attrs.get(k, "0")) for k in COUNTS}
    c.expect(not any(left.values()), "m5-jobs is empty: every good job was acknowledged",
             "m5-jobs still holds messages: " + ", ".join(f"{k} {v}" for k, v in left.items() if v),
             "steps 4 and 6: run sqs_worker.py --until-empty until it says the queue is empty")
    d = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=COUNTS)["Attributes"]
    n = sum(int(v) for v in d.values())
    c.expect(n == 1, "m5-jobs-dlq holds 1 message", f"m5-jobs-dlq holds {n} messages, 1 expected (the poison job)",
             "step 4: sqs_worker.py --fail-on POISON until the queue is empty")
    msgs = sqs.receive_message(QueueUrl=dlq, VisibilityTimeout=0, MaxNumberOfMessages=10,
                               AttributeNames=["ApproximateReceiveCount"]).get("Messages", [])
    poison = [m for m in msgs if "POISON" in m["Body"]]
    count = int(poison[0]["Attributes"]["ApproximateReceiveCount"]) if poison else 0
    c.expect(poison and count >= 3, f"the dead-letter message is the poison job (ApproximateReceiveCount {count}, this check's look included)",
             "no message with POISON in its body in m5-jobs-dlq (it may be in flight: wait 30 s and check again)"
             if not poison else f"the poison job was received only {count} times",
             "step 4 sends 'resize photo-POISON.jpg'")


if __name__ == "__main__":
    checklib.Check("M5", "Message Brokers").run(body)
