"""Kinesis Data Streams through boto3, against the real streamlab binary.

Every operation in emulators/kinesis/kinesis_service.cc is covered: a happy path that checks the
response as AWS documents it, and the main error cases with AWS's exact error code and message
(emulators/kinesis/aws_errors.md; messages are asserted for H/M-confidence rows, only the code for
L rows). Where the server and AWS disagree, the test asserts AWS's behaviour.

Operations or members that an older botocore model lacks (boto3 1.26 has no TagResource,
UpdateMaxRecordSize, StreamARN members, ...) are sent as raw JSON 1.1 requests signed with
botocore's SigV4 signer (`KinesisTest.call` picks the client when its model has the operation and
every member, else the raw request), so the whole surface runs under both boto3 families.
"""
import base64
import datetime
import hashlib
import json
import re
import time
import unittest
import urllib.error
import urllib.request

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from botocore import xform_name

import harness

ACCOUNT = "000000000000"
REGION = "us-east-1"
MAX_HASH = 2**128 - 1
TARGET_PREFIX = "Kinesis_20131202"
SEQ_PATTERN = r"0|([1-9]\d{0,128})"
HASH_PATTERN = r"0|([1-9]\d{0,38})"
NAME_PATTERN = "[a-zA-Z0-9_.-]+"
ARN_PATTERN = r"arn:aws.*:kinesis:.*:\d{12}:stream/\S+"
ITERATOR_TYPES = "[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]"
ALL_METRICS = {"IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
               "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded",
               "IteratorAgeMilliseconds"}


# Helpers -------------------------------------------------------------------------------------

def stream_arn(name, account=ACCOUNT, region=REGION):
    return f"arn:aws:kinesis:{region}:{account}:stream/{name}"


def not_found(name):
    return f"Stream {name} under account {ACCOUNT} not found."


def md5_hash(partition_key):
    return int(hashlib.md5(partition_key.encode()).hexdigest(), 16)


def even_start(i, n):
    """AWS's initial layout: 2^128 split evenly, the last shard takes the remainder."""
    return i * (2**128 // n)


def vpart(value, member, constraint):
    """One part of a Coral ValidationException message; value is already quoted (or null)."""
    return f"Value {value} at '{member}' failed to satisfy constraint: {constraint}"


def vmessage(*parts):
    n = len(parts)
    return f"{n} validation error{'s' if n > 1 else ''} detected: " + "; ".join(parts)


def make_client(server, validate=True):
    # No retries at all (legacy mode's max_attempts=1 still retries once, and newer botocore backs off on
    # throttling errors, which would hide them).
    cfg = Config(retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=5, read_timeout=60,
                 parameter_validation=validate)
    return boto3.client("kinesis", endpoint_url=server.endpoint, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="test", config=cfg)


def _jsonable(v):
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, datetime.datetime):
        return v.timestamp()
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def raw_call(server, op, params, access_key="test"):
    """Sends one signed JSON 1.1 request; returns the parsed body or raises ClientError like boto3."""
    body = json.dumps(_jsonable(params)).encode()
    url = server.endpoint + "/"
    req = AWSRequest(method="POST", url=url, data=body,
                     headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"{TARGET_PREFIX}.{op}"})
    SigV4Auth(Credentials(access_key, "test"), "kinesis", REGION).add_auth(req)
    http_req = urllib.request.Request(url, data=body, headers=dict(req.headers.items()), method="POST")
    try:
        with urllib.request.urlopen(http_req, timeout=60) as r:
            status, payload = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, payload = e.code, e.read()
    parsed = json.loads(payload) if payload.strip() else {}
    if status >= 300:
        code = parsed.get("__type", "").rsplit("#", 1)[-1]
        message = parsed.get("message", parsed.get("Message"))
        raise ClientError({"Error": {"Code": code, "Message": message},
                           "ResponseMetadata": {"HTTPStatusCode": status}}, op)
    parsed.setdefault("ResponseMetadata", {"HTTPStatusCode": status})
    return parsed


def data_of(record):
    """Record data as bytes, from the client (bytes) or from a raw response (base64 text)."""
    d = record["Data"]
    return base64.b64decode(d) if isinstance(d, str) else d


def epoch(ts):
    return ts.timestamp() if isinstance(ts, datetime.datetime) else float(ts)


class KinesisTest(harness.ServerTest):
    """Base: a validating client `k`, a non-validating client `kv` (to reach server-side checks)."""

    server_args = ("--state-delay-ms", "0", "--throttle", "off")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.k = make_client(cls.server)
        cls.kv = make_client(cls.server, validate=False)

    # Calls ---------------------------------------------------------------------------------
    def supports(self, op, params=(), outputs=()):
        model = self.k.meta.service_model
        if op not in model.operation_names:
            return False
        om = model.operation_model(op)
        inputs = set(om.input_shape.members) if om.input_shape else set()
        outs = set(om.output_shape.members) if om.output_shape else set()
        return set(params) <= inputs and set(outputs) <= outs

    def call(self, op, _outputs=(), **params):
        """The boto3 client when its model has op and every member; else a signed raw request."""
        if self.supports(op, params, _outputs):
            return getattr(self.kv, xform_name(op))(**params)
        return raw_call(self.server, op, params)

    def raw(self, op, **params):
        return raw_call(self.server, op, params)

    # Assertions ----------------------------------------------------------------------------
    def assertAwsError(self, code, message, fn, *args, **kwargs):
        """message: exact text, a compiled regex, or None to check only the code."""
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        resp = cm.exception.response
        err = resp["Error"]
        self.assertEqual(err.get("Code"), code, f"{err}")
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 400, f"{err}")
        if isinstance(message, re.Pattern):
            self.assertRegex(err.get("Message") or "", message)
        elif message is not None:
            self.assertEqual(err.get("Message"), message)
        return err

    def assertValidation(self, parts, fn, *args, **kwargs):
        """ValidationException whose parts may come in any order (AWS does not keep them stable)."""
        err = self.assertAwsError("ValidationException", None, fn, *args, **kwargs)
        m = re.match(r"^(\d+) validation errors? detected: (.*)$", err.get("Message") or "", re.S)
        self.assertIsNotNone(m, err.get("Message"))
        n = len(parts)
        self.assertTrue(err["Message"].startswith(f"{n} validation error{'s' if n > 1 else ''} detected: "),
                        err["Message"])
        self.assertCountEqual(m.group(2).split("; "), list(parts), err["Message"])
        return err

    # Stream set-up -------------------------------------------------------------------------
    def create(self, name, shards=1, **kwargs):
        if "StreamModeDetails" in kwargs:
            self.k.create_stream(StreamName=name, **kwargs)
        else:
            self.k.create_stream(StreamName=name, ShardCount=shards, **kwargs)
        return name

    def shards(self, name, **kwargs):
        out, token = [], None
        while True:
            resp = self.k.list_shards(NextToken=token) if token else self.k.list_shards(StreamName=name, **kwargs)
            out += resp["Shards"]
            token = resp.get("NextToken")
            if not token:
                return out

    def open_shards(self, name):
        return [s for s in self.shards(name) if "EndingSequenceNumber" not in s["SequenceNumberRange"]]

    def put(self, name, data=b"x", key="pk", **kwargs):
        return self.k.put_record(StreamName=name, Data=data, PartitionKey=key, **kwargs)

    def iterator(self, name, shard_id="shardId-000000000000", type_="TRIM_HORIZON", **kwargs):
        return self.k.get_shard_iterator(StreamName=name, ShardId=shard_id, ShardIteratorType=type_,
                                         **kwargs)["ShardIterator"]

    def read_all(self, name, shard_id="shardId-000000000000", type_="TRIM_HORIZON", **kwargs):
        it, records = self.iterator(name, shard_id, type_, **kwargs), []
        for _ in range(100):
            resp = self.k.get_records(ShardIterator=it)
            records += resp["Records"]
            it = resp.get("NextShardIterator")
            if not it or (not resp["Records"] and resp["MillisBehindLatest"] == 0):
                return records
        self.fail("read_all did not reach the tip")

    def summary(self, name):
        """DescribeStreamSummary as raw JSON, so newer members (MaxRecordSizeInKiB...) are visible."""
        return self.raw("DescribeStreamSummary", StreamName=name)["StreamDescriptionSummary"]

    def assertFullCoverage(self, shards):
        """Open shards' ranges cover [0, 2^128-1] without gaps or overlaps."""
        ranges = sorted((int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
                        for s in shards)
        self.assertEqual(ranges[0][0], 0)
        self.assertEqual(ranges[-1][1], MAX_HASH)
        for (s1, e1), (s2, e2) in zip(ranges, ranges[1:]):
            self.assertLessEqual(s1, e1)
            self.assertEqual(e1 + 1, s2, f"gap or overlap between {e1} and {s2}")

    def assertNearTimestamp(self, ts, slack=120):
        self.assertLess(abs(epoch(ts) - time.time()), slack, ts)


# CreateStream -------------------------------------------------------------------------------

class CreateStreamTest(KinesisTest):
    def test_provisioned_stream_shape(self):
        resp = self.k.create_stream(StreamName="orders", ShardCount=3)
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], 200)
        d = self.k.describe_stream(StreamName="orders")["StreamDescription"]
        self.assertEqual(d["StreamName"], "orders")
        self.assertEqual(d["StreamARN"], stream_arn("orders"))
        self.assertEqual(d["StreamStatus"], "ACTIVE")
        self.assertEqual(d["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertEqual(d["RetentionPeriodHours"], 24)
        self.assertEqual(d["EncryptionType"], "NONE")
        self.assertIsNone(d.get("KeyId"))
        self.assertEqual(d["EnhancedMonitoring"], [{"ShardLevelMetrics": []}])
        self.assertIs(d["HasMoreShards"], False)
        self.assertNearTimestamp(d["StreamCreationTimestamp"])
        self.assertEqual([s["ShardId"] for s in d["Shards"]],
                         ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"])
        # The three-shard layout AWS returns (aws_errors.md §13).
        self.assertEqual([(s["HashKeyRange"]["StartingHashKey"], s["HashKeyRange"]["EndingHashKey"]) for s in d["Shards"]],
                         [("0", "113427455640312821154458202477256070484"),
                          ("113427455640312821154458202477256070485", "226854911280625642308916404954512140969"),
                          ("226854911280625642308916404954512140970", "340282366920938463463374607431768211455")])
        for s in d["Shards"]:
            self.assertEqual(set(s), {"ShardId", "HashKeyRange", "SequenceNumberRange"})
            self.assertEqual(set(s["SequenceNumberRange"]), {"StartingSequenceNumber"})
            self.assertRegex(s["SequenceNumberRange"]["StartingSequenceNumber"], r"^\d+$")

    def test_hash_ranges_split_evenly_last_shard_takes_remainder(self):
        self.create("six", 6)
        shards = self.k.describe_stream(StreamName="six")["StreamDescription"]["Shards"]
        expected = [(str(even_start(i, 6)), str(even_start(i + 1, 6) - 1 if i < 5 else MAX_HASH)) for i in range(6)]
        self.assertEqual([(s["HashKeyRange"]["StartingHashKey"], s["HashKeyRange"]["EndingHashKey"]) for s in shards],
                         expected)

    def test_on_demand_stream_starts_with_four_shards(self):
        resp = self.k.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.assertEqual(set(resp), {"ResponseMetadata"})
        d = self.k.describe_stream(StreamName="od")["StreamDescription"]
        self.assertEqual(d["StreamModeDetails"], {"StreamMode": "ON_DEMAND"})
        self.assertEqual(len(d["Shards"]), 4)
        self.assertFullCoverage(d["Shards"])

    def test_no_shard_count_and_no_mode_creates_four_shards(self):
        # AWS (LocalStack snapshot recorded against AWS, aws_errors.md §1) creates a 4-shard stream.
        self.k.create_stream(StreamName="defaulted")
        self.assertEqual(len(self.open_shards("defaulted")), 4)

    def test_on_demand_with_shard_count_rejected(self):
        self.assertAwsError("InvalidArgumentException", "ShardCount is not expected when StreamMode=ON_DEMAND",
                            self.k.create_stream, StreamName="od", ShardCount=2,
                            StreamModeDetails={"StreamMode": "ON_DEMAND"})

    def test_duplicate_name(self):
        self.create("dup")
        self.assertAwsError("ResourceInUseException", f"Stream dup under account {ACCOUNT} already exists.",
                            self.k.create_stream, StreamName="dup", ShardCount=1)

    def test_invalid_names(self):
        long_name = "a" * 129
        cases = {
            "a b": [vpart("'a b'", "streamName", f"Member must satisfy regular expression pattern: {NAME_PATTERN}")],
            "bad/name": [vpart("'bad/name'", "streamName",
                               f"Member must satisfy regular expression pattern: {NAME_PATTERN}")],
            long_name: [vpart(f"'{long_name}'", "streamName", "Member must have length less than or equal to 128")],
            "": [vpart("''", "streamName", f"Member must satisfy regular expression pattern: {NAME_PATTERN}"),
                 vpart("''", "streamName", "Member must have length greater than or equal to 1")],
        }
        for name, parts in cases.items():
            with self.subTest(name=name[:20]):
                self.assertValidation(parts, self.kv.create_stream, StreamName=name, ShardCount=1)

    def test_long_name_exact_message(self):
        name = "a" * 129
        self.assertAwsError("ValidationException",
                            f"1 validation error detected: Value '{name}' at 'streamName' failed to satisfy "
                            "constraint: Member must have length less than or equal to 128",
                            self.kv.create_stream, StreamName=name, ShardCount=1)

    def test_missing_name(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("null", "streamName", "Member must not be null")),
                            self.raw, "CreateStream")

    def test_shard_count_zero(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'0'", "shardCount", "Member must have value greater than or equal to 1")),
                            self.kv.create_stream, StreamName="zero", ShardCount=0)

    def test_two_errors_are_counted(self):
        self.assertValidation([vpart("'a b'", "streamName",
                                     f"Member must satisfy regular expression pattern: {NAME_PATTERN}"),
                               vpart("'0'", "shardCount", "Member must have value greater than or equal to 1")],
                              self.kv.create_stream, StreamName="a b", ShardCount=0)

    def test_bad_stream_mode(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'SOMETIMES'", "streamModeDetails.streamMode",
                                           "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")),
                            self.kv.create_stream, StreamName="m", ShardCount=1,
                            StreamModeDetails={"StreamMode": "SOMETIMES"})

    def test_create_with_tags_and_max_record_size(self):
        self.call("CreateStream", StreamName="tagged", ShardCount=1, Tags={"team": "data", "env": "test"},
                  MaxRecordSizeInKiB=2048)
        tags = self.k.list_tags_for_stream(StreamName="tagged")["Tags"]
        self.assertEqual({t["Key"]: t["Value"] for t in tags}, {"team": "data", "env": "test"})
        self.assertEqual(self.summary("tagged")["MaxRecordSizeInKiB"], 2048)


