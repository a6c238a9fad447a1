"""DynamoDB tables through boto3 and the AWS CLI: CreateTable, DescribeTable, ListTables,
UpdateTable, DeleteTable, TTL, tags, DescribeLimits, DescribeEndpoints, the x-amz-crc32 header and
JSON 1.0 error types, with AWS's messages for bad input."""
import json
import unittest
import urllib.error
import urllib.request
import zlib

from botocore.exceptions import ClientError

import harness
from streamlab_testlib import auth_headers

ACCOUNT = "000000000000"
REGION = "us-east-1"


def hash_table(client, name, key_type="S", **extra):
    return client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": key_type}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST", **extra)["TableDescription"]


def range_table(client, name, **extra):
    return client.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "N"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST", **extra)["TableDescription"]


class DynamoTest(harness.ServerTest):
    def setUp(self):
        super().setUp()
        self.ddb = self.server.client("dynamodb")

    def assertError(self, code, message, fn, *args, **kwargs):
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kwargs)
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code)
        if message is not None:
            self.assertEqual(err["Message"], message)
        return ctx.exception.response

    def raw(self, operation, body, target="DynamoDB_20120810"):
        """A signed raw request, to see exactly what goes on the wire."""
        headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": f"{target}.{operation}"}
        headers.update(auth_headers())
        req = urllib.request.Request(self.server.endpoint + "/", data=json.dumps(body).encode(), method="POST",
                                     headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()


class TableLifecycle(DynamoTest):
    def test_create_describe_list_delete(self):
        desc = range_table(self.ddb, "orders", StreamSpecification={"StreamEnabled": True,
                                                                     "StreamViewType": "NEW_AND_OLD_IMAGES"},
                           Tags=[{"Key": "team", "Value": "data"}])
        self.assertEqual(desc["TableName"], "orders")
        self.assertEqual(desc["TableArn"], f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/orders")
        self.assertIn(desc["TableStatus"], ("CREATING", "ACTIVE"))
        self.assertEqual(desc["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                             {"AttributeName": "sk", "KeyType": "RANGE"}])
        self.assertEqual(desc["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(desc["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.assertTrue(desc["LatestStreamArn"].startswith(desc["TableArn"] + "/stream/"))
        self.assertEqual(desc["LatestStreamArn"].split("/stream/")[1], desc["LatestStreamLabel"])
        table = self.ddb.describe_table(TableName="orders")["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        self.assertEqual(table["ItemCount"], 0)
        self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 0)
        self.assertEqual(self.ddb.describe_table(TableName=table["TableArn"])["Table"]["TableName"], "orders")
        self.assertEqual(self.ddb.list_tables()["TableNames"], ["orders"])
        deleted = self.ddb.delete_table(TableName="orders")["TableDescription"]
        self.assertEqual(deleted["TableStatus"], "DELETING")
        self.assertError("ResourceNotFoundException", "Requested resource not found: Table: orders not found",
                         self.ddb.describe_table, TableName="orders")
        self.assertEqual(self.ddb.list_tables()["TableNames"], [])

    def test_provisioned_table_and_indexes(self):
        desc = self.ddb.create_table(
            TableName="things",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"},
                                  {"AttributeName": "lsk", "AttributeType": "N"},
                                  {"AttributeName": "g", "AttributeType": "B"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            LocalSecondaryIndexes=[{"IndexName": "by_lsk",
                                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "lsk", "KeyType": "RANGE"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]},
                                     "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}}],
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 6})["TableDescription"]
        self.assertEqual(desc["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertNotIn("BillingModeSummary", desc)
        lsi = desc["LocalSecondaryIndexes"][0]
        self.assertEqual(lsi["IndexArn"], desc["TableArn"] + "/index/by_lsk")
        self.assertEqual(lsi["Projection"], {"ProjectionType": "KEYS_ONLY"})
        gsi = desc["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["Projection"], {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]})
        self.assertEqual(gsi["ProvisionedThroughput"]["WriteCapacityUnits"], 3)
        self.assertIn(gsi["IndexStatus"], ("CREATING", "ACTIVE"))

    def test_list_tables_pagination(self):
        for name in ["t-c", "t-a", "t-e", "t-b", "t-d"]:
            hash_table(self.ddb, name)
        page = self.ddb.list_tables(Limit=2)
        self.assertEqual(page["TableNames"], ["t-a", "t-b"])
        self.assertEqual(page["LastEvaluatedTableName"], "t-b")
        page = self.ddb.list_tables(Limit=2, ExclusiveStartTableName="t-b")
        self.assertEqual(page["TableNames"], ["t-c", "t-d"])
        page = self.ddb.list_tables(Limit=2, ExclusiveStartTableName="t-d")
        self.assertEqual(page["TableNames"], ["t-e"])
        self.assertNotIn("LastEvaluatedTableName", page)
        self.assertEqual(self.ddb.list_tables(Limit=5)["TableNames"], ["t-a", "t-b", "t-c", "t-d", "t-e"])
        paginator = self.ddb.get_paginator("list_tables")
        names = [n for p in paginator.paginate(PaginationConfig={"PageSize": 2}) for n in p["TableNames"]]
        self.assertEqual(names, ["t-a", "t-b", "t-c", "t-d", "t-e"])

    def test_tables_are_per_account_and_region(self):
        hash_table(self.ddb, "shared")
        other = self.server.client("dynamodb", region="eu-west-1")
        self.assertEqual(other.list_tables()["TableNames"], [])
        hash_table(other, "shared")
        account = self.server.client("dynamodb", key="123456789012")
        self.assertEqual(account.list_tables()["TableNames"], [])
        self.assertEqual(other.describe_table(TableName="shared")["Table"]["TableArn"],
                         f"arn:aws:dynamodb:eu-west-1:{ACCOUNT}:table/shared")

    def test_create_errors(self):
        hash_table(self.ddb, "dupe")
        self.assertError("ResourceInUseException", "Table already exists: dupe", hash_table, self.ddb, "dupe")
        self.assertError("ValidationException",
                         "1 validation error detected: Value 'ab;' at 'tableName' failed to satisfy constraint: "
                         "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                         hash_table, self.ddb, "ab;")
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
                         "both be specified when BillingMode is PROVISIONED",
                         self.ddb.create_table, TableName="nope",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                         "can be specified when BillingMode is PAY_PER_REQUEST",
                         self.ddb.create_table, TableName="nope", BillingMode="PAY_PER_REQUEST",
                         ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: Some index key attributes are not defined in "
                         "AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]",
                         self.ddb.create_table, TableName="nope", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: Number of attributes in KeySchema does not "
                         "exactly match number of attributes defined in AttributeDefinitions",
                         self.ddb.create_table, TableName="nope", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                               {"AttributeName": "x", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertError("ValidationException",
                         "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
                         self.ddb.create_table, TableName="nope", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}])
        self.assertError("ValidationException",
                         "1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' "
                         "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
                         self.ddb.create_table, TableName="nope", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "X"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertError("ValidationException",
                         "One or more parameter values were invalid: Table KeySchema does not have a range key, "
                         "which is required when specifying a LocalSecondaryIndex",
                         self.ddb.create_table, TableName="nope", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                               {"AttributeName": "l", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         LocalSecondaryIndexes=[{"IndexName": "lsi",
                                                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                               {"AttributeName": "l", "KeyType": "RANGE"}],
                                                 "Projection": {"ProjectionType": "ALL"}}])

    def test_wire_format_crc32_and_error_type(self):
        status, headers, body = self.raw("DescribeTable", {"TableName": "missing"})
        self.assertEqual(status, 400)
        self.assertEqual(headers["x-amz-crc32"], str(zlib.crc32(body)))
        self.assertEqual(headers["Content-Type"], "application/x-amz-json-1.0")
        doc = json.loads(body)
        self.assertEqual(doc["__type"], "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException")
        self.assertEqual(doc["message"], "Requested resource not found: Table: missing not found")
        status, headers, body = self.raw("ListTables", {})
        self.assertEqual(status, 200)
        self.assertEqual(headers["x-amz-crc32"], str(zlib.crc32(body)))
        status, _, body = self.raw("NoSuchThing", {})
        self.assertEqual(json.loads(body)["__type"], "com.amazonaws.dynamodb.v20120810#UnknownOperationException")
        # boto3 verifies the CRC itself: a wrong one would raise ChecksumError here.
        self.ddb.list_tables()


class TableUpdates(DynamoTest):
    def test_streams_on_off_and_new_label(self):
        hash_table(self.ddb, "str1")
        desc = self.ddb.update_table(TableName="str1", StreamSpecification={"StreamEnabled": True,
                                                                            "StreamViewType": "KEYS_ONLY"})
        first = desc["TableDescription"]["LatestStreamArn"]
        self.assertEqual(desc["TableDescription"]["StreamSpecification"]["StreamViewType"], "KEYS_ONLY")
        self.assertError("ValidationException", "Table already has an enabled stream: TableName: str1",
                         self.ddb.update_table, TableName="str1",
                         StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        desc = self.ddb.update_table(TableName="str1", StreamSpecification={"StreamEnabled": False})
        self.assertNotIn("StreamSpecification", desc["TableDescription"])
        self.assertEqual(desc["TableDescription"]["LatestStreamArn"], first)
        desc = self.ddb.update_table(TableName="str1", StreamSpecification={"StreamEnabled": True,
                                                                            "StreamViewType": "NEW_IMAGE"})
        second = desc["TableDescription"]["LatestStreamArn"]
        self.assertNotEqual(first, second)
        streams = self.server.client("dynamodbstreams").list_streams(TableName="str1")["Streams"]
        self.assertEqual(sorted(s["StreamArn"] for s in streams), sorted([first, second]))

    def test_billing_throughput_and_gsi_lifecycle(self):
        self.ddb.create_table(TableName="upd1", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        self.ddb.put_item(TableName="upd1", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        self.ddb.put_item(TableName="upd1", Item={"pk": {"S": "b"}, "g": {"S": "x"}})
        desc = self.ddb.update_table(TableName="upd1", ProvisionedThroughput={"ReadCapacityUnits": 4,
                                                                             "WriteCapacityUnits": 2})
        self.assertEqual(desc["TableDescription"]["ProvisionedThroughput"]["ReadCapacityUnits"], 4)
        self.assertError("ValidationException", None, self.ddb.update_table, TableName="upd1",
                         ProvisionedThroughput={"ReadCapacityUnits": 4, "WriteCapacityUnits": 2})
        desc = self.ddb.update_table(TableName="upd1", BillingMode="PAY_PER_REQUEST")["TableDescription"]
        self.assertEqual(desc["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        desc = self.ddb.update_table(
            TableName="upd1", AttributeDefinitions=[{"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by_g",
                                                     "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                                     "Projection": {"ProjectionType": "ALL"}}}])["TableDescription"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["IndexName"], "by_g")
        # The new index holds the items that existed before it.
        items = self.ddb.query(TableName="upd1", IndexName="by_g", KeyConditionExpression="g = :g",
                               ExpressionAttributeValues={":g": {"S": "x"}})["Items"]
        self.assertEqual(sorted(i["pk"]["S"] for i in items), ["a", "b"])
        self.ddb.update_table(TableName="upd1", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by_g"}}])
        self.assertNotIn("GlobalSecondaryIndexes", self.ddb.describe_table(TableName="upd1")["Table"])
        self.assertError("ValidationException",
                         "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                         "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
                         self.ddb.update_table, TableName="upd1")
        self.assertError("ResourceNotFoundException", "Requested resource not found: Table: nope not found",
                         self.ddb.update_table, TableName="nope", BillingMode="PAY_PER_REQUEST")

    def test_time_to_live(self):
        hash_table(self.ddb, "ttl")
        self.assertEqual(self.ddb.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "DISABLED"})
        spec = {"Enabled": True, "AttributeName": "expires"}
        self.assertEqual(self.ddb.update_time_to_live(TableName="ttl", TimeToLiveSpecification=spec)
                         ["TimeToLiveSpecification"], spec)
        self.assertEqual(self.ddb.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"})
        self.assertError("ValidationException", "TimeToLive is already enabled", self.ddb.update_time_to_live,
                         TableName="ttl", TimeToLiveSpecification=spec)
        self.ddb.update_time_to_live(TableName="ttl", TimeToLiveSpecification={"Enabled": False,
                                                                               "AttributeName": "expires"})
        self.assertError("ValidationException", "TimeToLive is already disabled", self.ddb.update_time_to_live,
                         TableName="ttl", TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})

    def test_tags(self):
        arn = hash_table(self.ddb, "tagged", Tags=[{"Key": "a", "Value": "1"}])["TableArn"]
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
        tags = self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("a", "3"), ("b", "2")])
        self.ddb.untag_resource(ResourceArn=arn, TagKeys=["a"])
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "b", "Value": "2"}])
        missing = arn.replace("tagged", "nothere")
        self.assertError("ResourceNotFoundException", f"Requested resource not found: ResourcArn: {missing} not found",
                         self.ddb.list_tags_of_resource, ResourceArn=missing)
        self.assertError("ValidationException", "Invalid TableArn", self.ddb.tag_resource, ResourceArn="tagged",
                         Tags=[{"Key": "k", "Value": "v"}])

    def test_limits_and_endpoints(self):
        limits = self.ddb.describe_limits()
        self.assertEqual(limits["TableMaxReadCapacityUnits"], 40000)
        endpoints = self.ddb.describe_endpoints()["Endpoints"]
        self.assertEqual(endpoints[0]["CachePeriodInMinutes"], 1440)
        self.assertEqual(endpoints[0]["Address"], f"127.0.0.1:{self.server.port}")

    def test_delete_protection_and_state_checks(self):
        # Debian's botocore predates DeletionProtectionEnabled: send it raw.
        status, _, _ = self.raw("CreateTable", {
            "TableName": "guarded", "BillingMode": "PAY_PER_REQUEST", "DeletionProtectionEnabled": True,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        self.assertEqual(status, 200)
        self.assertError("ValidationException",
                         "1 validation error detected: Table 'guarded' can't be deleted while "
                         "DeletionProtectionEnabled is set to True", self.ddb.delete_table, TableName="guarded")
        status, _, body = self.raw("UpdateTable", {"TableName": "guarded", "DeletionProtectionEnabled": False})
        self.assertEqual(status, 200, body)
        self.assertFalse(json.loads(body)["TableDescription"]["DeletionProtectionEnabled"])
        self.ddb.delete_table(TableName="guarded")


class StateDelays(unittest.TestCase):
    """CREATING -> ACTIVE after --state-delay-ms, so waiters work; items wait for ACTIVE."""

    @classmethod
    def setUpClass(cls):
        cls.server = harness.Server(("--state-delay-ms", "300")).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_creating_then_active(self):
        ddb = self.server.client("dynamodb")
        desc = hash_table(ddb, "slow")
        self.assertEqual(desc["TableStatus"], "CREATING")
        with self.assertRaises(ClientError) as ctx:
            ddb.put_item(TableName="slow", Item={"pk": {"S": "a"}})
        self.assertEqual(ctx.exception.response["Error"]["Message"], "Requested resource not found")
        ddb.get_waiter("table_exists").wait(TableName="slow", WaiterConfig={"Delay": 1, "MaxAttempts": 10})
        self.assertEqual(ddb.describe_table(TableName="slow")["Table"]["TableStatus"], "ACTIVE")
        ddb.put_item(TableName="slow", Item={"pk": {"S": "a"}})
        ddb.delete_table(TableName="slow")
        ddb.get_waiter("table_not_exists").wait(TableName="slow", WaiterConfig={"Delay": 1, "MaxAttempts": 10})


@unittest.skipUnless(harness.cli_available(), "AWS CLI not available")
class Cli(harness.ServerTest):
    def test_cli_table_round_trip(self):
        cli = self.server.cli
        out = cli("dynamodb", "create-table", "--table-name", "clitable",
                  "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                  "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
        self.assertEqual(out["TableDescription"]["TableName"], "clitable")
        cli("dynamodb", "wait", "table-exists", "--table-name", "clitable")
        cli("dynamodb", "put-item", "--table-name", "clitable", "--item", '{"pk": {"S": "a"}, "n": {"N": "1"}}')
        got = cli("dynamodb", "get-item", "--table-name", "clitable", "--key", '{"pk": {"S": "a"}}')
        self.assertEqual(got["Item"], {"pk": {"S": "a"}, "n": {"N": "1"}})
        upd = cli("dynamodb", "update-item", "--table-name", "clitable", "--key", '{"pk": {"S": "a"}}',
                  "--update-expression", "SET n = n + :one", "--expression-attribute-values", '{":one": {"N": "1"}}',
                  "--return-values", "UPDATED_NEW")
        self.assertEqual(upd["Attributes"], {"n": {"N": "2"}})
        q = cli("dynamodb", "query", "--table-name", "clitable", "--key-condition-expression", "pk = :p",
                "--expression-attribute-values", '{":p": {"S": "a"}}')
        self.assertEqual(q["Count"], 1)
        scan = cli("dynamodb", "scan", "--table-name", "clitable")
        self.assertEqual(scan["Count"], 1)
        self.assertIn("clitable", cli("dynamodb", "list-tables")["TableNames"])
        bad = cli("dynamodb", "put-item", "--table-name", "clitable", "--item", '{"pk": {"S": "a"}}',
                  "--condition-expression", "attribute_not_exists(pk)", check=False)
        self.assertNotEqual(bad.returncode, 0)
        self.assertIn("ConditionalCheckFailedException", bad.stderr)
        cli("dynamodb", "delete-item", "--table-name", "clitable", "--key", '{"pk": {"S": "a"}}')
        cli("dynamodb", "delete-table", "--table-name", "clitable")
        cli("dynamodb", "wait", "table-not-exists", "--table-name", "clitable")

    def test_cli_every_other_operation(self):
        cli = self.server.cli
        arn = cli("dynamodb", "create-table", "--table-name", "clitwo",
                  "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                  "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST",
                  "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_IMAGE")["TableDescription"]["TableArn"]
        self.assertEqual(cli("dynamodb", "describe-table", "--table-name", "clitwo")["Table"]["TableStatus"], "ACTIVE")
        cli("dynamodb", "batch-write-item", "--request-items",
            '{"clitwo": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}}, {"PutRequest": {"Item": {"pk": {"S": "b"}}}}]}')
        got = cli("dynamodb", "batch-get-item", "--request-items", '{"clitwo": {"Keys": [{"pk": {"S": "a"}}, {"pk": {"S": "b"}}]}}')
        self.assertEqual(len(got["Responses"]["clitwo"]), 2)
        cli("dynamodb", "transact-write-items", "--transact-items",
            '[{"Put": {"TableName": "clitwo", "Item": {"pk": {"S": "c"}}, "ConditionExpression": "attribute_not_exists(pk)"}}]')
        got = cli("dynamodb", "transact-get-items", "--transact-items", '[{"Get": {"TableName": "clitwo", "Key": {"pk": {"S": "c"}}}}]')
        self.assertEqual(got["Responses"][0]["Item"], {"pk": {"S": "c"}})
        cli("dynamodb", "update-time-to-live", "--table-name", "clitwo",
            "--time-to-live-specification", "Enabled=true,AttributeName=exp")
        self.assertEqual(cli("dynamodb", "describe-time-to-live", "--table-name", "clitwo")
                         ["TimeToLiveDescription"]["TimeToLiveStatus"], "ENABLED")
        cli("dynamodb", "tag-resource", "--resource-arn", arn, "--tags", "Key=k,Value=v")
        self.assertEqual(cli("dynamodb", "list-tags-of-resource", "--resource-arn", arn)["Tags"], [{"Key": "k", "Value": "v"}])
        cli("dynamodb", "untag-resource", "--resource-arn", arn, "--tag-keys", "k")
        self.assertEqual(cli("dynamodb", "describe-limits")["AccountMaxReadCapacityUnits"], 80000)
        self.assertEqual(len(cli("dynamodb", "describe-endpoints")["Endpoints"]), 1)
        stream = cli("dynamodbstreams", "list-streams", "--table-name", "clitwo")["Streams"][0]["StreamArn"]
        shard = cli("dynamodbstreams", "describe-stream", "--stream-arn", stream)["StreamDescription"]["Shards"][0]["ShardId"]
        it = cli("dynamodbstreams", "get-shard-iterator", "--stream-arn", stream, "--shard-id", shard,
                 "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        records = cli("dynamodbstreams", "get-records", "--shard-iterator", it)["Records"]
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in records], ["a", "b", "c"])
        cli("dynamodb", "update-table", "--table-name", "clitwo", "--stream-specification", "StreamEnabled=false")
        cli("dynamodb", "delete-table", "--table-name", "clitwo")


if __name__ == "__main__":
    unittest.main()
