"""DynamoDB BatchGetItem, BatchWriteItem, TransactWriteItems and TransactGetItems through boto3:
limits, duplicates, CancellationReasons, ClientRequestToken idempotency, and the guarantee that a
cancelled transaction leaves no trace in the table or its stream."""
import json
import unittest

import harness
from test_dynamodb_tables import DynamoTest, hash_table


def key(k):
    return {"pk": {"S": k}}


class Batches(DynamoTest):
    def setUp(self):
        super().setUp()
        hash_table(self.ddb, "bt1")
        hash_table(self.ddb, "bt2")

    def test_batch_write_and_get(self):
        r = self.ddb.batch_write_item(RequestItems={
            "bt1": [{"PutRequest": {"Item": {**key(f"k{i}"), "v": {"N": str(i)}}}} for i in range(20)],
            "bt2": [{"PutRequest": {"Item": {**key("x"), "v": {"S": "y"}}}}]},
            ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["UnprocessedItems"], {})
        self.assertEqual(sorted(c["TableName"] for c in r["ConsumedCapacity"]), ["bt1", "bt2"])
        r = self.ddb.batch_get_item(RequestItems={
            "bt1": {"Keys": [key("k1"), key("k2"), key("missing")], "ProjectionExpression": "v"},
            "bt2": {"Keys": [key("x")], "ConsistentRead": True}})
        self.assertEqual(sorted(i["v"]["N"] for i in r["Responses"]["bt1"]), ["1", "2"])
        self.assertEqual(r["Responses"]["bt2"], [{**key("x"), "v": {"S": "y"}}])
        self.assertEqual(r["UnprocessedKeys"], {})
        self.ddb.batch_write_item(RequestItems={"bt1": [{"DeleteRequest": {"Key": key("k1")}},
                                                        {"PutRequest": {"Item": key("k99")}}]})
        r = self.ddb.batch_get_item(RequestItems={"bt1": {"Keys": [key("k1"), key("k99")]}})
        self.assertEqual(r["Responses"]["bt1"], [key("k99")])

    def test_batch_limits_and_errors(self):
        self.assertError("ValidationException", "Too many items requested for the BatchWriteItem call",
                         self.ddb.batch_write_item, RequestItems={
                             "bt1": [{"PutRequest": {"Item": key(f"a{i}")}} for i in range(20)],
                             "bt2": [{"PutRequest": {"Item": key(f"b{i}")}} for i in range(6)]})
        self.assertError("ValidationException", "Too many items requested for the BatchGetItem call",
                         self.ddb.batch_get_item, RequestItems={
                             "bt1": {"Keys": [key(f"a{i}") for i in range(60)]},
                             "bt2": {"Keys": [key(f"b{i}") for i in range(41)]}})
        self.assertError("ValidationException", "Provided list of item keys contains duplicates",
                         self.ddb.batch_write_item, RequestItems={"bt1": [{"PutRequest": {"Item": key("a")}},
                                                                          {"DeleteRequest": {"Key": key("a")}}]})
        self.assertError("ValidationException", "Provided list of item keys contains duplicates",
                         self.ddb.batch_get_item, RequestItems={"bt1": {"Keys": [key("a"), key("a")]}})
        self.assertError("ResourceNotFoundException", "Requested resource not found", self.ddb.batch_get_item,
                         RequestItems={"nothere": {"Keys": [key("a")]}})
        self.assertError("ValidationException", "The provided key element does not match the schema",
                         self.ddb.batch_get_item, RequestItems={"bt1": {"Keys": [{"pk": {"N": "1"}}]}})
        # A failed batch writes nothing.
        self.assertError("ValidationException", None, self.ddb.batch_write_item, RequestItems={
            "bt1": [{"PutRequest": {"Item": key("ok")}}, {"PutRequest": {"Item": {"pk": {"N": "1"}}}}]})
        self.assertNotIn("Item", self.ddb.get_item(TableName="bt1", Key=key("ok")))


