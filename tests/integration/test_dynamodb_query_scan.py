"""DynamoDB Query and Scan through boto3: key conditions on numeric and string range keys, order,
filters, projections, Select, paging (Limit, LastEvaluatedKey, 1 MB pages), local and global
secondary indexes, parallel scan segments, and AWS's key-condition errors."""
import unittest

import harness
from test_dynamodb_tables import DynamoTest

INVALID = "One or more parameter values were invalid: "


class QueryScan(DynamoTest):
    def setUp(self):
        super().setUp()
        self.ddb.create_table(
            TableName="events", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "N"},
                                  {"AttributeName": "kind", "AttributeType": "S"},
                                  {"AttributeName": "at", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            LocalSecondaryIndexes=[{"IndexName": "by_at",
                                    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                  {"AttributeName": "at", "KeyType": "RANGE"}],
                                    "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            GlobalSecondaryIndexes=[{"IndexName": "by_kind",
                                     "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                                   {"AttributeName": "sk", "KeyType": "RANGE"}],
                                     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]}}])
        with_writer = []
        for i, sk in enumerate(["-5", "0", "1", "1.5", "2", "10", "100", "1e3"]):
            item = {"pk": {"S": "h"}, "sk": {"N": sk}, "v": {"N": str(i)}, "kind": {"S": "odd" if i % 2 else "even"},
                    "at": {"S": f"2024-01-0{i + 1}"}, "extra": {"S": "e"}}
            with_writer.append({"PutRequest": {"Item": item}})
        with_writer.append({"PutRequest": {"Item": {"pk": {"S": "other"}, "sk": {"N": "1"}, "v": {"N": "99"}}}})
        self.ddb.batch_write_item(RequestItems={"events": with_writer})

    def query(self, **kw):
        return self.ddb.query(TableName="events", **kw)

    def keys(self, items):
        return [i["sk"]["N"] for i in items]

    def test_numeric_range_order_and_conditions(self):
        base = dict(ExpressionAttributeValues={":h": {"S": "h"}})
        self.assertEqual(self.keys(self.query(KeyConditionExpression="pk = :h", **base)["Items"]),
                         ["-5", "0", "1", "1.5", "2", "10", "100", "1000"])
        self.assertEqual(self.keys(self.query(KeyConditionExpression="pk = :h", ScanIndexForward=False, **base)["Items"]),
                         ["1000", "100", "10", "2", "1.5", "1", "0", "-5"])
        cases = [("sk = :a", {":a": {"N": "1.50"}}, ["1.5"]),
                 ("sk < :a", {":a": {"N": "1"}}, ["-5", "0"]),
                 ("sk <= :a", {":a": {"N": "1"}}, ["-5", "0", "1"]),
                 ("sk > :a", {":a": {"N": "2"}}, ["10", "100", "1000"]),
                 ("sk >= :a", {":a": {"N": "2"}}, ["2", "10", "100", "1000"]),
                 ("sk BETWEEN :a AND :b", {":a": {"N": "0"}, ":b": {"N": "10"}}, ["0", "1", "1.5", "2", "10"]),
                 (":a < sk", {":a": {"N": "100"}}, ["1000"])]
        for cond, values, want in cases:
            with self.subTest(cond=cond):
                r = self.query(KeyConditionExpression="pk = :h AND " + cond,
                               ExpressionAttributeValues={":h": {"S": "h"}, **values})
                self.assertEqual(self.keys(r["Items"]), want)
                self.assertEqual(r["Count"], len(want))

    def test_filter_projection_select(self):
        r = self.query(KeyConditionExpression="pk = :h", FilterExpression="kind = :k",
                       ExpressionAttributeValues={":h": {"S": "h"}, ":k": {"S": "odd"}})
        self.assertEqual(r["Count"], 4)
        self.assertEqual(r["ScannedCount"], 8)
        r = self.query(KeyConditionExpression="pk = :h AND sk < :z", ProjectionExpression="sk, #v",
                       ExpressionAttributeNames={"#v": "v"}, ExpressionAttributeValues={":h": {"S": "h"}, ":z": {"N": "1"}})
        self.assertEqual(r["Items"], [{"sk": {"N": "-5"}, "v": {"N": "0"}}, {"sk": {"N": "0"}, "v": {"N": "1"}}])
        r = self.query(KeyConditionExpression="pk = :h", Select="COUNT", ExpressionAttributeValues={":h": {"S": "h"}})
        self.assertEqual(r["Count"], 8)
        self.assertNotIn("Items", r)
        self.assertError("ValidationException",
                         "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES",
                         self.query, KeyConditionExpression="pk = :h", Select="SPECIFIC_ATTRIBUTES",
                         ExpressionAttributeValues={":h": {"S": "h"}})

    def test_limit_and_paging(self):
        seen, start, pages = [], None, 0
        while True:
            kw = {"ExclusiveStartKey": start} if start else {}
            r = self.query(KeyConditionExpression="pk = :h", Limit=3, ExpressionAttributeValues={":h": {"S": "h"}}, **kw)
            seen += self.keys(r["Items"])
            pages += 1
            start = r.get("LastEvaluatedKey")
            if not start:
                break
            self.assertEqual(set(start), {"pk", "sk"})
        self.assertEqual(seen, ["-5", "0", "1", "1.5", "2", "10", "100", "1000"])
        self.assertEqual(pages, 3)
        # Limit counts items read before the filter.
        r = self.query(KeyConditionExpression="pk = :h", Limit=2, FilterExpression="v = :v",
                       ExpressionAttributeValues={":h": {"S": "h"}, ":v": {"N": "5"}})
        self.assertEqual((r["Count"], r["ScannedCount"]), (0, 2))
        self.assertIn("LastEvaluatedKey", r)
        paginator = self.ddb.get_paginator("query")
        got = [i for p in paginator.paginate(TableName="events", KeyConditionExpression="pk = :h",
                                             ExpressionAttributeValues={":h": {"S": "h"}},
                                             PaginationConfig={"PageSize": 2}) for i in p["Items"]]
        self.assertEqual(len(got), 8)

    def test_reverse_paging(self):
        r = self.query(KeyConditionExpression="pk = :h", Limit=3, ScanIndexForward=False,
                       ExpressionAttributeValues={":h": {"S": "h"}})
        self.assertEqual(self.keys(r["Items"]), ["1000", "100", "10"])
        r = self.query(KeyConditionExpression="pk = :h", Limit=3, ScanIndexForward=False,
                       ExclusiveStartKey=r["LastEvaluatedKey"], ExpressionAttributeValues={":h": {"S": "h"}})
        self.assertEqual(self.keys(r["Items"]), ["2", "1.5", "1"])

    def test_local_index(self):
        r = self.query(IndexName="by_at", KeyConditionExpression="pk = :h AND begins_with(#at, :p)",
                       ExpressionAttributeNames={"#at": "at"},
                       ExpressionAttributeValues={":h": {"S": "h"}, ":p": {"S": "2024-01-0"}}, Limit=2)
        self.assertEqual(r["Items"], [{"pk": {"S": "h"}, "sk": {"N": "-5"}, "at": {"S": "2024-01-01"}},
                                      {"pk": {"S": "h"}, "sk": {"N": "0"}, "at": {"S": "2024-01-02"}}])
        self.assertEqual(set(r["LastEvaluatedKey"]), {"pk", "sk", "at"})
        r = self.query(IndexName="by_at", KeyConditionExpression="pk = :h", Select="ALL_ATTRIBUTES", Limit=1,
                       ExpressionAttributeValues={":h": {"S": "h"}})
        self.assertEqual(r["Items"][0]["extra"], {"S": "e"})

    def test_global_index(self):
        r = self.query(IndexName="by_kind", KeyConditionExpression="kind = :k AND sk > :z",
                       ExpressionAttributeValues={":k": {"S": "even"}, ":z": {"N": "0"}})
        self.assertEqual(self.keys(r["Items"]), ["1", "2", "100"])
        self.assertEqual(set(r["Items"][0]), {"pk", "sk", "kind", "v"})
        self.assertError("ValidationException", "Consistent reads are not supported on global secondary indexes",
                         self.query, IndexName="by_kind", ConsistentRead=True, KeyConditionExpression="kind = :k",
                         ExpressionAttributeValues={":k": {"S": "even"}})
        self.assertError("ValidationException", "The table does not have the specified index: nope", self.query,
                         IndexName="nope", KeyConditionExpression="kind = :k",
                         ExpressionAttributeValues={":k": {"S": "even"}})
        # Updates move items between index keys; deletes remove their entries.
        self.ddb.update_item(TableName="events", Key={"pk": {"S": "h"}, "sk": {"N": "2"}},
                             UpdateExpression="SET kind = :o", ExpressionAttributeValues={":o": {"S": "odd"}})
        self.ddb.delete_item(TableName="events", Key={"pk": {"S": "h"}, "sk": {"N": "1000"}})
        even = self.query(IndexName="by_kind", KeyConditionExpression="kind = :k",
                          ExpressionAttributeValues={":k": {"S": "even"}})
        self.assertEqual(self.keys(even["Items"]), ["-5", "1", "100"])
        odd = self.query(IndexName="by_kind", KeyConditionExpression="kind = :k",
                         ExpressionAttributeValues={":k": {"S": "odd"}})
        self.assertEqual(self.keys(odd["Items"]), ["0", "1.5", "2", "10"])
        # Items without the index key are not in the index.
        self.ddb.update_item(TableName="events", Key={"pk": {"S": "h"}, "sk": {"N": "0"}}, UpdateExpression="REMOVE kind")
        odd = self.query(IndexName="by_kind", KeyConditionExpression="kind = :k",
                         ExpressionAttributeValues={":k": {"S": "odd"}})
        self.assertEqual(self.keys(odd["Items"]), ["1.5", "2", "10"])

    def test_key_condition_errors(self):
        cases = [
            ("pk = :h OR sk = :one", "Invalid operator used in KeyConditionExpression: OR"),
            ("NOT pk = :h", "Invalid operator used in KeyConditionExpression: NOT"),
            ("pk <> :h", "Invalid operator used in KeyConditionExpression: <>"),
            ("attribute_exists(pk)", "Invalid operator used in KeyConditionExpression: attribute_exists"),
            ("pk = :h AND sk = :one AND sk = :one", "KeyConditionExpressions must only contain one condition per key"),
            ("sk = :one", "Query condition missed key schema element: pk"),
            ("pk = :h AND v = :one", "Query key condition not supported"),
            ("pk > :h", "Query key condition not supported"),
            ("pk = :h AND size(sk) = :one", "KeyConditionExpressions cannot contain nested operations"),
            ("pk.x = :h", "KeyConditionExpressions cannot have conditions on nested attributes"),
            ("pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"),
            ("pk = :one", INVALID + "Condition parameter type does not match schema type"),
            ("pk = :h AND sk BETWEEN :one AND :h",
             "Invalid KeyConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; "
             "lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:h}"),
            ("pk = :h AND", 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND"'),
        ]
        values = {":h": {"S": "h"}, ":one": {"N": "1"}}
        for cond, message in cases:
            with self.subTest(cond=cond):
                used = {k: v for k, v in values.items() if k in cond}
                kw = {"ExpressionAttributeValues": used} if used else {}
                self.assertError("ValidationException", message, self.query, KeyConditionExpression=cond, **kw)
        self.assertError("ValidationException", "The provided starting key is invalid", self.query,
                         KeyConditionExpression="pk = :h", ExpressionAttributeValues={":h": {"S": "h"}},
                         ExclusiveStartKey={"pk": {"S": "h"}})

    def test_scan(self):
        r = self.ddb.scan(TableName="events")
        self.assertEqual(r["Count"], 9)
        r = self.ddb.scan(TableName="events", FilterExpression="v >= :v", ExpressionAttributeValues={":v": {"N": "6"}})
        self.assertEqual(sorted(int(i["v"]["N"]) for i in r["Items"]), [6, 7, 99])
        self.assertEqual(r["ScannedCount"], 9)
        got, start = [], None
        while True:
            r = self.ddb.scan(TableName="events", Limit=4, **({"ExclusiveStartKey": start} if start else {}))
            got += r["Items"]
            start = r.get("LastEvaluatedKey")
            if not start:
                break
        self.assertEqual(len(got), 9)
        segments = []
        for s in range(3):
            segments += self.ddb.scan(TableName="events", Segment=s, TotalSegments=3)["Items"]
        self.assertEqual(sorted((i["pk"]["S"], i["sk"]["N"]) for i in segments),
                         sorted((i["pk"]["S"], i["sk"]["N"]) for i in got))
        r = self.ddb.scan(TableName="events", IndexName="by_kind")
        self.assertEqual(r["Count"], 8)
        self.assertError("ValidationException",
                         "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
                         "Segment: 3 is not less than TotalSegments: 3", self.ddb.scan, TableName="events", Segment=3,
                         TotalSegments=3)
        self.assertError("ValidationException",
                         "The TotalSegments parameter is required but was not present in the request when Segment "
                         "parameter is present", self.ddb.scan, TableName="events", Segment=0)

    def test_one_megabyte_pages(self):
        big = "x" * (390 * 1024)
        for i in range(4):
            self.ddb.put_item(TableName="events", Item={"pk": {"S": "big"}, "sk": {"N": str(i)}, "d": {"S": big}})
        r = self.query(KeyConditionExpression="pk = :b", ExpressionAttributeValues={":b": {"S": "big"}})
        self.assertEqual(r["Count"], 3)
        self.assertIn("LastEvaluatedKey", r)
        r = self.query(KeyConditionExpression="pk = :b", ExpressionAttributeValues={":b": {"S": "big"}},
                       ExclusiveStartKey=r["LastEvaluatedKey"])
        self.assertEqual(r["Count"], 1)
        self.assertNotIn("LastEvaluatedKey", r)

    def test_string_range_keys_and_begins_with(self):
        self.ddb.create_table(
            TableName="paths", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        for sk in ["b", "a/2", "a/10", "a", "A", "a/1/x", "ab"]:
            self.ddb.put_item(TableName="paths", Item={"pk": {"S": "p"}, "sk": {"S": sk}})
        r = self.ddb.query(TableName="paths", KeyConditionExpression="pk = :p",
                           ExpressionAttributeValues={":p": {"S": "p"}})
        self.assertEqual([i["sk"]["S"] for i in r["Items"]], ["A", "a", "a/1/x", "a/10", "a/2", "ab", "b"])
        r = self.ddb.query(TableName="paths", KeyConditionExpression="pk = :p AND begins_with(sk, :a)",
                           ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"S": "a/"}})
        self.assertEqual([i["sk"]["S"] for i in r["Items"]], ["a/1/x", "a/10", "a/2"])


if __name__ == "__main__":
    unittest.main()