# DeleteStream -------------------------------------------------------------------------------

class DeleteStreamTest(KinesisTest):
    def test_delete(self):
        self.create("gone", 2)
        resp = self.k.delete_stream(StreamName="gone")
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertAwsError("ResourceNotFoundException", not_found("gone"), self.k.describe_stream, StreamName="gone")
        self.assertNotIn("gone", self.k.list_streams()["StreamNames"])

    def test_recreate_after_delete_starts_empty(self):
        self.create("again")
        self.put("again", b"old")
        self.k.delete_stream(StreamName="again")
        self.create("again")
        self.assertEqual(self.read_all("again"), [])

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.delete_stream, StreamName="nope")

    def test_consumers_block_deletion_unless_enforced(self):
        self.create("with-consumers")
        arn = stream_arn("with-consumers")
        self.k.register_stream_consumer(StreamARN=arn, ConsumerName="c1")
        a, n = re.escape(arn), re.escape("with-consumers")
        self.assertAwsError(
            "ResourceInUseException",
            re.compile(rf"^DeleteStream can't delete ({a}|{n}) because there are consumers associated with this data "
                       rf"stream\. To delete ({a}|{n}) anyway, set the EnforceConsumerDeletion parameter to true to "
                       r"force the deletion of all the consumers that are associated with it\.$"),
            self.k.delete_stream, StreamName="with-consumers")
        self.assertEqual(self.k.describe_stream_summary(StreamName="with-consumers")
                         ["StreamDescriptionSummary"]["ConsumerCount"], 1)
        self.k.delete_stream(StreamName="with-consumers", EnforceConsumerDeletion=True)
        self.assertAwsError("ResourceNotFoundException", not_found("with-consumers"),
                            self.k.describe_stream, StreamName="with-consumers")
        # A new stream of the same name has no consumers.
        self.create("with-consumers")
        self.assertEqual(self.k.list_stream_consumers(StreamARN=arn)["Consumers"], [])

    def test_enforce_false_with_consumers(self):
        self.create("s")
        self.k.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="c1")
        self.assertAwsError("ResourceInUseException", None, self.k.delete_stream, StreamName="s",
                            EnforceConsumerDeletion=False)


# DescribeStream / DescribeStreamSummary ------------------------------------------------------

class DescribeStreamTest(KinesisTest):
    def test_pagination_with_limit_and_exclusive_start(self):
        self.create("five", 5)
        page1 = self.k.describe_stream(StreamName="five", Limit=2)["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in page1["Shards"]], ["shardId-000000000000", "shardId-000000000001"])
        self.assertIs(page1["HasMoreShards"], True)
        page2 = self.k.describe_stream(StreamName="five", Limit=2,
                                       ExclusiveStartShardId="shardId-000000000001")["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in page2["Shards"]], ["shardId-000000000002", "shardId-000000000003"])
        self.assertIs(page2["HasMoreShards"], True)
        page3 = self.k.describe_stream(StreamName="five", Limit=2,
                                       ExclusiveStartShardId="shardId-000000000003")["StreamDescription"]
        self.assertEqual([s["ShardId"] for s in page3["Shards"]], ["shardId-000000000004"])
        self.assertIs(page3["HasMoreShards"], False)
        everything = self.k.describe_stream(StreamName="five")["StreamDescription"]
        self.assertEqual(len(everything["Shards"]), 5)
        self.assertIs(everything["HasMoreShards"], False)

    def test_paginator_collects_all_shards(self):
        self.create("seven", 7)
        pages = list(self.k.get_paginator("describe_stream").paginate(StreamName="seven",
                                                                      PaginationConfig={"PageSize": 3}))
        shard_ids = [s["ShardId"] for p in pages for s in p["StreamDescription"]["Shards"]]
        self.assertEqual(shard_ids, [f"shardId-{i:012d}" for i in range(7)])

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.describe_stream, StreamName="nope")

    def test_limit_out_of_range(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'0'", "limit", "Member must have value greater than or equal to 1")),
                            self.kv.describe_stream, StreamName="s", Limit=0)
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'10001'", "limit", "Member must have value less than or equal to 10000")),
                            self.kv.describe_stream, StreamName="s", Limit=10001)

    def test_summary_shape(self):
        self.create("summary", 3)
        self.k.register_stream_consumer(StreamARN=stream_arn("summary"), ConsumerName="c")
        s = self.k.describe_stream_summary(StreamName="summary")["StreamDescriptionSummary"]
        self.assertEqual(s["StreamName"], "summary")
        self.assertEqual(s["StreamARN"], stream_arn("summary"))
        self.assertEqual(s["StreamStatus"], "ACTIVE")
        self.assertEqual(s["StreamModeDetails"], {"StreamMode": "PROVISIONED"})
        self.assertEqual(s["RetentionPeriodHours"], 24)
        self.assertNearTimestamp(s["StreamCreationTimestamp"])
        self.assertEqual(s["EnhancedMonitoring"], [{"ShardLevelMetrics": []}])
        self.assertEqual(s["EncryptionType"], "NONE")
        self.assertIsNone(s.get("KeyId"))
        self.assertEqual(s["OpenShardCount"], 3)
        self.assertEqual(s["ConsumerCount"], 1)
        raw = self.summary("summary")
        self.assertEqual(raw["MaxRecordSizeInKiB"], 1024)
        self.assertIsInstance(raw["StreamCreationTimestamp"], (int, float))

    def test_summary_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"),
                            self.k.describe_stream_summary, StreamName="nope")

    def test_summary_counts_only_open_shards(self):
        self.create("s", 2)
        self.k.merge_shards(StreamName="s", ShardToMerge="shardId-000000000000",
                            AdjacentShardToMerge="shardId-000000000001")
        self.assertEqual(self.k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["OpenShardCount"], 1)


# ListStreams --------------------------------------------------------------------------------

class ListStreamsTest(KinesisTest):
    def list(self, **params):
        return self.call("ListStreams", _outputs=("NextToken", "StreamSummaries"), **params)

    def test_empty(self):
        resp = self.list()
        self.assertEqual(resp["StreamNames"], [])
        self.assertIs(resp["HasMoreStreams"], False)
        self.assertEqual(resp["StreamSummaries"], [])
        self.assertNotIn("NextToken", resp)

    def test_next_token_pagination_and_summaries(self):
        names = ["echo", "alpha", "delta", "bravo", "charlie"]
        for n in names:
            self.create(n)
        self.k.create_stream(StreamName="foxtrot", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        seen, summaries, token, pages = [], [], None, 0
        while True:
            resp = self.list(Limit=2, NextToken=token) if token else self.list(Limit=2)
            pages += 1
            self.assertLessEqual(len(resp["StreamNames"]), 2)
            self.assertEqual([s["StreamName"] for s in resp["StreamSummaries"]], resp["StreamNames"])
            seen += resp["StreamNames"]
            summaries += resp["StreamSummaries"]
            token = resp.get("NextToken")
            self.assertIs(resp["HasMoreStreams"], token is not None)
            if not token:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(seen, sorted(names + ["foxtrot"]))
        for s in summaries:
            self.assertEqual(set(s), {"StreamName", "StreamARN", "StreamStatus", "StreamModeDetails",
                                      "StreamCreationTimestamp"})
            self.assertEqual(s["StreamARN"], stream_arn(s["StreamName"]))
            self.assertEqual(s["StreamStatus"], "ACTIVE")
            self.assertNearTimestamp(s["StreamCreationTimestamp"])
        modes = {s["StreamName"]: s["StreamModeDetails"]["StreamMode"] for s in summaries}
        self.assertEqual(modes["foxtrot"], "ON_DEMAND")
        self.assertEqual(modes["alpha"], "PROVISIONED")

    def test_limit_and_exclusive_start_stream_name(self):
        for n in ["a1", "a2", "a3", "a4"]:
            self.create(n)
        resp = self.k.list_streams(Limit=2)
        self.assertEqual(resp["StreamNames"], ["a1", "a2"])
        self.assertIs(resp["HasMoreStreams"], True)
        resp = self.k.list_streams(ExclusiveStartStreamName="a2")
        self.assertEqual(resp["StreamNames"], ["a3", "a4"])
        self.assertIs(resp["HasMoreStreams"], False)
        resp = self.k.list_streams(ExclusiveStartStreamName="a2", Limit=1)
        self.assertEqual(resp["StreamNames"], ["a3"])
        self.assertIs(resp["HasMoreStreams"], True)

    def test_paginator(self):
        for i in range(5):
            self.create(f"p{i}")
        names = [n for page in self.k.get_paginator("list_streams").paginate(PaginationConfig={"PageSize": 2})
                 for n in page["StreamNames"]]
        self.assertEqual(names, [f"p{i}" for i in range(5)])

    def test_limit_out_of_range(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'0'", "limit", "Member must have value greater than or equal to 1")),
                            self.kv.list_streams, Limit=0)

    def test_streams_of_another_account_are_invisible(self):
        self.create("mine")
        other = raw_call(self.server, "ListStreams", {}, access_key="111111111111")
        self.assertEqual(other["StreamNames"], [])


# ListShards ---------------------------------------------------------------------------------

class ListShardsTest(KinesisTest):
    def test_shape(self):
        self.create("s", 2)
        resp = self.k.list_shards(StreamName="s")
        self.assertNotIn("NextToken", resp)
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ["shardId-000000000000", "shardId-000000000001"])
        self.assertEqual(resp["Shards"][0]["HashKeyRange"],
                         {"StartingHashKey": "0", "EndingHashKey": str(2**127 - 1)})
        self.assertEqual(resp["Shards"][1]["HashKeyRange"],
                         {"StartingHashKey": str(2**127), "EndingHashKey": str(MAX_HASH)})
        for s in resp["Shards"]:
            self.assertEqual(set(s), {"ShardId", "HashKeyRange", "SequenceNumberRange"})

    def test_max_results_and_next_token(self):
        self.create("five", 5)
        resp = self.k.list_shards(StreamName="five", MaxResults=2)
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ["shardId-000000000000", "shardId-000000000001"])
        token = resp["NextToken"]
        resp = self.k.list_shards(NextToken=token, MaxResults=2)
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ["shardId-000000000002", "shardId-000000000003"])
        resp = self.k.list_shards(NextToken=resp["NextToken"])
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ["shardId-000000000004"])
        self.assertNotIn("NextToken", resp)

    def test_exclusive_start_shard_id(self):
        self.create("s", 4)
        resp = self.k.list_shards(StreamName="s", ExclusiveStartShardId="shardId-000000000001")
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ["shardId-000000000002", "shardId-000000000003"])
        resp = self.k.list_shards(StreamName="s", ExclusiveStartShardId="shardId-000000000001", MaxResults=1)
        self.assertEqual([s["ShardId"] for s in resp["Shards"]], ["shardId-000000000002"])
        self.assertIn("NextToken", resp)

    def test_next_token_with_stream_name(self):
        self.create("s", 3)
        token = self.k.list_shards(StreamName="s", MaxResults=1)["NextToken"]
        self.assertAwsError("InvalidArgumentException", "NextToken and StreamName cannot be provided together.",
                            self.k.list_shards, StreamName="s", NextToken=token)

    def test_next_token_with_exclusive_start_shard_id(self):
        self.create("s", 3)
        token = self.k.list_shards(StreamName="s", MaxResults=1)["NextToken"]
        self.assertAwsError("InvalidArgumentException",
                            "NextToken and ExclusiveStartShardId cannot be provided together.",
                            self.k.list_shards, NextToken=token, ExclusiveStartShardId="shardId-000000000000")

    def test_next_token_with_shard_filter(self):
        self.create("s", 3)
        token = self.k.list_shards(StreamName="s", MaxResults=1)["NextToken"]
        self.assertAwsError("InvalidArgumentException", "NextToken and ShardFilter cannot be provided together.",
                            self.k.list_shards, NextToken=token, ShardFilter={"Type": "AT_LATEST"})

    def test_neither_stream_nor_token(self):
        self.assertAwsError("InvalidArgumentException", "Either NextToken or StreamName should be provided.",
                            self.k.list_shards)

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.list_shards, StreamName="nope")

    def test_max_results_out_of_range(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'0'", "maxResults", "Member must have value greater than or equal to 1")),
                            self.kv.list_shards, StreamName="s", MaxResults=0)

    def test_every_shard_filter_type(self):
        # shards 0 and 1 at creation; at `split_time` shard 0 splits into 2 and 3.
        self.create("f", 2)
        time.sleep(1.1)  # timestamps travel as whole seconds from boto3 1.26
        before_split = datetime.datetime.now(datetime.timezone.utc)
        time.sleep(0.05)
        self.k.split_shard(StreamName="f", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**126))
        time.sleep(1.1)
        after_split = datetime.datetime.now(datetime.timezone.utc)

        def ids(flt):
            return [s["ShardId"] for s in self.k.list_shards(StreamName="f", ShardFilter=flt)["Shards"]]

        s0, s1, s2, s3 = (f"shardId-{i:012d}" for i in range(4))
        cases = [
            ({"Type": "AFTER_SHARD_ID", "ShardId": s1}, [s2, s3]),
            ({"Type": "AT_LATEST"}, [s1, s2, s3]),
            ({"Type": "AT_TRIM_HORIZON"}, [s0, s1]),
            ({"Type": "FROM_TRIM_HORIZON"}, [s0, s1, s2, s3]),
            ({"Type": "AT_TIMESTAMP", "Timestamp": before_split}, [s0, s1]),
            ({"Type": "AT_TIMESTAMP", "Timestamp": after_split}, [s1, s2, s3]),
            ({"Type": "FROM_TIMESTAMP", "Timestamp": before_split}, [s0, s1, s2, s3]),
            ({"Type": "FROM_TIMESTAMP", "Timestamp": after_split}, [s1, s2, s3]),
        ]
        for flt, expected in cases:
            with self.subTest(filter=flt["Type"], at=str(flt.get("Timestamp", ""))):
                self.assertEqual(ids(flt), expected)

    def test_shard_filter_type_enum(self):
        self.create("s")
        self.assertAwsError("ValidationException", None, self.kv.list_shards, StreamName="s",
                            ShardFilter={"Type": "SOMETIMES"})


