"""DynamoDB's legacy parameters through boto3: Expected (with ConditionalOperator) on PutItem,
UpdateItem and DeleteItem, AttributeUpdates, KeyConditions, QueryFilter and ScanFilter. They are
rewritten into expressions, so they must decide exactly what the matching expression decides,
and they keep AWS's own validation messages."""
import unittest

import harness  # noqa: F401  (puts the test helpers on the path)
from test_dynamodb_tables import DynamoTest, hash_table, range_table

INVALID = "One or more parameter values were invalid: "


class LegacyConditions(DynamoTest):
    def setUp(self):
        super().setUp()
        hash_table(self.ddb, "items")

    def put(self, item, **kw):
        return self.ddb.put_item(TableName="items", Item=item, **kw)

    def get(self, pk):
        return self.ddb.get_item(TableName="items", Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")

    def failed(self, fn, **kw):
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", fn, **kw)

    def test_expected_exists_false_is_put_if_absent(self):
        self.put({"pk": {"S": "a"}, "v": {"N": "1"}}, Expected={"pk": {"Exists": False}})
        self.failed(self.put, item={"pk": {"S": "a"}, "v": {"N": "2"}}, Expected={"pk": {"Exists": False}})
        self.assertEqual(self.get("a")["v"], {"N": "1"})

    def test_expected_value_and_comparison_operators(self):
        self.put({"pk": {"S": "a"}, "v": {"N": "5"}, "s": {"S": "hello"}})
        self.put({"pk": {"S": "a"}, "v": {"N": "6"}, "s": {"S": "hello"}}, Expected={"v": {"Value": {"N": "5.0"}}})
        self.failed(self.put, item={"pk": {"S": "a"}}, Expected={"v": {"Value": {"N": "5"}}})
        self.put({"pk": {"S": "a"}, "v": {"N": "7"}, "s": {"S": "hello"}},
                 Expected={"v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "1"}, {"N": "6"}]},
                           "s": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "he"}]}})
        self.failed(self.put, item={"pk": {"S": "a"}},
                    Expected={"v": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "7"}]}})
        self.failed(self.put, item={"pk": {"S": "a"}}, Expected={"missing": {"ComparisonOperator": "NOT_NULL"}})
        self.put({"pk": {"S": "a"}, "v": {"N": "8"}}, Expected={"missing": {"ComparisonOperator": "NULL"},
                                                               "v": {"ComparisonOperator": "IN",
                                                                     "AttributeValueList": [{"N": "1"}, {"N": "7"}]}})
        self.assertEqual(self.get("a"), {"pk": {"S": "a"}, "v": {"N": "8"}})

    def test_conditional_operator_or_and_and(self):
        self.put({"pk": {"S": "a"}, "v": {"N": "1"}})
        either = {"v": {"Value": {"N": "2"}}, "pk": {"Exists": True, "Value": {"S": "a"}}}
        self.put({"pk": {"S": "a"}, "v": {"N": "3"}}, Expected=either, ConditionalOperator="OR")
        self.failed(self.put, item={"pk": {"S": "a"}}, Expected=either, ConditionalOperator="AND")
        self.failed(self.put, item={"pk": {"S": "a"}}, Expected=either)  # AND is the default
        self.assertEqual(self.get("a")["v"], {"N": "3"})

    def test_delete_item_with_expected(self):
        self.put({"pk": {"S": "a"}, "v": {"S": "keep"}})
        self.failed(self.ddb.delete_item, TableName="items", Key={"pk": {"S": "a"}},
                    Expected={"v": {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "keep"}]}})
        self.ddb.delete_item(TableName="items", Key={"pk": {"S": "a"}},
                             Expected={"v": {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "ee"}]}})
        self.assertIsNone(self.get("a"))

    def test_expected_validation_messages(self):
        item = {"pk": {"S": "a"}}
        for expected, message in [
            ({"a": {}}, "Value must be provided when Exists is null for Attribute: a"),
            ({"a": {"Exists": True}}, "Value must be provided when Exists is true for Attribute: a"),
            ({"a": {"Exists": False, "Value": {"S": "x"}}}, "Value cannot be used when Exists is false for Attribute: a"),
            ({"a": {"Value": {"S": "x"}, "ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]}},
             "Value and AttributeValueList cannot be used together for Attribute: a"),
            ({"a": {"ComparisonOperator": "EQ"}}, "Value or AttributeValueList must be used with ComparisonOperator: EQ "
                                                  "for Attribute: a"),
            ({"a": {"Exists": True, "ComparisonOperator": "NULL"}},
             "Exists and ComparisonOperator cannot be used together for Attribute: a"),
            ({"a": {"AttributeValueList": [{"S": "x"}]}},
             "AttributeValueList can only be used with a ComparisonOperator for Attribute: a"),
            ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "x"}]}},
             "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
            ({"a": {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "x"}, {"N": "1"}]}},
             "AttributeValues inside AttributeValueList must be of same type"),
        ]:
            with self.subTest(expected=expected):
                self.assertError("ValidationException", INVALID + message, self.put, item=item, Expected=expected)
        self.assertError("ValidationException", "The BETWEEN condition was provided a range where the lower bound is "
                         "greater than the upper bound", self.put, item=item,
                         Expected={"a": {"ComparisonOperator": "BETWEEN",
                                         "AttributeValueList": [{"N": "9"}, {"N": "1"}]}})
        self.assertIsNone(self.get("a"))

    def test_legacy_and_expression_parameters_never_mix(self):
        self.assertError("ValidationException",
                         "Can not use both expression and non-expression parameters in the same request: "
                         "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
                         self.put, item={"pk": {"S": "a"}}, Expected={"pk": {"Exists": False}},
                         ConditionExpression="attribute_not_exists(pk)")
        self.assertError("ValidationException",
                         "Can not use both expression and non-expression parameters in the same request: "
                         "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
                         self.ddb.update_item, TableName="items", Key={"pk": {"S": "a"}},
                         AttributeUpdates={"v": {"Action": "PUT", "Value": {"N": "1"}}}, UpdateExpression="SET w = :w",
                         ExpressionAttributeValues={":w": {"N": "1"}})
        self.assertError("ValidationException", "ExpressionAttributeNames can only be specified when using expressions",
                         self.put, item={"pk": {"S": "a"}}, Expected={"pk": {"Exists": False}},
                         ExpressionAttributeNames={"#p": "pk"})


