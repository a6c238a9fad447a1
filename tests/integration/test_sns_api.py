"""Every SNS operation through boto3 (query protocol in every boto3), with AWS's answers for bad input,
and delivery to SQS: the JSON envelope exactly as AWS writes it, raw delivery with attributes, FIFO."""
import json
import re
import unittest
import urllib.error
import urllib.request

from sns_testlib import ACCOUNT, REGION, SnsTest, verify_signature


class Topics(SnsTest):
    def test_create_is_idempotent_and_listed(self):
        arn = self.topic("orders")
        self.assertEqual(arn, f"arn:aws:sns:{REGION}:{ACCOUNT}:orders")
        self.assertEqual(self.topic("orders"), arn)
        fifo = self.sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
        arns = [t["TopicArn"] for t in self.sns.list_topics()["Topics"]]
        self.assertEqual(sorted(arns), sorted([arn, fifo]))
        self.assert_error(lambda: self.sns.create_topic(Name="orders", Attributes={"DisplayName": "other"}),
                          "InvalidParameter",
                          "Invalid parameter: Attributes Reason: Topic already exists with different attributes")

    def test_bad_names(self):
        self.assert_error(lambda: self.sns.create_topic(Name="bad name"), "InvalidParameter",
                          "Invalid parameter: Topic Name")
        self.assert_error(lambda: self.sns.create_topic(Name="x" * 257), "InvalidParameter",
                          "Invalid parameter: Topic Name")
        self.assert_error(lambda: self.sns.create_topic(Name="std.fifo"), "InvalidParameter",
                          "Invalid parameter: Topic Name")
        self.assert_error(lambda: self.sns.create_topic(Name="nofifo", Attributes={"FifoTopic": "true"}),
                          "InvalidParameter",
                          "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase "
                          "ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 "
                          "characters long.")

    def test_paging(self):
        for i in range(105):
            self.topic(f"t{i:03d}")
        first = self.sns.list_topics()
        self.assertEqual(len(first["Topics"]), 100)
        second = self.sns.list_topics(NextToken=first["NextToken"])
        self.assertEqual(len(second["Topics"]), 5)
        self.assertNotIn("NextToken", second)
        paginated = [t for page in self.sns.get_paginator("list_topics").paginate() for t in page["Topics"]]
        self.assertEqual(len(paginated), 105)

    def test_attributes(self):
        arn = self.topic("attrs", DisplayName="Orders")
        a = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(a["DisplayName"], "Orders")
        self.assertEqual(a["TopicArn"], arn)
        self.assertEqual(a["Owner"], ACCOUNT)
        self.assertEqual(a["SubscriptionsConfirmed"], "0")
        policy = json.loads(a["Policy"])
        self.assertEqual(policy["Statement"][0]["Resource"], arn)
        self.assertIn("defaultHealthyRetryPolicy", json.loads(a["EffectiveDeliveryPolicy"])["http"])
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="New")
        a = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual((a["SignatureVersion"], a["DisplayName"]), ("2", "New"))
        self.assert_error(lambda: self.sns.set_topic_attributes(TopicArn=arn, AttributeName="Nope", AttributeValue="1"),
                          "InvalidParameter", "Invalid parameter: AttributeName")
        self.assert_error(
            lambda: self.sns.set_topic_attributes(TopicArn=arn, AttributeName="ContentBasedDeduplication",
                                                  AttributeValue="true"),
            "InvalidParameter", message_startswith="Invalid parameter: ContentBasedDeduplication")
        fifo = self.sns.create_topic(Name="a.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
        a = self.sns.get_topic_attributes(TopicArn=fifo)["Attributes"]
        self.assertEqual((a["FifoTopic"], a["ContentBasedDeduplication"]), ("true", "false"))

    def test_not_found_and_bad_arns(self):
        missing = f"arn:aws:sns:{REGION}:{ACCOUNT}:missing"
        self.assert_error(lambda: self.sns.get_topic_attributes(TopicArn=missing), "NotFound", "Topic does not exist",
                          status=404)
        self.assert_error(lambda: self.sns.get_topic_attributes(TopicArn="nope"), "InvalidParameter",
                          "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1")
        self.assert_error(lambda: self.sns.get_topic_attributes(TopicArn=f"arn:aws:sns:eu-west-1:{ACCOUNT}:x"),
                          "InvalidParameter", "Invalid parameter: TopicArn")
        self.sns.delete_topic(TopicArn=missing)  # idempotent

    def test_delete_removes_subscriptions(self):
        arn = self.topic("gone")
        _, q = self.queue("gone-q")
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)["SubscriptionArn"]
        self.sns.delete_topic(TopicArn=arn)
        self.assertEqual(self.sns.list_topics()["Topics"], [])
        self.assert_error(lambda: self.sns.get_subscription_attributes(SubscriptionArn=sub), "NotFound",
                          "Subscription does not exist", status=404)

    def test_tags(self):
        arn = self.sns.create_topic(Name="tagged", Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "b"}])
        tags = self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"]
        self.assertEqual(tags, [{"Key": "team", "Value": "b"}, {"Key": "env", "Value": "dev"}])
        self.sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "dev"}])
        self.assert_error(lambda: self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "1"},
                                                                                {"Key": "k", "Value": "2"}]),
                          "InvalidParameter", "Invalid parameter: Duplicated keys are not allowed.")
        self.assert_error(lambda: self.sns.list_tags_for_resource(ResourceArn=arn + "x"), "ResourceNotFound",
                          "Resource does not exist", status=404)
        self.assert_error(lambda: self.sns.create_topic(Name="tagged", Tags=[{"Key": "new", "Value": "x"}]),
                          "InvalidParameter", "Invalid parameter: Tags Reason: Topic already exists with different tags")

    def test_permissions_and_data_protection(self):
        arn = self.topic("perm")
        self.sns.add_permission(TopicArn=arn, Label="pub", AWSAccountId=["111122223333"], ActionName=["Publish"])
        policy = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        added = [s for s in policy["Statement"] if s["Sid"] == "pub"][0]
        self.assertEqual(added["Principal"]["AWS"], "arn:aws:iam::111122223333:root")
        self.assertEqual(added["Action"], "SNS:Publish")
        self.assert_error(lambda: self.sns.add_permission(TopicArn=arn, Label="pub", AWSAccountId=["1"],
                                                          ActionName=["Publish"]),
                          "InvalidParameter", "Invalid parameter: Statement already exists")
        self.sns.remove_permission(TopicArn=arn, Label="pub")
        policy = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
        self.assertEqual([s["Sid"] for s in policy["Statement"]], ["__default_statement_ID"])
        dpp = json.dumps({"Name": "p", "Version": "2021-06-01", "Statement": []})
        self.sns.put_data_protection_policy(ResourceArn=arn, DataProtectionPolicy=dpp)
        self.assertEqual(self.sns.get_data_protection_policy(ResourceArn=arn)["DataProtectionPolicy"], dpp)

    def test_mobile_push_and_sms_are_not_emulated(self):
        err = self.assert_error(lambda: self.sns.create_platform_application(Name="a", Platform="GCM", Attributes={}),
                                "InvalidParameter")
        self.assertIn("CreatePlatformApplication is not emulated", err["Message"])
        self.assert_error(lambda: self.sns.get_sms_attributes(), "InvalidParameter")
        self.assert_error(lambda: self.sns.list_platform_applications(), "InvalidParameter")
        err = self.assert_error(lambda: self.sns.publish(PhoneNumber="+15555550100", Message="hi"), "InvalidParameter")
        self.assertIn("not emulated", err["Message"])