# PutRecord ----------------------------------------------------------------------------------

class PutRecordTest(KinesisTest):
    def test_response_shape(self):
        self.create("s")
        resp = self.put("s", b"hello", "k1")
        self.assertEqual(set(resp) - {"ResponseMetadata"}, {"ShardId", "SequenceNumber", "EncryptionType"})
        self.assertEqual(resp["ShardId"], "shardId-000000000000")
        self.assertRegex(resp["SequenceNumber"], r"^[1-9]\d*$")
        self.assertEqual(resp["EncryptionType"], "NONE")

    def test_sequence_numbers_are_56_digit_decimals(self):
        # Real Kinesis sequence numbers are 56-digit decimal strings (aws_errors.md §13, H).
        self.create("s")
        seq = self.put("s")["SequenceNumber"]
        self.assertRegex(seq, r"^\d{56}$")
        start = self.k.describe_stream(StreamName="s")["StreamDescription"]["Shards"][0]["SequenceNumberRange"]
        self.assertRegex(start["StartingSequenceNumber"], r"^\d{56}$")

    def test_sequence_numbers_increase_within_a_shard(self):
        self.create("s")
        seqs = [int(self.put("s", str(i).encode(), "same")["SequenceNumber"]) for i in range(10)]
        self.assertEqual(seqs, sorted(seqs))
        self.assertEqual(len(set(seqs)), 10)
        start = int(self.k.describe_stream(StreamName="s")["StreamDescription"]["Shards"][0]
                    ["SequenceNumberRange"]["StartingSequenceNumber"])
        self.assertLessEqual(start, seqs[0])

    def test_explicit_hash_key_routes_to_the_owning_shard(self):
        self.create("four", 4)
        shards = self.k.list_shards(StreamName="four")["Shards"]
        for sh in shards:
            lo, hi = int(sh["HashKeyRange"]["StartingHashKey"]), int(sh["HashKeyRange"]["EndingHashKey"])
            for h in {lo, hi, (lo + hi) // 2}:
                with self.subTest(hash=h):
                    # The partition key hashes elsewhere; ExplicitHashKey must win.
                    resp = self.put("four", b"x", "anything", ExplicitHashKey=str(h))
                    self.assertEqual(resp["ShardId"], sh["ShardId"])

    def test_partition_key_md5_routes_to_the_owning_shard(self):
        self.create("four", 4)
        ranges = [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]), s["ShardId"])
                  for s in self.k.list_shards(StreamName="four")["Shards"]]
        hit = set()
        for i in range(40):
            key = f"user-{i}"
            h = md5_hash(key)
            expected = next(sid for lo, hi, sid in ranges if lo <= h <= hi)
            hit.add(expected)
            with self.subTest(key=key):
                self.assertEqual(self.put("four", b"x", key)["ShardId"], expected)
        self.assertEqual(len(hit), 4)

    def test_data_round_trips_exactly(self):
        self.create("s")
        payloads = [bytes(range(256)), b"", "héllo ✓".encode(), b"\x00" * 1000]
        seqs = [self.put("s", p, "k")["SequenceNumber"] for p in payloads]
        records = self.read_all("s")
        self.assertEqual([r["Data"] for r in records], payloads)
        self.assertEqual([r["SequenceNumber"] for r in records], seqs)
        self.assertEqual({r["PartitionKey"] for r in records}, {"k"})

    def test_record_larger_than_max_record_size(self):
        # 1 MiB of data plus the key is over the default 1 MiB record size, within the 10 MiB model limit:
        # InvalidArgumentException (aws_errors.md §4, text unknown).
        self.create("s")
        self.assertAwsError("InvalidArgumentException", None, self.put, "s", b"x" * (1 << 20), "k")

    def test_record_over_model_maximum(self):
        self.create("s")
        n = 10 * (1 << 20) + 1
        self.assertAwsError("ValidationException",
                            vmessage(vpart(f"'java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]'", "data",
                                           "Member must have length less than or equal to 10485760")),
                            self.kv.put_record, StreamName="s", Data=b"x" * n, PartitionKey="k")

    def test_record_of_exactly_the_limit_is_accepted(self):
        self.create("s")
        resp = self.put("s", b"x" * ((1 << 20) - 1), "k")
        self.assertEqual(resp["ShardId"], "shardId-000000000000")

    def test_sequence_number_for_ordering_is_accepted(self):
        self.create("s", 2)
        first = self.put("s", b"1", "key")
        second = self.put("s", b"2", "key", SequenceNumberForOrdering=first["SequenceNumber"])
        self.assertEqual(second["ShardId"], first["ShardId"])
        self.assertGreater(int(second["SequenceNumber"]), int(first["SequenceNumber"]))

    def test_invalid_sequence_number_for_ordering(self):
        self.create("s")
        self.assertAwsError("InvalidArgumentException",
                            f"ExclusiveMinimumSequenceNumber 1234567890 used in PutRecord on stream s under account "
                            f"{ACCOUNT} is invalid.",
                            self.put, "s", SequenceNumberForOrdering="1234567890")

    def test_partition_key_length(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("''", "partitionKey", "Member must have length greater than or equal to 1")),
                            self.kv.put_record, StreamName="s", Data=b"x", PartitionKey="")
        key = "k" * 257
        self.assertAwsError("ValidationException",
                            vmessage(vpart(f"'{key}'", "partitionKey",
                                           "Member must have length less than or equal to 256")),
                            self.kv.put_record, StreamName="s", Data=b"x", PartitionKey=key)

    def test_explicit_hash_key_pattern(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'abc'", "explicitHashKey",
                                           f"Member must satisfy regular expression pattern: {HASH_PATTERN}")),
                            self.put, "s", ExplicitHashKey="abc")

    def test_explicit_hash_key_out_of_range(self):
        self.create("s")
        self.assertAwsError("InvalidArgumentException",
                            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                            f"Specified value was {2**128}",
                            self.put, "s", ExplicitHashKey=str(2**128))

    def test_missing_data_and_key(self):
        self.create("s")
        self.assertValidation([vpart("null", "data", "Member must not be null"),
                               vpart("null", "partitionKey", "Member must not be null")],
                              self.raw, "PutRecord", StreamName="s")

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.put, "nope")


# PutRecords ---------------------------------------------------------------------------------

class PutRecordsTest(KinesisTest):
    def test_results_are_in_request_order(self):
        self.create("s", 3)
        ranges = [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]), s["ShardId"])
                  for s in self.k.list_shards(StreamName="s")["Shards"]]
        entries = [{"Data": f"r{i}".encode(), "PartitionKey": f"key-{i}"} for i in range(30)]
        entries[7]["ExplicitHashKey"] = str(MAX_HASH)
        resp = self.k.put_records(StreamName="s", Records=entries)
        self.assertEqual(resp["FailedRecordCount"], 0)
        self.assertEqual(resp["EncryptionType"], "NONE")
        self.assertEqual(len(resp["Records"]), 30)
        for i, (entry, result) in enumerate(zip(entries, resp["Records"])):
            h = int(entry["ExplicitHashKey"]) if "ExplicitHashKey" in entry else md5_hash(entry["PartitionKey"])
            expected = next(sid for lo, hi, sid in ranges if lo <= h <= hi)
            self.assertEqual(set(result), {"ShardId", "SequenceNumber"}, result)
            self.assertEqual(result["ShardId"], expected, i)
        # Reading back: each shard holds its records in request order, with the returned numbers.
        for _, _, sid in ranges:
            records = self.read_all("s", sid)
            want = [(e["Data"], r["SequenceNumber"]) for e, r in zip(entries, resp["Records"]) if r["ShardId"] == sid]
            self.assertEqual([(r["Data"], r["SequenceNumber"]) for r in records], want)

    def test_500_records_accepted(self):
        self.create("s", 2)
        resp = self.k.put_records(StreamName="s", Records=[{"Data": b"x", "PartitionKey": str(i)} for i in range(500)])
        self.assertEqual(resp["FailedRecordCount"], 0)
        self.assertEqual(len(resp["Records"]), 500)

    def test_501_records_rejected(self):
        self.create("s")
        entry = r"com\.amazonaws\.kinesis\.v20131202\.PutRecordsRequestEntry@[0-9a-f]+"
        self.assertAwsError("ValidationException",
                            re.compile(rf"^1 validation error detected: Value '\[{entry}(, {entry})*\]' at 'records' "
                                       r"failed to satisfy constraint: Member must have length less than or equal to "
                                       r"500$"),
                            self.kv.put_records, StreamName="s",
                            Records=[{"Data": b"x", "PartitionKey": str(i)} for i in range(501)])

    def test_no_records(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'[]'", "records", "Member must have length greater than or equal to 1")),
                            self.kv.put_records, StreamName="s", Records=[])

    def test_request_over_5_mib(self):
        self.create("s", 4)
        records = [{"Data": b"x" * 1_000_000, "PartitionKey": str(i)} for i in range(6)]
        self.assertAwsError("InvalidArgumentException", "Records size exceeds 5 MB limit",
                            self.k.put_records, StreamName="s", Records=records)
        # Nothing was written.
        self.assertEqual(sum(len(self.read_all("s", s["ShardId"])) for s in self.k.list_shards(StreamName="s")["Shards"]),
                         0)

    def test_request_of_5_mib_accepted(self):
        self.create("s", 8)
        records = [{"Data": b"x" * 1_000_000, "PartitionKey": str(i)} for i in range(5)]
        resp = self.k.put_records(StreamName="s", Records=records)
        self.assertEqual(resp["FailedRecordCount"], 0)

    def test_entry_member_paths(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("''", "records.2.member.partitionKey",
                                           "Member must have length greater than or equal to 1")),
                            self.kv.put_records, StreamName="s",
                            Records=[{"Data": b"x", "PartitionKey": "a"}, {"Data": b"x", "PartitionKey": ""}])
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'x1'", "records.1.member.explicitHashKey",
                                           f"Member must satisfy regular expression pattern: {HASH_PATTERN}")),
                            self.kv.put_records, StreamName="s",
                            Records=[{"Data": b"x", "PartitionKey": "a", "ExplicitHashKey": "x1"}])

    def test_entry_data_over_model_maximum(self):
        self.create("s")
        n = 10 * (1 << 20) + 1
        self.assertAwsError("ValidationException",
                            vmessage(vpart(f"'java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]'", "records.2.member.data",
                                           "Member must have length less than or equal to 10485760")),
                            self.kv.put_records, StreamName="s",
                            Records=[{"Data": b"x", "PartitionKey": "a"}, {"Data": b"x" * n, "PartitionKey": "b"}])

    def test_explicit_hash_key_out_of_range_fails_the_whole_request(self):
        self.create("s")
        self.assertAwsError("InvalidArgumentException",
                            "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
                            f"Specified value was {2**128}",
                            self.k.put_records, StreamName="s",
                            Records=[{"Data": b"ok", "PartitionKey": "a"},
                                     {"Data": b"bad", "PartitionKey": "b", "ExplicitHashKey": str(2**128)}])
        self.assertEqual(self.read_all("s"), [])

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.put_records, StreamName="nope",
                            Records=[{"Data": b"x", "PartitionKey": "a"}])


# Throughput limits (throttling on, as the server runs by default) ---------------------------

class ThrottlingTest(KinesisTest):
    server_args = ("--state-delay-ms", "0")

    def test_put_records_reports_per_record_throttling(self):
        self.create("hot")
        # 500 x 3000 bytes = 1.5 MB to one shard: over its 1 MiB/s write budget.
        resp = self.k.put_records(StreamName="hot", Records=[{"Data": b"x" * 3000, "PartitionKey": str(i)}
                                                             for i in range(500)])
        failed = [r for r in resp["Records"] if "ErrorCode" in r]
        ok = [r for r in resp["Records"] if "ErrorCode" not in r]
        self.assertGreater(resp["FailedRecordCount"], 0)
        self.assertEqual(resp["FailedRecordCount"], len(failed))
        self.assertGreater(len(ok), 0)
        for r in failed:
            self.assertEqual(r, {"ErrorCode": "ProvisionedThroughputExceededException",
                                 "ErrorMessage": f"Rate exceeded for shard shardId-000000000000 in stream hot under "
                                                 f"account {ACCOUNT}."})
        for r in ok:
            self.assertEqual(set(r), {"ShardId", "SequenceNumber"})
        # Records before the first throttled one succeeded: results keep request order.
        first_failed = next(i for i, r in enumerate(resp["Records"]) if "ErrorCode" in r)
        self.assertTrue(all("SequenceNumber" in r for r in resp["Records"][:first_failed]))

    def test_get_records_rate_exceeded(self):
        self.create("hot")
        it = self.iterator("hot")
        with self.assertRaises(ClientError) as cm:
            for _ in range(20):
                it = self.k.get_records(ShardIterator=it)["NextShardIterator"]
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "ProvisionedThroughputExceededException")
        self.assertEqual(err["Message"], f"Rate exceeded for Shard - {ACCOUNT}/hot/shardId-000000000000")

    def test_large_record_bursts_after_update_max_record_size(self):
        # AWS accepts an intermittent record larger than the 1 MiB/s shard budget by bursting.
        self.create("big")
        self.call("UpdateMaxRecordSize", StreamARN=stream_arn("big"), MaxRecordSizeInKiB=4096)
        data = b"y" * (3 * (1 << 20))
        resp = self.put("big", data, "k")
        self.assertEqual(resp["ShardId"], "shardId-000000000000")


# GetShardIterator ---------------------------------------------------------------------------

