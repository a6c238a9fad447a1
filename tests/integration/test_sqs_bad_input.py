"""Bad input to SQS: AWS's error codes, messages and status codes, in whichever protocol this boto3
speaks (query under boto3 1.26, JSON 1.0 under a newer one), plus hand-made requests for what a
client would refuse to send, and the wire form of errors in both protocols.
"""
import json
import unittest
import urllib.parse

from sqs_testlib import ACCOUNT, NON_EXISTENT, XMLNS, SqsTest, raw_json, raw_query


class QueueAndAttributeErrors(SqsTest):
    def test_unknown_queue_in_every_queue_operation(self):
        url = self.url("missing")
        wording = ("The specified queue does not exist for this wsdl version." if self.protocol == "query"
                   else "The specified queue does not exist.")
        calls = [
            lambda: self.sqs.get_queue_url(QueueName="missing"),
            lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x"),
            lambda: self.sqs.receive_message(QueueUrl=url),
            lambda: self.sqs.delete_message(QueueUrl=url, ReceiptHandle="x"),
            lambda: self.sqs.get_queue_attributes(QueueUrl=url),
            lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "1"}),
            lambda: self.sqs.purge_queue(QueueUrl=url),
            lambda: self.sqs.delete_queue(QueueUrl=url),
            lambda: self.sqs.list_queue_tags(QueueUrl=url),
            lambda: self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle="x", VisibilityTimeout=1),
        ]
        for call in calls:
            self.assert_error(call, NON_EXISTENT, wording, 400)

    def test_malformed_queue_url(self):
        self.assert_error(lambda: self.sqs.send_message(QueueUrl="http://host/not/a/queue/url/at/all", MessageBody="x"),
                          "InvalidAddress", "The address http://host/not/a/queue/url/at/all is not valid for this "
                                            "endpoint.")

    def test_invalid_queue_names(self):
        self.assert_error(lambda: self.create("bad name"), "InvalidParameterValue",
                          "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        self.assert_error(lambda: self.create("x" * 81), "InvalidParameterValue")
        self.assert_error(lambda: self.create("standard.fifo"), "InvalidParameterValue")
        self.assert_error(lambda: self.create("nosuffix", FifoQueue="true"), "InvalidParameterValue",
                          "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, "
                          "must end with .fifo suffix and be 1 to 80 in length")

    def test_invalid_attribute_names_and_values(self):
        self.assert_error(lambda: self.create("a", Bogus="1"), "InvalidAttributeName", "Unknown Attribute Bogus.")
        self.assert_error(lambda: self.create("a", ContentBasedDeduplication="true"), "InvalidAttributeName",
                          "Unknown Attribute ContentBasedDeduplication.")
        for name, value in [("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("DelaySeconds", "901"),
                            ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
                            ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
                            ("ReceiveMessageWaitTimeSeconds", "21"), ("VisibilityTimeout", "abc")]:
            self.assert_error(lambda: self.create("a", **{name: value}), "InvalidAttributeValue",
                              f"Invalid value for the parameter {name}.")
        url = self.create("ok")
        self.assert_error(lambda: self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Nope"]),
                          "InvalidAttributeName", "Unknown Attribute Nope.")
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"QueueArn": "x"}),
                          "InvalidAttributeName", "Unknown Attribute QueueArn.")
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"}),
                          "InvalidAttributeName", "Unknown Attribute FifoQueue.")

    def test_redrive_policy_problems(self):
        url = self.create("rp")
        bad = json.dumps({"deadLetterTargetArn": self.arn("nowhere"), "maxReceiveCount": 3})
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": bad}),
                          "InvalidParameterValue",
                          f"Value {bad} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not "
                          "exist.")
        self.create("target")
        zero = json.dumps({"deadLetterTargetArn": self.arn("target"), "maxReceiveCount": 0})
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": zero}),
                          "InvalidParameterValue", message_contains="valid values are from 1 to 1000 both inclusive")
        self.assert_error(lambda: self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": "{}"}),
                          "InvalidParameterValue",
                          message_contains="Redrive policy does not contain mandatory attribute: deadLetterTargetArn")