class Subscriptions(SnsTest):
    def test_sqs_subscription_lifecycle(self):
        arn = self.topic("t")
        _, q = self.queue("q")
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q,
                                 Attributes={"RawMessageDelivery": "true"})["SubscriptionArn"]
        self.assertTrue(sub.startswith(arn + ":"))
        # Idempotent for the same endpoint and attributes; refused with other attributes.
        self.assertEqual(self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q,
                                            Attributes={"RawMessageDelivery": "true"})["SubscriptionArn"], sub)
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q,
                                                     Attributes={"RawMessageDelivery": "false"}),
                          "InvalidParameter",
                          "Invalid parameter: Attributes Reason: Subscription already exists with different attributes")
        a = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(a["RawMessageDelivery"], "true")
        self.assertEqual(a["PendingConfirmation"], "false")
        self.assertEqual(a["ConfirmationWasAuthenticated"], "true")
        self.assertEqual((a["Protocol"], a["Endpoint"], a["TopicArn"], a["Owner"]), ("sqs", q, arn, ACCOUNT))
        self.assertNotIn("FilterPolicyScope", a)
        listed = self.sns.list_subscriptions()["Subscriptions"]
        self.assertEqual(listed, [{"SubscriptionArn": sub, "Owner": ACCOUNT, "Protocol": "sqs", "Endpoint": q,
                                   "TopicArn": arn}])
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"], listed)
        self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicyScope",
                                             AttributeValue="MessageBody")
        self.assertNotIn("FilterPolicyScope", self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"])
        self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy",
                                             AttributeValue='{"a":{"b":["c"]}}')
        a = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual((a["FilterPolicy"], a["FilterPolicyScope"]), ('{"a":{"b":["c"]}}', "MessageBody"))
        self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue="")
        self.assertNotIn("FilterPolicy", self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"])
        self.sns.unsubscribe(SubscriptionArn=sub)
        self.sns.unsubscribe(SubscriptionArn=sub)  # idempotent
        self.assertEqual(self.sns.list_subscriptions()["Subscriptions"], [])

    def test_subscription_attribute_errors(self):
        arn = self.topic("t")
        _, q = self.queue("q")
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)["SubscriptionArn"]
        set_attr = lambda n, v: self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName=n,
                                                                     AttributeValue=v)
        self.assert_error(lambda: set_attr("FilterPolicyScope", "RandomValue"), "InvalidParameter",
                          "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either "
                          "MessageBody or MessageAttributes")
        self.assert_error(lambda: set_attr("FilterPolicy", "{invalidjson}"), "InvalidParameter",
                          "Invalid parameter: FilterPolicy: failed to parse JSON.")
        self.assert_error(lambda: set_attr("FilterPolicy", '{"key_a":"value_one"}'), "InvalidParameter",
                          'Invalid parameter: FilterPolicy: "key_a" must be an object or an array\n'
                          ' at [Source: (String)"{"key_a":"value_one"}"; line: 1, column: 11]')
        self.assert_error(lambda: set_attr("FilterPolicy", '{"object":{"key":[{"prefix":"auto-"}]}}'),
                          "InvalidParameter",
                          "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter "
                          "policy")
        self.assert_error(lambda: set_attr("RawMessageDelivery", "yes"), "InvalidParameter",
                          "Invalid parameter: RawMessageDelivery: Invalid value [yes]. Must be true or false.")
        self.assert_error(lambda: set_attr("RedrivePolicy", '{"deadLetterTargetArn":"nope"}'), "InvalidParameter",
                          "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn")
        self.assert_error(lambda: set_attr("Bogus", "1"), "InvalidParameter", "Invalid parameter: AttributeName")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q + "-2",
                                                     Attributes={"FilterPolicy": '{"key":[{"suffix":100}]}'}),
                          "InvalidParameter",
                          'Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n'
                          ' at [Source: (String)"{"key":[{"suffix":100}]}"; line: 1, column: 22]')

    def test_subscribe_errors(self):
        arn = self.topic("t")
        _, fifo_q = self.queue("q.fifo", FifoQueue="true")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="carrier-pigeon", Endpoint="x"),
                          "InvalidParameter",
                          "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint="https://x"),
                          "InvalidParameter", "Invalid parameter: Endpoint must match the specified protocol")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint="not-an-arn"),
                          "InvalidParameter", "Invalid parameter: SQS endpoint ARN")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=fifo_q),
                          "InvalidParameter",
                          "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be "
                          "subscribed to standard SNS topics")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn + "x", Protocol="sqs", Endpoint=fifo_q),
                          "NotFound", "Topic does not exist", status=404)
        self.assert_error(lambda: self.sns.unsubscribe(SubscriptionArn="nope"), "InvalidParameter",
                          "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1")

    def test_email_sms_and_lambda_are_recorded(self):
        arn = self.topic("t")
        email = self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="me@example.com")["SubscriptionArn"]
        self.assertEqual(email, "pending confirmation")
        sms = self.sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint="+15555550100")["SubscriptionArn"]
        lam = self.sns.subscribe(TopicArn=arn, Protocol="lambda",
                                 Endpoint=f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:f")["SubscriptionArn"]
        self.assertTrue(sms.startswith(arn) and lam.startswith(arn))
        listed = {s["Protocol"]: s["SubscriptionArn"] for s in self.sns.list_subscriptions_by_topic(TopicArn=arn)
                  ["Subscriptions"]}
        self.assertEqual(listed["email"], "PendingConfirmation")
        self.sns.publish(TopicArn=arn, Message="logged, not delivered")
        self.assert_error(lambda: self.sns.subscribe(TopicArn=arn, Protocol="sms", Endpoint="555"),
                          "InvalidParameter", "Invalid SMS endpoint: 555")


class Publishing(SnsTest):
    def test_envelope_exactly_as_aws_writes_it(self):
        arn = self.topic("env")
        url, q = self.queue("env-q")
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)["SubscriptionArn"]
        out = self.sns.publish(TopicArn=arn, Message='hello "sns"\n', Subject="subj",
                               MessageAttributes={"attr1": {"DataType": "String", "StringValue": "v1"},
                                                  "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02"},
                                                  "n": {"DataType": "Number", "StringValue": "42"}})
        [m] = self.receive_all(url, 1)
        body = m["Body"]
        doc = json.loads(body)
        self.assertEqual(doc["MessageId"], out["MessageId"])
        expected_keys = ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp", "SignatureVersion",
                         "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]
        self.assertEqual(list(doc), expected_keys)
        self.assertTrue(body.startswith('{\n  "Type" : "Notification",\n  "MessageId" : "'), body)
        self.assertIn('\n  "Message" : "hello \\"sns\\"\\n",\n', body)
        self.assertIn('\n    "attr1" : {"Type":"String","Value":"v1"},\n'
                      '    "bin" : {"Type":"Binary","Value":"AAEC"},\n'
                      '    "n" : {"Type":"Number","Value":"42"}\n  }\n}', body)
        self.assertTrue(body.endswith("}"))
        self.assertRegex(doc["Timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        host = f"127.0.0.1:{self.server.port}"
        self.assertEqual(doc["UnsubscribeURL"], f"http://{host}/?Action=Unsubscribe&SubscriptionArn={sub}")
        self.assertRegex(doc["SigningCertURL"], rf"^http://{re.escape(host)}/SimpleNotificationService-[0-9a-f]{{32}}\.pem$")
        self.assertTrue(verify_signature(doc))
        tampered = dict(doc, Message="other")
        self.assertFalse(verify_signature(tampered))
        self.assertEqual(m["Attributes"]["SenderId"], "AIDAIT2UOQQY3AUEKVGXU")

    def test_signature_version_2(self):
        arn = self.topic("v2", SignatureVersion="2")
        url, q = self.queue("v2q")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)
        self.sns.publish(TopicArn=arn, Message="sha256")
        [m] = self.receive_all(url, 1)
        doc = json.loads(m["Body"])
        self.assertEqual(doc["SignatureVersion"], "2")
        self.assertTrue(verify_signature(doc))

    def test_certificate_is_served(self):
        arn = self.topic("cert")
        url, q = self.queue("certq")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)
        self.sns.publish(TopicArn=arn, Message="x")
        [m] = self.receive_all(url, 1)
        with urllib.request.urlopen(json.loads(m["Body"])["SigningCertURL"], timeout=5) as r:
            self.assertEqual(r.status, 200)
            self.assertTrue(r.read().startswith(b"-----BEGIN CERTIFICATE-----"))

    def test_raw_delivery_maps_attributes(self):
        arn = self.topic("raw")
        url, q = self.queue("rawq")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q, Attributes={"RawMessageDelivery": "true"})
        self.sns.publish(TopicArn=arn, Message="just the body",
                         MessageAttributes={"s": {"DataType": "String", "StringValue": "v"},
                                            "n": {"DataType": "Number", "StringValue": "1.5"},
                                            "b": {"DataType": "Binary", "BinaryValue": b"\xff"},
                                            "arr": {"DataType": "String.Array", "StringValue": '["a","b"]'}})
        [m] = self.receive_all(url, 1)
        self.assertEqual(m["Body"], "just the body")
        attrs = m["MessageAttributes"]
        self.assertEqual(attrs["s"], {"StringValue": "v", "DataType": "String"})
        self.assertEqual(attrs["n"], {"StringValue": "1.5", "DataType": "Number"})
        self.assertEqual(attrs["b"], {"BinaryValue": b"\xff", "DataType": "Binary"})
        self.assertEqual(attrs["arr"], {"StringValue": '["a","b"]', "DataType": "String.Array"})

    def test_raw_delivery_with_more_than_ten_attributes_is_dead_lettered(self):
        arn = self.topic("many")
        url, q = self.queue("manyq")
        dlq_url, dlq = self.queue("many-dlq")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q, Attributes={
            "RawMessageDelivery": "true", "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq})})
        attrs = {f"a{i}": {"DataType": "String", "StringValue": str(i)} for i in range(11)}
        self.sns.publish(TopicArn=arn, Message="too many attributes", MessageAttributes=attrs)
        [m] = self.receive_all(dlq_url, 1)
        self.assertEqual(m["Body"], "too many attributes")
        self.assertEqual(m["MessageAttributes"]["ErrorCode"]["StringValue"], "InvalidParameterValue")
        self.assertEqual(self.receive_all(url, 1, timeout=1), [])

    def test_message_structure_json(self):
        arn = self.topic("struct")
        url, q = self.queue("structq")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)
        self.sns.publish(TopicArn=arn, MessageStructure="json",
                         Message=json.dumps({"default": "for everyone", "sqs": "for queues", "email": 1}),
                         MessageAttributes={"a": {"DataType": "String", "StringValue": "not sent"}})
        [m] = self.receive_all(url, 1)
        doc = json.loads(m["Body"])
        self.assertEqual(doc["Message"], "for queues")
        self.assertNotIn("MessageAttributes", doc)  # AWS sends attributes only with plain messages
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, MessageStructure="json", Message='{"sqs":"x"}'),
                          "InvalidParameter",
                          "Invalid parameter: Message Structure - No default entry in JSON message body")
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, MessageStructure="json", Message="not json"),
                          "InvalidParameter",
                          "Invalid parameter: Message Structure - JSON message body failed to parse")

    def test_publish_errors(self):
        arn = self.topic("errs")
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message=""), "InvalidParameter",
                          "Invalid parameter: Empty message")
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x" * (256 * 1024 + 1)), "InvalidParameter",
                          "Invalid parameter: Message too long")
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x", Subject=""), "InvalidParameter",
                          "Invalid parameter: Subject")
        self.assert_error(lambda: self.sns.publish(Message="x"), "InvalidParameter",
                          "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
        self.assert_error(lambda: self.sns.publish(TopicArn=arn + "nope", Message="x"), "NotFound",
                          "Topic does not exist", status=404)
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x", MessageDeduplicationId="d"),
                          "InvalidParameter",
                          "Invalid parameter: MessageDeduplicationId Reason: The request includes "
                          "MessageDeduplicationId parameter that is not valid for this topic type")
        bad_type = {"a": {"DataType": "Bogus", "StringValue": "x"}}
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x", MessageAttributes=bad_type),
                          "ParameterValueInvalid",
                          "The message attribute 'a' has an invalid message attribute type, the set of supported type "
                          "prefixes is Binary, Number, and String.")
        wrong_field = {"a": {"DataType": "Binary", "StringValue": "x"}}
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x", MessageAttributes=wrong_field),
                          "ParameterValueInvalid", "The message attribute 'a' with type 'Binary' must use field 'Binary'.")
        bad_name = {"a b": {"DataType": "String", "StringValue": "x"}}
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x", MessageAttributes=bad_name),
                          "ParameterValueInvalid",
                          "Invalid non-alphanumeric character '#x20' was found in the message attribute name. Can "
                          "only include alphanumeric characters, hyphens, underscores, or dots.")
        # TargetArn is accepted for topics, as AWS accepts it.
        self.assertIn("MessageId", self.sns.publish(TargetArn=arn, Message="via TargetArn"))

    def test_fifo_topic_to_fifo_queue(self):
        arn = self.sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true",
                                                                    "ContentBasedDeduplication": "true"})["TopicArn"]
        url, q = self.queue("orders.fifo", FifoQueue="true")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)
        seqs = []
        for i in range(6):
            out = self.sns.publish(TopicArn=arn, Message=f"m{i}", MessageGroupId=f"g{i % 2}")
            seqs.append(out["SequenceNumber"])
        self.assertEqual(seqs, sorted(seqs))
        dup = self.sns.publish(TopicArn=arn, Message="m0", MessageGroupId="g0")  # deduplicated by content
        self.assertIn("MessageId", dup)
        msgs = self.receive_all(url, 6, timeout=5)
        self.assertEqual(len(msgs), 6)
        by_group = {}
        for m in msgs:
            doc = json.loads(m["Body"])
            self.assertNotIn("Signature", doc)
            self.assertIn("SequenceNumber", doc)
            by_group.setdefault(m["Attributes"]["MessageGroupId"], []).append(doc["Message"])
        self.assertEqual(by_group, {"g0": ["m0", "m2", "m4"], "g1": ["m1", "m3", "m5"]})
        self.assertEqual(self.receive_all(url, 1, timeout=1), [])
        self.assert_error(lambda: self.sns.publish(TopicArn=arn, Message="x"), "InvalidParameter",
                          "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
        plain = self.sns.create_topic(Name="plain.fifo", Attributes={"FifoTopic": "true"})["TopicArn"]
        self.assert_error(lambda: self.sns.publish(TopicArn=plain, Message="x", MessageGroupId="g"),
                          "InvalidParameter",
                          "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
                          "MessageDeduplicationId provided explicitly")

    def test_publish_batch(self):
        arn = self.topic("batch")
        url, q = self.queue("batchq")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q, Attributes={"RawMessageDelivery": "true"})
        out = self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "one"},
            {"Id": "b", "Message": "two", "MessageAttributes": {"k": {"DataType": "String", "StringValue": "v"}}},
            {"Id": "c", "Message": ""},
        ])
        self.assertEqual([s["Id"] for s in out["Successful"]], ["a", "b"])
        self.assertEqual(out["Failed"], [{"Id": "c", "Code": "InvalidParameter",
                                          "Message": "Invalid parameter: Empty message", "SenderFault": True}])
        self.assertEqual(sorted(m["Body"] for m in self.receive_all(url, 2)), ["one", "two"])
        self.assert_error(lambda: self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": str(i), "Message": "x"} for i in range(11)]), "TooManyEntriesInBatchRequest",
                          "The batch request contains more entries than permissible.")
        self.assert_error(lambda: self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "x"}, {"Id": "a", "Message": "y"}]), "BatchEntryIdsNotDistinct",
                          "Two or more batch entries in the request have the same Id.")
        self.assert_error(lambda: self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[]),
                          "EmptyBatchRequest", "The batch request doesn't contain any entries.")

    def test_missing_queue_is_retried(self):
        arn = self.topic("later")
        q = f"arn:aws:sqs:{REGION}:{ACCOUNT}:created-later"
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)
        self.sns.publish(TopicArn=arn, Message="patience")
        url = self.sqs.create_queue(QueueName="created-later")["QueueUrl"]
        msgs = self.receive_all(url, 1, timeout=10)
        self.assertEqual(json.loads(msgs[0]["Body"])["Message"], "patience")


class UnsignedLinks(SnsTest):
    def test_unsubscribe_url_works_without_a_signature(self):
        arn = self.topic("links")
        url, q = self.queue("linksq")
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=q)
        self.sns.publish(TopicArn=arn, Message="x")
        [m] = self.receive_all(url, 1)
        with urllib.request.urlopen(json.loads(m["Body"])["UnsubscribeURL"], timeout=5) as r:
            xml = r.read().decode()
        self.assertIn("<UnsubscribeResponse", xml)
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"], [])

    def test_other_actions_still_need_a_signature(self):
        req = urllib.request.Request(f"{self.server.endpoint}/?Action=ListTopics&Version=2010-03-31")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req, timeout=5)
        self.assertIn(b"<Code>MissingAuthenticationTokenException</Code>", cm.exception.read())


if __name__ == "__main__":
    unittest.main()