class GetShardIteratorTest(KinesisTest):
    def setUp(self):
        super().setUp()
        self.create("s", 2)
        self.seqs = [self.put("s", f"r{i}".encode(), "k", ExplicitHashKey="0")["SequenceNumber"] for i in range(5)]

    def data(self, records):
        return [r["Data"] for r in records]

    def test_trim_horizon(self):
        it = self.iterator("s")
        self.assertIsInstance(it, str)
        self.assertTrue(1 <= len(it) <= 512)
        self.assertEqual(self.data(self.read_all("s")), [b"r0", b"r1", b"r2", b"r3", b"r4"])

    def test_latest(self):
        it = self.iterator("s", type_="LATEST")
        self.assertEqual(self.k.get_records(ShardIterator=it)["Records"], [])
        self.put("s", b"new", "k", ExplicitHashKey="0")
        self.assertEqual(self.data(self.k.get_records(ShardIterator=it)["Records"]), [b"new"])

    def test_at_and_after_sequence_number(self):
        at = self.read_all("s", type_="AT_SEQUENCE_NUMBER", StartingSequenceNumber=self.seqs[2])
        self.assertEqual(self.data(at), [b"r2", b"r3", b"r4"])
        self.assertEqual(at[0]["SequenceNumber"], self.seqs[2])
        after = self.read_all("s", type_="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=self.seqs[2])
        self.assertEqual(self.data(after), [b"r3", b"r4"])
        last = self.read_all("s", type_="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=self.seqs[4])
        self.assertEqual(last, [])

    def test_at_timestamp(self):
        time.sleep(1.1)  # boto3 1.26 sends whole seconds
        between = datetime.datetime.now(datetime.timezone.utc)
        time.sleep(0.05)
        self.put("s", b"late", "k", ExplicitHashKey="0")
        records = self.read_all("s", type_="AT_TIMESTAMP", Timestamp=between)
        self.assertEqual(self.data(records), [b"late"])
        early = self.read_all("s", type_="AT_TIMESTAMP",
                              Timestamp=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1))
        self.assertEqual(self.data(early), [b"r0", b"r1", b"r2", b"r3", b"r4", b"late"])

    def test_sequence_number_of_another_shard(self):
        other = self.put("s", b"o", "k", ExplicitHashKey=str(MAX_HASH))["SequenceNumber"]
        self.assertAwsError("InvalidArgumentException",
                            "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was used in a "
                            "call to a shard with shardId-000000000000",
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=other)

    def test_sequence_number_of_another_stream(self):
        self.create("other")
        seq = self.put("other", b"x", "k")["SequenceNumber"]
        self.assertAwsError("InvalidArgumentException",
                            f"StartingSequenceNumber {seq} used in GetShardIterator on shard shardId-000000000000 in "
                            f"stream s under account {ACCOUNT} is invalid because it did not come from this stream.",
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=seq)

    def test_undecodable_sequence_number(self):
        self.assertAwsError("InvalidArgumentException",
                            f"StartingSequenceNumber 12345678901234567890 used in GetShardIterator on shard "
                            f"shardId-000000000000 in stream s under account {ACCOUNT} is invalid.",
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber="12345678901234567890")

    def test_non_numeric_sequence_number(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'abc'", "startingSequenceNumber",
                                           f"Member must satisfy regular expression pattern: {SEQ_PATTERN}")),
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber="abc")

    def test_sequence_types_need_a_sequence_number(self):
        for t in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
            with self.subTest(type=t):
                self.assertAwsError("InvalidArgumentException",
                                    "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                                    "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no "
                                    f"StartingSequenceNumber. Request specified {t} and no StartingSequenceNumber.",
                                    self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                                    ShardIteratorType=t)

    def test_latest_or_trim_horizon_with_a_sequence_number(self):
        for t in ("LATEST", "TRIM_HORIZON"):
            with self.subTest(type=t):
                self.assertAwsError("InvalidArgumentException",
                                    "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and "
                                    "StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no "
                                    f"StartingSequenceNumber. Request specified {t} and also a StartingSequenceNumber.",
                                    self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                                    ShardIteratorType=t, StartingSequenceNumber=self.seqs[0])

    def test_at_timestamp_without_timestamp(self):
        self.assertAwsError("InvalidArgumentException",
                            "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current "
                            "request has no timestamp parameter.",
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="AT_TIMESTAMP")

    def test_timestamp_in_the_future(self):
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
        self.assertAwsError("InvalidArgumentException",
                            re.compile(r"^The timestampInMillis parameter cannot be greater than the "
                                       r"currentTimestampInMillis\. timestampInMillis: \d+, "
                                       r"currentTimestampInMillis: \d+$"),
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="AT_TIMESTAMP", Timestamp=future)

    def test_iterator_type_enum(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'FIRST'", "shardIteratorType",
                                           f"Member must satisfy enum value set: {ITERATOR_TYPES}")),
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000000",
                            ShardIteratorType="FIRST")

    def test_unknown_shard(self):
        self.assertAwsError("ResourceNotFoundException",
                            f"Shard shardId-000000000005 in stream s under account {ACCOUNT} does not exist",
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-000000000005",
                            ShardIteratorType="TRIM_HORIZON")

    def test_shard_id_is_normalised(self):
        # AWS parses the suffix after the last '-': 'foo-0', 'shard-0' and '0' all mean shardId-000000000000.
        for shard_id in ("foo-0", "shard-0", "0", "shardId-0"):
            with self.subTest(shard_id=shard_id):
                self.assertEqual(self.data(self.read_all("s", shard_id)), [b"r0", b"r1", b"r2", b"r3", b"r4"])
        self.assertAwsError("ResourceNotFoundException",
                            f"Shard shardId-000000000007 in stream s under account {ACCOUNT} does not exist",
                            self.k.get_shard_iterator, StreamName="s", ShardId="foo-7",
                            ShardIteratorType="TRIM_HORIZON")

    def test_unparseable_shard_id(self):
        self.assertAwsError("ResourceNotFoundException",
                            f"Could not find shard shardId-abc in stream s under account {ACCOUNT}.",
                            self.k.get_shard_iterator, StreamName="s", ShardId="shardId-abc",
                            ShardIteratorType="TRIM_HORIZON")

    def test_missing_stream(self):
        # GetShardIterator reports the shard, not the stream (aws_errors.md §6, H).
        self.assertAwsError("ResourceNotFoundException",
                            f"Shard shardId-000000000000 in stream nope under account {ACCOUNT} does not exist",
                            self.k.get_shard_iterator, StreamName="nope", ShardId="shardId-000000000000",
                            ShardIteratorType="TRIM_HORIZON")


# GetRecords ---------------------------------------------------------------------------------

class GetRecordsTest(KinesisTest):
    def test_record_shape(self):
        self.create("s")
        before = time.time()
        put = self.put("s", b"\x00\x01payload", "pk-1")
        resp = self.k.get_records(ShardIterator=self.iterator("s"))
        self.assertEqual(resp["MillisBehindLatest"], 0)
        self.assertIsInstance(resp["NextShardIterator"], str)
        self.assertFalse(resp.get("ChildShards"))
        [rec] = resp["Records"]
        self.assertEqual(rec["Data"], b"\x00\x01payload")
        self.assertEqual(rec["PartitionKey"], "pk-1")
        self.assertEqual(rec["SequenceNumber"], put["SequenceNumber"])
        self.assertIn(rec.get("EncryptionType", "NONE"), ("NONE",))
        self.assertGreaterEqual(epoch(rec["ApproximateArrivalTimestamp"]), before - 1)
        self.assertLessEqual(epoch(rec["ApproximateArrivalTimestamp"]), time.time() + 1)
        # Arrival times carry milliseconds on the wire.
        raw = self.raw("GetRecords", ShardIterator=self.iterator("s"))["Records"][0]
        self.assertIsInstance(raw["ApproximateArrivalTimestamp"], (int, float))

    def test_limit_and_next_iterator_continue_exactly(self):
        self.create("s")
        seqs = [self.put("s", f"r{i}".encode())["SequenceNumber"] for i in range(7)]
        it, got = self.iterator("s"), []
        for expected in (3, 3, 1, 0, 0):
            resp = self.k.get_records(ShardIterator=it, Limit=3)
            self.assertEqual(len(resp["Records"]), expected)
            got += [r["SequenceNumber"] for r in resp["Records"]]
            it = resp["NextShardIterator"]
        self.assertEqual(got, seqs)
        self.put("s", b"later")
        self.assertEqual([r["Data"] for r in self.k.get_records(ShardIterator=it)["Records"]], [b"later"])

    def test_an_iterator_can_be_reused(self):
        self.create("s")
        self.put("s", b"a")
        it = self.iterator("s")
        first = self.k.get_records(ShardIterator=it)["Records"]
        second = self.k.get_records(ShardIterator=it)["Records"]
        self.assertEqual(first, second)

    def test_millis_behind_latest(self):
        self.create("s")
        self.put("s", b"a")
        self.put("s", b"b")
        time.sleep(0.3)
        resp = self.k.get_records(ShardIterator=self.iterator("s"), Limit=1)
        self.assertGreaterEqual(resp["MillisBehindLatest"], 250)
        resp = self.k.get_records(ShardIterator=resp["NextShardIterator"])
        self.assertEqual(resp["MillisBehindLatest"], 0)

    def test_invalid_iterators(self):
        self.create("s")
        for it in ("garbage", "AAAAAAAAAAEAAAAAAAAAAQ==", "not base64 !!!", "x" * 300):
            with self.subTest(iterator=it[:20]):
                self.assertAwsError("InvalidArgumentException", "Invalid ShardIterator.",
                                    self.k.get_records, ShardIterator=it)

    def test_tampered_iterator(self):
        self.create("s")
        self.put("s")
        it = self.iterator("s")
        raw = bytearray(base64.b64decode(it))
        for pos in (len(raw) // 2, len(raw) - 1):
            with self.subTest(position=pos):
                bad = bytearray(raw)
                bad[pos] ^= 0x01
                self.assertAwsError("InvalidArgumentException", "Invalid ShardIterator.",
                                    self.k.get_records, ShardIterator=base64.b64encode(bytes(bad)).decode())

    def test_limit_out_of_range(self):
        self.create("s")
        it = self.iterator("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'0'", "limit", "Member must have value greater than or equal to 1")),
                            self.kv.get_records, ShardIterator=it, Limit=0)
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'100000'", "limit", "Member must have value less than or equal to 10000")),
                            self.kv.get_records, ShardIterator=it, Limit=100000)

    def test_iterator_length(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("''", "shardIterator", "Member must have length greater than or equal to 1")),
                            self.kv.get_records, ShardIterator="")
        long_it = "A" * 513
        self.assertAwsError("ValidationException",
                            vmessage(vpart(f"'{long_it}'", "shardIterator",
                                           "Member must have length less than or equal to 512")),
                            self.kv.get_records, ShardIterator=long_it)

    def test_closed_shard_read_to_the_end_reports_child_shards(self):
        self.create("s")
        self.put("s", b"before-1")
        self.put("s", b"before-2")
        it = self.iterator("s")
        self.k.split_shard(StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
        resp = self.k.get_records(ShardIterator=it)
        self.assertEqual([r["Data"] for r in resp["Records"]], [b"before-1", b"before-2"])
        self.assertIsNone(resp.get("NextShardIterator"))
        children = sorted(resp["ChildShards"], key=lambda c: c["ShardId"])
        self.assertEqual(children, [
            {"ShardId": "shardId-000000000001", "ParentShards": ["shardId-000000000000"],
             "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": str(2**127 - 1)}},
            {"ShardId": "shardId-000000000002", "ParentShards": ["shardId-000000000000"],
             "HashKeyRange": {"StartingHashKey": str(2**127), "EndingHashKey": str(MAX_HASH)}},
        ])
        # New writes go to the children.
        self.assertIn(self.put("s", b"after")["ShardId"], {"shardId-000000000001", "shardId-000000000002"})

    def test_closed_shard_read_in_pages(self):
        self.create("s", 2)
        for i in range(5):
            self.put("s", f"r{i}".encode(), ExplicitHashKey="0")
        self.k.merge_shards(StreamName="s", ShardToMerge="shardId-000000000000",
                            AdjacentShardToMerge="shardId-000000000001")
        resp = self.k.get_records(ShardIterator=self.iterator("s"), Limit=3)
        self.assertEqual(len(resp["Records"]), 3)
        self.assertFalse(resp.get("ChildShards"))
        resp = self.k.get_records(ShardIterator=resp["NextShardIterator"], Limit=3)
        self.assertEqual([r["Data"] for r in resp["Records"]], [b"r3", b"r4"])
        self.assertIsNone(resp.get("NextShardIterator"))
        self.assertEqual(resp["ChildShards"], [
            {"ShardId": "shardId-000000000002", "ParentShards": ["shardId-000000000000", "shardId-000000000001"],
             "HashKeyRange": {"StartingHashKey": "0", "EndingHashKey": str(MAX_HASH)}}])

    def test_iterator_of_a_deleted_stream(self):
        self.create("s")
        it = self.iterator("s")
        self.k.delete_stream(StreamName="s")
        self.assertAwsError("ResourceNotFoundException",
                            f"Shard shardId-000000000000 in stream s under account {ACCOUNT} does not exist",
                            self.k.get_records, ShardIterator=it)


# Retention ----------------------------------------------------------------------------------

class RetentionTest(KinesisTest):
    def retention(self, name):
        return self.k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["RetentionPeriodHours"]

    def test_increase_and_decrease(self):
        self.create("s")
        resp = self.k.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=48)
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertEqual(self.retention("s"), 48)
        self.assertEqual(self.k.describe_stream(StreamName="s")["StreamDescription"]["RetentionPeriodHours"], 48)
        self.k.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=8760)
        self.assertEqual(self.retention("s"), 8760)
        resp = self.k.decrease_stream_retention_period(StreamName="s", RetentionPeriodHours=24)
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertEqual(self.retention("s"), 24)

    def test_too_short(self):
        self.create("s")
        for fn in (self.kv.increase_stream_retention_period, self.kv.decrease_stream_retention_period):
            with self.subTest(op=fn.__name__):
                self.assertAwsError("InvalidArgumentException",
                                    "Minimum allowed retention period is 24 hours. Requested retention period "
                                    "(23 hours) is too short.",
                                    fn, StreamName="s", RetentionPeriodHours=23)

    def test_too_long(self):
        self.create("s")
        self.assertAwsError("InvalidArgumentException",
                            "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) "
                            "is too long.",
                            self.k.increase_stream_retention_period, StreamName="s", RetentionPeriodHours=8761)

    def test_increase_below_current(self):
        self.create("s")
        self.k.increase_stream_retention_period(StreamName="s", RetentionPeriodHours=48)
        self.assertAwsError("InvalidArgumentException",
                            "Requested retention period (25 hours) for stream s can not be shorter than existing "
                            "retention period (48 hours). Use DecreaseRetentionPeriod API.",
                            self.k.increase_stream_retention_period, StreamName="s", RetentionPeriodHours=25)

    def test_decrease_above_current(self):
        self.create("s")
        self.assertAwsError("InvalidArgumentException",
                            "Requested retention period (25 hours) for stream s can not be longer than existing "
                            "retention period (24 hours). Use IncreaseRetentionPeriod API.",
                            self.k.decrease_stream_retention_period, StreamName="s", RetentionPeriodHours=25)

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"),
                            self.k.increase_stream_retention_period, StreamName="nope", RetentionPeriodHours=48)
        self.assertAwsError("ResourceNotFoundException", not_found("nope"),
                            self.k.decrease_stream_retention_period, StreamName="nope", RetentionPeriodHours=24)