class MessageErrors(SqsTest):
    def test_oversize_bodies_count_attributes(self):
        url = self.create("small", MaximumMessageSize=1024)
        self.sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x" * 1025), "InvalidParameterValue",
                          "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.")
        self.assert_error(lambda: self.sqs.send_message(
            QueueUrl=url, MessageBody="x" * 1000,
            MessageAttributes={"name": {"DataType": "String", "StringValue": "y" * 20}}),
            "InvalidParameterValue", message_contains="Message must be shorter than 1024 bytes.")
        big = self.create("big")
        self.sqs.send_message(QueueUrl=big, MessageBody="z" * 1048576)
        self.assertEqual(len(self.receive(big)[0]["Body"]), 1048576)
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=big, MessageBody="z" * 1048577),
                          "InvalidParameterValue", message_contains="Message must be shorter than 1048576 bytes.")

    def test_characters_outside_the_allowed_set(self):
        url = self.create("chars")
        for body in ["bad \x01 char", "\x0b", "\ufffe"]:
            self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody=body), "InvalidMessageContents",
                              "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF "
                              "| #xE000 to #xFFFD | #x10000 to #x10FFFF", 400)

    def test_invalid_utf8_over_the_query_protocol(self):
        url = self.create("utf8")
        r = raw_query(self.server.port, "SendMessage", "QueueUrl=" + urllib.parse.quote(url, safe="") + "&MessageBody=%FF%FE")
        self.assertEqual(r.status, 400)
        self.assertEqual(r.xml_values("Code"), ["InvalidMessageContents"])

    def test_message_attribute_problems(self):
        url = self.create("mattrs")
        cases = [
            ({"a": {"DataType": "Strung", "StringValue": "x"}},
             "The type of message (user) attribute 'a' is invalid. You must use only the following supported type "
             "prefixes: Binary, Number, String."),
            ({"a": {"DataType": "Number", "StringValue": "ten"}},
             "Can't cast the value of message (user) attribute 'a' to a number."),
            ({"AWS.reserved": {"DataType": "String", "StringValue": "x"}},
             "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for "
             "internal use. Additionally, they cannot start or end with '.'."),
            ({f"a{i}": {"DataType": "String", "StringValue": "x"} for i in range(11)},
             "Number of message attributes [11] exceeds the allowed maximum [10]."),
        ]
        for attrs, message in cases:
            self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes=attrs),
                              "InvalidParameterValue", message)

    def test_receive_parameter_ranges(self):
        url = self.create("ranges")
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11),
                          "InvalidParameterValue",
                          "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, "
                          "if provided.")
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=0),
                          "InvalidParameterValue", message_contains="MaxNumberOfMessages")
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21), "InvalidParameterValue",
                          "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if "
                          "provided.")
        self.assert_error(lambda: self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=43201),
                          "InvalidParameterValue", message_contains="VisibilityTimeout")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=901),
                          "InvalidParameterValue",
                          "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= "
                          "900.")

    def test_receipt_handles(self):
        url = self.create("handles", VisibilityTimeout=1)
        self.sqs.send_message(QueueUrl=url, MessageBody="x")
        first = self.receive(url)[0]["ReceiptHandle"]
        self.assert_error(lambda: self.sqs.delete_message(QueueUrl=url, ReceiptHandle="forged"),
                          "ReceiptHandleIsInvalid", 'The input receipt handle "forged" is not a valid receipt handle.')
        other = self.create("other")
        self.assert_error(lambda: self.sqs.delete_message(QueueUrl=other, ReceiptHandle=first),
                          "ReceiptHandleIsInvalid")
        import time
        time.sleep(1.1)
        second = self.receive(url)
        self.assertEqual(len(second), 1)
        self.assert_error(lambda: self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first), "InvalidParameterValue",
                          f"Value {first} for parameter ReceiptHandle is invalid. Reason: The receipt handle has "
                          "expired.")
        self.assert_error(lambda: self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=second[0][
            "ReceiptHandle"], VisibilityTimeout=43201), "InvalidParameterValue", message_contains="VisibilityTimeout")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=second[0]["ReceiptHandle"])


