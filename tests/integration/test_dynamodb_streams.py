"""DynamoDB Streams through boto3: ListStreams, DescribeStream, GetShardIterator, GetRecords with
AWS's record format and every StreamViewType, no MODIFY for a write that changes nothing, stream
off/on with a new label, TTL expiry as REMOVE records from the service, and a change-data-capture
flow: 10,000 random puts, updates and deletes whose replayed stream rebuilds the table exactly."""
import concurrent.futures
import random
import time
import unittest

from botocore.exceptions import ClientError

import harness
from test_dynamodb_tables import DynamoTest, hash_table, range_table


def read_all(streams, arn, shard_type="TRIM_HORIZON"):
    """Every record of a stream, parents before children, following NextShardIterator."""
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    records = []
    for shard in shards:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                        ShardIteratorType=shard_type)["ShardIterator"]
        while it:
            r = streams.get_records(ShardIterator=it, Limit=1000)
            records += r["Records"]
            if not r["Records"]:
                break
            it = r.get("NextShardIterator")
    return records


def key_of(record):
    return tuple(sorted((k, tuple(v.items())) for k, v in record["dynamodb"]["Keys"].items()))


def replay(records):
    table = {}
    for r in records:
        k = key_of(r)
        if r["eventName"] == "REMOVE":
            table.pop(k, None)
        else:
            table[k] = r["dynamodb"]["NewImage"]
    return table