# SplitShard / MergeShards / UpdateShardCount ------------------------------------------------

class ReshardingTest(KinesisTest):
    def by_id(self, name):
        return {s["ShardId"]: s for s in self.shards(name)}

    def assertLineage(self, shards):
        ids = {s["ShardId"] for s in shards}
        for s in shards:
            for parent in ("ParentShardId", "AdjacentParentShardId"):
                if parent in s:
                    self.assertIn(s[parent], ids, f"{s['ShardId']}'s {parent} is missing")
            if "AdjacentParentShardId" in s:
                self.assertIn("ParentShardId", s)

    def test_split_shard(self):
        self.create("s")
        last = self.put("s", b"before")["SequenceNumber"]
        resp = self.k.split_shard(StreamName="s", ShardToSplit="shardId-000000000000",
                                  NewStartingHashKey=str(2**127))
        self.assertEqual(set(resp), {"ResponseMetadata"})
        shards = self.by_id("s")
        self.assertEqual(sorted(shards), ["shardId-000000000000", "shardId-000000000001", "shardId-000000000002"])
        parent = shards["shardId-000000000000"]["SequenceNumberRange"]
        self.assertIn("EndingSequenceNumber", parent)
        self.assertGreaterEqual(int(parent["EndingSequenceNumber"]), int(last))
        left, right = shards["shardId-000000000001"], shards["shardId-000000000002"]
        self.assertEqual(left["ParentShardId"], "shardId-000000000000")
        self.assertEqual(right["ParentShardId"], "shardId-000000000000")
        self.assertNotIn("AdjacentParentShardId", left)
        self.assertEqual(left["HashKeyRange"], {"StartingHashKey": "0", "EndingHashKey": str(2**127 - 1)})
        self.assertEqual(right["HashKeyRange"], {"StartingHashKey": str(2**127), "EndingHashKey": str(MAX_HASH)})
        self.assertNotIn("EndingSequenceNumber", left["SequenceNumberRange"])
        self.assertEqual(self.k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["OpenShardCount"], 2)
        self.assertEqual([r["Data"] for r in self.read_all("s")], [b"before"])

    def test_split_hash_key_out_of_range(self):
        self.create("s", 2)
        lo, hi = 2**127, MAX_HASH
        for key in (str(lo), str(lo + 1), str(hi), "1"):
            with self.subTest(key=key):
                self.assertAwsError("InvalidArgumentException",
                                    f"NewStartingHashKey {key} used in SplitShard() on shard shardId-000000000001 in "
                                    f"stream s under account {ACCOUNT} is not both greater than one plus the shard's "
                                    f"StartingHashKey {lo} and less than the shard's EndingHashKey {hi}.",
                                    self.k.split_shard, StreamName="s", ShardToSplit="shardId-000000000001",
                                    NewStartingHashKey=key)

    def test_split_hash_key_pattern(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'-5'", "newStartingHashKey",
                                           f"Member must satisfy regular expression pattern: {HASH_PATTERN}")),
                            self.k.split_shard, StreamName="s", ShardToSplit="shardId-000000000000",
                            NewStartingHashKey="-5")

    def test_split_a_closed_shard(self):
        self.create("s")
        self.k.split_shard(StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
        self.assertAwsError("InvalidArgumentException",
                            f"Shard shardId-000000000000 in stream s under account {ACCOUNT} has already been merged "
                            "or split, and thus is not eligible for merging or splitting.",
                            self.k.split_shard, StreamName="s", ShardToSplit="shardId-000000000000",
                            NewStartingHashKey=str(2**126))

    def test_split_unknown_shard(self):
        self.create("s")
        self.assertAwsError("ResourceNotFoundException",
                            f"Could not find shard shardId-000000000009 in stream s under account {ACCOUNT}.",
                            self.k.split_shard, StreamName="s", ShardToSplit="shardId-000000000009",
                            NewStartingHashKey=str(2**127))
        # Normalised: the suffix after the last '-' is the index.
        self.assertAwsError("ResourceNotFoundException",
                            f"Could not find shard shardId-000000000009 in stream s under account {ACCOUNT}.",
                            self.k.split_shard, StreamName="s", ShardToSplit="foo-9",
                            NewStartingHashKey=str(2**127))

    def test_split_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.split_shard, StreamName="nope",
                            ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))

    def test_merge_shards(self):
        self.create("s", 2)
        self.put("s", b"left", ExplicitHashKey="0")
        self.put("s", b"right", ExplicitHashKey=str(MAX_HASH))
        resp = self.k.merge_shards(StreamName="s", ShardToMerge="shardId-000000000000",
                                   AdjacentShardToMerge="shardId-000000000001")
        self.assertEqual(set(resp), {"ResponseMetadata"})
        shards = self.by_id("s")
        child = shards["shardId-000000000002"]
        self.assertEqual(child["ParentShardId"], "shardId-000000000000")
        self.assertEqual(child["AdjacentParentShardId"], "shardId-000000000001")
        self.assertEqual(child["HashKeyRange"], {"StartingHashKey": "0", "EndingHashKey": str(MAX_HASH)})
        self.assertNotIn("EndingSequenceNumber", child["SequenceNumberRange"])
        for parent in ("shardId-000000000000", "shardId-000000000001"):
            self.assertIn("EndingSequenceNumber", shards[parent]["SequenceNumberRange"])
        self.assertEqual(self.put("s", b"after")["ShardId"], "shardId-000000000002")
        self.assertEqual([r["Data"] for r in self.read_all("s", "shardId-000000000001")], [b"right"])

    def test_merge_shards_not_adjacent(self):
        self.create("s", 3)
        self.assertAwsError("InvalidArgumentException",
                            f"Shards shardId-000000000000 and shardId-000000000002 in stream s under account {ACCOUNT} "
                            "are not an adjacent pair of shards eligible for merging",
                            self.k.merge_shards, StreamName="s", ShardToMerge="shardId-000000000000",
                            AdjacentShardToMerge="shardId-000000000002")

    def test_merge_shards_inverted_order(self):
        self.create("s", 2)
        self.assertAwsError("InvalidArgumentException",
                            f"Shards shardId-000000000001 and shardId-000000000000 in stream s under account {ACCOUNT} "
                            "are not an adjacent pair of shards eligible for merging",
                            self.k.merge_shards, StreamName="s", ShardToMerge="shardId-000000000001",
                            AdjacentShardToMerge="shardId-000000000000")

    def test_merge_a_closed_shard(self):
        self.create("s", 3)
        self.k.merge_shards(StreamName="s", ShardToMerge="shardId-000000000000",
                            AdjacentShardToMerge="shardId-000000000001")
        self.assertAwsError("InvalidArgumentException",
                            f"Shard shardId-000000000001 in stream s under account {ACCOUNT} has already been merged "
                            "or split, and thus is not eligible for merging or splitting.",
                            self.k.merge_shards, StreamName="s", ShardToMerge="shardId-000000000001",
                            AdjacentShardToMerge="shardId-000000000002")

    def test_merge_unknown_shard(self):
        self.create("s", 2)
        self.assertAwsError("ResourceNotFoundException",
                            f"Could not find shard shardId-000000000005 in stream s under account {ACCOUNT}.",
                            self.k.merge_shards, StreamName="s", ShardToMerge="shardId-000000000000",
                            AdjacentShardToMerge="shardId-000000000005")

    def test_merge_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.merge_shards, StreamName="nope",
                            ShardToMerge="shardId-000000000000", AdjacentShardToMerge="shardId-000000000001")

    def test_update_shard_count_uniform_with_lineage(self):
        self.create("s", 2)
        target = 2
        for current, target in zip((target, 4, 3, 5, 8, 4), (4, 3, 5, 8, 4, 2)):
            with self.subTest(frm=current, to=target):
                resp = self.call("UpdateShardCount", _outputs=("StreamARN",), StreamName="s",
                                 TargetShardCount=target, ScalingType="UNIFORM_SCALING")
                self.assertEqual({k: v for k, v in resp.items() if k != "ResponseMetadata"},
                                 {"StreamName": "s", "CurrentShardCount": current, "TargetShardCount": target,
                                  "StreamARN": stream_arn("s")})
                shards = self.shards("s")
                open_ = [s for s in shards if "EndingSequenceNumber" not in s["SequenceNumberRange"]]
                self.assertEqual(len(open_), target)
                self.assertFullCoverage(open_)
                self.assertLineage(shards)
                for s in open_:
                    self.assertIn("ParentShardId", s)
                    width = int(s["HashKeyRange"]["EndingHashKey"]) - int(s["HashKeyRange"]["StartingHashKey"]) + 1
                    self.assertLessEqual(abs(width - 2**128 // target), target, s["ShardId"])
                self.assertEqual(self.k.describe_stream_summary(StreamName="s")
                                 ["StreamDescriptionSummary"]["OpenShardCount"], target)

    def test_update_shard_count_keeps_records_readable(self):
        self.create("s", 1)
        self.put("s", b"old")
        self.k.update_shard_count(StreamName="s", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
        self.assertEqual([r["Data"] for r in self.read_all("s", "shardId-000000000000")], [b"old"])
        self.assertNotEqual(self.put("s", b"new")["ShardId"], "shardId-000000000000")

    def test_update_shard_count_above_double(self):
        self.create("s", 2)
        self.assertAwsError("LimitExceededException",
                            "UpdateShardCount cannot scale up over double your current open shard count. Current open "
                            "shard count: 2, Target shard count: 5",
                            self.k.update_shard_count, StreamName="s", TargetShardCount=5,
                            ScalingType="UNIFORM_SCALING")

    def test_update_shard_count_below_half(self):
        self.create("s", 6)
        self.assertAwsError("LimitExceededException",
                            "UpdateShardCount cannot scale down below half your current open shard count. Current "
                            "open shard count: 6, Target shard count: 2",
                            self.k.update_shard_count, StreamName="s", TargetShardCount=2,
                            ScalingType="UNIFORM_SCALING")

    def test_update_shard_count_scaling_type(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'RANDOM'", "scalingType",
                                           "Member must satisfy enum value set: [UNIFORM_SCALING]")),
                            self.k.update_shard_count, StreamName="s", TargetShardCount=2, ScalingType="RANDOM")

    def test_update_shard_count_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", not_found("nope"), self.k.update_shard_count,
                            StreamName="nope", TargetShardCount=2, ScalingType="UNIFORM_SCALING")

    def test_resharding_an_on_demand_stream(self):
        self.k.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.assertAwsError("ValidationException", None, self.k.update_shard_count, StreamName="od",
                            TargetShardCount=5, ScalingType="UNIFORM_SCALING")
        self.assertAwsError("ValidationException", None, self.k.split_shard, StreamName="od",
                            ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**125))
        self.assertAwsError("ValidationException", None, self.k.merge_shards, StreamName="od",
                            ShardToMerge="shardId-000000000000", AdjacentShardToMerge="shardId-000000000001")


# UpdateStreamMode / UpdateStreamWarmThroughput / UpdateMaxRecordSize -----------------------

class StreamModeTest(KinesisTest):
    def mode(self, name):
        return self.k.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamModeDetails"]

    def test_switch_modes(self):
        self.create("s", 3)
        resp = self.k.update_stream_mode(StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertEqual(self.mode("s"), {"StreamMode": "ON_DEMAND"})
        self.assertEqual(self.k.describe_limits()["OnDemandStreamCount"], 1)
        self.k.update_stream_mode(StreamARN=stream_arn("s"), StreamModeDetails={"StreamMode": "PROVISIONED"})
        self.assertEqual(self.mode("s"), {"StreamMode": "PROVISIONED"})
        self.assertEqual(self.k.describe_limits()["OnDemandStreamCount"], 0)
        self.assertEqual(len(self.open_shards("s")), 3)

    def test_bad_mode(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'SOMETIMES'", "streamModeDetails.streamMode",
                                           "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")),
                            self.kv.update_stream_mode, StreamARN=stream_arn("s"),
                            StreamModeDetails={"StreamMode": "SOMETIMES"})

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", None, self.k.update_stream_mode,
                            StreamARN=stream_arn("nope"), StreamModeDetails={"StreamMode": "ON_DEMAND"})

    def test_warm_throughput_on_demand(self):
        self.k.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        resp = self.call("UpdateStreamWarmThroughput", StreamARN=stream_arn("od"), WarmThroughputMiBps=100)
        self.assertEqual(resp["StreamARN"], stream_arn("od"))
        self.assertEqual(resp["StreamName"], "od")
        self.assertEqual(resp["WarmThroughput"]["TargetMiBps"], 100)
        self.assertIsInstance(resp["WarmThroughput"]["CurrentMiBps"], int)
        self.assertEqual(self.summary("od")["WarmThroughput"]["TargetMiBps"], 100)
        resp = self.call("UpdateStreamWarmThroughput", StreamName="od", WarmThroughputMiBps=50)
        self.assertEqual(resp["WarmThroughput"]["TargetMiBps"], 50)

    def test_warm_throughput_provisioned_rejected(self):
        self.create("p")
        with self.assertRaises(ClientError) as cm:
            self.call("UpdateStreamWarmThroughput", StreamARN=stream_arn("p"), WarmThroughputMiBps=100)
        self.assertIn(cm.exception.response["Error"]["Code"], ("ValidationException", "InvalidArgumentException"))

    def test_warm_throughput_missing_stream(self):
        with self.assertRaises(ClientError) as cm:
            self.call("UpdateStreamWarmThroughput", StreamARN=stream_arn("nope"), WarmThroughputMiBps=100)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")


