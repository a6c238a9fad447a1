"""Kinesis Data Streams through the AWS CLI v2, against the real streamlab binary.

At least one happy path per operation the CLI has, plus error exits (exit status 254 for a service
error, with the error code and AWS's message on stderr). Commands the installed CLI does not know
(2.9 has no update-max-record-size, describe/update-account-settings, tag-resource, untag-resource,
list-tags-for-resource or update-stream-warm-throughput) are skipped, as is everything when
harness.cli_available() is false.

Blob arguments: CLI v2 (2.9 included) treats `--data` (and `Data` in `--records`) as base64 by
default and prints record data as base64; `--cli-binary-format raw-in-base64-out` sends the text
as is. Both forms are exercised below.

Each CLI process takes about a second to start, so independent calls run a few at a time
(`parallel`) to keep the file well under a minute.
"""
import base64
import concurrent.futures
import functools
import os
import re
import subprocess
import time
import unittest

import harness

ACCOUNT = "000000000000"
REGION = "us-east-1"
MAX_HASH = 2**128 - 1


def stream_arn(name):
    return f"arn:aws:kinesis:{REGION}:{ACCOUNT}:stream/{name}"


def not_found(name):
    return f"Stream {name} under account {ACCOUNT} not found."


def b64(text):
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


def texts(records):
    return [base64.b64decode(r["Data"]).decode() for r in records]


@functools.lru_cache(maxsize=None)
def cli_commands():
    """The `aws kinesis` subcommands the installed CLI knows (its usage error lists them; no request is made)."""
    if not harness.cli_available():
        return frozenset()
    p = subprocess.run([harness.AWS_CLI, "kinesis", "no-such-command"], capture_output=True, text=True,
                       timeout=60, env=dict(os.environ, **harness.CREDENTIALS, AWS_PAGER=""))
    listing = (p.stderr + p.stdout).split("valid choices are:", 1)[-1]
    return frozenset(re.findall(r"[a-z][a-z0-9-]+", listing))


