"""Every SQS operation through boto3, against the real binary.

Under Debian's boto3 1.26 the client speaks the query protocol (form bodies, XML answers); under a
newer boto3 it speaks JSON 1.0 (ctest runs this file under both). The three move-task operations
are missing from botocore 1.29's model, so there they go out as hand-made query requests.
"""
import base64
import hashlib
import json
import time
import unittest

import harness

from sqs_testlib import ACCOUNT, NON_EXISTENT, REGION, XMLNS, SqsTest, raw_json, raw_query


class QueueLifecycle(SqsTest):
    def test_create_get_list_delete(self):
        url = self.create("life", VisibilityTimeout=45)
        self.assertEqual(url, self.url("life"))
        self.assertEqual(self.sqs.get_queue_url(QueueName="life")["QueueUrl"], url)
        self.assertEqual(self.sqs.list_queues()["QueueUrls"], [url])
        self.sqs.delete_queue(QueueUrl=url)
        self.assertNotIn("QueueUrls", self.sqs.list_queues())
        self.assert_error(lambda: self.sqs.get_queue_url(QueueName="life"), NON_EXISTENT, status=400)

    def test_create_is_idempotent_only_with_equal_attributes(self):
        url = self.create("idem", VisibilityTimeout=40, DelaySeconds=3)
        self.assertEqual(self.create("idem", VisibilityTimeout=40), url)
        self.assertEqual(self.create("idem"), url)
        self.assert_error(lambda: self.create("idem", VisibilityTimeout=41), "QueueAlreadyExists",
                          "A queue already exists with the same name and a different value for attribute "
                          "VisibilityTimeout", 400)

    def test_create_with_tags(self):
        url = self.sqs.create_queue(QueueName="tagged", tags={"team": "a", "env": "dev"})["QueueUrl"]
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "a", "env": "dev"})

    def test_list_queues_prefix_and_pagination(self):
        for name in ["b-1", "a-1", "a-2", "a-3", "c"]:
            self.create(name)
        self.assertEqual(self.sqs.list_queues(QueueNamePrefix="a-")["QueueUrls"],
                         [self.url("a-1"), self.url("a-2"), self.url("a-3")])
        page1 = self.sqs.list_queues(MaxResults=2)
        self.assertEqual(page1["QueueUrls"], [self.url("a-1"), self.url("a-2")])
        page2 = self.sqs.list_queues(MaxResults=2, NextToken=page1["NextToken"])
        self.assertEqual(page2["QueueUrls"], [self.url("a-3"), self.url("b-1")])
        page3 = self.sqs.list_queues(MaxResults=2, NextToken=page2["NextToken"])
        self.assertEqual(page3["QueueUrls"], [self.url("c")])
        self.assertNotIn("NextToken", page3)

    def test_queue_urls_follow_the_request_host(self):
        r = raw_query(self.server.port, "CreateQueue", {"QueueName": "hosted"},
                      extra_headers={"Host": "classroom.example:4566"})
        self.assertEqual(r.xml_values("QueueUrl"), [f"http://classroom.example:4566/{ACCOUNT}/hosted"])

    def test_accounts_and_regions_are_separate(self):
        other = self.server.client("sqs", key="123456789012")
        url = other.create_queue(QueueName="mine")["QueueUrl"]
        self.assertEqual(url, f"{self.server.endpoint}/123456789012/mine")
        self.assertNotIn("QueueUrls", self.sqs.list_queues())
        self.assertEqual(self.sqs.get_queue_url(QueueName="mine", QueueOwnerAWSAccountId="123456789012")["QueueUrl"],
                         url)
        elsewhere = self.server.client("sqs", region="eu-west-1")
        elsewhere.create_queue(QueueName="mine")
        self.assertNotIn("QueueUrls", self.sqs.list_queues())
        self.assertEqual(elsewhere.get_queue_attributes(QueueUrl=self.url("mine"), AttributeNames=["QueueArn"])
                         ["Attributes"]["QueueArn"], f"arn:aws:sqs:eu-west-1:{ACCOUNT}:mine")