class MaxRecordSizeTest(KinesisTest):
    def test_larger_record_rejected_by_default(self):
        self.create("s")
        self.assertAwsError("InvalidArgumentException", None, self.put, "s", bytes(range(256)) * (6 * 1024), "k")

    def test_update_then_a_larger_record_is_accepted(self):
        self.create("s")
        data = bytes(range(256)) * (6 * 1024)  # 1.5 MiB
        self.assertRaises(ClientError, self.put, "s", data, "k")
        resp = self.call("UpdateMaxRecordSize", StreamARN=stream_arn("s"), MaxRecordSizeInKiB=2048)
        self.assertEqual({k for k in resp if k != "ResponseMetadata"}, set())
        self.assertEqual(self.summary("s")["MaxRecordSizeInKiB"], 2048)
        self.assertEqual(self.put("s", data, "k")["ShardId"], "shardId-000000000000")
        self.assertEqual(self.read_all("s")[0]["Data"], data)
        # Still bounded by the new limit.
        self.assertRaises(ClientError, self.put, "s", b"z" * (2 << 20), "k")
        resp = self.k.put_records(StreamName="s", Records=[{"Data": data, "PartitionKey": "a"}])
        self.assertEqual(resp["FailedRecordCount"], 0)

    def test_out_of_range(self):
        self.create("s")
        for value, constraint in ((1023, "Member must have value greater than or equal to 1024"),
                                  (10241, "Member must have value less than or equal to 10240")):
            with self.subTest(value=value):
                with self.assertRaises(ClientError) as cm:
                    self.raw("UpdateMaxRecordSize", StreamARN=stream_arn("s"), MaxRecordSizeInKiB=value)
                err = cm.exception.response["Error"]
                self.assertEqual(err["Code"], "ValidationException")
                self.assertEqual(err["Message"], vmessage(vpart(f"'{value}'", "maxRecordSizeInKiB", constraint)))

    def test_missing_stream(self):
        with self.assertRaises(ClientError) as cm:
            self.call("UpdateMaxRecordSize", StreamARN=stream_arn("nope"), MaxRecordSizeInKiB=2048)
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")


# Tags on streams ----------------------------------------------------------------------------

class StreamTagsTest(KinesisTest):
    def tags(self, name, **kwargs):
        return self.k.list_tags_for_stream(StreamName=name, **kwargs)

    def test_add_list_remove(self):
        self.create("s")
        resp = self.k.add_tags_to_stream(StreamName="s", Tags={"team": "data", "env": "prod", "empty": ""})
        self.assertEqual(set(resp), {"ResponseMetadata"})
        out = self.tags("s")
        self.assertIs(out["HasMoreTags"], False)
        self.assertEqual({t["Key"]: t["Value"] for t in out["Tags"]}, {"team": "data", "env": "prod", "empty": ""})
        self.k.add_tags_to_stream(StreamName="s", Tags={"env": "test"})
        self.assertEqual({t["Key"]: t["Value"] for t in self.tags("s")["Tags"]}["env"], "test")
        resp = self.k.remove_tags_from_stream(StreamName="s", TagKeys=["env", "not-there"])
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertEqual({t["Key"]: t["Value"] for t in self.tags("s")["Tags"]}, {"team": "data", "empty": ""})

    def test_pagination(self):
        self.create("s")
        self.k.add_tags_to_stream(StreamName="s", Tags={f"k{i}": f"v{i}" for i in range(5)})
        page = self.tags("s", Limit=2)
        self.assertEqual(len(page["Tags"]), 2)
        self.assertIs(page["HasMoreTags"], True)
        seen = [t["Key"] for t in page["Tags"]]
        while page["HasMoreTags"]:
            page = self.tags("s", Limit=2, ExclusiveStartTagKey=seen[-1])
            self.assertLessEqual(len(page["Tags"]), 2)
            seen += [t["Key"] for t in page["Tags"]]
        self.assertEqual(sorted(seen), [f"k{i}" for i in range(5)])
        self.assertEqual(len(seen), 5)
        self.assertEqual(self.tags("s", ExclusiveStartTagKey="k4")["Tags"], [])

    def test_invalid_characters(self):
        self.create("s")
        for key in ("semi;colon", "com,ma", "tab\there"):
            with self.subTest(key=key):
                self.assertAwsError("InvalidArgumentException",
                                    "Some tags contain invalid characters. Valid characters: Unicode letters, digits, "
                                    "white space, _ . / = + - % @.",
                                    self.k.add_tags_to_stream, StreamName="s", Tags={key: "v"})

    def test_more_than_50_tags(self):
        self.create("s")
        self.k.add_tags_to_stream(StreamName="s", Tags={f"k{i}": "v" for i in range(40)})
        self.assertAwsError("InvalidArgumentException",
                            f"Failed to add tags to stream s under account {ACCOUNT} because a given stream cannot "
                            "have more than 50 tags associated with it.",
                            self.k.add_tags_to_stream, StreamName="s", Tags={f"n{i}": "v" for i in range(11)})
        self.assertEqual(len(self.tags("s")["Tags"]), 40)
        self.k.add_tags_to_stream(StreamName="s", Tags={f"n{i}": "v" for i in range(10)})

    def test_empty_tag_map(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'{}'", "tags", "Member must have length greater than or equal to 1")),
                            self.kv.add_tags_to_stream, StreamName="s", Tags={})

    def test_tag_key_too_long(self):
        self.create("s")
        key = "a" * 129
        self.assertAwsError("ValidationException",
                            vmessage(vpart(f"'{{{key}=1}}'", "tags",
                                           "Map keys must satisfy constraint: [Member must have length less than or "
                                           "equal to 128, Member must have length greater than or equal to 1]")),
                            self.kv.add_tags_to_stream, StreamName="s", Tags={key: "1"})

    def test_tag_value_too_long(self):
        self.create("s")
        value = "v" * 257
        self.assertAwsError("ValidationException",
                            vmessage(vpart(f"'{{k={value}}}'", "tags",
                                           "Map value must satisfy constraint: [Member must have length less than or "
                                           "equal to 256, Member must have length greater than or equal to 0]")),
                            self.kv.add_tags_to_stream, StreamName="s", Tags={"k": value})

    def test_remove_with_no_keys(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'[]'", "tagKeys", "Member must have length greater than or equal to 1")),
                            self.kv.remove_tags_from_stream, StreamName="s", TagKeys=[])

    def test_list_limit_out_of_range(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'51'", "limit", "Member must have value less than or equal to 50")),
                            self.kv.list_tags_for_stream, StreamName="s", Limit=51)

    def test_missing_stream(self):
        for fn, kwargs in ((self.k.add_tags_to_stream, {"Tags": {"a": "b"}}),
                           (self.k.remove_tags_from_stream, {"TagKeys": ["a"]}),
                           (self.k.list_tags_for_stream, {})):
            with self.subTest(op=fn.__name__):
                self.assertAwsError("ResourceNotFoundException", not_found("nope"), fn, StreamName="nope", **kwargs)


# TagResource / UntagResource / ListTagsForResource ------------------------------------------

class ResourceTagsTest(KinesisTest):
    def list(self, arn):
        return {t["Key"]: t["Value"] for t in self.call("ListTagsForResource", ResourceARN=arn)["Tags"]}

    def test_stream_arn(self):
        self.create("s")
        arn = stream_arn("s")
        resp = self.call("TagResource", ResourceARN=arn, Tags={"a": "1", "b": "2"})
        self.assertEqual({k for k in resp if k != "ResponseMetadata"}, set())
        self.assertEqual(self.list(arn), {"a": "1", "b": "2"})
        # The same tags as the stream-level API.
        self.assertEqual({t["Key"]: t["Value"] for t in self.k.list_tags_for_stream(StreamName="s")["Tags"]},
                         {"a": "1", "b": "2"})
        resp = self.call("UntagResource", ResourceARN=arn, TagKeys=["a"])
        self.assertEqual({k for k in resp if k != "ResponseMetadata"}, set())
        self.assertEqual(self.list(arn), {"b": "2"})
        out = self.call("ListTagsForResource", ResourceARN=arn)
        self.assertEqual(out["Tags"], [{"Key": "b", "Value": "2"}])

    def test_consumer_arn(self):
        self.create("s")
        consumer = self.k.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="c")["Consumer"]
        arn = consumer["ConsumerARN"]
        self.call("TagResource", ResourceARN=stream_arn("s"), Tags={"stream-tag": "x"})
        self.call("TagResource", ResourceARN=arn, Tags={"owner": "me", "tier": "gold"})
        self.assertEqual(self.list(arn), {"owner": "me", "tier": "gold"})
        self.assertEqual(self.list(stream_arn("s")), {"stream-tag": "x"})
        self.call("UntagResource", ResourceARN=arn, TagKeys=["tier"])
        self.assertEqual(self.list(arn), {"owner": "me"})

    def test_consumer_tags_at_registration(self):
        self.create("s")
        consumer = self.call("RegisterStreamConsumer", StreamARN=stream_arn("s"), ConsumerName="c",
                             Tags={"k": "v"})["Consumer"]
        self.assertEqual(self.list(consumer["ConsumerARN"]), {"k": "v"})

    def test_missing_resources(self):
        for arn in (stream_arn("nope"), stream_arn("nope") + "/consumer/c:1700000000"):
            with self.subTest(arn=arn):
                for op, extra in (("TagResource", {"Tags": {"a": "b"}}), ("UntagResource", {"TagKeys": ["a"]}),
                                  ("ListTagsForResource", {})):
                    with self.assertRaises(ClientError) as cm:
                        self.call(op, ResourceARN=arn, **extra)
                    self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException", op)

    def test_missing_consumer_of_existing_stream(self):
        self.create("s")
        with self.assertRaises(ClientError) as cm:
            self.call("ListTagsForResource", ResourceARN=stream_arn("s") + "/consumer/ghost:1700000000")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_bad_resource_arn(self):
        with self.assertRaises(ClientError) as cm:
            self.call("ListTagsForResource", ResourceARN="arn:aws:sqs:us-east-1:000000000000:queue")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")

    def test_tag_limits_apply(self):
        self.create("s")
        with self.assertRaises(ClientError) as cm:
            self.call("TagResource", ResourceARN=stream_arn("s"), Tags={})
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")
        self.call("TagResource", ResourceARN=stream_arn("s"), Tags={f"k{i}": "v" for i in range(50)})
        with self.assertRaises(ClientError) as cm:
            self.call("TagResource", ResourceARN=stream_arn("s"), Tags={"one-more": "v"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidArgumentException")


# Put/Get/DeleteResourcePolicy ---------------------------------------------------------------

class ResourcePolicyTest(KinesisTest):
    POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"},
                                                                 "Action": "kinesis:GetRecords", "Resource": "*"}]})

    def test_stream_and_consumer_policies_round_trip(self):
        self.create("s")
        consumer = self.k.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="c")["Consumer"]
        for arn in (stream_arn("s"), consumer["ConsumerARN"]):
            with self.subTest(arn=arn):
                self.assertEqual(self.call("GetResourcePolicy", ResourceARN=arn)["Policy"], "{}")
                self.call("PutResourcePolicy", ResourceARN=arn, Policy=self.POLICY)
                self.assertEqual(json.loads(self.call("GetResourcePolicy", ResourceARN=arn)["Policy"]),
                                 json.loads(self.POLICY))
                self.call("DeleteResourcePolicy", ResourceARN=arn)
                self.assertEqual(self.call("GetResourcePolicy", ResourceARN=arn)["Policy"], "{}")
                with self.assertRaises(ClientError) as cm:
                    self.call("DeleteResourcePolicy", ResourceARN=arn)
                self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_bad_documents_and_missing_streams_are_refused(self):
        self.create("s")
        with self.assertRaises(ClientError) as cm:
            self.call("PutResourcePolicy", ResourceARN=stream_arn("s"), Policy="not json")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidArgumentException")
        with self.assertRaises(ClientError) as cm:
            self.call("GetResourcePolicy", ResourceARN=stream_arn("nope"))
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")


# Start/StopStreamEncryption -----------------------------------------------------------------

class EncryptionTest(KinesisTest):
    KEY = "alias/aws/kinesis"

    def test_start_and_stop(self):
        self.create("s")
        self.put("s", b"plain")
        resp = self.k.start_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId=self.KEY)
        self.assertEqual(set(resp), {"ResponseMetadata"})
        d = self.k.describe_stream(StreamName="s")["StreamDescription"]
        self.assertEqual(d["EncryptionType"], "KMS")
        self.assertEqual(d["KeyId"], self.KEY)
        s = self.k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
        self.assertEqual((s["EncryptionType"], s["KeyId"]), ("KMS", self.KEY))
        put = self.put("s", b"secret")
        self.assertEqual(put["EncryptionType"], "KMS")
        batch = self.k.put_records(StreamName="s", Records=[{"Data": b"secret2", "PartitionKey": "k"}])
        self.assertEqual(batch["EncryptionType"], "KMS")
        records = self.read_all("s")
        self.assertEqual([r["Data"] for r in records], [b"plain", b"secret", b"secret2"])
        self.assertEqual([r.get("EncryptionType") for r in records[1:]], ["KMS", "KMS"])

        resp = self.k.stop_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId=self.KEY)
        self.assertEqual(set(resp), {"ResponseMetadata"})
        d = self.k.describe_stream(StreamName="s")["StreamDescription"]
        self.assertEqual(d["EncryptionType"], "NONE")
        self.assertIsNone(d.get("KeyId"))
        self.assertEqual(self.put("s", b"plain again")["EncryptionType"], "NONE")

    def test_records_keep_the_encryption_they_were_written_with(self):
        self.create("s")
        self.put("s", b"before")
        self.k.start_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId=self.KEY)
        self.put("s", b"during")
        self.k.stop_stream_encryption(StreamName="s", EncryptionType="KMS", KeyId=self.KEY)
        self.put("s", b"after")
        records = self.read_all("s")
        self.assertEqual([r["Data"] for r in records], [b"before", b"during", b"after"])
        self.assertEqual([r.get("EncryptionType", "NONE") for r in records], ["NONE", "KMS", "NONE"])

    def test_bad_encryption_type(self):
        self.create("s")
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'AES'", "encryptionType", "Member must satisfy enum value set: [NONE, KMS]")),
                            self.kv.start_stream_encryption, StreamName="s", EncryptionType="AES", KeyId=self.KEY)

    def test_missing_stream(self):
        for fn in (self.k.start_stream_encryption, self.k.stop_stream_encryption):
            with self.subTest(op=fn.__name__):
                self.assertAwsError("ResourceNotFoundException", not_found("nope"), fn, StreamName="nope",
                                    EncryptionType="KMS", KeyId=self.KEY)


# Enable/DisableEnhancedMonitoring -----------------------------------------------------------

