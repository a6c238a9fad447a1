"""Per-shard throughput limits: writes 1,000 records/s and 1 MiB/s, reads 5 GetRecords calls/s.

boto3 runs with retries truly disabled (streamlab_testlib.no_retry_client: one attempt per call), so each
throttle is seen; the harness's retries={"max_attempts": 1} still retries once in botocore's legacy mode.
"""
import time
import unittest

from botocore.exceptions import ClientError

from harness import Server, ServerTest
from streamlab_testlib import (DEFAULT_ACCOUNT, RawConn, kinesis_request, no_retry_client, read_shard,
                               wait_active)

BIG = 1000 * 1024  # two of these within ~1 s exceed 1 MiB/s (and one fits under the 1 MiB record limit)


def rate_message(stream, shard="shardId-000000000000", account=DEFAULT_ACCOUNT):
    return f"Rate exceeded for shard {shard} in stream {stream} under account {account}."


def close_client(client):
    close = getattr(client, "close", None)
    if close:
        close()


class ThrottlingOnTest(ServerTest):
    server_args = ("--state-delay-ms", "0")  # throttling is on by default

    def setUp(self):
        super().setUp()
        self.kinesis = no_retry_client(self.server)
        self.addCleanup(close_client, self.kinesis)

    def make_stream(self, name, shards=1):
        self.kinesis.create_stream(StreamName=name, ShardCount=shards)
        wait_active(self.kinesis, name)

    def assert_throttled(self, ctx, message=None):
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], "ProvisionedThroughputExceededException", err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)
        if message is not None:
            self.assertEqual(err["Error"]["Message"], message)

    def stored(self, name, shard="shardId-000000000000"):
        # Reads are throttled too: pace them.
        time.sleep(1.1)
        recs, _ = read_shard(self.kinesis, name, shard, limit=10000)
        return recs

    # PutRecord -------------------------------------------------------------------------------
    def test_put_record_over_one_mib_per_second_is_throttled(self):
        name = "thr-bytes"
        self.make_stream(name)
        ok = self.kinesis.put_record(StreamName=name, Data=b"a" * BIG, PartitionKey="k")
        with self.assertRaises(ClientError) as ctx:
            self.kinesis.put_record(StreamName=name, Data=b"b" * BIG, PartitionKey="k")
        self.assert_throttled(ctx, rate_message(name))
        # About a second later the shard accepts again.
        time.sleep(1.1)
        again = self.kinesis.put_record(StreamName=name, Data=b"c" * BIG, PartitionKey="k")
        self.assertGreater(int(again["SequenceNumber"]), int(ok["SequenceNumber"]))
        # The throttled record was not stored.
        self.assertEqual([r["Data"][:1] for r in self.stored(name)], [b"a", b"c"])

    def test_put_record_over_one_thousand_records_per_second_is_throttled(self):
        name = "thr-count"
        self.make_stream(name)
        # Drain the record budget (1,000) with two full PutRecords ...
        entries = [{"Data": b"x", "PartitionKey": f"k{i}"} for i in range(500)]
        self.kinesis.put_records(StreamName=name, Records=entries)
        self.kinesis.put_records(StreamName=name, Records=entries)
        # ... then pipeline 300 PutRecord calls on one connection: far more than 1,000 records/s.
        n = 300
        with RawConn(self.server.port) as conn:
            conn.send(b"".join(kinesis_request("PutRecord", {"StreamName": name, "Data": "eQ==",
                                                             "PartitionKey": f"p{i}"}) for i in range(n)))
            responses = [conn.read_response() for _ in range(n)]
        throttled = [r for r in responses if r.status != 200]
        self.assertGreater(len(throttled), n // 2, "PutRecord calls far above 1,000 records/s were not throttled")
        for r in throttled:
            self.assertEqual(r.status, 400, r)
            self.assertEqual(r.json(), {"__type": "ProvisionedThroughputExceededException",
                                        "message": rate_message(name)})
        time.sleep(1.1)
        self.kinesis.put_record(StreamName=name, Data=b"z", PartitionKey="k")

    # PutRecords ------------------------------------------------------------------------------
    def test_put_records_reports_throttling_per_record(self):
        name = "thr-batch"
        self.make_stream(name)
        acked, failed = [], 0
        started = time.monotonic()
        for batch in range(3):  # 1,500 records into one shard within well under a second
            entries = [{"Data": b"%d-%d" % (batch, i), "PartitionKey": f"k{i}"} for i in range(500)]
            resp = self.kinesis.put_records(StreamName=name, Records=entries)
            self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
            self.assertEqual(len(resp["Records"]), 500)
            errors = [r for r in resp["Records"] if "ErrorCode" in r]
            self.assertEqual(resp["FailedRecordCount"], len(errors))
            for r in errors:
                self.assertEqual(r["ErrorCode"], "ProvisionedThroughputExceededException")
                self.assertEqual(r["ErrorMessage"], rate_message(name))
                self.assertNotIn("SequenceNumber", r)
            for e, r in zip(entries, resp["Records"]):
                if "ErrorCode" not in r:
                    self.assertEqual(r["ShardId"], "shardId-000000000000")
                    acked.append((e["Data"], r["SequenceNumber"]))
            failed += resp["FailedRecordCount"]
        self.assertGreater(failed, 0, "1,500 records in one shard within a second were all accepted")
        elapsed = time.monotonic() - started
        self.assertLessEqual(len(acked), 1000 + 1000 * elapsed + 1, "more than 1,000 records/s accepted")
        # Only the acknowledged records are stored, in order.
        recs = self.stored(name)
        self.assertEqual([(r["Data"], r["SequenceNumber"]) for r in recs], acked)

    def test_put_records_over_one_mib_is_throttled_per_record(self):
        name = "thr-batch-bytes"
        self.make_stream(name)
        entries = [{"Data": bytes([65 + i]) * (300 * 1024), "PartitionKey": "k"} for i in range(6)]  # 1.8 MiB
        resp = self.kinesis.put_records(StreamName=name, Records=entries)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertGreater(resp["FailedRecordCount"], 0)
        codes = ["ErrorCode" in r for r in resp["Records"]]
        self.assertEqual(codes[:3], [False, False, False], resp["FailedRecordCount"])
        for r in resp["Records"]:
            if "ErrorCode" in r:
                self.assertEqual(r["ErrorCode"], "ProvisionedThroughputExceededException")
                self.assertEqual(r["ErrorMessage"], rate_message(name))

    def test_throttling_is_per_shard(self):
        name = "thr-two-shards"
        self.make_stream(name, shards=2)
        hot = {"StreamName": name, "ExplicitHashKey": "0", "PartitionKey": "k"}
        self.kinesis.put_record(Data=b"a" * BIG, **hot)
        with self.assertRaises(ClientError) as ctx:
            self.kinesis.put_record(Data=b"a" * BIG, **hot)
        self.assert_throttled(ctx, rate_message(name))
        # The other shard still has its whole budget.
        cold = dict(hot, ExplicitHashKey=str(2 ** 128 - 1))
        r = self.kinesis.put_record(Data=b"b" * BIG, **cold)
        self.assertEqual(r["ShardId"], "shardId-000000000001")

    # GetRecords ------------------------------------------------------------------------------
    def get_records_until_throttled(self, name, calls=12):
        it = self.kinesis.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        ok = 0
        for _ in range(calls):
            try:
                resp = self.kinesis.get_records(ShardIterator=it)
            except ClientError as e:
                return ok, e, it
            ok += 1
            it = resp["NextShardIterator"]
        return ok, None, it

    def test_more_than_five_get_records_per_second_is_throttled(self):
        name = "thr-reads"
        self.make_stream(name)
        self.kinesis.put_record(StreamName=name, Data=b"r", PartitionKey="k")
        ok, err, it = self.get_records_until_throttled(name)
        self.assertIsNotNone(err, "12 GetRecords calls in a row were never throttled")
        self.assertGreaterEqual(ok, 5, "throttled before 5 calls")
        self.assertLessEqual(ok, 6)
        self.assertEqual(err.response["Error"]["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(err.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        # After about a second the shard serves reads again, and the iterator is still good.
        time.sleep(1.1)
        resp = self.kinesis.get_records(ShardIterator=it)
        self.assertIn("NextShardIterator", resp)

    def test_get_records_throttle_message_is_an_aws_form(self):
        name = "thr-read-message"
        self.make_stream(name)
        _, err, _ = self.get_records_until_throttled(name)
        self.assertIsNotNone(err)
        shard = "shardId-000000000000"
        self.assertIn(err.response["Error"]["Message"], [
            f"Rate exceeded for Shard - {DEFAULT_ACCOUNT}/{name}/{shard}",  # current AWS
            rate_message(name, shard),  # older AWS
        ])

    def test_reads_and_writes_have_separate_budgets(self):
        name = "thr-separate"
        self.make_stream(name)
        _, err, _ = self.get_records_until_throttled(name)
        self.assertIsNotNone(err)
        self.kinesis.put_record(StreamName=name, Data=b"w", PartitionKey="k")  # writes unaffected


class ThrottlingOffTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(("--state-delay-ms", "0", "--throttle", "off")).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.kinesis = no_retry_client(self.server)
        self.addCleanup(close_client, self.kinesis)
        self.name = f"off-{self._testMethodName}"
        self.kinesis.create_stream(StreamName=self.name, ShardCount=1)
        wait_active(self.kinesis, self.name)

    def test_big_put_records_are_not_throttled(self):
        for _ in range(4):
            self.kinesis.put_record(StreamName=self.name, Data=b"a" * BIG, PartitionKey="k")

    def test_many_records_are_not_throttled(self):
        entries = [{"Data": b"x", "PartitionKey": f"k{i}"} for i in range(500)]
        for _ in range(5):
            resp = self.kinesis.put_records(StreamName=self.name, Records=entries)
            self.assertEqual(resp["FailedRecordCount"], 0)
        entries = [{"Data": b"y" * (300 * 1024), "PartitionKey": "k"} for _ in range(8)]
        self.assertEqual(self.kinesis.put_records(StreamName=self.name, Records=entries)["FailedRecordCount"], 0)

    def test_many_get_records_are_not_throttled(self):
        self.kinesis.put_record(StreamName=self.name, Data=b"r", PartitionKey="k")
        it = self.kinesis.get_shard_iterator(StreamName=self.name, ShardId="shardId-000000000000",
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for _ in range(25):
            it = self.kinesis.get_records(ShardIterator=it)["NextShardIterator"]


if __name__ == "__main__":
    unittest.main()