class Transactions(DynamoTest):
    def setUp(self):
        super().setUp()
        hash_table(self.ddb, "accounts", StreamSpecification={"StreamEnabled": True,
                                                              "StreamViewType": "NEW_AND_OLD_IMAGES"})
        self.ddb.put_item(TableName="accounts", Item={**key("alice"), "balance": {"N": "100"}})
        self.ddb.put_item(TableName="accounts", Item={**key("bob"), "balance": {"N": "0"}})
        self.ddb.put_item(TableName="accounts", Item={**key("config"), "is_open": {"BOOL": True}})

    def transfer(self, amount, **kw):
        return self.ddb.transact_write_items(TransactItems=[
            {"Update": {"TableName": "accounts", "Key": key("alice"), "UpdateExpression": "SET balance = balance - :a",
                        "ConditionExpression": "balance >= :a", "ExpressionAttributeValues": {":a": {"N": str(amount)}}}},
            {"Update": {"TableName": "accounts", "Key": key("bob"), "UpdateExpression": "SET balance = balance + :a",
                        "ExpressionAttributeValues": {":a": {"N": str(amount)}}}},
            {"Put": {"TableName": "accounts", "Item": {**key(f"log-{amount}"), "amount": {"N": str(amount)}},
                     "ConditionExpression": "attribute_not_exists(pk)"}},
            {"ConditionCheck": {"TableName": "accounts", "Key": key("config"), "ConditionExpression": "is_open = :t",
                                "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
        ], **kw)

    def balances(self):
        return {k: self.ddb.get_item(TableName="accounts", Key=key(k))["Item"]["balance"]["N"] for k in ("alice", "bob")}

    def stream_events(self):
        streams = self.server.client("dynamodbstreams")
        arn = streams.list_streams(TableName="accounts")["Streams"][0]["StreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        return streams.get_records(ShardIterator=it)["Records"]

    def test_transfer_commits_everything(self):
        before = len(self.stream_events())
        self.transfer(30)
        self.assertEqual(self.balances(), {"alice": "70", "bob": "30"})
        events = self.stream_events()[before:]
        self.assertEqual(sorted(e["eventName"] for e in events), ["INSERT", "MODIFY", "MODIFY"])
        # The four writes share one sequence of contiguous records.
        seqs = sorted(int(e["dynamodb"]["SequenceNumber"]) for e in events)
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + 3)))

    def test_cancelled_transaction_leaves_no_trace(self):
        before = len(self.stream_events())
        resp = self.assertError("TransactionCanceledException",
                                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                                "[ConditionalCheckFailed, None, None, None]", self.transfer, 500)
        reasons = resp.get("CancellationReasons")
        if reasons is not None:  # newer botocore models parse them
            self.assertEqual([r["Code"] for r in reasons], ["ConditionalCheckFailed", "None", "None", "None"])
        self.assertEqual(self.balances(), {"alice": "100", "bob": "0"})
        self.assertNotIn("Item", self.ddb.get_item(TableName="accounts", Key=key("log-500")))
        self.assertEqual(len(self.stream_events()), before)

    def test_cancellation_reasons_on_the_wire(self):
        status, _, body = self.raw("TransactWriteItems", {"TransactItems": [
            {"ConditionCheck": {"TableName": "accounts", "Key": key("alice"), "ConditionExpression": "balance > :b",
                                "ExpressionAttributeValues": {":b": {"N": "1000"}},
                                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            {"Update": {"TableName": "accounts", "Key": key("bob"), "UpdateExpression": "SET balance = nope + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}}]})
        doc = json.loads(body)
        self.assertEqual(status, 400)
        self.assertEqual(doc["__type"], "com.amazonaws.dynamodb.v20120810#TransactionCanceledException")
        self.assertEqual(doc["message"], "Transaction cancelled, please refer cancellation reasons for specific "
                                         "reasons [ConditionalCheckFailed, ValidationError]")
        self.assertEqual(doc["CancellationReasons"][0], {"Code": "ConditionalCheckFailed",
                                                         "Message": "The conditional request failed",
                                                         "Item": {**key("alice"), "balance": {"N": "100"}}})
        self.assertEqual(doc["CancellationReasons"][1]["Code"], "ValidationError")

    def test_idempotency_token(self):
        self.transfer(10, ClientRequestToken="tok-1")
        self.transfer(10, ClientRequestToken="tok-1")  # the same request: applied once
        self.assertEqual(self.balances(), {"alice": "90", "bob": "10"})
        self.assertError("IdempotentParameterMismatchException", None, self.transfer, 20, ClientRequestToken="tok-1")

    def test_validation(self):
        self.assertError("ValidationException", "Transaction request cannot include multiple operations on one item",
                         self.ddb.transact_write_items, TransactItems=[
                             {"Put": {"TableName": "accounts", "Item": key("x")}},
                             {"Delete": {"TableName": "accounts", "Key": key("x")}}])
        self.assertError("ValidationException", "TransactItems can only contain one of Check, Put, Update or Delete",
                         self.ddb.transact_write_items, TransactItems=[
                             {"Put": {"TableName": "accounts", "Item": key("x")},
                              "Delete": {"TableName": "accounts", "Key": key("y")}}])
        self.assertError("ResourceNotFoundException", "Requested resource not found", self.ddb.transact_write_items,
                         TransactItems=[{"Put": {"TableName": "nothere", "Item": key("x")}}])

    def test_transact_get(self):
        r = self.ddb.transact_get_items(TransactItems=[
            {"Get": {"TableName": "accounts", "Key": key("alice"), "ProjectionExpression": "balance"}},
            {"Get": {"TableName": "accounts", "Key": key("nobody")}}])
        self.assertEqual(r["Responses"], [{"Item": {"balance": {"N": "100"}}}, {}])


if __name__ == "__main__":
    unittest.main()