class Streams(DynamoTest):
    def setUp(self):
        super().setUp()
        self.streams = self.server.client("dynamodbstreams")

    def stream_of(self, table):
        return self.ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]

    def test_list_and_describe(self):
        range_table(self.ddb, "st-a", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        hash_table(self.ddb, "st-b", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        hash_table(self.ddb, "st-c")
        listed = self.streams.list_streams()["Streams"]
        self.assertEqual(sorted(s["TableName"] for s in listed), ["st-a", "st-b"])
        self.assertEqual([s["TableName"] for s in self.streams.list_streams(TableName="st-a")["Streams"]], ["st-a"])
        page = self.streams.list_streams(Limit=1)
        self.assertEqual(len(page["Streams"]), 1)
        rest = self.streams.list_streams(ExclusiveStartStreamArn=page["LastEvaluatedStreamArn"])["Streams"]
        self.assertEqual(len(rest), 1)
        arn = self.stream_of("st-a")
        desc = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(desc["StreamArn"], arn)
        self.assertEqual(desc["StreamStatus"], "ENABLED")
        self.assertEqual(desc["StreamViewType"], "NEW_IMAGE")
        self.assertEqual(desc["TableName"], "st-a")
        self.assertEqual(desc["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                             {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(desc["StreamLabel"], arn.split("/stream/")[1])
        shard = desc["Shards"][0]
        self.assertRegex(shard["ShardId"], r"^shardId-\d{20}-[0-9a-f]{8}$")
        self.assertNotIn("EndingSequenceNumber", shard["SequenceNumberRange"])
        with self.assertRaises(ClientError) as ctx:
            self.streams.describe_stream(StreamArn=arn.replace("st-a", "st-z"))
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_record_format_and_view_types(self):
        for view in ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]:
            name = "view-" + view.lower().replace("_", "-")
            hash_table(self.ddb, name, StreamSpecification={"StreamEnabled": True, "StreamViewType": view})
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "1"}})
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "v": {"N": "2"}})
            self.ddb.delete_item(TableName=name, Key={"pk": {"S": "k"}})
            records = read_all(self.streams, self.stream_of(name))
            self.assertEqual([r["eventName"] for r in records], ["INSERT", "MODIFY", "REMOVE"])
            for r in records:
                self.assertEqual(r["eventVersion"], "1.1")
                self.assertEqual(r["eventSource"], "aws:dynamodb")
                self.assertEqual(r["awsRegion"], "us-east-1")
                self.assertRegex(r["eventID"], r"^[0-9a-f]{32}$")
                d = r["dynamodb"]
                self.assertEqual(d["Keys"], {"pk": {"S": "k"}})
                self.assertEqual(d["StreamViewType"], view)
                self.assertGreater(d["SizeBytes"], 0)
                self.assertIn("ApproximateCreationDateTime", d)
                self.assertRegex(d["SequenceNumber"], r"^\d{21,40}$")
            new = [r["dynamodb"].get("NewImage") for r in records]
            old = [r["dynamodb"].get("OldImage") for r in records]
            if view in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES"):
                self.assertEqual(new, [{"pk": {"S": "k"}, "v": {"N": "1"}}, {"pk": {"S": "k"}, "v": {"N": "2"}}, None])
            else:
                self.assertEqual(new, [None, None, None])
            if view in ("OLD_IMAGE", "NEW_AND_OLD_IMAGES"):
                self.assertEqual(old, [None, {"pk": {"S": "k"}, "v": {"N": "1"}}, {"pk": {"S": "k"}, "v": {"N": "2"}}])
            else:
                self.assertEqual(old, [None, None, None])
            seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
            self.assertEqual(seqs, sorted(seqs))

    def test_no_record_for_a_write_that_changes_nothing(self):
        hash_table(self.ddb, "noop", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        item = {"pk": {"S": "k"}, "v": {"N": "1"}, "s": {"SS": ["a", "b"]}}
        self.ddb.put_item(TableName="noop", Item=item)
        self.ddb.put_item(TableName="noop", Item={**item, "v": {"N": "1.0"}, "s": {"SS": ["b", "a"]}})
        self.ddb.update_item(TableName="noop", Key={"pk": {"S": "k"}}, UpdateExpression="SET v = :v",
                             ExpressionAttributeValues={":v": {"N": "1"}})
        self.ddb.delete_item(TableName="noop", Key={"pk": {"S": "missing"}})
        with self.assertRaises(ClientError):
            self.ddb.put_item(TableName="noop", Item=item, ConditionExpression="attribute_not_exists(pk)")
        self.assertEqual([r["eventName"] for r in read_all(self.streams, self.stream_of("noop"))], ["INSERT"])

    def test_iterators(self):
        hash_table(self.ddb, "iters", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        arn = self.stream_of("iters")
        shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        latest = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        for i in range(5):
            self.ddb.put_item(TableName="iters", Item={"pk": {"S": f"k{i}"}})
        r = self.streams.get_records(ShardIterator=latest, Limit=2)
        self.assertEqual([x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]], ["k0", "k1"])
        r = self.streams.get_records(ShardIterator=r["NextShardIterator"])
        self.assertEqual([x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]], ["k2", "k3", "k4"])
        third = r["Records"][0]["dynamodb"]["SequenceNumber"]
        at = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                             SequenceNumber=third)["ShardIterator"]
        self.assertEqual(self.streams.get_records(ShardIterator=at)["Records"][0]["dynamodb"]["Keys"]["pk"]["S"], "k2")
        after = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                                SequenceNumber=third)["ShardIterator"]
        self.assertEqual(self.streams.get_records(ShardIterator=after)["Records"][0]["dynamodb"]["Keys"]["pk"]["S"], "k3")
        # An empty read of an open shard still hands out a next iterator.
        r = self.streams.get_records(ShardIterator=self.streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"])
        self.assertEqual(r["Records"], [])
        self.assertIn("NextShardIterator", r)
        for bad in [dict(ShardId="shardId-00000000000000000000-0000ffff", ShardIteratorType="LATEST")]:
            with self.assertRaises(ClientError) as ctx:
                self.streams.get_shard_iterator(StreamArn=arn, **bad)
            self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")
        with self.assertRaises(ClientError) as ctx:
            self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")
        with self.assertRaises(ClientError) as ctx:
            self.streams.get_records(ShardIterator=arn + "|1|bm90IGFuIGl0ZXJhdG9y")
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ValidationException")

    def test_disable_closes_the_stream_and_reenable_starts_a_new_one(self):
        hash_table(self.ddb, "toggle", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        first = self.stream_of("toggle")
        self.ddb.put_item(TableName="toggle", Item={"pk": {"S": "a"}})
        self.ddb.update_table(TableName="toggle", StreamSpecification={"StreamEnabled": False})
        self.ddb.put_item(TableName="toggle", Item={"pk": {"S": "b"}})  # not streamed
        desc = self.streams.describe_stream(StreamArn=first)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "DISABLED")
        self.assertIn("EndingSequenceNumber", desc["Shards"][0]["SequenceNumberRange"])
        shard = desc["Shards"][0]["ShardId"]
        it = self.streams.get_shard_iterator(StreamArn=first, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        r = self.streams.get_records(ShardIterator=it)
        self.assertEqual([x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]], ["a"])
        self.assertNotIn("NextShardIterator", r)  # a closed shard read to its end
        self.ddb.update_table(TableName="toggle", StreamSpecification={"StreamEnabled": True,
                                                                         "StreamViewType": "NEW_IMAGE"})
        second = self.stream_of("toggle")
        self.assertNotEqual(first, second)
        self.ddb.put_item(TableName="toggle", Item={"pk": {"S": "c"}})
        self.assertEqual([x["dynamodb"]["Keys"]["pk"]["S"] for x in read_all(self.streams, second)], ["c"])

    def test_deleted_table_keeps_its_stream_readable(self):
        hash_table(self.ddb, "gone", StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        arn = self.stream_of("gone")
        self.ddb.put_item(TableName="gone", Item={"pk": {"S": "a"}})
        self.ddb.delete_table(TableName="gone")
        desc = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "DISABLED")
        self.assertEqual(len(read_all(self.streams, arn)), 1)


class TimeToLive(DynamoTest):
    def test_expired_items_are_removed_by_the_service(self):
        hash_table(self.ddb, "sessions", StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"})
        self.ddb.update_time_to_live(TableName="sessions", TimeToLiveSpecification={"Enabled": True,
                                                                                     "AttributeName": "exp"})
        now = int(time.time())
        self.ddb.put_item(TableName="sessions", Item={"pk": {"S": "old"}, "exp": {"N": str(now - 10)}})
        self.ddb.put_item(TableName="sessions", Item={"pk": {"S": "new"}, "exp": {"N": str(now + 3600)}})
        self.ddb.put_item(TableName="sessions", Item={"pk": {"S": "none"}})
        self.ddb.put_item(TableName="sessions", Item={"pk": {"S": "text"}, "exp": {"S": "yesterday"}})
        self.ddb.put_item(TableName="sessions", Item={"pk": {"S": "ancient"}, "exp": {"N": str(now - 6 * 366 * 86400)}})
        deadline = time.time() + 15
        while time.time() < deadline and "Item" in self.ddb.get_item(TableName="sessions", Key={"pk": {"S": "old"}}):
            time.sleep(0.2)
        self.assertNotIn("Item", self.ddb.get_item(TableName="sessions", Key={"pk": {"S": "old"}}))
        left = sorted(i["pk"]["S"] for i in self.ddb.scan(TableName="sessions")["Items"])
        self.assertEqual(left, ["ancient", "new", "none", "text"])
        streams = self.server.client("dynamodbstreams")
        arn = self.ddb.describe_table(TableName="sessions")["Table"]["LatestStreamArn"]
        removes = [r for r in read_all(streams, arn) if r["eventName"] == "REMOVE"]
        self.assertEqual(len(removes), 1)
        self.assertEqual(removes[0]["userIdentity"], {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"})
        self.assertEqual(removes[0]["dynamodb"]["OldImage"]["pk"], {"S": "old"})


class ChangeDataCapture(harness.ServerTest):
    server_args = ("--state-delay-ms", "0", "--throttle", "off")

    def test_replaying_the_stream_rebuilds_the_table(self):
        ddb = self.server.client("dynamodb")
        streams = self.server.client("dynamodbstreams")
        range_table(ddb, "cdc", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        rng = random.Random(42)
        plan = []
        for i in range(10000):
            pk, sk = f"user-{rng.randrange(40)}", str(rng.randrange(25))
            plan.append((rng.random(), pk, sk, i))

        def run(chunk):
            client = self.server.client("dynamodb")
            for roll, pk, sk, i in chunk:
                key = {"pk": {"S": pk}, "sk": {"N": sk}}
                if roll < 0.5:
                    client.put_item(TableName="cdc", Item={**key, "n": {"N": str(i)}, "tag": {"SS": [f"t{i % 7}"]}})
                elif roll < 0.8:
                    client.update_item(TableName="cdc", Key=key, UpdateExpression="ADD n :one SET seen = :i",
                                       ExpressionAttributeValues={":one": {"N": "1"}, ":i": {"N": str(i)}})
                else:
                    client.delete_item(TableName="cdc", Key=key)

        # Eight writers on disjoint keys: per-key order is each writer's order.
        chunks = [[p for p in plan if int(p[1].split("-")[1]) % 8 == w] for w in range(8)]
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(run, chunks))
        table = {}
        paginator = ddb.get_paginator("scan")
        for page in paginator.paginate(TableName="cdc"):
            for item in page["Items"]:
                table[(("pk", (("S", item["pk"]["S"]),)), ("sk", (("N", item["sk"]["N"]),)))] = item
        records = read_all(streams, ddb.describe_table(TableName="cdc")["Table"]["LatestStreamArn"])
        self.assertGreater(len(records), 9000)
        rebuilt = replay(records)
        self.assertEqual(len(rebuilt), len(table))
        self.assertEqual(rebuilt, table)
        # Every MODIFY changed something.
        for r in records:
            if r["eventName"] == "MODIFY":
                self.assertNotEqual(r["dynamodb"]["OldImage"], r["dynamodb"]["NewImage"])


if __name__ == "__main__":
    unittest.main()
