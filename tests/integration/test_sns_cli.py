"""Every SNS operation through the AWS CLI (Debian's aws-cli 2.9, query protocol), delivery to SQS
included; mobile push and SMS answer that they are not emulated."""
import json
import unittest

import harness
from sns_testlib import ACCOUNT, REGION


@unittest.skipUnless(harness.cli_available(), "AWS CLI not available")
class SnsCli(harness.ServerTest):
    def cli(self, *args, check=True):
        return self.server.cli(*args, check=check)

    def test_every_operation(self):
        arn = self.cli("sns", "create-topic", "--name", "cli", "--attributes", "DisplayName=CLI",
                       "--tags", "Key=team,Value=a")["TopicArn"]
        self.assertEqual(arn, f"arn:aws:sns:{REGION}:{ACCOUNT}:cli")
        self.assertEqual(self.cli("sns", "list-topics")["Topics"], [{"TopicArn": arn}])
        self.cli("sns", "set-topic-attributes", "--topic-arn", arn, "--attribute-name", "DisplayName",
                 "--attribute-value", "Renamed")
        attrs = self.cli("sns", "get-topic-attributes", "--topic-arn", arn)["Attributes"]
        self.assertEqual(attrs["DisplayName"], "Renamed")

        q_url = self.cli("sqs", "create-queue", "--queue-name", "cli-q")["QueueUrl"]
        q_arn = f"arn:aws:sqs:{REGION}:{ACCOUNT}:cli-q"
        sub = self.cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs", "--notification-endpoint", q_arn,
                       "--attributes", json.dumps({"FilterPolicy": json.dumps({"kind": ["keep"]})}),
                       "--return-subscription-arn")["SubscriptionArn"]
        self.cli("sns", "set-subscription-attributes", "--subscription-arn", sub, "--attribute-name",
                 "RawMessageDelivery", "--attribute-value", "true")
        sattrs = self.cli("sns", "get-subscription-attributes", "--subscription-arn", sub)["Attributes"]
        self.assertEqual((sattrs["RawMessageDelivery"], sattrs["FilterPolicyScope"]), ("true", "MessageAttributes"))
        self.assertEqual(len(self.cli("sns", "list-subscriptions")["Subscriptions"]), 1)
        self.assertEqual(self.cli("sns", "list-subscriptions-by-topic", "--topic-arn", arn)["Subscriptions"][0]
                         ["SubscriptionArn"], sub)

        self.cli("sns", "publish", "--topic-arn", arn, "--message", "dropped", "--message-attributes",
                 json.dumps({"kind": {"DataType": "String", "StringValue": "drop"}}))
        out = self.cli("sns", "publish", "--topic-arn", arn, "--message", "kept", "--subject", "hi",
                       "--message-attributes", json.dumps({"kind": {"DataType": "String", "StringValue": "keep"}}))
        self.assertIn("MessageId", out)
        batch = self.cli("sns", "publish-batch", "--topic-arn", arn, "--publish-batch-request-entries",
                         json.dumps([{"Id": "1", "Message": "b1", "MessageAttributes": {
                             "kind": {"DataType": "String", "StringValue": "keep"}}}]))
        self.assertEqual([s["Id"] for s in batch["Successful"]], ["1"])
        msgs = self.cli("sqs", "receive-message", "--queue-url", q_url, "--max-number-of-messages", "10",
                        "--wait-time-seconds", "1", "--message-attribute-names", "All")["Messages"]
        self.assertEqual(sorted(m["Body"] for m in msgs), ["b1", "kept"])

        self.cli("sns", "tag-resource", "--resource-arn", arn, "--tags", "Key=env,Value=dev")
        tags = self.cli("sns", "list-tags-for-resource", "--resource-arn", arn)["Tags"]
        self.assertEqual(sorted(t["Key"] for t in tags), ["env", "team"])
        self.cli("sns", "untag-resource", "--resource-arn", arn, "--tag-keys", "team")
        self.assertEqual(self.cli("sns", "list-tags-for-resource", "--resource-arn", arn)["Tags"],
                         [{"Key": "env", "Value": "dev"}])
        self.cli("sns", "add-permission", "--topic-arn", arn, "--label", "l", "--aws-account-id", "111122223333",
                 "--action-name", "Publish")
        self.cli("sns", "remove-permission", "--topic-arn", arn, "--label", "l")
        self.cli("sns", "put-data-protection-policy", "--resource-arn", arn, "--data-protection-policy",
                 '{"Name":"p","Version":"2021-06-01","Statement":[]}')
        self.assertIn('"Name":"p"', self.cli("sns", "get-data-protection-policy", "--resource-arn", arn)
                      ["DataProtectionPolicy"])

        http_sub = self.cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "http", "--notification-endpoint",
                            "http://127.0.0.1:1/never")["SubscriptionArn"]
        self.assertEqual(http_sub, "pending confirmation")
        bad = self.cli("sns", "confirm-subscription", "--topic-arn", arn, "--token", "f" * 10, check=False)
        self.assertIn("InvalidParameter", bad.stderr)
        self.cli("sns", "unsubscribe", "--subscription-arn", sub)
        self.cli("sns", "delete-topic", "--topic-arn", arn)
        self.assertEqual(self.cli("sns", "list-topics")["Topics"], [])

    def test_errors_read_as_aws_writes_them(self):
        p = self.cli("sns", "get-topic-attributes", "--topic-arn", f"arn:aws:sns:{REGION}:{ACCOUNT}:nope", check=False)
        self.assertIn("An error occurred (NotFound) when calling the GetTopicAttributes operation", p.stderr)
        self.assertIn(": Topic does not exist", p.stderr)
        p = self.cli("sns", "create-platform-application", "--name", "a", "--platform", "GCM", "--attributes",
                     "PlatformCredential=x", check=False)
        self.assertIn("(InvalidParameter)", p.stderr)
        self.assertIn("not emulated", p.stderr)


if __name__ == "__main__":
    unittest.main()
