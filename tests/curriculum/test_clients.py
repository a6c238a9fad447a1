"""The learners' programs in clients/python: --help, endpoint resolution, a plain message when the server is
not running, clean Ctrl-C, and the behaviours the modules rely on, against the real binary.
"""
import json
import os
import signal
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CLIENTS = os.path.join(ROOT, "clients", "python")
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
sys.path.insert(0, CLIENTS)

import harness  # noqa: E402
import labcommon  # noqa: E402

PROGRAMS = ["producer.py", "consumer.py", "sqs_worker.py", "fanout_subscriber.py", "cdc_follower.py",
            "event_account.py", "partition_key.py"]
NEEDS = {"producer.py": ["--stream", "s"], "consumer.py": ["--stream", "s"], "sqs_worker.py": ["--queue", "q"],
         "fanout_subscriber.py": ["--topic", "tpc", "--queue", "q"], "cdc_follower.py": ["--table", "tbl"],
         "event_account.py": ["--stream", "s", "balance", "alice"], "partition_key.py": ["--stream", "s", "k"]}


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("STREAMLAB_ENDPOINT", "AWS_ENDPOINT_URL")}
    env.update(harness.CREDENTIALS, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def run(program, *args, env=None, timeout=60):
    return subprocess.run([sys.executable, os.path.join(CLIENTS, program), *args], capture_output=True, text=True,
                          env=env or clean_env(), timeout=timeout)


class OfflineTest(unittest.TestCase):
    def test_every_program_has_help(self):
        for prog in PROGRAMS:
            with self.subTest(prog):
                p = run(prog, "--help")
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertIn("usage:", p.stdout)
                self.assertIn("--endpoint-url", p.stdout)

    def test_endpoint_resolution_order(self):
        saved = {k: os.environ.pop(k, None) for k in ("STREAMLAB_ENDPOINT", "AWS_ENDPOINT_URL")}
        try:
            self.assertIsNone(labcommon.resolve_endpoint(None))
            os.environ["AWS_ENDPOINT_URL"] = "http://b:2"
            self.assertEqual(labcommon.resolve_endpoint(None), "http://b:2")
            os.environ["STREAMLAB_ENDPOINT"] = "http://a:1/"
            self.assertEqual(labcommon.resolve_endpoint(None), "http://a:1")
            self.assertEqual(labcommon.resolve_endpoint("http://c:3"), "http://c:3")
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None)
                if v is not None:
                    os.environ[k] = v

    def test_no_server_gives_one_line_not_a_traceback(self):
        for prog, args in NEEDS.items():
            with self.subTest(prog):
                p = run(prog, "--endpoint-url", "http://127.0.0.1:9", *args)
                self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
                self.assertIn("cannot reach http://127.0.0.1:9: is streamlab running?", p.stderr)
                self.assertNotIn("Traceback", p.stderr)

    def test_environment_endpoint_is_used(self):
        p = run("producer.py", "--stream", "s", env=clean_env(STREAMLAB_ENDPOINT="http://127.0.0.1:9"))
        self.assertIn("cannot reach http://127.0.0.1:9", p.stderr)
        p = run("producer.py", "--stream", "s", env=clean_env(AWS_ENDPOINT_URL="http://127.0.0.1:9"))
        self.assertIn("cannot reach http://127.0.0.1:9", p.stderr)