class Attributes(SqsTest):
    def test_defaults_and_computed_attributes(self):
        url = self.create("attrs")
        a = self.attributes(url)
        self.assertEqual(a["VisibilityTimeout"], "30")
        self.assertEqual(a["MaximumMessageSize"], "1048576")
        self.assertEqual(a["MessageRetentionPeriod"], "345600")
        self.assertEqual(a["DelaySeconds"], "0")
        self.assertEqual(a["ReceiveMessageWaitTimeSeconds"], "0")
        self.assertEqual(a["QueueArn"], self.arn("attrs"))
        self.assertEqual(a["ApproximateNumberOfMessages"], "0")
        self.assertLessEqual(abs(int(a["CreatedTimestamp"]) - time.time()), 5)
        self.assertNotIn("FifoQueue", a)
        self.assertEqual(self.attributes(url, "QueueArn"), {"QueueArn": self.arn("attrs")})

    def test_set_and_read_back(self):
        url = self.create("set")
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "100", "DelaySeconds": "5",
                                                                "Policy": json.dumps({"Version": "2012-10-17"})})
        a = self.attributes(url)
        self.assertEqual(a["VisibilityTimeout"], "100")
        self.assertEqual(a["DelaySeconds"], "5")
        self.assertEqual(json.loads(a["Policy"]), {"Version": "2012-10-17"})

    def test_counts(self):
        url = self.create("counts")
        self.sqs.send_message(QueueUrl=url, MessageBody="a")
        self.sqs.send_message(QueueUrl=url, MessageBody="b")
        self.sqs.send_message(QueueUrl=url, MessageBody="c", DelaySeconds=60)
        self.receive(url, MaxNumberOfMessages=1)
        a = self.attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
                            "ApproximateNumberOfMessagesDelayed")
        self.assertEqual(a, {"ApproximateNumberOfMessages": "1", "ApproximateNumberOfMessagesNotVisible": "1",
                             "ApproximateNumberOfMessagesDelayed": "1"})

    def test_fifo_attributes(self):
        url = self.create("f.fifo", FifoQueue="true", ContentBasedDeduplication="true")
        a = self.attributes(url)
        self.assertEqual(a["FifoQueue"], "true")
        self.assertEqual(a["ContentBasedDeduplication"], "true")
        self.assertEqual(a["DeduplicationScope"], "queue")
        self.assertEqual(a["FifoThroughputLimit"], "perQueue")