class BatchErrors(SqsTest):
    def test_batch_shape_errors(self):
        url = self.create("batch")
        self.assert_error(lambda: self.sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(11)]),
            "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
            "Maximum number of entries per request are 10. You have sent 11.", 400)
        self.assert_error(lambda: self.sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}]),
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id a repeated.", 400)
        self.assert_error(lambda: self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": "a b", "MessageBody": "x"}]),
                          "AWS.SimpleQueueService.InvalidBatchEntryId",
                          "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can "
                          "be at most 80 letters long.")
        self.assert_error(lambda: self.sqs.send_message_batch(QueueUrl=url, Entries=[]),
                          "AWS.SimpleQueueService.EmptyBatchRequest",
                          "There should be at least one SendMessageBatchRequestEntry in the request.")
        self.assert_error(lambda: self.sqs.delete_message_batch(QueueUrl=url, Entries=[]),
                          "AWS.SimpleQueueService.EmptyBatchRequest",
                          "There should be at least one DeleteMessageBatchRequestEntry in the request.")
        self.assert_error(lambda: self.sqs.change_message_visibility_batch(
            QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": "h"}] * 2),
            "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        self.assert_error(lambda: self.sqs.send_message_batch(
            QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x" * 200000} for i in range(6)]),
            "AWS.SimpleQueueService.BatchRequestTooLong",
            "Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.")


class FifoParameterErrors(SqsTest):
    def test_fifo_parameters_on_a_standard_queue(self):
        url = self.create("std")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageDeduplicationId="d"),
                          "InvalidParameterValue",
                          "Value d for parameter MessageDeduplicationId is invalid. Reason: The request include "
                          "parameter that is not valid for this queue type.")

    def test_standard_parameters_on_a_fifo_queue(self):
        url = self.create("q.fifo", FifoQueue="true")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x"), "MissingParameter",
                          "The request must contain the parameter MessageGroupId.")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g"),
                          "InvalidParameterValue",
                          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                          "provided explicitly")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g",
                                                        MessageDeduplicationId="d", DelaySeconds=5),
                          "InvalidParameterValue",
                          "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that "
                          "is not valid for this queue type.")
        self.assert_error(lambda: self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g" * 129,
                                                        MessageDeduplicationId="d"),
                          "InvalidParameterValue", message_contains="MessageGroupId can only include alphanumeric and "
                                                                    "punctuation characters. 1 to 128 in length.")
        out = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "ok", "MessageBody": "x", "MessageGroupId": "g", "MessageDeduplicationId": "d"},
            {"Id": "nogroup", "MessageBody": "y", "MessageDeduplicationId": "e"}])
        self.assertEqual([e["Id"] for e in out["Successful"]], ["ok"])
        self.assertEqual(out["Failed"][0]["Code"], "MissingParameter")
        self.assertIn("SequenceNumber", out["Successful"][0])


class WireForms(SqsTest):
    """What the errors look like on the wire, whatever protocol this boto3 uses."""

    def test_query_error_xml(self):
        r = raw_query(self.server.port, "GetQueueUrl", {"QueueName": "none"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.headers["content-type"], "text/xml")
        self.assertIn(f'<ErrorResponse xmlns="{XMLNS}"><Error><Type>Sender</Type>'
                      "<Code>AWS.SimpleQueueService.NonExistentQueue</Code>", r.text)
        self.assertEqual(r.xml_values("RequestId"), [r.headers["x-amzn-requestid"]])

    def test_json_error_with_query_error_header(self):
        r = raw_json(self.server.port, "GetQueueUrl", {"QueueName": "none"})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.headers["content-type"], "application/x-amz-json-1.0")
        self.assertEqual(r.headers["x-amzn-query-error"], "AWS.SimpleQueueService.NonExistentQueue;Sender")
        self.assertEqual(r.json(), {"__type": "com.amazonaws.sqs#QueueDoesNotExist",
                                    "message": "The specified queue does not exist."})

    def test_missing_parameters_both_protocols(self):
        url = self.create("params")
        r = raw_query(self.server.port, "SendMessage", {"QueueUrl": url})
        self.assertEqual(r.xml_values("Code"), ["MissingParameter"])
        self.assertEqual(r.xml_values("Message"), ["The request must contain the parameter MessageBody."])
        j = raw_json(self.server.port, "SendMessage", {"QueueUrl": url, "MessageBody": ""})
        self.assertEqual(j.headers["x-amzn-query-error"], "MissingParameter;Sender")
        self.assertEqual(j.json()["message"], "The request must contain the parameter MessageBody.")
        r = raw_query(self.server.port, "CreateQueue", {})
        self.assertEqual(r.xml_values("Message"), ["The request must contain the parameter QueueName."])

    def test_unknown_action_and_version_routing(self):
        r = raw_query(self.server.port, "Frobnicate", {})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.xml_values("Code"), ["InvalidAction"])
        self.assertEqual(r.xml_values("Message"), ["The action Frobnicate is not valid for this endpoint."])
        # No Version: the credential scope (sqs) picks the service; JS sends no charset.
        r = raw_query(self.server.port, "ListQueues", {}, version=None,
                      content_type="application/x-www-form-urlencoded")
        self.assertEqual(r.status, 200, r)
        self.assertIn("<ListQueuesResponse", r.text)

    def test_queue_addressed_by_path(self):
        self.create("bypath")
        path = f"/{ACCOUNT}/bypath"
        r = raw_query(self.server.port, "SendMessage", {"MessageBody": "via path"}, path=path)
        self.assertEqual(r.status, 200, r)
        j = raw_json(self.server.port, "ReceiveMessage", {}, path=path)
        self.assertEqual(j.json()["Messages"][0]["Body"], "via path")
        self.assertEqual(len(j.json()["Messages"][0]["MD5OfBody"]), 32)

    def test_wrong_json_types(self):
        url = self.create("types")
        r = raw_json(self.server.port, "ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": "ten"})
        self.assertEqual(r.status, 400)
        self.assertIn("SerializationException", r.json()["__type"])


if __name__ == "__main__":
    unittest.main()