@unittest.skipUnless(harness.cli_available(), "AWS CLI not available (STREAMLAB_AWS_CLI)")
class CliTest(harness.ServerTest):
    server_args = ("--state-delay-ms", "0", "--throttle", "off")

    def aws(self, *args):
        return self.server.cli("kinesis", *args)

    def parallel(self, *calls):
        """Runs independent zero-argument callables concurrently; returns their results in order."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            return [f.result() for f in [pool.submit(c) for c in calls]]

    def fails(self, code, *args, message=None, exit_status=254):
        p = self.server.cli("kinesis", *args, check=False)
        self.assertIsInstance(p, subprocess.CompletedProcess, f"aws kinesis {' '.join(args)} succeeded: {p}")
        self.assertEqual(p.returncode, exit_status, p.stderr)
        if code:
            self.assertIn(f"An error occurred ({code}) when calling the ", p.stderr)
        if message:
            self.assertTrue(p.stderr.rstrip().endswith(": " + message), p.stderr)
        return p

    def create(self, name, shards=1):
        self.assertIsNone(self.aws("create-stream", "--stream-name", name, "--shard-count", str(shards)))
        return name

    def put(self, name, text, key="k", *extra):
        return self.aws("put-record", "--stream-name", name, "--partition-key", key, "--data", b64(text), *extra)

    def iterator(self, name, shard="shardId-000000000000", type_="TRIM_HORIZON", *extra):
        return self.aws("get-shard-iterator", "--stream-name", name, "--shard-id", shard,
                        "--shard-iterator-type", type_, *extra)["ShardIterator"]

    def records(self, iterator, *extra):
        return self.aws("get-records", "--shard-iterator", iterator, *extra)


class CliStreamLifecycleTest(CliTest):
    def test_create_wait_describe_list_delete(self):
        self.create("life", 2)
        self.assertIsNone(self.aws("wait", "stream-exists", "--stream-name", "life"))
        described, summary, listed, limits = self.parallel(
            lambda: self.aws("describe-stream", "--stream-name", "life", "--no-paginate"),
            lambda: self.aws("describe-stream-summary", "--stream-name", "life"),
            lambda: self.aws("list-streams"),
            lambda: self.aws("describe-limits"))
        d = described["StreamDescription"]
        self.assertEqual(d["StreamName"], "life")
        self.assertEqual(d["StreamARN"], stream_arn("life"))
        self.assertEqual(d["StreamStatus"], "ACTIVE")
        self.assertEqual(d["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertEqual(d["RetentionPeriodHours"], 24)
        self.assertEqual(d["EncryptionType"], "NONE")
        self.assertEqual(d["EnhancedMonitoring"], [{"ShardLevelMetrics": []}])
        self.assertIs(d["HasMoreShards"], False)
        self.assertEqual([s["ShardId"] for s in d["Shards"]], ["shardId-000000000000", "shardId-000000000001"])
        self.assertEqual(d["Shards"][1]["HashKeyRange"],
                         {"StartingHashKey": str(2**127), "EndingHashKey": str(MAX_HASH)})
        self.assertRegex(d["StreamCreationTimestamp"], r"^\d{4}-\d\d-\d\dT")
        s = summary["StreamDescriptionSummary"]
        self.assertEqual((s["StreamName"], s["OpenShardCount"], s["ConsumerCount"]), ("life", 2, 0))
        self.assertEqual(listed["StreamNames"], ["life"])
        self.assertEqual(limits, {"ShardLimit": 20000, "OpenShardCount": 2, "OnDemandStreamCount": 0,
                                  "OnDemandStreamCountLimit": 50})

        self.assertIsNone(self.aws("delete-stream", "--stream-name", "life"))
        self.assertIsNone(self.aws("wait", "stream-not-exists", "--stream-name", "life"))
        self.fails("ResourceNotFoundException", "describe-stream", "--stream-name", "life", message=not_found("life"))

    def test_on_demand(self):
        self.aws("create-stream", "--stream-name", "od", "--stream-mode-details", "StreamMode=ON_DEMAND")
        s = self.aws("describe-stream-summary", "--stream-name", "od")["StreamDescriptionSummary"]
        self.assertEqual(s["StreamModeDetails"], {"StreamMode": "ON_DEMAND"})
        self.assertEqual(s["OpenShardCount"], 4)

    def test_error_exits(self):
        self.create("dup")
        _, _, _, zero = self.parallel(
            lambda: self.fails("ResourceInUseException", "create-stream", "--stream-name", "dup", "--shard-count", "1",
                               message=f"Stream dup under account {ACCOUNT} already exists."),
            lambda: self.fails("ValidationException", "create-stream", "--stream-name", "a b", "--shard-count", "1",
                               message="1 validation error detected: Value 'a b' at 'streamName' failed to satisfy "
                                       "constraint: Member must satisfy regular expression pattern: "
                                       "[a-zA-Z0-9_.-]+"),
            lambda: self.fails("ResourceNotFoundException", "delete-stream", "--stream-name", "nope",
                               message=not_found("nope")),
            # Caught by the CLI itself (its model says ShardCount >= 1): exit status 252, nothing sent.
            lambda: self.fails(None, "create-stream", "--stream-name", "zero", "--shard-count", "0",
                               exit_status=252))
        self.assertIn("ShardCount", zero.stderr)


class CliListingTest(CliTest):
    def test_list_streams_pages(self):
        self.parallel(*[functools.partial(self.create, n) for n in ("c", "a", "b")])
        first, paged = self.parallel(lambda: self.aws("list-streams", "--max-items", "2"),
                                     lambda: self.aws("list-streams", "--page-size", "1"))
        self.assertEqual(first["StreamNames"], ["a", "b"])
        self.assertEqual(paged["StreamNames"], ["a", "b", "c"])
        rest = self.aws("list-streams", "--starting-token", first["NextToken"])
        self.assertEqual(rest["StreamNames"], ["c"])

    def test_list_shards_and_describe_stream_pages(self):
        self.create("five", 5)
        ids = [f"shardId-{i:012d}" for i in range(5)]
        page, described, after, auto = self.parallel(
            lambda: self.aws("list-shards", "--stream-name", "five", "--max-results", "2", "--no-paginate"),
            lambda: self.aws("describe-stream", "--stream-name", "five", "--page-size", "2"),
            lambda: self.aws("list-shards", "--stream-name", "five", "--exclusive-start-shard-id", ids[2]),
            lambda: self.server.cli("kinesis", "list-shards", "--stream-name", "five", "--page-size", "2",
                                    check=False))
        self.assertEqual([s["ShardId"] for s in page["Shards"]], ids[:2])
        self.assertEqual([s["ShardId"] for s in described["StreamDescription"]["Shards"]], ids)
        self.assertEqual([s["ShardId"] for s in after["Shards"]], ids[3:])
        # The CLI's own paginator resends StreamName with NextToken (boto/botocore#2009); AWS refuses that.
        if isinstance(auto, subprocess.CompletedProcess):
            self.assertIn("(InvalidArgumentException)", auto.stderr)
            self.assertTrue(auto.stderr.rstrip().endswith(": NextToken and StreamName cannot be provided together."),
                            auto.stderr)
        else:
            self.assertEqual([s["ShardId"] for s in auto["Shards"]], ids)
        rest = self.aws("list-shards", "--next-token", page["NextToken"])
        self.assertEqual([s["ShardId"] for s in rest["Shards"]], ids[2:])
        self.assertNotIn("NextToken", rest)


class CliRecordsTest(CliTest):
    def test_put_and_read(self):
        self.create("s", 2)
        first = self.put("s", "hello", "k", "--explicit-hash-key", "0")
        self.assertEqual(first["ShardId"], "shardId-000000000000")
        self.assertRegex(first["SequenceNumber"], r"^\d+$")
        self.assertEqual(first["EncryptionType"], "NONE")
        raw = self.aws("put-record", "--cli-binary-format", "raw-in-base64-out", "--stream-name", "s",
                       "--partition-key", "k", "--data", "raw text", "--explicit-hash-key", "0",
                       "--sequence-number-for-ordering", first["SequenceNumber"])
        self.assertEqual(raw["ShardId"], "shardId-000000000000")
        self.assertGreater(int(raw["SequenceNumber"]), int(first["SequenceNumber"]))
        batch = self.aws("put-records", "--stream-name", "s", "--records",
                         f'[{{"Data":"{b64("one")}","PartitionKey":"p","ExplicitHashKey":"0"}},'
                         f'{{"Data":"{b64("two")}","PartitionKey":"p","ExplicitHashKey":"{MAX_HASH}"}}]')
        self.assertEqual(batch["FailedRecordCount"], 0)
        self.assertEqual(batch["EncryptionType"], "NONE")
        self.assertEqual([r["ShardId"] for r in batch["Records"]], ["shardId-000000000000", "shardId-000000000001"])

        trim, at, after, latest = self.parallel(
            lambda: self.iterator("s"),
            lambda: self.iterator("s", "shardId-000000000000", "AT_SEQUENCE_NUMBER", "--starting-sequence-number",
                                  raw["SequenceNumber"]),
            lambda: self.iterator("s", "shardId-000000000000", "AFTER_SEQUENCE_NUMBER", "--starting-sequence-number",
                                  raw["SequenceNumber"]),
            lambda: self.iterator("s", "shardId-000000000000", "LATEST"))
        page, at_out, after_out, other = self.parallel(
            lambda: self.records(trim, "--limit", "2"),
            lambda: self.records(at),
            lambda: self.records(after),
            lambda: self.records(self.iterator("s", "shardId-000000000001")))
        self.assertEqual([r["Data"] for r in page["Records"]], [b64("hello"), b64("raw text")])
        self.assertEqual(page["Records"][0]["SequenceNumber"], first["SequenceNumber"])
        self.assertEqual(page["Records"][0]["PartitionKey"], "k")
        self.assertRegex(page["Records"][0]["ApproximateArrivalTimestamp"], r"^\d{4}-\d\d-\d\dT")
        self.assertEqual(texts(at_out["Records"]), ["raw text", "one"])
        self.assertEqual(texts(after_out["Records"]), ["one"])
        self.assertEqual(texts(other["Records"]), ["two"])

        time.sleep(1.1)  # the CLI sends whole seconds
        between = int(time.time())
        self.put("s", "late", "k", "--explicit-hash-key", "0")
        rest, new, at_time = self.parallel(
            lambda: self.records(page["NextShardIterator"]),
            lambda: self.records(latest),
            lambda: self.records(self.iterator("s", "shardId-000000000000", "AT_TIMESTAMP",
                                               "--timestamp", str(between))))
        self.assertEqual(texts(rest["Records"]), ["one", "late"])
        self.assertEqual(rest["MillisBehindLatest"], 0)
        self.assertIn("NextShardIterator", rest)
        self.assertEqual(texts(new["Records"]), ["late"])
        self.assertEqual(texts(at_time["Records"]), ["late"])

    def test_error_exits(self):
        self.create("s")
        _, _, _, _, cli_side = self.parallel(
            lambda: self.fails("InvalidArgumentException", "get-records", "--shard-iterator", "garbage",
                               message="Invalid ShardIterator."),
            lambda: self.fails("ResourceNotFoundException", "put-record", "--stream-name", "nope",
                               "--partition-key", "k", "--data", b64("x"), message=not_found("nope")),
            lambda: self.fails("InvalidArgumentException", "get-shard-iterator", "--stream-name", "s", "--shard-id",
                               "shardId-000000000000", "--shard-iterator-type", "AT_SEQUENCE_NUMBER",
                               message="Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                                       "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no "
                                       "StartingSequenceNumber. Request specified AT_SEQUENCE_NUMBER and no "
                                       "StartingSequenceNumber."),
            lambda: self.fails("InvalidArgumentException", "put-record", "--stream-name", "s", "--partition-key", "k",
                               "--data", b64("x"), "--explicit-hash-key", str(2**128),
                               message="Invalid ExplicitHashKey. ExplicitHashKey must be in the range: "
                                       f"[0, 2^128-1]. Specified value was {2**128}"),
            # Without --cli-binary-format the CLI wants base64 and refuses "hello" itself.
            lambda: self.fails(None, "put-record", "--stream-name", "s", "--partition-key", "k", "--data", "hello",
                               exit_status=255))
        self.assertIn("Invalid base64", cli_side.stderr)


class CliRetentionTest(CliTest):
    def test_increase_and_decrease(self):
        self.create("s")
        self.assertIsNone(self.aws("increase-stream-retention-period", "--stream-name", "s",
                                   "--retention-period-hours", "72"))
        self.assertIsNone(self.aws("decrease-stream-retention-period", "--stream-name", "s",
                                   "--retention-period-hours", "48"))
        summary, _, _ = self.parallel(
            lambda: self.aws("describe-stream-summary", "--stream-name", "s"),
            lambda: self.fails("InvalidArgumentException", "decrease-stream-retention-period", "--stream-name", "s",
                               "--retention-period-hours", "23",
                               message="Minimum allowed retention period is 24 hours. Requested retention period "
                                       "(23 hours) is too short."),
            lambda: self.fails("InvalidArgumentException", "increase-stream-retention-period", "--stream-name", "s",
                               "--retention-period-hours", "24",
                               message="Requested retention period (24 hours) for stream s can not be shorter than "
                                       "existing retention period (48 hours). Use DecreaseRetentionPeriod API."))
        self.assertEqual(summary["StreamDescriptionSummary"]["RetentionPeriodHours"], 48)


class CliReshardingTest(CliTest):
    def test_split_merge_update_shard_count_and_mode(self):
        self.create("s", 2)
        self.assertIsNone(self.aws("split-shard", "--stream-name", "s", "--shard-to-split", "shardId-000000000000",
                                   "--new-starting-hash-key", str(2**126)))
        self.assertIsNone(self.aws("merge-shards", "--stream-name", "s", "--shard-to-merge", "shardId-000000000002",
                                   "--adjacent-shard-to-merge", "shardId-000000000003"))
        shards, latest, _ = self.parallel(
            lambda: {s["ShardId"]: s for s in self.aws("list-shards", "--stream-name", "s")["Shards"]},
            lambda: self.aws("list-shards", "--stream-name", "s", "--shard-filter", "Type=AT_LATEST"),
            lambda: self.fails("InvalidArgumentException", "split-shard", "--stream-name", "s", "--shard-to-split",
                               "shardId-000000000000", "--new-starting-hash-key", str(2**125),
                               message=f"Shard shardId-000000000000 in stream s under account {ACCOUNT} has already "
                                       "been merged or split, and thus is not eligible for merging or splitting."))
        self.assertIn("EndingSequenceNumber", shards["shardId-000000000000"]["SequenceNumberRange"])
        self.assertEqual(shards["shardId-000000000002"]["ParentShardId"], "shardId-000000000000")
        merged = shards["shardId-000000000004"]
        self.assertEqual((merged["ParentShardId"], merged["AdjacentParentShardId"]),
                         ("shardId-000000000002", "shardId-000000000003"))
        self.assertEqual(merged["HashKeyRange"], {"StartingHashKey": "0", "EndingHashKey": str(2**127 - 1)})
        self.assertEqual([s["ShardId"] for s in latest["Shards"]], ["shardId-000000000001", "shardId-000000000004"])

        resp = self.aws("update-shard-count", "--stream-name", "s", "--target-shard-count", "4",
                        "--scaling-type", "UNIFORM_SCALING")
        self.assertEqual(resp, {"StreamName": "s", "CurrentShardCount": 2, "TargetShardCount": 4,
                                "StreamARN": stream_arn("s")})
        self.fails("LimitExceededException", "update-shard-count", "--stream-name", "s",
                   "--target-shard-count", "9", "--scaling-type", "UNIFORM_SCALING",
                   message="UpdateShardCount cannot scale up over double your current open shard count. "
                           "Current open shard count: 4, Target shard count: 9")
        self.assertIsNone(self.aws("update-stream-mode", "--stream-arn", stream_arn("s"),
                                   "--stream-mode-details", "StreamMode=ON_DEMAND"))
        s = self.aws("describe-stream-summary", "--stream-name", "s")["StreamDescriptionSummary"]
        self.assertEqual((s["StreamModeDetails"]["StreamMode"], s["OpenShardCount"]), ("ON_DEMAND", 4))


class CliTagsTest(CliTest):
    def test_add_list_remove(self):
        self.create("s")
        self.assertIsNone(self.aws("add-tags-to-stream", "--stream-name", "s", "--tags", "a=1,b=2,c=3"))
        out, page, _ = self.parallel(
            lambda: self.aws("list-tags-for-stream", "--stream-name", "s"),
            lambda: self.aws("list-tags-for-stream", "--stream-name", "s", "--limit", "2"),
            lambda: self.fails("ResourceNotFoundException", "add-tags-to-stream", "--stream-name", "nope",
                               "--tags", "a=1", message=not_found("nope")))
        self.assertEqual({t["Key"]: t["Value"] for t in out["Tags"]}, {"a": "1", "b": "2", "c": "3"})
        self.assertIs(out["HasMoreTags"], False)
        self.assertEqual(len(page["Tags"]), 2)
        self.assertIs(page["HasMoreTags"], True)
        self.assertIsNone(self.aws("remove-tags-from-stream", "--stream-name", "s", "--tag-keys", "a", "c"))
        self.assertEqual(self.aws("list-tags-for-stream", "--stream-name", "s")["Tags"], [{"Key": "b", "Value": "2"}])


class CliEncryptionAndMonitoringTest(CliTest):
    def test_encryption_and_enhanced_monitoring(self):
        self.create("s")
        # One metadata change at a time: each may leave the stream UPDATING for a moment.
        self.assertIsNone(self.aws("start-stream-encryption", "--stream-name", "s", "--encryption-type", "KMS",
                                   "--key-id", "alias/aws/kinesis"))
        on = self.aws("enable-enhanced-monitoring", "--stream-name", "s", "--shard-level-metrics",
                      "IncomingBytes", "OutgoingRecords")
        self.assertEqual(on["StreamName"], "s")
        self.assertEqual(on["CurrentShardLevelMetrics"], [])
        self.assertEqual(sorted(on["DesiredShardLevelMetrics"]), ["IncomingBytes", "OutgoingRecords"])
        described, put = self.parallel(
            lambda: self.aws("describe-stream", "--stream-name", "s", "--no-paginate"),
            lambda: self.put("s", "secret"))
        d = described["StreamDescription"]
        self.assertEqual((d["EncryptionType"], d["KeyId"]), ("KMS", "alias/aws/kinesis"))
        self.assertEqual(sorted(d["EnhancedMonitoring"][0]["ShardLevelMetrics"]), ["IncomingBytes", "OutgoingRecords"])
        self.assertEqual(put["EncryptionType"], "KMS")
        self.assertIsNone(self.aws("stop-stream-encryption", "--stream-name", "s", "--encryption-type", "KMS",
                                   "--key-id", "alias/aws/kinesis"))
        off = self.aws("disable-enhanced-monitoring", "--stream-name", "s", "--shard-level-metrics", "IncomingBytes")
        self.assertEqual(off["DesiredShardLevelMetrics"], ["OutgoingRecords"])
        s = self.aws("describe-stream-summary", "--stream-name", "s")["StreamDescriptionSummary"]
        self.assertEqual(s["EncryptionType"], "NONE")
        self.assertEqual(s["EnhancedMonitoring"], [{"ShardLevelMetrics": ["OutgoingRecords"]}])


class CliConsumersTest(CliTest):
    def test_register_describe_list_deregister(self):
        self.create("s")
        arn = stream_arn("s")
        c = self.aws("register-stream-consumer", "--stream-arn", arn, "--consumer-name", "reader")["Consumer"]
        self.assertEqual(c["ConsumerName"], "reader")
        self.assertRegex(c["ConsumerARN"], rf"^{re.escape(arn)}/consumer/reader:\d+$")
        self.assertIn(c["ConsumerStatus"], ("CREATING", "ACTIVE"))
        by_arn, by_name, listed, _, _ = self.parallel(
            lambda: self.aws("describe-stream-consumer", "--consumer-arn", c["ConsumerARN"]),
            lambda: self.aws("describe-stream-consumer", "--stream-arn", arn, "--consumer-name", "reader"),
            lambda: self.aws("list-stream-consumers", "--stream-arn", arn),
            lambda: self.fails("ResourceInUseException", "register-stream-consumer", "--stream-arn", arn,
                               "--consumer-name", "reader"),
            lambda: self.fails("ResourceInUseException", "delete-stream", "--stream-name", "s"))
        d = by_arn["ConsumerDescription"]
        self.assertEqual((d["ConsumerName"], d["StreamARN"], d["ConsumerStatus"], d["ConsumerARN"]),
                         ("reader", arn, "ACTIVE", c["ConsumerARN"]))
        self.assertEqual(by_name["ConsumerDescription"]["ConsumerARN"], c["ConsumerARN"])
        self.assertEqual([x["ConsumerName"] for x in listed["Consumers"]], ["reader"])

        self.assertIsNone(self.aws("deregister-stream-consumer", "--consumer-arn", c["ConsumerARN"]))
        listed, _ = self.parallel(
            lambda: self.aws("list-stream-consumers", "--stream-arn", arn),
            lambda: self.fails("ResourceNotFoundException", "describe-stream-consumer",
                               "--consumer-arn", c["ConsumerARN"]))
        self.assertEqual([x["ConsumerName"] for x in listed["Consumers"]], [])
        self.aws("register-stream-consumer", "--stream-arn", arn, "--consumer-name", "other")
        self.assertIsNone(self.aws("delete-stream", "--stream-name", "s", "--enforce-consumer-deletion"))
        self.fails("ResourceNotFoundException", "describe-stream-summary", "--stream-name", "s", message=not_found("s"))


class CliStreamArnTest(CliTest):
    def test_stream_arn_in_place_of_the_name(self):
        self.create("s")
        arn = stream_arn("s")
        summary, put, tagged, it, _ = self.parallel(
            lambda: self.aws("describe-stream-summary", "--stream-arn", arn),
            lambda: self.aws("put-record", "--stream-arn", arn, "--partition-key", "k", "--data", b64("via arn")),
            lambda: self.aws("add-tags-to-stream", "--stream-arn", arn, "--tags", "k=v"),
            lambda: self.aws("get-shard-iterator", "--stream-arn", arn, "--shard-id", "shardId-000000000000",
                             "--shard-iterator-type", "TRIM_HORIZON"),
            lambda: self.fails("ResourceNotFoundException", "describe-stream-summary", "--stream-arn",
                               stream_arn("nope")))
        self.assertEqual(summary["StreamDescriptionSummary"]["StreamName"], "s")
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        self.assertIsNone(tagged)
        out, tags = self.parallel(
            lambda: self.aws("get-records", "--stream-arn", arn, "--shard-iterator", it["ShardIterator"]),
            lambda: self.aws("list-tags-for-stream", "--stream-arn", arn))
        self.assertEqual([r["Data"] for r in out["Records"]], [b64("via arn")])
        self.assertEqual(tags["Tags"], [{"Key": "k", "Value": "v"}])
        self.assertIsNone(self.aws("delete-stream", "--stream-arn", arn))


class CliNewerOperationsTest(CliTest):
    """Operations newer than AWS CLI 2.9: run only with a CLI that knows them."""

    def need(self, *commands):
        missing = [c for c in commands if c not in cli_commands()]
        if missing:
            self.skipTest(f"this AWS CLI has no {', '.join(missing)}")

    def test_update_max_record_size(self):
        self.need("update-max-record-size")
        self.create("s")
        self.assertIsNone(self.aws("update-max-record-size", "--stream-arn", stream_arn("s"),
                                   "--max-record-size-in-ki-b", "2048"))
        self.assertEqual(self.aws("describe-stream-summary", "--stream-name", "s")
                         ["StreamDescriptionSummary"]["MaxRecordSizeInKiB"], 2048)

    def test_account_settings(self):
        self.need("describe-account-settings", "update-account-settings")
        out = self.aws("describe-account-settings")
        self.assertIn(out["MinimumThroughputBillingCommitment"]["Status"], ("ENABLED", "DISABLED"))
        out = self.aws("update-account-settings", "--minimum-throughput-billing-commitment", "Status=DISABLED")
        self.assertEqual(out["MinimumThroughputBillingCommitment"]["Status"], "DISABLED")

    def test_resource_tags(self):
        self.need("tag-resource", "untag-resource", "list-tags-for-resource")
        self.create("s")
        arn = stream_arn("s")
        self.assertIsNone(self.aws("tag-resource", "--resource-arn", arn, "--tags", "a=1,b=2"))
        self.assertIsNone(self.aws("untag-resource", "--resource-arn", arn, "--tag-keys", "a"))
        self.assertEqual(self.aws("list-tags-for-resource", "--resource-arn", arn)["Tags"],
                         [{"Key": "b", "Value": "2"}])

    def test_update_stream_warm_throughput(self):
        self.need("update-stream-warm-throughput")
        self.aws("create-stream", "--stream-name", "od", "--stream-mode-details", "StreamMode=ON_DEMAND")
        out = self.aws("update-stream-warm-throughput", "--stream-arn", stream_arn("od"),
                       "--warm-throughput-mi-bps", "100")
        self.assertEqual((out["StreamName"], out["WarmThroughput"]["TargetMiBps"]), ("od", 100))


if __name__ == "__main__":
    unittest.main()
