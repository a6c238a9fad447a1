"""Bad input over raw HTTP: every malformed request gets AWS's error, and the server keeps serving.

Expected errors come from emulators/kinesis/aws_errors.md (section 0 and the per-operation tables).
For every JSON-level error the response carries x-amzn-RequestId, the connection stays open and the
next request on the SAME connection works; after protocol-level errors (413, 431, garbage) the server
answers on a fresh connection.
"""
import base64
import json
import re
import socket
import unittest

from harness import Server, ServerTest
from streamlab_testlib import (CBOR_TYPE, JSON_TYPE, Closed, RawConn, cbor_decode, cbor_encode, kinesis_request,
                               no_retry_client, wait_active)

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ABSENT = object()
ABSENT_CHECK = object()  # a message is present; the caller checks it
STREAM = "bad-input"

ACCESS_DENIED_XML = (b"<AccessDeniedException>\n  <Message>Unable to determine service/operation name to be "
                     b"authorized</Message>\n</AccessDeniedException>\n")


def number_to(java_target, value_class):
    """The two wordings AWS has used for a JSON number where a String/Blob is expected."""
    return [f"class java.lang.{value_class} can not be converted to {java_target}",
            f"class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to {java_target}"]


# (operation, body, expected SerializationException Message (a string or a list of accepted strings))
WRONG_TYPES = [
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": "23"},
     "class java.lang.String can not be converted to an Integer"),
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": True},
     "class java.lang.Boolean can not be converted to an Integer"),
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": []}, "Start of list found where not expected"),
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": {}},
     "Start of structure or map found where not expected."),
    ("DescribeStream", {"StreamName": 23}, number_to("an String", "Short")),
    ("DescribeStream", {"StreamName": -2147483648}, number_to("an String", "Integer")),
    ("DescribeStream", {"StreamName": 2147483648}, number_to("an String", "Long")),
    ("DescribeStream", {"StreamName": 34.56}, number_to("an String", "Double")),
    ("DescribeStream", {"StreamName": True}, "class java.lang.Boolean can not be converted to an String"),
    ("DescribeStream", {"StreamName": []}, "Start of list found where not expected"),
    ("DescribeStream", {"StreamName": {}}, "Start of structure or map found where not expected."),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": []}, "Start of list found where not expected"),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": {}},
     "Start of structure or map found where not expected."),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": True},
     "class java.lang.Boolean can not be converted to a Blob"),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": 23}, number_to("a Blob", "Short")),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": 23, "Data": "YQ=="}, number_to("an String", "Short")),
    ("GetRecords", {"ShardIterator": "abc", "Limit": {}}, "Start of structure or map found where not expected."),
    ("GetRecords", {"ShardIterator": "abc", "Limit": "5"},
     "class java.lang.String can not be converted to an Integer"),
    ("GetRecords", {"ShardIterator": "abc", "Limit": []}, "Start of list found where not expected"),
    ("PutRecords", {"StreamName": STREAM, "Records": "23"}, "Expected list or null"),
    ("PutRecords", {"StreamName": STREAM, "Records": 23}, "Expected list or null"),
    ("PutRecords", {"StreamName": STREAM, "Records": True}, "Expected list or null"),
    ("PutRecords", {"StreamName": STREAM, "Records": {}}, "Start of structure or map found where not expected."),
    ("PutRecords", {"StreamName": STREAM, "Records": [{"PartitionKey": "k", "Data": True}]},
     "class java.lang.Boolean can not be converted to a Blob"),
    ("AddTagsToStream", {"StreamName": STREAM, "Tags": []}, "Start of list found where not expected"),
    ("AddTagsToStream", {"StreamName": STREAM, "Tags": "23"}, "Expected map or null"),
    ("AddTagsToStream", {"StreamName": STREAM, "Tags": 23}, "Expected map or null"),
    ("RemoveTagsFromStream", {"StreamName": STREAM, "TagKeys": "a"}, "Expected list or null"),
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": 1, "StreamModeDetails": "23"}, "Expected null"),
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": 1, "StreamModeDetails": 23}, "Expected null"),
    ("CreateStream", {"StreamName": STREAM + "-x", "ShardCount": 1, "StreamModeDetails": []},
     "Start of list found where not expected"),
    ("ListStreams", {"ExclusiveStartStreamName": True}, "class java.lang.Boolean can not be converted to an String"),
]