class AgainstServerTest(harness.ServerTest):
    server_args = ("--state-delay-ms", "0")

    def setUp(self):
        super().setUp()
        self.env = clean_env()

    def cli(self, prog, *args, timeout=60):
        return run(prog, "--endpoint-url", self.server.endpoint, *args, env=self.env, timeout=timeout)

    def make_stream(self, name, shards=1):
        k = self.server.client("kinesis")
        k.create_stream(StreamName=name, ShardCount=shards)
        labcommon.wait_stream_active(k, name)
        return k

    def test_ctrl_c_is_clean(self):
        self.make_stream("cc")
        p = subprocess.Popen([sys.executable, os.path.join(CLIENTS, "consumer.py"), "--endpoint-url",
                              self.server.endpoint, "--stream", "cc", "--duration", "60"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self.env)
        time.sleep(2.0)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=20)
        self.assertEqual(p.returncode, 130, err)
        self.assertIn("summary:", out)
        self.assertIn("stopped.", err)
        self.assertNotIn("Traceback", err)

    def test_producer_then_consumer_keeps_per_key_order(self):
        self.make_stream("po", shards=2)
        p = self.cli("producer.py", "--stream", "po", "--count", "200", "--rate", "0", "--batch-size", "50",
                     "--key-count", "5")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("done: 200 records written", p.stdout)
        p = self.cli("consumer.py", "--stream", "po", "--max-records", "200", "--duration", "30", "--check-order",
                     "--print", "summary")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("summary: 200 records", p.stdout)
        self.assertIn("per-key order: OK (5 keys)", p.stdout)

    def test_producer_sees_throttling_and_retries(self):
        self.make_stream("thr")
        p = self.cli("producer.py", "--stream", "thr", "--count", "3000", "--rate", "0", "--batch-size", "500",
                     "--tag", "burst")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"throttled: [1-9]\d* record\(s\) refused with ProvisionedThroughputExceeded")
        self.assertIn("done: 3000 records written", p.stdout)

    def test_consumer_follows_a_split_in_order(self):
        k = self.make_stream("sp")
        self.cli("producer.py", "--stream", "sp", "--count", "100", "--rate", "0", "--batch-size", "1",
                 "--key-count", "4")
        k.split_shard(StreamName="sp", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2 ** 127))
        labcommon.wait_stream_active(k, "sp")
        self.cli("producer.py", "--stream", "sp", "--count", "100", "--rate", "0", "--batch-size", "1",
                 "--key-count", "4")
        p = self.cli("consumer.py", "--stream", "sp", "--max-records", "200", "--duration", "30", "--check-order",
                     "--print", "summary")
        self.assertEqual(p.returncode, 0, p.stdout)
        self.assertIn("per-key order: OK (4 keys)", p.stdout)
        self.assertIn("shardId-000000000000 is closed and fully read", p.stdout)

    def test_consumer_checkpoints_resume(self):
        self.make_stream("ck")
        self.cli("producer.py", "--stream", "ck", "--count", "30", "--rate", "0", "--batch-size", "30")
        p = self.cli("consumer.py", "--stream", "ck", "--max-records", "10", "--checkpoint-table", "ck-app",
                     "--print", "none")
        self.assertIn("summary: 10 records", p.stdout)
        p = self.cli("consumer.py", "--stream", "ck", "--checkpoint-table", "ck-app", "--stop-when-idle", "1",
                     "--duration", "20", "--print", "none")
        self.assertIn("summary: 20 records", p.stdout)

    def test_sqs_worker_failures_reach_the_dead_letter_queue(self):
        sqs = self.server.client("sqs")
        dlq = sqs.create_queue(QueueName="w-dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        q = sqs.create_queue(QueueName="w", Attributes={"VisibilityTimeout": "1", "RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": arn, "maxReceiveCount": "2"})})["QueueUrl"]
        for body in ("ok-1", "bad", "ok-2"):
            sqs.send_message(QueueUrl=q, MessageBody=body)
        p = self.cli("sqs_worker.py", "--queue", "w", "--fail-on", "bad", "--until-empty", "--duration", "30")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("2 acknowledged", p.stdout)
        self.assertEqual(sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["ApproximateNumberOfMessages"])
                         ["Attributes"]["ApproximateNumberOfMessages"], "1")

    def test_cdc_follower_copies_a_table(self):
        db = self.server.client("dynamodb")
        for name, stream in (("src", True), ("dst", False)):
            kw = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}} if stream else {}
            db.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], **kw)
        db.put_item(TableName="src", Item={"id": {"S": "a"}, "n": {"N": "1"}})
        db.put_item(TableName="src", Item={"id": {"S": "b"}, "n": {"N": "2"}})
        db.update_item(TableName="src", Key={"id": {"S": "a"}}, UpdateExpression="SET n = :n",
                       ExpressionAttributeValues={":n": {"N": "5"}})
        db.delete_item(TableName="src", Key={"id": {"S": "b"}})
        p = self.cli("cdc_follower.py", "--table", "src", "--copy-to", "dst", "--stop-when-idle", "1", "--duration", "20")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("4 changes (2 INSERT, 1 MODIFY, 1 REMOVE)", p.stdout)
        self.assertEqual(db.scan(TableName="dst")["Items"], [{"id": {"S": "a"}, "n": {"N": "5"}}])

    def test_event_account_rejects_overdraft_and_replays(self):
        self.make_stream("acc")
        self.assertEqual(self.cli("event_account.py", "--stream", "acc", "deposit", "alice", "100").returncode, 0)
        p = self.cli("event_account.py", "--stream", "acc", "withdraw", "alice", "150")
        self.assertEqual(p.returncode, 3)
        self.assertIn("insufficient funds", p.stdout)
        self.cli("event_account.py", "--stream", "acc", "withdraw", "alice", "40")
        p = self.cli("event_account.py", "--stream", "acc", "balance", "alice")
        self.assertIn("alice: balance 60 (replayed 2 events)", p.stdout)


if __name__ == "__main__":
    unittest.main()
