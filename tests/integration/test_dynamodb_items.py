"""DynamoDB items through boto3: PutItem, GetItem, UpdateItem, DeleteItem with conditions and every
ReturnValues kind, numbers, sets and sizes AWS's way, and the bad-input cases with AWS's exact
messages (nothing half-written after a failed conditional write)."""
import json
import unittest

from botocore.exceptions import ClientError

import harness
from test_dynamodb_tables import DynamoTest, hash_table, range_table

INVALID = "One or more parameter values were invalid: "


class Items(DynamoTest):
    def setUp(self):
        super().setUp()
        hash_table(self.ddb, "items")
        range_table(self.ddb, "ranged")

    def get(self, key, table="items", **kw):
        return self.ddb.get_item(TableName=table, Key=key, ConsistentRead=True, **kw).get("Item")

    def test_put_get_every_type(self):
        item = {"pk": {"S": "a"}, "s": {"S": "héllo"}, "n": {"N": "-0012.50"}, "b": {"B": b"\x00\x01"},
                "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"\x01"]},
                "m": {"M": {"k": {"L": [{"S": "v"}, {"NULL": True}]}}}, "t": {"BOOL": False}, "z": {"NULL": True},
                "empty": {"S": ""}, "eb": {"B": b""}}
        self.assertEqual(self.ddb.put_item(TableName="items", Item=item)["ResponseMetadata"]["HTTPStatusCode"], 200)
        got = self.get({"pk": {"S": "a"}})
        item["n"] = {"N": "-12.5"}
        self.assertEqual(got, item)
        self.assertNotIn("Item", self.ddb.get_item(TableName="items", Key={"pk": {"S": "zz"}}))

    def test_big_numbers_keep_38_digits(self):
        item = {"pk": {"S": "n"}, "b": {"N": "0000012345678901234567890123456789012345678"},
                "d": {"N": "9.9999999999999999999999999999999999999e125"}, "f": {"N": "1e-130"}}
        self.ddb.put_item(TableName="items", Item=item)
        got = self.get({"pk": {"S": "n"}})
        self.assertEqual(got["b"]["N"], "12345678901234567890123456789012345678")
        self.assertEqual(got["d"]["N"], "9" * 38 + "0" * 88)
        self.assertEqual(got["f"]["N"], "0." + "0" * 129 + "1")

    def test_projection_expression(self):
        self.ddb.put_item(TableName="items", Item={"pk": {"S": "p"}, "a": {"M": {"b": {"N": "1"}, "c": {"N": "2"}}},
                                                     "l": {"L": [{"S": "x"}, {"S": "y"}, {"S": "z"}]},
                                                     "name": {"S": "n"}})
        got = self.get({"pk": {"S": "p"}}, ProjectionExpression="a.b, l[2], #n",
                       ExpressionAttributeNames={"#n": "name"})
        self.assertEqual(got, {"a": {"M": {"b": {"N": "1"}}}, "l": {"L": [{"S": "z"}]}, "name": {"S": "n"}})
        self.assertEqual(self.get({"pk": {"S": "p"}}, AttributesToGet=["name"]), {"name": {"S": "n"}})
        self.assertError("ValidationException",
                         "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                         self.get, {"pk": {"S": "p"}}, ProjectionExpression="name")

    def test_conditional_put_and_return_values(self):
        key = {"pk": {"S": "c"}}
        self.ddb.put_item(TableName="items", Item={**key, "v": {"N": "1"}}, ConditionExpression="attribute_not_exists(pk)")
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", self.ddb.put_item,
                         TableName="items", Item={**key, "v": {"N": "2"}}, ConditionExpression="attribute_not_exists(pk)")
        self.assertEqual(self.get(key)["v"], {"N": "1"})
        old = self.ddb.put_item(TableName="items", Item={**key, "v": {"N": "2"}}, ReturnValues="ALL_OLD",
                                ConditionExpression="v = :one", ExpressionAttributeValues={":one": {"N": "1"}})
        self.assertEqual(old["Attributes"], {**key, "v": {"N": "1"}})
        self.assertNotIn("Attributes", self.ddb.put_item(TableName="items", Item={"pk": {"S": "fresh"}},
                                                          ReturnValues="ALL_OLD"))
        self.assertError("ValidationException", "ReturnValues can only be ALL_OLD or NONE", self.ddb.put_item,
                         TableName="items", Item=key, ReturnValues="ALL_NEW")

    def test_return_values_on_condition_check_failure(self):
        key = {"pk": {"S": "rv"}}
        self.ddb.put_item(TableName="items", Item={**key, "v": {"N": "1"}})
        # Sent raw: Debian's botocore predates ReturnValuesOnConditionCheckFailure.
        status, _, body = self.raw("PutItem", {"TableName": "items", "Item": key, "ConditionExpression": "v = :two",
                                               "ExpressionAttributeValues": {":two": {"N": "2"}},
                                               "ReturnValuesOnConditionCheckFailure": "ALL_OLD"})
        doc = json.loads(body)
        self.assertEqual(status, 400)
        self.assertEqual(doc["__type"], "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException")
        self.assertEqual(doc["Item"], {**key, "v": {"N": "1"}})

    def test_update_item_every_return_value(self):
        key = {"pk": {"S": "u"}}
        self.ddb.put_item(TableName="items", Item={**key, "a": {"N": "1"}, "b": {"S": "x"}, "m": {"M": {"k": {"N": "1"}}}})
        expr = dict(TableName="items", Key=key, UpdateExpression="SET a = a + :one, m.k = :two REMOVE b",
                    ExpressionAttributeValues={":one": {"N": "1"}, ":two": {"N": "2"}})
        r = self.ddb.update_item(**expr, ReturnValues="UPDATED_OLD")
        self.assertEqual(r["Attributes"], {"a": {"N": "1"}, "m": {"M": {"k": {"N": "1"}}}, "b": {"S": "x"}})
        r = self.ddb.update_item(**expr, ReturnValues="UPDATED_NEW")
        self.assertEqual(r["Attributes"], {"a": {"N": "3"}, "m": {"M": {"k": {"N": "2"}}}})
        r = self.ddb.update_item(**expr, ReturnValues="ALL_NEW")
        self.assertEqual(r["Attributes"], {**key, "a": {"N": "4"}, "m": {"M": {"k": {"N": "2"}}}})
        r = self.ddb.update_item(**expr, ReturnValues="ALL_OLD")
        self.assertEqual(r["Attributes"], {**key, "a": {"N": "4"}, "m": {"M": {"k": {"N": "2"}}}})
        self.assertNotIn("Attributes", self.ddb.update_item(**expr, ReturnValues="NONE"))

    def test_update_creates_sets_and_counters(self):
        key = {"pk": {"S": "counter"}}
        for _ in range(3):
            self.ddb.update_item(TableName="items", Key=key, UpdateExpression="ADD hits :one, tags :t",
                                 ExpressionAttributeValues={":one": {"N": "1"}, ":t": {"SS": ["a"]}})
        self.ddb.update_item(TableName="items", Key=key, UpdateExpression="ADD tags :t",
                             ExpressionAttributeValues={":t": {"SS": ["b", "c"]}})
        got = self.get(key)
        self.assertEqual(got["hits"], {"N": "3"})
        self.assertEqual(sorted(got["tags"]["SS"]), ["a", "b", "c"])
        self.ddb.update_item(TableName="items", Key=key, UpdateExpression="DELETE tags :t",
                             ExpressionAttributeValues={":t": {"SS": ["a", "b", "c"]}})
        self.assertNotIn("tags", self.get(key))
        r = self.ddb.update_item(TableName="items", Key={"pk": {"S": "new"}}, ReturnValues="ALL_NEW",
                                 UpdateExpression="SET l = list_append(if_not_exists(l, :empty), :x)",
                                 ExpressionAttributeValues={":empty": {"L": []}, ":x": {"L": [{"S": "x"}]}})
        self.assertEqual(r["Attributes"]["l"], {"L": [{"S": "x"}]})
        # UpdateItem without UpdateExpression creates the item with just its key.
        self.ddb.update_item(TableName="items", Key={"pk": {"S": "bare"}})
        self.assertEqual(self.get({"pk": {"S": "bare"}}), {"pk": {"S": "bare"}})

    def test_update_errors(self):
        key = {"pk": {"S": "ue"}}
        self.ddb.put_item(TableName="items", Item={**key, "s": {"S": "x"}})
        self.assertError("ValidationException", INVALID + "Cannot update attribute pk. This attribute is part of the key",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET pk = :v",
                         ExpressionAttributeValues={":v": {"S": "z"}})
        self.assertError("ValidationException",
                         "The provided expression refers to an attribute that does not exist in the item",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET a = nothere")
        self.assertError("ValidationException", "An operand in the update expression has an incorrect data type",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET a = s + :one",
                         ExpressionAttributeValues={":one": {"N": "1"}})
        self.assertError("ValidationException",
                         "The document path provided in the update expression is invalid for update",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET x.y = :one",
                         ExpressionAttributeValues={":one": {"N": "1"}})
        self.assertError("ValidationException", 'Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1"',
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET a = b + 1")
        self.assertError("ValidationException",
                         "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET a = s SET b = s")
        self.assertError("ValidationException", "Invalid UpdateExpression: The expression can not be empty;",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="")
        self.assertEqual(self.get(key), {**key, "s": {"S": "x"}})

    def test_update_item_too_big(self):
        key = {"pk": {"S": "big"}}
        self.ddb.put_item(TableName="items", Item={**key, "a": {"S": "x" * 300000}})
        self.assertError("ValidationException", "Item size to update has exceeded the maximum allowed size",
                         self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET b = :v",
                         ExpressionAttributeValues={":v": {"S": "y" * 200000}})

    def test_delete_item(self):
        key = {"pk": {"S": "d"}}
        self.ddb.put_item(TableName="items", Item={**key, "v": {"N": "1"}})
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", self.ddb.delete_item,
                         TableName="items", Key=key, ConditionExpression="v > :v",
                         ExpressionAttributeValues={":v": {"N": "1"}})
        r = self.ddb.delete_item(TableName="items", Key=key, ReturnValues="ALL_OLD")
        self.assertEqual(r["Attributes"], {**key, "v": {"N": "1"}})
        self.assertIsNone(self.get(key))
        self.assertNotIn("Attributes", self.ddb.delete_item(TableName="items", Key=key, ReturnValues="ALL_OLD"))

    def test_consumed_capacity(self):
        r = self.ddb.put_item(TableName="items", Item={"pk": {"S": "cap"}, "d": {"S": "x" * 3000}},
                              ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"], {"TableName": "items", "CapacityUnits": 3.0, "WriteCapacityUnits": 3.0})
        r = self.ddb.get_item(TableName="items", Key={"pk": {"S": "cap"}}, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 0.5)
        r = self.ddb.get_item(TableName="items", Key={"pk": {"S": "cap"}}, ReturnConsumedCapacity="INDEXES",
                              ConsistentRead=True)
        self.assertEqual(r["ConsumedCapacity"]["Table"]["CapacityUnits"], 1.0)

    def test_range_key_table(self):
        for sk in ["10", "9", "-1", "1.5"]:
            self.ddb.put_item(TableName="ranged", Item={"pk": {"S": "h"}, "sk": {"N": sk}})
        self.assertEqual(self.get({"pk": {"S": "h"}, "sk": {"N": "1.50"}}, table="ranged")["sk"], {"N": "1.5"})
        self.assertError("ValidationException", "The provided key element does not match the schema", self.get,
                         {"pk": {"S": "h"}}, table="ranged")


class BadInput(DynamoTest):
    def setUp(self):
        super().setUp()
        hash_table(self.ddb, "strict")
        self.ddb.create_table(
            TableName="indexed", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "g", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            GlobalSecondaryIndexes=[{"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "ALL"}}])

    def put(self, item, **kw):
        return self.ddb.put_item(TableName="strict", Item=item, **kw)

    def test_attribute_value_errors(self):
        cases = [
            ({"pk": {"S": "a"}, "x": {}}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"),
            ({"pk": {"S": "a"}, "x": {"S": "a", "N": "1"}},
             "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"),
            ({"pk": {"S": "a"}, "x": {"N": "abc"}}, "The parameter cannot be converted to a numeric value: abc"),
            ({"pk": {"S": "a"}, "x": {"N": "1e126"}},
             "Number overflow. Attempting to store a number with magnitude larger than supported range"),
            ({"pk": {"S": "a"}, "x": {"N": "1" * 39}}, "Attempting to store more than 38 significant digits in a Number"),
            ({"pk": {"S": "a"}, "x": {"SS": []}}, INVALID + "An string set  may not be empty"),
            ({"pk": {"S": "a"}, "x": {"SS": ["a", "a"]}}, INVALID + "Input collection [a, a] contains duplicates."),
            ({"pk": {"S": "a"}, "x": {"NS": ["1", "01"]}}, "Input collection contains duplicates"),
            ({"pk": {"S": "a"}, "x": {"NULL": False}}, INVALID + "Null attribute value types must have the value of true"),
        ]
        for item, message in cases:
            with self.subTest(item=item):
                self.assertError("ValidationException", message, self.put, item)

    def test_key_errors(self):
        self.assertError("ValidationException", INVALID + "Missing the key pk in the item", self.put, {"x": {"S": "a"}})
        self.assertError("ValidationException", INVALID + "Type mismatch for key pk expected: S actual: N", self.put,
                         {"pk": {"N": "1"}})
        self.assertError("ValidationException",
                         "One or more parameter values are not valid. The AttributeValue for a key attribute cannot "
                         "contain an empty string value. Key: pk", self.put, {"pk": {"S": ""}})
        self.assertError("ValidationException",
                         INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes", self.put,
                         {"pk": {"S": "x" * 2049}})
        self.assertError("ValidationException", "The provided key element does not match the schema",
                         self.ddb.get_item, TableName="strict", Key={"pk": {"S": "a"}, "extra": {"S": "b"}})
        self.assertError("ValidationException", "The provided key element does not match the schema",
                         self.ddb.get_item, TableName="strict", Key={"pk": {"N": "1"}})
        self.assertError("ValidationException",
                         INVALID + "Type mismatch for Index Key g Expected: S Actual: N IndexName: by_g",
                         self.ddb.put_item, TableName="indexed", Item={"pk": {"S": "a"}, "g": {"N": "1"}})
        self.assertError("ValidationException",
                         "One or more parameter values are not valid. A value specified for a secondary index key is "
                         "not supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                         "IndexName: by_g, IndexKey: g",
                         self.ddb.put_item, TableName="indexed", Item={"pk": {"S": "a"}, "g": {"S": ""}})

    def test_item_size(self):
        # 400 KB counts names and values: "pk" + "a" + "x" + value bytes.
        limit = 400 * 1024
        self.put({"pk": {"S": "a"}, "x": {"S": "v" * (limit - 4)}})
        self.assertError("ValidationException", "Item size has exceeded the maximum allowed size", self.put,
                         {"pk": {"S": "a"}, "x": {"S": "v" * (limit - 3)}})

    def test_expression_errors(self):
        self.assertError("ValidationException", 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"',
                         self.put, {"pk": {"S": "a"}}, ConditionExpression="foo")
        self.assertError("ValidationException",
                         "Invalid ConditionExpression: An expression attribute value used in expression is not "
                         "defined; attribute value: :v", self.put, {"pk": {"S": "a"}}, ConditionExpression="x = :v")
        self.assertError("ValidationException",
                         "Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}", self.put,
                         {"pk": {"S": "a"}}, ConditionExpression="x = :v",
                         ExpressionAttributeValues={":v": {"S": "a"}, ":extra": {"S": "b"}})
        self.assertError("ValidationException",
                         "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}", self.put,
                         {"pk": {"S": "a"}}, ConditionExpression="x = :v", ExpressionAttributeNames={"#x": "x"},
                         ExpressionAttributeValues={":v": {"S": "a"}})
        self.assertError("ValidationException", "ExpressionAttributeNames can only be specified when using expressions",
                         self.put, {"pk": {"S": "a"}}, ExpressionAttributeNames={"#x": "x"})
        self.assertError("ValidationException",
                         "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression "
                         "is null", self.put, {"pk": {"S": "a"}}, ExpressionAttributeValues={":x": {"S": "x"}})
        self.assertError("ValidationException", 'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"',
                         self.put, {"pk": {"S": "a"}}, ConditionExpression="x = :v", ExpressionAttributeNames={"x": "x"},
                         ExpressionAttributeValues={":v": {"S": "a"}})
        self.assertError("ValidationException",
                         "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a "
                         "numeric value: z for key :v", self.put, {"pk": {"S": "a"}}, ConditionExpression="x = :v",
                         ExpressionAttributeValues={":v": {"N": "z"}})
        self.assertError("ValidationException",
                         "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
                         self.put, {"pk": {"S": "a"}}, ConditionExpression="status = :v",
                         ExpressionAttributeValues={":v": {"S": "a"}})
        self.assertError("ValidationException", "Invalid ConditionExpression: The expression has redundant parentheses;",
                         self.put, {"pk": {"S": "a"}}, ConditionExpression="((x = :v))",
                         ExpressionAttributeValues={":v": {"S": "a"}})
        self.assertIsNone(self.ddb.get_item(TableName="strict", Key={"pk": {"S": "a"}}).get("Item"))

    def test_serialization_errors(self):
        status, _, body = self.raw("PutItem", {"TableName": "strict", "Item": {"pk": {"S": 5}}})
        self.assertEqual(status, 400)
        self.assertIn(b"SerializationException", body)
        status, _, body = self.raw("PutItem", {"TableName": "strict", "Item": {"pk": {"S": "a"}, "b": {"B": "!!"}}})
        self.assertIn(b"SerializationException", body)

    def test_missing_table(self):
        self.assertError("ResourceNotFoundException", "Requested resource not found", self.ddb.put_item,
                         TableName="nope", Item={"pk": {"S": "a"}})
        self.assertError("ResourceNotFoundException", "Requested resource not found", self.ddb.get_item,
                         TableName="nope", Key={"pk": {"S": "a"}})
        # Value checks come before the table lookup, as on AWS.
        self.assertError("ValidationException", None, self.ddb.put_item, TableName="nope",
                         Item={"pk": {"N": "x"}})

    def test_shape_errors(self):
        self.assertError("ValidationException",
                         "1 validation error detected: Value 'ALL' at 'returnValues' failed to satisfy constraint: "
                         "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
                         self.raw_error, "PutItem", {"TableName": "strict", "Item": {"pk": {"S": "a"}},
                                                     "ReturnValues": "ALL"})

    def raw_error(self, op, body):
        status, _, data = self.raw(op, body)
        import json
        doc = json.loads(data)
        from botocore.exceptions import ClientError as CE
        raise CE({"Error": {"Code": doc["__type"].split("#")[-1], "Message": doc.get("message")}}, op)


if __name__ == "__main__":
    unittest.main()