BAD_BASE64 = [
    ("23456", "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes "
              "but found: 5"),
    ("=+/=", "'=+/=' can not be converted to a Blob: Invalid Base64 character: '='"),
    ("+/+=", "'+/+=' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"),
]


def validation(*parts):
    return ("%d validation error%s detected: " % (len(parts), "s" if len(parts) > 1 else "")) + "; ".join(parts)


HASH_RE = r"0|([1-9]\d{0,38})"
# (operation, body, error type, message; a tuple of parts means "these parts, in any order")
INVALID_VALUES = [
    ("CreateStream", {}, "ValidationException",
     validation("Value null at 'streamName' failed to satisfy constraint: Member must not be null")),
    ("CreateStream", {"StreamName": "v", "ShardCount": 0}, "ValidationException",
     validation("Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or "
                "equal to 1")),
    ("DescribeStream", {"StreamName": "a" * 129}, "ValidationException",
     validation(f"Value '{'a' * 129}' at 'streamName' failed to satisfy constraint: Member must have length less "
                "than or equal to 128")),
    ("DescribeStream", {"StreamName": ""}, "ValidationException",
     ("Value '' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
      "[a-zA-Z0-9_.-]+",
      "Value '' at 'streamName' failed to satisfy constraint: Member must have length greater than or equal to 1")),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "", "Data": "YQ=="}, "ValidationException",
     validation("Value '' at 'partitionKey' failed to satisfy constraint: Member must have length greater than or "
                "equal to 1")),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "p" * 257, "Data": "YQ=="}, "ValidationException",
     validation(f"Value '{'p' * 257}' at 'partitionKey' failed to satisfy constraint: Member must have length less "
                "than or equal to 256")),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": "YQ==", "ExplicitHashKey": ""},
     "ValidationException",
     validation(f"Value '' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular "
                f"expression pattern: {HASH_RE}")),
    ("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": "YQ==", "ExplicitHashKey": str(2 ** 128)},
     "InvalidArgumentException",
     "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was "
     "340282366920938463463374607431768211456"),
    ("PutRecord", {"StreamName": "nope", "PartitionKey": "k", "Data": "YQ=="}, "ResourceNotFoundException",
     "Stream nope under account 000000000000 not found."),
    ("PutRecords", {"StreamName": STREAM, "Records": []}, "ValidationException",
     validation("Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or "
                "equal to 1")),
    ("GetRecords", {"ShardIterator": "abc", "Limit": 0}, "ValidationException",
     validation("Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal "
                "to 1")),
    ("GetRecords", {"ShardIterator": "abc", "Limit": 100000}, "ValidationException",
     validation("Value '100000' at 'limit' failed to satisfy constraint: Member must have value less than or "
                "equal to 10000")),
    ("GetRecords", {"ShardIterator": ""}, "ValidationException",
     validation("Value '' at 'shardIterator' failed to satisfy constraint: Member must have length greater than "
                "or equal to 1")),
    ("GetRecords", {"ShardIterator": "abc"}, "InvalidArgumentException", "Invalid ShardIterator."),
    ("GetRecords", {"ShardIterator": "AAAAAAAAAAERubv/" + "A" * 100}, "InvalidArgumentException",
     "Invalid ShardIterator."),
    ("GetShardIterator", {"StreamName": STREAM, "ShardId": "shardId-000000000000", "ShardIteratorType": "FOO"},
     "ValidationException",
     validation("Value 'FOO' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value "
                "set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]")),
    ("IncreaseStreamRetentionPeriod", {"StreamName": STREAM, "RetentionPeriodHours": 23}, "InvalidArgumentException",
     "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short."),
    ("IncreaseStreamRetentionPeriod", {"StreamName": STREAM, "RetentionPeriodHours": 8761},
     "InvalidArgumentException",
     "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long."),
]