class EnhancedMonitoringTest(KinesisTest):
    def metrics(self, name):
        return set(self.k.describe_stream(StreamName=name)["StreamDescription"]["EnhancedMonitoring"][0]
                   ["ShardLevelMetrics"])

    def test_enable_and_disable(self):
        self.create("s")
        resp = self.call("EnableEnhancedMonitoring", _outputs=("StreamARN",), StreamName="s",
                         ShardLevelMetrics=["IncomingBytes", "OutgoingBytes"])
        self.assertEqual(resp["StreamName"], "s")
        self.assertEqual(resp["StreamARN"], stream_arn("s"))
        self.assertEqual(resp["CurrentShardLevelMetrics"], [])
        self.assertEqual(set(resp["DesiredShardLevelMetrics"]), {"IncomingBytes", "OutgoingBytes"})
        self.assertEqual(self.metrics("s"), {"IncomingBytes", "OutgoingBytes"})
        s = self.k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]
        self.assertEqual(set(s["EnhancedMonitoring"][0]["ShardLevelMetrics"]), {"IncomingBytes", "OutgoingBytes"})

        resp = self.k.disable_enhanced_monitoring(StreamName="s", ShardLevelMetrics=["IncomingBytes"])
        self.assertEqual(set(resp["CurrentShardLevelMetrics"]), {"IncomingBytes", "OutgoingBytes"})
        self.assertEqual(resp["DesiredShardLevelMetrics"], ["OutgoingBytes"])
        self.assertEqual(self.metrics("s"), {"OutgoingBytes"})

    def test_all(self):
        self.create("s")
        resp = self.k.enable_enhanced_monitoring(StreamName="s", ShardLevelMetrics=["ALL"])
        self.assertEqual(set(resp["DesiredShardLevelMetrics"]), ALL_METRICS)
        self.assertEqual(self.metrics("s"), ALL_METRICS)
        resp = self.k.disable_enhanced_monitoring(StreamName="s", ShardLevelMetrics=["ALL"])
        self.assertEqual(set(resp["CurrentShardLevelMetrics"]), ALL_METRICS)
        self.assertEqual(resp["DesiredShardLevelMetrics"], [])
        self.assertEqual(self.metrics("s"), set())

    def test_bad_metric(self):
        self.create("s")
        self.assertAwsError("ValidationException", None, self.kv.enable_enhanced_monitoring, StreamName="s",
                            ShardLevelMetrics=["Bogus"])
        self.assertAwsError("ValidationException", None, self.kv.enable_enhanced_monitoring, StreamName="s",
                            ShardLevelMetrics=[])

    def test_missing_stream(self):
        for fn in (self.k.enable_enhanced_monitoring, self.k.disable_enhanced_monitoring):
            with self.subTest(op=fn.__name__):
                self.assertAwsError("ResourceNotFoundException", not_found("nope"), fn, StreamName="nope",
                                    ShardLevelMetrics=["IncomingBytes"])


# DescribeLimits / DescribeAccountSettings / UpdateAccountSettings ---------------------------

class LimitsTest(KinesisTest):
    def test_describe_limits(self):
        resp = self.k.describe_limits()
        self.assertEqual({k: v for k, v in resp.items() if k != "ResponseMetadata"},
                         {"ShardLimit": 20000, "OpenShardCount": 0, "OnDemandStreamCount": 0,
                          "OnDemandStreamCountLimit": 50})
        self.create("p", 3)
        self.k.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.k.split_shard(StreamName="p", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**120))
        resp = self.k.describe_limits()
        self.assertEqual(resp["OpenShardCount"], 3 + 1 + 4)
        self.assertEqual(resp["OnDemandStreamCount"], 1)


class AccountSettingsTest(KinesisTest):
    # Tests run in name order: the default is observed before anything changes it.
    def test_1_describe_default(self):
        resp = self.call("DescribeAccountSettings")
        self.assertEqual(resp["MinimumThroughputBillingCommitment"]["Status"], "DISABLED")
        self.assertEqual({k for k in resp if k != "ResponseMetadata"}, {"MinimumThroughputBillingCommitment"})

    def test_2_update_is_reported_back(self):
        resp = self.call("UpdateAccountSettings", MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        self.assertEqual(resp["MinimumThroughputBillingCommitment"]["Status"], "ENABLED")
        described = self.call("DescribeAccountSettings")["MinimumThroughputBillingCommitment"]
        self.assertEqual(described["Status"], "ENABLED")

    def test_3_bad_status(self):
        with self.assertRaises(ClientError) as cm:
            self.raw("UpdateAccountSettings", MinimumThroughputBillingCommitment={"Status": "MAYBE"})
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")
        with self.assertRaises(ClientError) as cm:
            self.raw("UpdateAccountSettings")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ValidationException")


# Enhanced fan-out consumers -----------------------------------------------------------------

class ConsumersTest(KinesisTest):
    def setUp(self):
        super().setUp()
        self.create("s")
        self.arn = stream_arn("s")

    def test_register_describe_list_deregister(self):
        before = time.time()
        c = self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName="reader")["Consumer"]
        self.assertEqual(set(c), {"ConsumerName", "ConsumerARN", "ConsumerStatus", "ConsumerCreationTimestamp"})
        self.assertEqual(c["ConsumerName"], "reader")
        self.assertRegex(c["ConsumerARN"], rf"^{re.escape(self.arn)}/consumer/reader:\d+$")
        created = int(c["ConsumerARN"].rsplit(":", 1)[1])
        self.assertLessEqual(abs(created - before), 2)
        self.assertIn(c["ConsumerStatus"], ("CREATING", "ACTIVE"))
        self.assertNearTimestamp(c["ConsumerCreationTimestamp"])

        by_arn = self.k.describe_stream_consumer(ConsumerARN=c["ConsumerARN"])["ConsumerDescription"]
        by_name = self.k.describe_stream_consumer(StreamARN=self.arn, ConsumerName="reader")["ConsumerDescription"]
        self.assertEqual(by_arn, by_name)
        self.assertEqual(set(by_arn), {"ConsumerName", "ConsumerARN", "ConsumerStatus", "ConsumerCreationTimestamp",
                                       "StreamARN"})
        self.assertEqual(by_arn["StreamARN"], self.arn)
        self.assertEqual(by_arn["ConsumerARN"], c["ConsumerARN"])
        self.assertEqual(by_arn["ConsumerStatus"], "ACTIVE")

        listed = self.k.list_stream_consumers(StreamARN=self.arn)
        self.assertNotIn("NextToken", listed)
        self.assertEqual(len(listed["Consumers"]), 1)
        self.assertEqual(listed["Consumers"][0]["ConsumerARN"], c["ConsumerARN"])
        self.assertEqual(set(listed["Consumers"][0]),
                         {"ConsumerName", "ConsumerARN", "ConsumerStatus", "ConsumerCreationTimestamp"})

        resp = self.k.deregister_stream_consumer(ConsumerARN=c["ConsumerARN"])
        self.assertEqual(set(resp), {"ResponseMetadata"})
        self.assertEqual(self.k.list_stream_consumers(StreamARN=self.arn)["Consumers"], [])
        self.assertAwsError("ResourceNotFoundException", None, self.k.describe_stream_consumer,
                            ConsumerARN=c["ConsumerARN"])

    def test_deregister_by_stream_arn_and_name(self):
        self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName="reader")
        self.k.deregister_stream_consumer(StreamARN=self.arn, ConsumerName="reader")
        self.assertEqual(self.k.list_stream_consumers(StreamARN=self.arn)["Consumers"], [])

    def test_list_pagination(self):
        for i in range(5):
            self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName=f"c{i}")
        names, token, pages = [], None, 0
        while True:
            kwargs = {"NextToken": token} if token else {}
            resp = self.k.list_stream_consumers(StreamARN=self.arn, MaxResults=2, **kwargs)
            pages += 1
            names += [c["ConsumerName"] for c in resp["Consumers"]]
            token = resp.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, 3)
        self.assertEqual(sorted(names), [f"c{i}" for i in range(5)])
        self.assertEqual(self.k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["ConsumerCount"], 5)

    def test_duplicate_name(self):
        self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName="reader")
        self.assertAwsError("ResourceInUseException", None, self.k.register_stream_consumer, StreamARN=self.arn,
                            ConsumerName="reader")

    def test_twenty_consumers_per_stream(self):
        for i in range(20):
            self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName=f"c{i}")
        self.assertAwsError("LimitExceededException", None, self.k.register_stream_consumer, StreamARN=self.arn,
                            ConsumerName="c20")

    def test_reregistering_gives_a_new_arn(self):
        first = self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName="r")["Consumer"]["ConsumerARN"]
        self.k.deregister_stream_consumer(ConsumerARN=first)
        time.sleep(1.05)
        second = self.k.register_stream_consumer(StreamARN=self.arn, ConsumerName="r")["Consumer"]["ConsumerARN"]
        self.assertNotEqual(first, second)
        self.assertAwsError("ResourceNotFoundException", None, self.k.describe_stream_consumer, ConsumerARN=first)

    def test_missing_stream(self):
        self.assertAwsError("ResourceNotFoundException", None, self.k.register_stream_consumer,
                            StreamARN=stream_arn("nope"), ConsumerName="c")
        self.assertAwsError("ResourceNotFoundException", None, self.k.list_stream_consumers,
                            StreamARN=stream_arn("nope"))

    def test_missing_consumer(self):
        self.assertAwsError("ResourceNotFoundException", None, self.k.describe_stream_consumer, StreamARN=self.arn,
                            ConsumerName="ghost")
        self.assertAwsError("ResourceNotFoundException", None, self.k.deregister_stream_consumer,
                            ConsumerARN=self.arn + "/consumer/ghost:1700000000")

    def test_neither_arn_nor_name(self):
        self.assertAwsError("InvalidArgumentException", None, self.k.describe_stream_consumer)
        self.assertAwsError("InvalidArgumentException", None, self.k.deregister_stream_consumer)
        self.assertAwsError("InvalidArgumentException", None, self.k.describe_stream_consumer, ConsumerName="x")

    def test_bad_consumer_name(self):
        self.assertAwsError("ValidationException",
                            vmessage(vpart("'a b'", "consumerName",
                                           f"Member must satisfy regular expression pattern: {NAME_PATTERN}")),
                            self.k.register_stream_consumer, StreamARN=self.arn, ConsumerName="a b")


# StreamARN in place of StreamName -----------------------------------------------------------

class StreamArnTest(KinesisTest):
    def setUp(self):
        super().setUp()
        self.create("s", 2)
        self.arn = stream_arn("s")

    def test_describe_operations(self):
        d = self.call("DescribeStream", StreamARN=self.arn)["StreamDescription"]
        self.assertEqual((d["StreamName"], len(d["Shards"])), ("s", 2))
        s = self.call("DescribeStreamSummary", StreamARN=self.arn)["StreamDescriptionSummary"]
        self.assertEqual((s["StreamName"], s["OpenShardCount"]), ("s", 2))
        shards = self.call("ListShards", StreamARN=self.arn)["Shards"]
        self.assertEqual(len(shards), 2)
        token = self.call("ListShards", StreamARN=self.arn, MaxResults=1)["NextToken"]
        self.assertEqual(len(self.call("ListShards", NextToken=token)["Shards"]), 1)

    def test_data_operations(self):
        put = self.call("PutRecord", StreamARN=self.arn, Data=b"one", PartitionKey="k", ExplicitHashKey="0")
        self.assertEqual(put["ShardId"], "shardId-000000000000")
        batch = self.call("PutRecords", StreamARN=self.arn,
                          Records=[{"Data": b"two", "PartitionKey": "k", "ExplicitHashKey": "0"}])
        self.assertEqual(batch["FailedRecordCount"], 0)
        it = self.call("GetShardIterator", StreamARN=self.arn, ShardId="shardId-000000000000",
                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = self.call("GetRecords", ShardIterator=it, StreamARN=self.arn)["Records"]
        self.assertEqual([data_of(r) for r in records], [b"one", b"two"])

    def test_both_name_and_arn(self):
        d = self.call("DescribeStreamSummary", StreamName="s", StreamARN=self.arn)["StreamDescriptionSummary"]
        self.assertEqual(d["StreamName"], "s")
        self.create("t")
        with self.assertRaises(ClientError) as cm:
            self.call("DescribeStreamSummary", StreamName="t", StreamARN=self.arn)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidArgumentException")

    def test_retention_tags_monitoring_encryption(self):
        self.call("IncreaseStreamRetentionPeriod", StreamARN=self.arn, RetentionPeriodHours=48)
        self.call("DecreaseStreamRetentionPeriod", StreamARN=self.arn, RetentionPeriodHours=36)
        self.assertEqual(self.summary("s")["RetentionPeriodHours"], 36)
        self.call("AddTagsToStream", StreamARN=self.arn, Tags={"a": "1", "b": "2"})
        self.call("RemoveTagsFromStream", StreamARN=self.arn, TagKeys=["a"])
        tags = self.call("ListTagsForStream", StreamARN=self.arn)["Tags"]
        self.assertEqual(tags, [{"Key": "b", "Value": "2"}])
        on = self.call("EnableEnhancedMonitoring", StreamARN=self.arn, ShardLevelMetrics=["IncomingRecords"])
        self.assertEqual(on["DesiredShardLevelMetrics"], ["IncomingRecords"])
        off = self.call("DisableEnhancedMonitoring", StreamARN=self.arn, ShardLevelMetrics=["IncomingRecords"])
        self.assertEqual(off["DesiredShardLevelMetrics"], [])
        self.call("StartStreamEncryption", StreamARN=self.arn, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        self.assertEqual(self.summary("s")["EncryptionType"], "KMS")
        self.call("StopStreamEncryption", StreamARN=self.arn, EncryptionType="KMS", KeyId="alias/aws/kinesis")
        self.assertEqual(self.summary("s")["EncryptionType"], "NONE")

    def test_resharding(self):
        self.call("SplitShard", StreamARN=self.arn, ShardToSplit="shardId-000000000000",
                  NewStartingHashKey=str(2**126))
        self.call("MergeShards", StreamARN=self.arn, ShardToMerge="shardId-000000000002",
                  AdjacentShardToMerge="shardId-000000000003")
        resp = self.call("UpdateShardCount", StreamARN=self.arn, TargetShardCount=4, ScalingType="UNIFORM_SCALING")
        self.assertEqual((resp["StreamName"], resp["CurrentShardCount"], resp["TargetShardCount"]), ("s", 2, 4))
        self.assertEqual(len(self.open_shards("s")), 4)

    def test_mode_and_record_size_and_consumers_and_delete(self):
        self.call("UpdateStreamMode", StreamARN=self.arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})
        self.call("UpdateStreamWarmThroughput", StreamARN=self.arn, WarmThroughputMiBps=10)
        self.call("UpdateMaxRecordSize", StreamARN=self.arn, MaxRecordSizeInKiB=3072)
        self.assertEqual(self.summary("s")["MaxRecordSizeInKiB"], 3072)
        self.call("RegisterStreamConsumer", StreamARN=self.arn, ConsumerName="c")
        self.assertEqual(len(self.call("ListStreamConsumers", StreamARN=self.arn)["Consumers"]), 1)
        self.call("DeleteStream", StreamARN=self.arn, EnforceConsumerDeletion=True)
        self.assertAwsError("ResourceNotFoundException", not_found("s"), self.k.describe_stream, StreamName="s")

    def test_malformed_arn(self):
        bad = f"arn:aws:kinesis:{REGION}:{ACCOUNT}:table/s"
        with self.assertRaises(ClientError) as cm:
            self.call("DescribeStreamSummary", StreamARN=bad)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], "ValidationException")
        self.assertEqual(err["Message"], vmessage(vpart(f"'{bad}'", "streamARN",
                                                        f"Member must satisfy regular expression pattern: "
                                                        f"{ARN_PATTERN}")))

    def test_arn_of_a_missing_stream(self):
        for arn in (stream_arn("nope"), stream_arn("s", account="111111111111"), stream_arn("s", region="eu-west-1")):
            with self.subTest(arn=arn):
                with self.assertRaises(ClientError) as cm:
                    self.call("DescribeStreamSummary", StreamARN=arn)
                self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_neither_name_nor_arn(self):
        with self.assertRaises(ClientError) as cm:
            self.raw("DescribeStreamSummary")
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidArgumentException")