class LegacyUpdates(DynamoTest):
    def setUp(self):
        super().setUp()
        hash_table(self.ddb, "items")

    def update(self, updates, **kw):
        return self.ddb.update_item(TableName="items", Key={"pk": {"S": "a"}}, AttributeUpdates=updates,
                                    ReturnValues="ALL_NEW", **kw).get("Attributes")

    def test_put_add_delete(self):
        self.assertEqual(self.update({"n": {"Action": "ADD", "Value": {"N": "2"}},
                                      "tags": {"Value": {"SS": ["x", "y"]}}}),  # PUT is the default action
                         {"pk": {"S": "a"}, "n": {"N": "2"}, "tags": {"SS": ["x", "y"]}})
        got = self.update({"n": {"Action": "ADD", "Value": {"N": "-5"}}, "tags": {"Action": "DELETE",
                                                                              "Value": {"SS": ["x"]}},
                           "s": {"Action": "PUT", "Value": {"S": "t"}}})
        self.assertEqual(got, {"pk": {"S": "a"}, "n": {"N": "-3"}, "tags": {"SS": ["y"]}, "s": {"S": "t"}})
        self.assertEqual(self.update({"s": {"Action": "DELETE"}, "tags": {"Action": "ADD", "Value": {"SS": ["z"]}}}),
                         {"pk": {"S": "a"}, "n": {"N": "-3"}, "tags": {"SS": ["y", "z"]}})

    def test_with_expected(self):
        self.update({"n": {"Action": "PUT", "Value": {"N": "1"}}}, Expected={"pk": {"Exists": False}})
        self.assertError("ConditionalCheckFailedException", "The conditional request failed", self.update,
                         {"n": {"Action": "PUT", "Value": {"N": "2"}}}, Expected={"pk": {"Exists": False}})
        self.assertEqual(self.update({"n": {"Action": "ADD", "Value": {"N": "1"}}},
                                     Expected={"n": {"Value": {"N": "1"}}})["n"], {"N": "2"})

    def test_put_without_value_is_refused(self):
        self.assertError("ValidationException", INVALID + "Only DELETE action is allowed when no attribute value is "
                         "specified", self.update, {"n": {"Action": "PUT"}})


class LegacyReads(DynamoTest):
    def setUp(self):
        super().setUp()
        range_table(self.ddb, "ranged")
        for p in ("p1", "p2"):
            for i in range(10):
                self.ddb.put_item(TableName="ranged", Item={"pk": {"S": p}, "sk": {"N": str(i)},
                                                            "kind": {"S": "even" if i % 2 == 0 else "odd"}})

    def sks(self, items):
        return [int(i["sk"]["N"]) for i in items]

    def test_key_conditions_and_query_filter(self):
        r = self.ddb.query(TableName="ranged", KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p1"}]},
            "sk": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "7"}]}})
        self.assertEqual(self.sks(r["Items"]), [2, 3, 4, 5, 6, 7])
        r = self.ddb.query(TableName="ranged", KeyConditions={
            "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "p2"}]},
            "sk": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "5"}]}},
            QueryFilter={"kind": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "odd"}]},
                         "sk": {"ComparisonOperator": "LT", "AttributeValueList": [{"N": "6"}]}},
            ConditionalOperator="OR", ScanIndexForward=False)
        self.assertEqual(self.sks(r["Items"]), [9, 7, 5])
        self.assertEqual(r["ScannedCount"], 5)

    def test_scan_filter(self):
        r = self.ddb.scan(TableName="ranged", ScanFilter={
            "sk": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "1"}, {"N": "3"}]},
            "kind": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "od"}]},
            "missing": {"ComparisonOperator": "NULL"}})
        self.assertEqual(sorted(self.sks(r["Items"])), [1, 1, 3, 3])
        r = self.ddb.scan(TableName="ranged", ScanFilter={
            "kind": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "dd"}]}})
        self.assertEqual(r["Count"], 10)

    def test_condition_validation_messages(self):
        self.assertError("ValidationException", INVALID + "ComparisonOperator BEGINS_WITH is not valid for N "
                         "AttributeValue type", self.ddb.scan, TableName="ranged",
                         ScanFilter={"sk": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]}})
        self.assertError("ValidationException", INVALID + "Invalid number of argument(s) for the NULL ComparisonOperator",
                         self.ddb.scan, TableName="ranged",
                         ScanFilter={"sk": {"ComparisonOperator": "NULL", "AttributeValueList": [{"N": "1"}]}})
        self.assertError("ValidationException",
                         "Can not use both expression and non-expression parameters in the same request: "
                         "Non-expression parameters: {QueryFilter} Expression parameters: {KeyConditionExpression}",
                         self.ddb.query, TableName="ranged", KeyConditionExpression="pk = :p",
                         ExpressionAttributeValues={":p": {"S": "p1"}},
                         QueryFilter={"kind": {"ComparisonOperator": "NOT_NULL"}})


if __name__ == "__main__":
    unittest.main()