class Messages(SqsTest):
    def test_send_receive_delete_with_md5s(self):
        url = self.create("msgs")
        attrs = {"attr1": {"DataType": "String", "StringValue": "v1"},
                 "num": {"DataType": "Number", "StringValue": "42"},
                 "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="hello sqs", MessageAttributes=attrs)
        self.assertEqual(sent["MD5OfMessageBody"], "3b7bef57d06c0021d0aafe8f6d587241")
        self.assertEqual(sent["MD5OfMessageAttributes"], "daf2934cd1aa4497d7ced41c6c2088c5")
        self.assertNotIn("SequenceNumber", sent)
        got = self.receive(url, AttributeNames=["All"], MessageAttributeNames=["All"])
        self.assertEqual(len(got), 1)
        m = got[0]
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["Body"], "hello sqs")
        self.assertEqual(m["MD5OfBody"], hashlib.md5(b"hello sqs").hexdigest())
        self.assertEqual(m["MD5OfMessageAttributes"], "daf2934cd1aa4497d7ced41c6c2088c5")
        self.assertEqual(m["MessageAttributes"]["bin"]["BinaryValue"], b"\x00\x01\x02")
        self.assertEqual(m["MessageAttributes"]["num"], {"DataType": "Number", "StringValue": "42"})
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertEqual(m["Attributes"]["SenderId"], ACCOUNT)
        self.assertLessEqual(abs(int(m["Attributes"]["SentTimestamp"]) / 1000 - time.time()), 5)
        self.assertIn("ApproximateFirstReceiveTimestamp", m["Attributes"])
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        self.assertEqual(self.attributes(url, "ApproximateNumberOfMessagesNotVisible"),
                         {"ApproximateNumberOfMessagesNotVisible": "0"})

    def test_attribute_filters(self):
        url = self.create("filters")
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes={
            "a.one": {"DataType": "String", "StringValue": "1"}, "b": {"DataType": "String", "StringValue": "2"}})
        m = self.receive(url, MessageAttributeNames=["a.*"], AttributeNames=["SentTimestamp"], VisibilityTimeout=0)[0]
        self.assertEqual(list(m["MessageAttributes"]), ["a.one"])
        self.assertEqual(list(m["Attributes"]), ["SentTimestamp"])
        one = {"a.one": {"DataType": "String", "StringValue": "1"}}
        from_digest = self.sqs.send_message(QueueUrl=self.create("digest"), MessageBody="x", MessageAttributes=one)
        self.assertEqual(m["MD5OfMessageAttributes"], from_digest["MD5OfMessageAttributes"])
        bare = self.receive(url)[0]
        self.assertNotIn("MessageAttributes", bare)
        self.assertNotIn("MD5OfMessageAttributes", bare)
        self.assertNotIn("Attributes", bare)

    def test_xml_special_characters_survive(self):
        url = self.create("chars")
        body = "<a href=\"x\">&amp; 'quotes'</a>\r\n\ttab é 😀"
        self.sqs.send_message(QueueUrl=url, MessageBody=body)
        self.assertEqual(self.receive(url)[0]["Body"], body)

    def test_send_message_batch(self):
        url = self.create("batch")
        out = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "a", "MessageBody": "one"},
            {"Id": "b", "MessageBody": "two", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
            {"Id": "c", "MessageBody": "three", "DelaySeconds": 901}])
        self.assertEqual(sorted(e["Id"] for e in out["Successful"]), ["a", "b"])
        b = [e for e in out["Successful"] if e["Id"] == "b"][0]
        self.assertEqual(b["MD5OfMessageBody"], hashlib.md5(b"two").hexdigest())
        self.assertIn("MD5OfMessageAttributes", b)
        self.assertEqual(out["Failed"], [{"Id": "c", "SenderFault": True, "Code": "InvalidParameterValue",
                                          "Message": "Value 901 for parameter DelaySeconds is invalid. Reason: "
                                                     "DelaySeconds must be >= 0 and <= 900."}])
        self.assertEqual(sorted(m["Body"] for m in self.receive(url)), ["one", "two"])

    def test_delete_and_change_visibility_batches(self):
        url = self.create("batches")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": str(i)} for i in range(4)])
        got = self.receive(url)
        self.assertEqual(len(got), 4)
        handles = [m["ReceiptHandle"] for m in got]
        out = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[
            {"Id": "x", "ReceiptHandle": handles[0], "VisibilityTimeout": 0},
            {"Id": "y", "ReceiptHandle": "garbage", "VisibilityTimeout": 10}])
        self.assertEqual(out["Successful"], [{"Id": "x"}])
        self.assertEqual(out["Failed"][0]["Id"], "y")
        self.assertEqual(out["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        again = self.receive(url)
        self.assertEqual([m["Body"] for m in again], [got[0]["Body"]])
        out = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "r", "ReceiptHandle": handles[0]},  # stale: the message was received again
            {"Id": "p", "ReceiptHandle": again[0]["ReceiptHandle"]},
            {"Id": "q", "ReceiptHandle": handles[1]}])
        self.assertEqual(sorted(e["Id"] for e in out["Successful"]), ["p", "q"])
        self.assertEqual(out["Failed"][0]["Id"], "r")
        self.assertEqual(out["Failed"][0]["Code"], "InvalidParameterValue")

    def test_change_message_visibility(self):
        url = self.create("chvis")
        self.sqs.send_message(QueueUrl=url, MessageBody="m")
        m = self.receive(url)[0]
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=0)
        again = self.receive(url)
        self.assertEqual(len(again), 1)
        self.assertEqual(again[0]["MessageId"], m["MessageId"])

    def test_purge(self):
        url = self.create("purge")
        self.sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(5)])
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(self.receive(url), [])
        self.assert_error(lambda: self.sqs.purge_queue(QueueUrl=url), "AWS.SimpleQueueService.PurgeQueueInProgress",
                          "Only one PurgeQueue operation on purge is allowed every 60 seconds.", 403)