# SubscribeToShard (enhanced fan-out over an event stream) ---------------------------------

def skip_without_subscribe_to_shard(test):
    """Skips when the running build answers SubscribeToShard with UnknownOperationException."""
    try:
        test.kv.subscribe_to_shard(ConsumerARN=stream_arn("probe") + "/consumer/probe:1700000000",
                                   ShardId="shardId-000000000000", StartingPosition={"Type": "LATEST"})
    except ClientError as e:
        if e.response["Error"]["Code"] == "UnknownOperationException":
            test.skipTest("this streamlab build does not implement SubscribeToShard")


class SubscribeToShardTest(KinesisTest):
    def setUp(self):
        super().setUp()
        skip_without_subscribe_to_shard(self)
        self.create("s")
        self.consumer = self.k.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="efo")["Consumer"]
        # A short read timeout: a subscription that stops sending fails the test instead of hanging it.
        self.ks = boto3.client("kinesis", endpoint_url=self.server.endpoint, region_name=REGION,
                               aws_access_key_id="test", aws_secret_access_key="test",
                               config=Config(retries={"mode": "standard", "total_max_attempts": 1},
                                             read_timeout=15, connect_timeout=5))

    def subscribe(self, shard_id="shardId-000000000000", **position):
        return self.ks.subscribe_to_shard(ConsumerARN=self.consumer["ConsumerARN"], ShardId=shard_id,
                                          StartingPosition=position)["EventStream"]

    def collect(self, events, want, max_events=10):
        """Reads events until `want` records have arrived; returns (records, events)."""
        records, seen = [], []
        for ev in events:
            self.assertEqual(set(ev), {"SubscribeToShardEvent"})
            e = ev["SubscribeToShardEvent"]
            seen.append(e)
            self.assertIsInstance(e["Records"], list)
            self.assertRegex(e["ContinuationSequenceNumber"], r"^\d+$")
            self.assertIsInstance(e["MillisBehindLatest"], int)
            if e["Records"]:  # resuming AFTER the continuation number must not skip or repeat records
                self.assertGreaterEqual(int(e["ContinuationSequenceNumber"]), int(e["Records"][-1]["SequenceNumber"]))
            records += e["Records"]
            if len(records) >= want or len(seen) >= max_events or e.get("ChildShards"):
                break
        return records, seen

    def test_records_from_trim_horizon_then_live(self):
        puts = [self.put("s", f"r{i}".encode(), f"key-{i}") for i in range(3)]
        events = self.subscribe(Type="TRIM_HORIZON")
        try:
            records, _ = self.collect(events, 3)
            self.assertEqual([r["Data"] for r in records], [b"r0", b"r1", b"r2"])
            self.assertEqual([r["SequenceNumber"] for r in records], [p["SequenceNumber"] for p in puts])
            self.assertEqual([r["PartitionKey"] for r in records], ["key-0", "key-1", "key-2"])
            self.assertNearTimestamp(records[0]["ApproximateArrivalTimestamp"])
            live = self.put("s", b"live")
            records, _ = self.collect(events, 1)
            self.assertEqual([(r["Data"], r["SequenceNumber"]) for r in records], [(b"live", live["SequenceNumber"])])
        finally:
            events.close()

    def test_after_sequence_number(self):
        first = self.put("s", b"a")
        self.put("s", b"b")
        events = self.subscribe(Type="AFTER_SEQUENCE_NUMBER", SequenceNumber=first["SequenceNumber"])
        try:
            records, _ = self.collect(events, 1)
            self.assertEqual([r["Data"] for r in records], [b"b"])
        finally:
            events.close()

    def test_second_subscription_is_refused(self):
        events = self.subscribe(Type="LATEST")
        try:
            self.assertAwsError("ResourceInUseException",
                                re.compile(r"^Another active subscription exists for this consumer"),
                                self.ks.subscribe_to_shard, ConsumerARN=self.consumer["ConsumerARN"],
                                ShardId="shardId-000000000000", StartingPosition={"Type": "LATEST"})
        finally:
            events.close()

    def test_closed_shard_ends_with_child_shards(self):
        self.put("s", b"old")
        self.k.split_shard(StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**127))
        events = self.subscribe(Type="TRIM_HORIZON")
        try:
            records, seen = self.collect(events, 99)
            self.assertEqual([r["Data"] for r in records], [b"old"])
            children = sorted(seen[-1]["ChildShards"], key=lambda c: c["ShardId"])
            self.assertEqual([(c["ShardId"], c["ParentShards"]) for c in children],
                             [("shardId-000000000001", ["shardId-000000000000"]),
                              ("shardId-000000000002", ["shardId-000000000000"])])
        finally:
            events.close()

    def test_missing_consumer(self):
        self.assertAwsError("ResourceNotFoundException", None, self.ks.subscribe_to_shard,
                            ConsumerARN=stream_arn("s") + "/consumer/ghost:1700000000",
                            ShardId="shardId-000000000000", StartingPosition={"Type": "LATEST"})


# Stream states: CREATING -> ACTIVE, UPDATING, DELETING (server with a 300 ms state delay) ----

class StreamStatesTest(KinesisTest):
    server_args = ("--state-delay-ms", "300", "--throttle", "off")

    def wait_active(self, name):
        self.k.get_waiter("stream_exists").wait(StreamName=name, WaiterConfig={"Delay": 0.05, "MaxAttempts": 100})

    def test_stream_exists_waiter(self):
        start = time.time()
        self.k.create_stream(StreamName="slow", ShardCount=2)
        d = self.k.describe_stream(StreamName="slow")["StreamDescription"]
        self.assertEqual(d["StreamStatus"], "CREATING")
        self.assertEqual(self.k.describe_stream_summary(StreamName="slow")
                         ["StreamDescriptionSummary"]["StreamStatus"], "CREATING")
        summaries = self.call("ListStreams", _outputs=("StreamSummaries",))["StreamSummaries"]
        self.assertEqual([s["StreamStatus"] for s in summaries], ["CREATING"])
        self.wait_active("slow")
        self.assertGreaterEqual(time.time() - start, 0.25)
        d = self.k.describe_stream(StreamName="slow")["StreamDescription"]
        self.assertEqual(d["StreamStatus"], "ACTIVE")
        self.assertEqual(len(d["Shards"]), 2)

    def test_creating_stream_lists_no_shards(self):
        self.k.create_stream(StreamName="slow", ShardCount=2)
        d = self.k.describe_stream(StreamName="slow")["StreamDescription"]
        self.assertEqual(d["StreamStatus"], "CREATING")
        self.assertEqual(d["Shards"], [])  # aws_errors.md §1 (KL, H)
        self.assertIs(d["HasMoreShards"], False)

    def test_writes_to_a_creating_stream_fail(self):
        self.k.create_stream(StreamName="slow", ShardCount=1)
        msg = f"Stream slow under account {ACCOUNT} not ACTIVE or UPDATING, instead in state CREATING"
        self.assertAwsError("ResourceInUseException", msg, self.put, "slow")
        self.assertAwsError("ResourceInUseException", msg, self.k.put_records, StreamName="slow",
                            Records=[{"Data": b"x", "PartitionKey": "k"}])
        self.assertAwsError("ResourceInUseException", msg, self.k.get_shard_iterator, StreamName="slow",
                            ShardId="shardId-000000000000", ShardIteratorType="LATEST")
        self.wait_active("slow")
        self.assertEqual(self.put("slow")["ShardId"], "shardId-000000000000")

    def test_register_consumer_while_creating(self):
        self.k.create_stream(StreamName="slow", ShardCount=1)
        self.assertAwsError("ResourceInUseException",
                            f"Stream slow under account {ACCOUNT} not ACTIVE or UPDATING, instead in state CREATING",
                            self.k.register_stream_consumer, StreamARN=stream_arn("slow"), ConsumerName="c")

    def test_subscribe_to_a_creating_consumer(self):
        skip_without_subscribe_to_shard(self)
        self.k.create_stream(StreamName="s", ShardCount=1)
        self.wait_active("s")
        c = self.k.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="c")["Consumer"]
        epoch = c["ConsumerARN"].rsplit(":", 1)[1]
        self.assertAwsError("ResourceInUseException",
                            f"Consumer c with creation timestamp {epoch} under stream: s , account {ACCOUNT} is not "
                            "in ACTIVE status.",
                            self.k.subscribe_to_shard, ConsumerARN=c["ConsumerARN"], ShardId="shardId-000000000000",
                            StartingPosition={"Type": "LATEST"})

    def test_consumer_creating_then_active(self):
        self.k.create_stream(StreamName="s", ShardCount=1)
        self.wait_active("s")
        c = self.k.register_stream_consumer(StreamARN=stream_arn("s"), ConsumerName="c")["Consumer"]
        self.assertEqual(c["ConsumerStatus"], "CREATING")
        time.sleep(0.4)
        d = self.k.describe_stream_consumer(ConsumerARN=c["ConsumerARN"])["ConsumerDescription"]
        self.assertEqual(d["ConsumerStatus"], "ACTIVE")

    def test_updating_stream_accepts_writes_but_not_resharding(self):
        self.k.create_stream(StreamName="s", ShardCount=2)
        self.wait_active("s")
        self.k.split_shard(StreamName="s", ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2**126))
        self.assertEqual(self.k.describe_stream_summary(StreamName="s")["StreamDescriptionSummary"]["StreamStatus"],
                         "UPDATING")
        self.assertIn("ShardId", self.put("s"))
        self.assertAwsError("ResourceInUseException",
                            f"Stream s under account {ACCOUNT} not ACTIVE, instead in state UPDATING",
                            self.k.split_shard, StreamName="s", ShardToSplit="shardId-000000000001",
                            NewStartingHashKey=str(2**127 + 5))
        self.assertAwsError("ResourceInUseException",
                            f"Stream s under account {ACCOUNT} not ACTIVE, instead in state UPDATING",
                            self.k.merge_shards, StreamName="s", ShardToMerge="shardId-000000000002",
                            AdjacentShardToMerge="shardId-000000000003")
        self.wait_active("s")
        self.k.merge_shards(StreamName="s", ShardToMerge="shardId-000000000002",
                            AdjacentShardToMerge="shardId-000000000003")

    def test_delete_while_creating_and_not_exists_waiter(self):
        self.k.create_stream(StreamName="slow", ShardCount=1)
        self.k.delete_stream(StreamName="slow")
        self.assertEqual(self.k.describe_stream(StreamName="slow")["StreamDescription"]["StreamStatus"], "DELETING")
        self.k.get_waiter("stream_not_exists").wait(StreamName="slow", WaiterConfig={"Delay": 0.05, "MaxAttempts": 100})
        self.assertAwsError("ResourceNotFoundException", not_found("slow"), self.k.describe_stream, StreamName="slow")

    def test_duplicate_while_creating(self):
        self.k.create_stream(StreamName="slow", ShardCount=1)
        self.assertAwsError("ResourceInUseException", f"Stream slow under account {ACCOUNT} already exists.",
                            self.k.create_stream, StreamName="slow", ShardCount=1)


# Protocol-level behaviour shared by every operation ----------------------------------------

class ProtocolTest(KinesisTest):
    def post(self, target, body, content_type="application/x-amz-json-1.1"):
        req = AWSRequest(method="POST", url=self.server.endpoint + "/", data=body,
                         headers={"Content-Type": content_type, "X-Amz-Target": target})
        SigV4Auth(Credentials("test", "test"), "kinesis", REGION).add_auth(req)
        r = urllib.request.Request(self.server.endpoint + "/", data=body, headers=dict(req.headers.items()),
                                   method="POST")
        try:
            with urllib.request.urlopen(r, timeout=10) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def test_unknown_operation(self):
        status, _, body = self.post(f"{TARGET_PREFIX}.Bogus", b"{}")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"__type": "UnknownOperationException"})

    def test_body_that_is_not_json(self):
        status, _, body = self.post(f"{TARGET_PREFIX}.ListStreams", b"hello")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"__type": "SerializationException"})

    def test_wrong_json_type(self):
        status, _, body = self.post(f"{TARGET_PREFIX}.CreateStream", b'{"StreamName":"s","ShardCount":"two"}')
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"__type": "SerializationException",
                                            "Message": "class java.lang.String can not be converted to an Integer"})

    def test_bad_base64_data(self):
        self.create("s")
        status, _, body = self.post(f"{TARGET_PREFIX}.PutRecord", b'{"StreamName":"s","PartitionKey":"k","Data":"23456"}')
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"__type": "SerializationException",
                                            "Message": "'23456' can not be converted to a Blob: Base64 encoded length "
                                                       "is expected a multiple of 4 bytes but found: 5"})

    def test_success_headers(self):
        status, headers, body = self.post(f"{TARGET_PREFIX}.ListStreams", b"{}")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/x-amz-json-1.1")
        self.assertRegex(headers["x-amzn-RequestId"], r"^[0-9a-f-]{36}$")

    def test_create_stream_success_has_an_empty_body(self):
        status, _, body = self.post(f"{TARGET_PREFIX}.CreateStream", b'{"StreamName":"s","ShardCount":1}')
        self.assertEqual(status, 200)
        self.assertEqual(body, b"")


if __name__ == "__main__":
    unittest.main()
