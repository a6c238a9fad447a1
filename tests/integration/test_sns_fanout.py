"""Fan-out: one topic, three SQS queues with different filter policies (attribute values, numeric range
with anything-but, message-body scope with nested keys and $or), 10,000 publishes. Each queue receives
exactly the messages its policy matches: none missing, none extra, none twice."""
import json
import random
import unittest

import harness
from sns_testlib import ACCOUNT, REGION, FastSns
from sqs_testlib import FastSqs

COLORS = ["red", "green", "blue", "yellow"]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "ap-south-1"]
N = 10_000

POLICIES = {
    "by-color": ("MessageAttributes", {"color": ["red", "blue"]}),
    "mid-size-not-blue": ("MessageAttributes", {"size": [{"numeric": [">=", 50, "<", 75]}],
                                                "color": [{"anything-but": ["blue"]}]}),
    "eu-or-priority": ("MessageBody", {"$or": [{"order": {"region": [{"prefix": "eu-"}]}},
                                               {"order": {"priority": [{"exists": True}]}}]}),
}


def expected(name, i, color, size, region, priority):
    if name == "by-color":
        return color in ("red", "blue")
    if name == "mid-size-not-blue":
        return 50 <= size < 75 and color != "blue"
    return region.startswith("eu-") or priority


class FanOut(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(("--state-delay-ms", "0", "--throttle", "off"), in_memory=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def drain(self, sqs, url):
        bodies = []
        empty = 0
        while empty < 2:
            msgs = sqs.call("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": 10,
                                               "WaitTimeSeconds": 1}).get("Messages", [])
            if not msgs:
                empty += 1
                continue
            empty = 0
            bodies += [m["Body"] for m in msgs]
            sqs.call("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
                {"Id": str(k), "ReceiptHandle": m["ReceiptHandle"]} for k, m in enumerate(msgs)]})
        return bodies

    def test_ten_thousand_publishes(self):
        sns, sqs = FastSns(self.server.port), FastSqs(self.server.port)
        self.addCleanup(sns.close)
        self.addCleanup(sqs.close)
        topic = sns.call("CreateTopic", [("Name", "fanout")])
        topic_arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:fanout"
        self.assertIn(topic_arn, topic)
        urls = {}
        for name, (scope, policy) in POLICIES.items():
            urls[name] = sqs.call("CreateQueue", {"QueueName": name})["QueueUrl"]
            raw = "true" if scope == "MessageAttributes" else "false"
            sns.call("Subscribe", [("TopicArn", topic_arn), ("Protocol", "sqs"),
                                   ("Endpoint", f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"),
                                   ("Attributes.entry.1.key", "FilterPolicyScope"),
                                   ("Attributes.entry.1.value", scope),
                                   ("Attributes.entry.2.key", "FilterPolicy"),
                                   ("Attributes.entry.2.value", json.dumps(policy)),
                                   ("Attributes.entry.3.key", "RawMessageDelivery"),
                                   ("Attributes.entry.3.value", raw)])

        rng = random.Random(7)
        want = {name: set() for name in POLICIES}
        batch = []
        for i in range(N):
            color, size, region = rng.choice(COLORS), rng.randrange(100), rng.choice(REGIONS)
            priority = rng.random() < 0.1
            order = {"id": i, "region": region}
            if priority:
                order["priority"] = "high"
            body = json.dumps({"order": order})
            for name in POLICIES:
                if expected(name, i, color, size, region, priority):
                    want[name].add(i)
            batch.append((body, {"color": ("String", color), "size": ("Number", str(size))}))
            if len(batch) == 10:
                # Half the traffic through PublishBatch, half through Publish.
                if (i // 10) % 2:
                    self.assertEqual(len(sns.publish_batch(topic_arn, batch)), 10)
                else:
                    for b, a in batch:
                        sns.publish(topic_arn, b, a)
                batch = []

        for name in POLICIES:
            bodies = self.drain(sqs, urls[name])
            if POLICIES[name][0] == "MessageBody":
                bodies = [json.loads(b)["Message"] for b in bodies]
            got = [json.loads(b)["order"]["id"] for b in bodies]
            self.assertEqual(len(got), len(set(got)), f"{name}: duplicates")
            self.assertEqual(set(got), want[name], f"{name}: wrong set")
            self.assertGreater(len(got), 500)


if __name__ == "__main__":
    unittest.main()