class TagsAndPermissions(SqsTest):
    def test_tag_untag_list(self):
        url = self.create("tags")
        self.assertNotIn("Tags", self.sqs.list_queue_tags(QueueUrl=url))
        self.sqs.tag_queue(QueueUrl=url, Tags={"a": "1", "b": "2"})
        self.sqs.tag_queue(QueueUrl=url, Tags={"b": "3"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"a": "1", "b": "3"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["a"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"b": "3"})

    def test_add_and_remove_permission(self):
        url = self.create("perm")
        self.sqs.add_permission(QueueUrl=url, Label="share", AWSAccountIds=["111122223333"],
                                Actions=["SendMessage", "ReceiveMessage"])
        policy = json.loads(self.attributes(url, "Policy")["Policy"])
        st = policy["Statement"][0]
        self.assertEqual(st["Sid"], "share")
        self.assertEqual(st["Principal"], {"AWS": "arn:aws:iam::111122223333:root"})
        self.assertEqual(st["Action"], ["SQS:SendMessage", "SQS:ReceiveMessage"])
        self.assertEqual(st["Resource"], self.arn("perm"))
        self.assert_error(lambda: self.sqs.add_permission(QueueUrl=url, Label="share", AWSAccountIds=["111122223333"],
                                                          Actions=["SendMessage"]),
                          "InvalidParameterValue", "Value share for parameter Label is invalid. Reason: Already exists.")
        self.sqs.remove_permission(QueueUrl=url, Label="share")
        self.assertNotIn("Policy", self.attributes(url))
        self.assert_error(lambda: self.sqs.remove_permission(QueueUrl=url, Label="share"), "InvalidParameterValue",
                          "Value share for parameter Label is invalid. Reason: can't find label.")


class DeadLettersAndMoveTasks(SqsTest):
    def move_call(self, operation, **params):
        """The move-task operations through the client when its model has them, else raw query."""
        method = {"StartMessageMoveTask": "start_message_move_task", "ListMessageMoveTasks": "list_message_move_tasks",
                  "CancelMessageMoveTask": "cancel_message_move_task"}[operation]
        if hasattr(self.sqs, method):
            return getattr(self.sqs, method)(**params)
        r = raw_query(self.server.port, operation, {k: str(v) for k, v in params.items()})
        self.assertEqual(r.status, 200, r)
        return r

    def test_redrive_and_dead_letter_sources(self):
        dlq = self.create("dlq")
        src = self.create("src", VisibilityTimeout=0, RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": self.arn("dlq"), "maxReceiveCount": 2}))
        self.assertEqual(json.loads(self.attributes(src, "RedrivePolicy")["RedrivePolicy"]),
                         {"deadLetterTargetArn": self.arn("dlq"), "maxReceiveCount": 2})
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison")
        self.assertEqual(len(self.receive(src)), 1)
        self.assertEqual(len(self.receive(src)), 1)
        self.assertEqual(self.receive(src), [])
        dead = self.receive(dlq, AttributeNames=["All"])
        self.assertEqual(len(dead), 1)
        self.assertEqual(dead[0]["MessageId"], sent["MessageId"])
        self.assertEqual(dead[0]["Attributes"]["DeadLetterQueueSourceArn"], self.arn("src"))
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])

    def test_move_task_back_to_source(self):
        dlq = self.create("mdlq")
        src = self.create("msrc", VisibilityTimeout=0, RedrivePolicy=json.dumps(
            {"deadLetterTargetArn": self.arn("mdlq"), "maxReceiveCount": 1}))
        self.sqs.send_message_batch(QueueUrl=src, Entries=[{"Id": str(i), "MessageBody": str(i)} for i in range(3)])
        self.receive(src)
        self.receive(src)
        self.assertEqual(self.attributes(dlq, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"], "3")
        started = self.move_call("StartMessageMoveTask", SourceArn=self.arn("mdlq"))
        handle = started["TaskHandle"] if isinstance(started, dict) else started.xml_values("TaskHandle")[0]
        self.assertEqual(json.loads(base64.b64decode(handle))["sourceArn"], self.arn("mdlq"))

        def moved():
            return self.attributes(src, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"] == "3"
        deadline = time.time() + 10
        while not moved() and time.time() < deadline:
            time.sleep(0.05)
        self.assertTrue(moved())
        listed = self.move_call("ListMessageMoveTasks", SourceArn=self.arn("mdlq"), MaxResults=10)
        if isinstance(listed, dict):
            task = listed["Results"][0]
            self.assertEqual(task["Status"], "COMPLETED")
            self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 3)
        else:
            self.assertEqual(listed.xml_values("Status"), ["COMPLETED"])
            self.assertEqual(listed.xml_values("ApproximateNumberOfMessagesMoved"), ["3"])

    def test_move_task_errors_and_cancel(self):
        self.create("plain")
        r = raw_json(self.server.port, "StartMessageMoveTask", {"SourceArn": self.arn("plain")})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["message"], "Source queue must be configured as a Dead Letter Queue.")
        self.assertEqual(r.headers["x-amzn-query-error"], "InvalidParameterValue;Sender")
        r = raw_json(self.server.port, "StartMessageMoveTask", {"SourceArn": self.arn("missing")})
        self.assertEqual(r.status, 404)
        self.assertEqual(r.json()["__type"], "com.amazonaws.sqs#ResourceNotFoundException")
        r = raw_json(self.server.port, "CancelMessageMoveTask", {"TaskHandle": "bm9wZQ=="})
        self.assertEqual(r.json()["message"], "Value for parameter TaskHandle is invalid.")


@unittest.skipUnless(harness.cli_available(), "AWS CLI not configured (STREAMLAB_AWS_CLI)")
class Cli(SqsTest):
    def test_cli_round_trip(self):
        url = self.server.cli("sqs", "create-queue", "--queue-name", "cli", "--attributes",
                              "VisibilityTimeout=20")["QueueUrl"]
        self.assertEqual(url, self.url("cli"))
        sent = self.server.cli("sqs", "send-message", "--queue-url", url, "--message-body", "hello cli",
                               "--message-attributes", '{"k":{"DataType":"String","StringValue":"v"}}')
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5(b"hello cli").hexdigest())
        got = self.server.cli("sqs", "receive-message", "--queue-url", url, "--attribute-names", "All",
                              "--message-attribute-names", "All")["Messages"]
        self.assertEqual(got[0]["Body"], "hello cli")
        self.assertEqual(got[0]["MessageAttributes"]["k"]["StringValue"], "v")
        self.server.cli("sqs", "change-message-visibility", "--queue-url", url, "--receipt-handle",
                        got[0]["ReceiptHandle"], "--visibility-timeout", "0")
        again = self.server.cli("sqs", "receive-message", "--queue-url", url)["Messages"]
        self.server.cli("sqs", "delete-message", "--queue-url", url, "--receipt-handle", again[0]["ReceiptHandle"])
        attrs = self.server.cli("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                                "All")["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")
        self.assertEqual(attrs["VisibilityTimeout"], "20")
        self.server.cli("sqs", "tag-queue", "--queue-url", url, "--tags", "k=v")
        self.assertEqual(self.server.cli("sqs", "list-queue-tags", "--queue-url", url)["Tags"], {"k": "v"})
        self.assertEqual(self.server.cli("sqs", "list-queues")["QueueUrls"], [url])
        self.server.cli("sqs", "purge-queue", "--queue-url", url)
        self.server.cli("sqs", "delete-queue", "--queue-url", url)

    def test_cli_errors(self):
        p = self.server.cli("sqs", "get-queue-url", "--queue-name", "nope", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", p.stderr)
        self.assertIn("The specified queue does not exist for this wsdl version.", p.stderr)


if __name__ == "__main__":
    unittest.main()