class BadInputTest(ServerTest):
    server_args = ("--state-delay-ms", "0")

    def setUp(self):
        super().setUp()
        self.kinesis = no_retry_client(self.server)
        self.addCleanup(getattr(self.kinesis, "close", lambda: None))
        self.kinesis.create_stream(StreamName=STREAM, ShardCount=1)
        wait_active(self.kinesis, STREAM)

    # Assertions ------------------------------------------------------------------------------
    def assert_request_id(self, r):
        self.assertRegex(r.header("x-amzn-requestid") or "", UUID, f"no x-amzn-RequestId on {r}")

    def assert_alive(self, conn=None):
        """The next request works on `conn` (the same keep-alive connection) and on a fresh one."""
        if conn is not None:
            try:
                r = conn.request(kinesis_request("ListStreams", {}))
            except (Closed, OSError) as e:
                self.fail(f"the server closed a keep-alive connection after a JSON-level error: {e!r}")
            self.assertEqual(r.status, 200, r)
            self.assert_request_id(r)
        with RawConn(self.server.port) as fresh:
            r = fresh.request(kinesis_request("DescribeStreamSummary", {"StreamName": STREAM}))
            self.assertEqual(r.status, 200, r)
            self.assert_request_id(r)

    def send_once(self, data, keep=True):
        """Sends one request on a new connection; returns (connection, response)."""
        conn = RawConn(self.server.port)
        self.addCleanup(conn.close)
        r = conn.request(data)
        self.assert_request_id(r)
        return conn, r

    def assert_json_error(self, data, error_type, message=ABSENT, status=400, same_connection=True):
        conn, r = self.send_once(data)
        self.assertEqual(r.status, status, r)
        self.assertEqual(r.header("content-type"), JSON_TYPE, r)
        body = r.json()
        key = "Message" if error_type == "SerializationException" else "message"
        if message is ABSENT:
            self.assertEqual(body, {"__type": error_type})
        elif message is ABSENT_CHECK:
            self.assertEqual(set(body), {"__type", key}, body)
            self.assertEqual(body["__type"], error_type, body)
        else:
            self.assertEqual(set(body), {"__type", key}, body)
            self.assertEqual(body["__type"], error_type, body)
            if isinstance(message, list):
                self.assertIn(body[key], message)
            else:
                self.assertEqual(body[key], message)
        self.assertTrue(r.keep_alive, f"connection closed after a JSON-level error: {r}")
        self.assert_alive(conn if same_connection else None)
        return body

    def assert_cbor_error(self, data, error_type):
        conn, r = self.send_once(data)
        self.assertEqual(r.status, 400, r)
        self.assertEqual(r.header("content-type"), CBOR_TYPE, r)
        body = cbor_decode(r.body)
        self.assertEqual(body.get("__type"), error_type, body)
        self.assertTrue(r.keep_alive)
        self.assert_alive(conn)

    def assert_xml_error(self, data, status, body):
        conn, r = self.send_once(data)
        self.assertEqual((r.status, r.body), (status, body), r)
        self.assert_alive(conn)

    def stored_records(self):
        it = self.kinesis.get_shard_iterator(StreamName=STREAM, ShardId="shardId-000000000000",
                                             ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        return self.kinesis.get_records(ShardIterator=it)["Records"]

    # Body that is not JSON --------------------------------------------------------------------
    def test_malformed_json(self):
        for body in (b"hello", b"{\"StreamName\" \"x\"}", b"{'StreamName': 'x'}", b"{,}", b"{\"a\":1}}"):
            with self.subTest(body=body):
                self.assert_json_error(kinesis_request("ListStreams", body), "SerializationException")

    def test_truncated_json(self):
        full = json.dumps({"StreamName": STREAM, "PartitionKey": "k", "Data": "YWJj"}).encode()
        for cut in (1, len(full) // 2, len(full) - 1):
            with self.subTest(cut=cut):
                self.assert_json_error(kinesis_request("PutRecord", full[:cut]), "SerializationException")
        self.assertEqual(self.stored_records(), [])

    def test_json_that_is_not_an_object(self):
        for body in (b'"StreamName"', b"42", b"null", b"true"):
            with self.subTest(body=body):
                self.assert_json_error(kinesis_request("ListStreams", body), "SerializationException")
        # An array is rejected too (AWS's exact wording for it is not recorded).
        for body in (b"[]", b'[{"StreamName": "x"}]'):
            with self.subTest(body=body):
                conn, r = self.send_once(kinesis_request("DescribeStream", body))
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.json()["__type"], "SerializationException")
                self.assert_alive(conn)

    def test_empty_body(self):
        self.assert_json_error(kinesis_request("ListStreams", b""), "SerializationException")
        self.assert_json_error(kinesis_request("PutRecord", b""), "SerializationException")
        # Without a target, an empty body is an unknown operation.
        self.assert_json_error(kinesis_request(None, b""), "UnknownOperationException")

    # Values of the right type that AWS rejects ------------------------------------------------
    def test_invalid_values(self):
        for op, body, error_type, message in INVALID_VALUES:
            with self.subTest(op=op, body=str(body)[:120]):
                if isinstance(message, tuple):
                    got = self.assert_json_error(kinesis_request(op, body), error_type, ABSENT_CHECK)
                    prefix = validation(*message).split(": ", 1)[0] + ": "
                    self.assertTrue(got["message"].startswith(prefix), got)
                    self.assertEqual(sorted(got["message"][len(prefix):].split("; ")), sorted(message))
                else:
                    self.assert_json_error(kinesis_request(op, body), error_type, message)
        self.assertEqual(self.kinesis.list_streams()["StreamNames"], [STREAM])
        self.assertEqual(self.stored_records(), [])

    def test_out_of_range_integers_are_rejected(self):
        # Larger than a Java int: AWS cannot take these as an Integer; whatever the error, nothing may be created
        # (the server must not truncate 2^32+1 to 1 shard or 2^31 to a stream without shards).
        for i, count in enumerate((2 ** 31, 2 ** 32 + 1, 10 ** 20, -(2 ** 32) + 1)):
            with self.subTest(count=count):
                conn, r = self.send_once(kinesis_request("CreateStream", b'{"StreamName":"huge%d","ShardCount":%d}'
                                                         % (i, count)))
                self.assertEqual(r.status, 400, r)
                self.assertIn(r.json()["__type"], ("SerializationException", "ValidationException",
                                                   "LimitExceededException", "InvalidArgumentException"), r)
                self.assert_alive(conn)
                self.assertNotIn(f"huge{i}", self.kinesis.list_streams()["StreamNames"])
        for hours in (2 ** 32 + 24, 2 ** 31 + 24):
            with self.subTest(hours=hours):
                conn, r = self.send_once(kinesis_request(
                    "IncreaseStreamRetentionPeriod", b'{"StreamName":"%s","RetentionPeriodHours":%d}'
                    % (STREAM.encode(), hours)))
                self.assertEqual(r.status, 400, r)
                self.assertIn(r.json()["__type"], ("SerializationException", "ValidationException",
                                                   "InvalidArgumentException"), r)
                summary = self.kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
                self.assertEqual(summary["RetentionPeriodHours"], 24)
        for limit in (2 ** 32 + 5, 1e400):
            with self.subTest(limit=limit):
                conn, r = self.send_once(kinesis_request("GetRecords", b'{"ShardIterator":"abc","Limit":%s}'
                                                         % str(limit).encode()))
                self.assertEqual(r.status, 400, r)
                self.assertIn(r.json()["__type"], ("SerializationException", "ValidationException"), r)

    def test_deeply_nested_json(self):
        for body in (b'{"Bogus":' + b"[" * 200000 + b"]" * 200000 + b"}",
                     b'{"Bogus":' + b'{"a":' * 100000 + b"1" + b"}" * 100000 + b"}",
                     b'{"Tags":' + b"[" * 100000 + b"]" * 100000 + b',"StreamName":"' + STREAM.encode() + b'"}',
                     b"[" * 500000):
            with self.subTest(body=body[:20]):
                conn, r = self.send_once(kinesis_request("AddTagsToStream", body))
                self.assertEqual(r.status, 400, r)
                self.assertIn(r.json()["__type"], ("SerializationException", "ValidationException"), r)
                self.assert_alive(conn)

    def test_content_type_parameters_are_accepted(self):
        conn, r = self.send_once(kinesis_request("ListStreams", {}, content_type=JSON_TYPE + "; charset=utf-8"))
        self.assertEqual(r.status, 200, r)
        self.assert_alive(conn)

    def test_unsigned_requests_without_json_content_type(self):
        # Observed on AWS (kinesalite test/connection.js): no signature and no JSON content type, whatever the
        # method, is MissingAuthenticationTokenException as XML with 403.
        missing = (b"<MissingAuthenticationTokenException>\n  <Message>Missing Authentication Token</Message>\n"
                   b"</MissingAuthenticationTokenException>\n")
        for method in ("GET", "PUT", "POST", "OPTIONS"):
            with self.subTest(method=method):
                self.assert_xml_error(kinesis_request(None, b"", content_type=None, auth=False, method=method),
                                      403, missing)
        # Signed GET/PUT: AccessDeniedException.
        for method in ("GET", "PUT"):
            with self.subTest(signed=method):
                self.assert_xml_error(kinesis_request(None, b"", content_type=None, method=method), 403,
                                      ACCESS_DENIED_XML)

    # Wrong JSON types ------------------------------------------------------------------------
    def test_wrong_json_types(self):
        for op, body, message in WRONG_TYPES:
            with self.subTest(op=op, body=body):
                self.assert_json_error(kinesis_request(op, body), "SerializationException", message)
        self.assertEqual(self.kinesis.list_streams()["StreamNames"], [STREAM], "nothing was created")
        self.assertEqual(self.stored_records(), [])

    def test_invalid_base64_data(self):
        for data, message in BAD_BASE64:
            with self.subTest(data=data):
                self.assert_json_error(
                    kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": data}),
                    "SerializationException", message)
                self.assert_json_error(
                    kinesis_request("PutRecords", {"StreamName": STREAM,
                                                   "Records": [{"PartitionKey": "k", "Data": "YQ=="},
                                                               {"PartitionKey": "k", "Data": data}]}),
                    "SerializationException", message)
        self.assertEqual(self.stored_records(), [])

    def test_unknown_fields_are_ignored(self):
        conn, r = self.send_once(kinesis_request(
            "PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": "YWJj", "Bogus": {"x": [1, None]},
                          "streamName": 5, "DATA": True}))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json()["ShardId"], "shardId-000000000000")
        r = conn.request(kinesis_request("CreateStream", {"StreamName": STREAM + "-2", "ShardCount": 1,
                                                          "Unknown": "x", "AlsoUnknown": [1, 2]}))
        self.assertEqual(r.status, 200, r)
        r = conn.request(kinesis_request("ListStreams", {"Nope": None, "Limit": 10}))
        self.assertEqual(r.status, 200, r)
        self.assertIn(STREAM + "-2", r.json()["StreamNames"])
        self.assertEqual([x["Data"] for x in self.stored_records()], [b"abc"])

    # Targets, content types, auth --------------------------------------------------------------
    def test_unknown_operation(self):
        for target in ("Kinesis_20131202.Bogus", "Kinesis_20131202.", "Kinesis_20131202.listStreams",
                       "Bogus_20131202.ListStreams", "Kinesis_20131202"):
            with self.subTest(target=target):
                self.assert_json_error(kinesis_request(None, {}, target=target), "UnknownOperationException")

    def test_missing_target(self):
        self.assert_json_error(kinesis_request(None, {}), "UnknownOperationException")
        self.assert_json_error(kinesis_request(None, {}, auth=False), "UnknownOperationException")

    def test_no_content_type(self):
        # No Content-Type, signed, valid target (kinesalite test/connection.js, observed on AWS).
        self.assert_xml_error(kinesis_request("ListStreams", b"", content_type=None), 403, ACCESS_DENIED_XML)
        self.assert_xml_error(kinesis_request(None, {}, content_type=None), 403, ACCESS_DENIED_XML)

    def test_wrong_content_type(self):
        for ctype in ("text/plain", "application/xml", "application/x-www-form-urlencoded"):
            with self.subTest(ctype=ctype):
                self.assert_xml_error(kinesis_request(None, {}, content_type=ctype), 403, ACCESS_DENIED_XML)
                # With a valid target and a body, AWS's exact answer is not recorded: AccessDenied (403) per
                # aws_errors.md, UnknownOperation (404) per kinesalite's code. Either way no JSON is parsed.
                conn, r = self.send_once(kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k",
                                                                       "Data": "YQ=="}, content_type=ctype))
                self.assertIn((r.status, r.body), [(403, ACCESS_DENIED_XML), (404, b"<UnknownOperationException/>\n")])
                self.assert_alive(conn)
        self.assertEqual(self.stored_records(), [])

    def test_old_json_content_type(self):
        # application/json (the old form): 200 with a Coral envelope.
        conn, r = self.send_once(kinesis_request("ListStreams", {}, content_type="application/json"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"Output": {"__type": "com.amazon.coral.service#UnknownOperationException",
                                               "message": None}, "Version": "1.0"})
        self.assert_alive(conn)
        conn, r = self.send_once(kinesis_request("ListStreams", b"hello", content_type="application/json"))
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json(), {"Output": {"__type": "com.amazon.coral.service#SerializationException",
                                               "Message": None}, "Version": "1.0"})
        self.assert_alive(conn)

    def test_missing_authorization(self):
        self.assert_json_error(kinesis_request("ListStreams", {}, auth=False), "MissingAuthenticationTokenException",
                               "Missing Authentication Token")
        self.assert_json_error(kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k",
                                                             "Data": "YQ=="}, auth=False),
                               "MissingAuthenticationTokenException", "Missing Authentication Token")
        self.assertEqual(self.stored_records(), [])

    def test_incomplete_authorization(self):
        self.assert_json_error(
            kinesis_request("ListStreams", {}, auth=False, headers={"Authorization": "X"}),
            "IncompleteSignatureException",
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' "
            "parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires "
            "existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=X")
        for header in ("AWS4- Signature=b Credential=a", "AWS4- Signature=b,Credential=a",
                       "AWS4- Signature=b, Credential=a"):
            with self.subTest(header=header):
                self.assert_json_error(
                    kinesis_request("ListStreams", {}, auth=False, headers={"Authorization": header, "Date": "a"}),
                    "IncompleteSignatureException",
                    f"Authorization header requires 'SignedHeaders' parameter. Authorization={header}")

    def test_query_string_auth_errors(self):
        self.assert_json_error(
            kinesis_request("ListStreams", {}, auth=False, path="/?X-Amz-Algorithm"),
            "IncompleteSignatureException",
            "AWS query-string parameters must include 'X-Amz-Algorithm'. AWS query-string parameters must include "
            "'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string "
            "parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. "
            "Re-examine the query-string parameters.")
        self.assert_json_error(
            kinesis_request("ListStreams", {}, auth=False, path="/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c"
                                                              "&X-Amz-Date=d"),
            "IncompleteSignatureException",
            "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.")

    def test_authorization_header_and_query_auth_together(self):
        self.assert_json_error(
            kinesis_request("ListStreams", {}, auth=False, headers={"Authorization": "X"}, path="/?X-Amz-Algorithm"),
            "InvalidSignatureException",
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.")

    # CBOR ----------------------------------------------------------------------------------------
    def test_cbor_works_then_malformed_and_truncated_cbor(self):
        with RawConn(self.server.port) as conn:
            r = conn.request(kinesis_request("ListStreams", cbor_encode({}), content_type=CBOR_TYPE))
            self.assertEqual(r.status, 200, r)
            self.assertEqual(cbor_decode(r.body)["StreamNames"], [STREAM])
        good = cbor_encode({"StreamName": STREAM, "PartitionKey": "k", "Data": b"abc"})
        for body in (b"\xff\xff", b"\x1c", b"\xbf\x61", b"\xa1\x61a", b"\x5f\x41", good[:-1], good[:len(good) // 2],
                     good + b"\x00", cbor_encode([1, 2]), cbor_encode("x")):
            with self.subTest(body=body):
                self.assert_cbor_error(kinesis_request("PutRecord", body, content_type=CBOR_TYPE),
                                       "SerializationException")
        self.assertEqual(self.stored_records(), [])

    # Sizes ---------------------------------------------------------------------------------------
    def test_oversize_record(self):
        data = base64.b64encode(b"x" * (10 * 1024 * 1024 + 1)).decode()
        n = 10 * 1024 * 1024 + 1
        self.assert_json_error(
            kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": data}),
            "ValidationException",
            f"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]' at 'data' "
            "failed to satisfy constraint: Member must have length less than or equal to 10485760")
        self.assert_json_error(
            kinesis_request("PutRecords", {"StreamName": STREAM, "Records": [{"PartitionKey": "k", "Data": data}]}),
            "ValidationException",
            f"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim={n} cap={n}]' at "
            "'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to "
            "10485760")
        self.assertEqual(self.stored_records(), [])

    def test_record_over_the_streams_max_record_size(self):
        # Within the model's 10 MiB but over the stream's default 1 MiB (data + partition key): AWS used to
        # say ValidationException (1048576, observed 2017); the 2025 docs list InvalidArgumentException.
        data = base64.b64encode(b"x" * (1024 * 1024)).decode()
        conn, r = self.send_once(kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k",
                                                               "Data": data}))
        self.assertEqual(r.status, 400, r)
        self.assertIn(r.json()["__type"], ("ValidationException", "InvalidArgumentException"))
        self.assert_alive(conn)
        self.assertEqual(self.stored_records(), [])

    # HTTP-level garbage ------------------------------------------------------------------------
    def assert_rejected_and_closed(self, data, statuses):
        """The server answers one of `statuses` (or just closes) and then closes the connection."""
        with RawConn(self.server.port) as conn:
            try:
                conn.send(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                r = conn.read_response(timeout=10)
            except Closed:
                r = None
            except socket.timeout:
                self.fail(f"the server neither answered nor closed within 10 s: {data[:80]!r}")
            if r is not None:
                self.assertIn(r.status, statuses, r)
                self.assert_request_id(r)
                self.assertTrue(conn.wait_closed(5), "connection left open after a protocol error")
        self.assert_alive()

    def test_garbage_request_line(self):
        for line in (b"GARBAGE\r\n\r\n", b"\x00\x01\x02\x03\r\n\r\n", b"POST / FOO\r\nHost: x\r\n\r\n",
                     b"POST /\r\n\r\n", b"POST  HTTP/1.1\r\n\r\n", b"\xff\xfe / HTTP/1.1\r\n\r\n"):
            with self.subTest(line=line):
                self.assert_rejected_and_closed(line, (400, 505))

    def test_bad_headers(self):
        self.assert_rejected_and_closed(b"POST / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", (400,))
        self.assert_rejected_and_closed(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", (400,))
        self.assert_rejected_and_closed(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n",
                                        (400,))
        self.assert_rejected_and_closed(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                                        (400,))

    def test_huge_headers(self):
        head = b"POST / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (70 * 1024) + b"\r\nContent-Length: 2\r\n\r\n{}"
        self.assert_rejected_and_closed(head, (431,))
        many = b"POST / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100)
                                                               for i in range(1000)) + b"\r\n"
        self.assert_rejected_and_closed(many, (431,))

    # Encodings -----------------------------------------------------------------------------------
    def test_non_utf8_bytes_in_json_strings(self):
        cases = [
            ("DescribeStream", b'{"StreamName": "\xff\xfe"}'),
            ("DescribeStream", b'{"StreamName": "ab\xc3"}'),
            ("DescribeStream", b'{"StreamName": "\xed\xa0\x80"}'),  # an encoded surrogate
            ("DescribeStream", b'{"StreamName": "\\ud800"}'),  # a lone escaped surrogate
            ("PutRecord", b'{"StreamName": "' + STREAM.encode() + b'", "PartitionKey": "\xc0\xaf", "Data": "YQ=="}'),
            ("PutRecord", b'{"StreamName": "' + STREAM.encode() + b'", "PartitionKey": "k\xff", "Data": "YQ=="}'),
        ]
        for op, body in cases:
            with self.subTest(body=body):
                conn, r = self.send_once(kinesis_request(op, body))
                self.assertEqual(r.status, 400, r)
                self.assertEqual(r.header("content-type"), JSON_TYPE)
                self.assertIn(r.json()["__type"], ("SerializationException", "ValidationException"))
                self.assertTrue(r.keep_alive)
                self.assert_alive(conn)
        self.assertEqual(self.stored_records(), [])

    def test_non_ascii_stream_name_is_a_validation_error(self):
        self.assert_json_error(
            kinesis_request("DescribeStream", {"StreamName": "strøm"}), "ValidationException",
            "1 validation error detected: Value 'strøm' at 'streamName' failed to satisfy constraint: Member must "
            "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")

    # Everything at once ----------------------------------------------------------------------
    def test_barrage_loses_no_acknowledged_record(self):
        first = self.kinesis.put_record(StreamName=STREAM, Data=b"keep me", PartitionKey="k")
        requests = [kinesis_request(op, body) for op, body, _ in WRONG_TYPES]
        requests += [kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k", "Data": d})
                     for d, _ in BAD_BASE64]
        requests += [kinesis_request("PutRecord", b"{\"StreamName\":"), kinesis_request("PutRecord", b""),
                     kinesis_request("PutRecord", b"[]"), kinesis_request(None, {}),
                     kinesis_request("ListStreams", {}, auth=False),
                     kinesis_request("PutRecord", b"\xff", content_type=CBOR_TYPE),
                     kinesis_request("PutRecord", b'{"StreamName":"bad-input","PartitionKey":"k\xff","Data":"YQ=="}')]
        # All of them pipelined on one keep-alive connection, then one good request.
        with RawConn(self.server.port) as conn:
            conn.send(b"".join(requests) + kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k",
                                                                         "Data": base64.b64encode(b"me too").decode()}))
            for req in requests:
                r = conn.read_response()
                self.assertGreaterEqual(r.status, 400, req[:200])
                self.assert_request_id(r)
            last = conn.read_response()
            self.assertEqual(last.status, 200, last)
        # Protocol-level garbage on other connections.
        for data in (b"GARBAGE\r\n\r\n", b"POST / HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n",
                     b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"):
            with RawConn(self.server.port) as conn:
                conn.send(data)
                conn.wait_closed(0.3)
        got = self.stored_records()
        self.assertEqual([(x["Data"], x["SequenceNumber"]) for x in got],
                         [(b"keep me", first["SequenceNumber"]), (b"me too", last.json()["SequenceNumber"])])


class OversizeBodyTest(unittest.TestCase):
    """--max-body-mib 1: a larger body gets 413 and the connection closes; the server keeps serving."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server(("--state-delay-ms", "0", "--max-body-mib", "1")).start()
        k = no_retry_client(cls.server)
        k.create_stream(StreamName=STREAM, ShardCount=1)
        wait_active(k, STREAM)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def assert_alive(self):
        with RawConn(self.server.port) as conn:
            r = conn.request(kinesis_request("ListStreams", {}))
            self.assertEqual(r.status, 200, r)

    def test_content_length_over_limit(self):
        body = b'{"StreamName":"' + STREAM.encode() + b'","PartitionKey":"k","Data":"' + b"QUFB" * 270000 + b'"}'
        self.assertGreater(len(body), 1 << 20)
        data = kinesis_request("PutRecord", body)
        head, _, rest = data.partition(b"\r\n\r\n")
        with RawConn(self.server.port) as conn:
            conn.send(head + b"\r\n\r\n")  # the headers alone already announce too much
            r = conn.read_response(timeout=10)
            self.assertEqual(r.status, 413, r)
            self.assertRegex(r.header("x-amzn-requestid") or "", UUID)
            self.assertEqual((r.header("connection") or "").lower(), "close")
            self.assertTrue(conn.wait_closed(5), "connection left open after 413")
        self.assert_alive()

    def test_whole_oversize_request_sent_at_once(self):
        body = b'{"StreamName":"' + STREAM.encode() + b'","PartitionKey":"k","Data":"' + b"QUFB" * 300000 + b'"}'
        with RawConn(self.server.port) as conn:
            try:
                conn.send(kinesis_request("PutRecord", body))
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                r = conn.read_response(timeout=10)
                self.assertEqual(r.status, 413, r)
            except Closed:
                pass  # the 413 may be lost to a reset when the server closes with unread input
            self.assertTrue(conn.wait_closed(5))
        self.assert_alive()

    def test_chunked_body_over_limit(self):
        head = (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
                b"X-Amz-Target: Kinesis_20131202.PutRecord\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * 65536
        with RawConn(self.server.port) as conn:
            conn.send(head)
            closed = False
            for _ in range(24):  # up to 1.5 MiB
                try:
                    conn.send(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
            if not closed:
                try:
                    r = conn.read_response(timeout=10)
                    self.assertEqual(r.status, 413, r)
                except Closed:
                    pass
                self.assertTrue(conn.wait_closed(5), "connection left open after a chunked body over the limit")
        self.assert_alive()

    def test_body_under_limit_is_accepted(self):
        raw = b"b" * (700 * 1024)  # base64 ~933 KiB: under 1 MiB
        with RawConn(self.server.port) as conn:
            r = conn.request(kinesis_request("PutRecord", {"StreamName": STREAM, "PartitionKey": "k",
                                                           "Data": base64.b64encode(raw).decode()}))
            self.assertEqual(r.status, 200, r)
            self.assertTrue(r.keep_alive)
            r = conn.request(kinesis_request("ListStreams", {}))
            self.assertEqual(r.status, 200, r)


if __name__ == "__main__":
    unittest.main()
