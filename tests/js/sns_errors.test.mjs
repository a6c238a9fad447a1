// Bad input to SNS through the AWS SDK for JavaScript v3 (query protocol): the SDK's exception class,
// SNS's code, AWS's exact message and the HTTP status, as tests/integration/test_sns_api.py asserts
// them for boto3; and the mobile-push/SMS operations that answer "not emulated".
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  AddPermissionCommand,
  CreatePlatformApplicationCommand,
  CreateTopicCommand,
  GetSMSAttributesCommand,
  GetTopicAttributesCommand,
  ListPlatformApplicationsCommand,
  ListTagsForResourceCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, SQSClient } from "@aws-sdk/client-sqs";

import { rejectsQueryError } from "./lib/errors.mjs";
import { ACCOUNT, REGION, startServer } from "./lib/server.mjs";

let server;
let sns;
let sqs;

const queueArn = (name) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

async function topic(name, Attributes) {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes }))).TopicArn;
}

const rejects = rejectsQueryError;

const invalid = (promise, message) => rejects(promise, "InvalidParameterException", "InvalidParameter", message);
const attributeInvalid = (promise, message) => rejects(promise, "InvalidParameterValueException",
  "ParameterValueInvalid", message);
const notFound = (promise, message) => rejects(promise, "NotFoundException", "NotFound", message, 404);

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "error"] });
  sns = new SNSClient(server.clientConfig());
  sqs = new SQSClient(server.clientConfig());
});

after(async () => {
  sns?.destroy();
  sqs?.destroy();
  await server?.dispose();
});

test("topic names and re-creation with other attributes or tags", async () => {
  for (const name of ["bad name", "x".repeat(257), "std.fifo"]) {
    await invalid(topic(name), "Invalid parameter: Topic Name");
  }
  await invalid(topic("nofifo", { FifoTopic: "true" }),
    "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, " +
    "underscores, and hyphens, and must be between 1 and 256 characters long.");
  await topic("orders");
  await invalid(topic("orders", { DisplayName: "other" }),
    "Invalid parameter: Attributes Reason: Topic already exists with different attributes");
  await invalid(sns.send(new CreateTopicCommand({ Name: "orders", Tags: [{ Key: "new", Value: "x" }] })),
    "Invalid parameter: Tags Reason: Topic already exists with different tags");
});

test("unknown topics and malformed ARNs", async () => {
  const missing = `arn:aws:sns:${REGION}:${ACCOUNT}:missing`;
  await notFound(sns.send(new GetTopicAttributesCommand({ TopicArn: missing })), "Topic does not exist");
  await notFound(sns.send(new PublishCommand({ TopicArn: missing, Message: "x" })), "Topic does not exist");
  await invalid(sns.send(new GetTopicAttributesCommand({ TopicArn: "nope" })),
    "Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1");
  await invalid(sns.send(new GetTopicAttributesCommand({ TopicArn: `arn:aws:sns:eu-west-1:${ACCOUNT}:x` })),
    "Invalid parameter: TopicArn");
  await invalid(sns.send(new UnsubscribeCommand({ SubscriptionArn: "nope" })),
    "Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1");
});

test("topic attributes, tags and permissions", async () => {
  const arn = await topic("attrs");
  const setAttr = (AttributeName, AttributeValue) => sns.send(new SetTopicAttributesCommand({ TopicArn: arn,
    AttributeName, AttributeValue }));
  await invalid(setAttr("Nope", "1"), "Invalid parameter: AttributeName");
  await invalid(setAttr("ContentBasedDeduplication", "true"), /^Invalid parameter: ContentBasedDeduplication/);
  await invalid(sns.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "k", Value: "1" },
    { Key: "k", Value: "2" }] })), "Invalid parameter: Duplicated keys are not allowed.");
  await rejects(sns.send(new ListTagsForResourceCommand({ ResourceArn: arn + "x" })), "ResourceNotFoundException",
    "ResourceNotFound", "Resource does not exist", 404);
  const add = () => sns.send(new AddPermissionCommand({ TopicArn: arn, Label: "pub", AWSAccountId: ["111122223333"],
    ActionName: ["Publish"] }));
  await add();
  await invalid(add(), "Invalid parameter: Statement already exists");
});

test("subscribe: protocols, endpoints, FIFO queues on standard topics", async () => {
  const arn = await topic("subs");
  await sqs.send(new CreateQueueCommand({ QueueName: "q.fifo", Attributes: { FifoQueue: "true" } }));
  const subscribe = (Protocol, Endpoint, TopicArn = arn) => sns.send(new SubscribeCommand({ TopicArn, Protocol,
    Endpoint }));
  await invalid(subscribe("carrier-pigeon", "x"),
    "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon");
  await invalid(subscribe("http", "https://x"), "Invalid parameter: Endpoint must match the specified protocol");
  await invalid(subscribe("sqs", "not-an-arn"), "Invalid parameter: SQS endpoint ARN");
  await invalid(subscribe("sqs", queueArn("q.fifo")),
    "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
  await notFound(subscribe("sqs", queueArn("q.fifo"), arn + "x"), "Topic does not exist");
  await invalid(subscribe("sms", "555"), "Invalid SMS endpoint: 555");
  await invalid(sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "sqs", Endpoint: queueArn("q-2"),
    Attributes: { FilterPolicy: '{"key":[{"suffix":100}]}' } })),
  "Invalid parameter: Attributes Reason: FilterPolicy: suffix match pattern must be a string\n" +
    ' at [Source: (String)"{"key":[{"suffix":100}]}"; line: 1, column: 22]');
});

test("subscription attributes: filter policies and their scope, raw delivery, redrive policy", async () => {
  const arn = await topic("sub-attrs");
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: "sqs",
    Endpoint: queueArn("q") }));
  const setAttr = (AttributeName, AttributeValue) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn,
    AttributeName, AttributeValue }));
  await invalid(setAttr("FilterPolicyScope", "RandomValue"),
    "Invalid parameter: FilterPolicyScope: Invalid value [RandomValue]. Please use either MessageBody or MessageAttributes");
  await invalid(setAttr("FilterPolicy", "{invalidjson}"), "Invalid parameter: FilterPolicy: failed to parse JSON.");
  await invalid(setAttr("FilterPolicy", '{"key_a":"value_one"}'),
    'Invalid parameter: FilterPolicy: "key_a" must be an object or an array\n' +
    ' at [Source: (String)"{"key_a":"value_one"}"; line: 1, column: 11]');
  await invalid(setAttr("FilterPolicy", '{"key":[{"numeric":[">",3,"<",1]}]}'),
    "Invalid parameter: FilterPolicy: Bottom must be less than top\n" +
    ' at [Source: (String)"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]');
  await invalid(setAttr("FilterPolicy", '{"object":{"key":[{"prefix":"auto-"}]}}'),
    "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
  await invalid(setAttr("RawMessageDelivery", "yes"),
    "Invalid parameter: RawMessageDelivery: Invalid value [yes]. Must be true or false.");
  await invalid(setAttr("RedrivePolicy", '{"deadLetterTargetArn":"nope"}'),
    "Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn");
  await invalid(setAttr("Bogus", "1"), "Invalid parameter: AttributeName");
});

test("publish: messages, subjects, targets, message attributes", async () => {
  const arn = await topic("pub");
  const publish = (extra) => sns.send(new PublishCommand({ TopicArn: arn, Message: "x", ...extra }));
  await invalid(publish({ Message: "" }), "Invalid parameter: Empty message");
  await invalid(publish({ Message: "x".repeat(256 * 1024 + 1) }), "Invalid parameter: Message too long");
  await invalid(publish({ Subject: "" }), "Invalid parameter: Subject");
  await invalid(sns.send(new PublishCommand({ Message: "x" })),
    "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
  await invalid(publish({ MessageDeduplicationId: "d" }),
    "Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is " +
    "not valid for this topic type");
  await invalid(publish({ MessageStructure: "json", Message: '{"sqs":"x"}' }),
    "Invalid parameter: Message Structure - No default entry in JSON message body");
  await invalid(publish({ MessageStructure: "json", Message: "not json" }),
    "Invalid parameter: Message Structure - JSON message body failed to parse");
  await attributeInvalid(publish({ MessageAttributes: { a: { DataType: "Bogus", StringValue: "x" } } }),
    "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, " +
    "Number, and String.");
  await attributeInvalid(publish({ MessageAttributes: { a: { DataType: "Binary", StringValue: "x" } } }),
    "The message attribute 'a' with type 'Binary' must use field 'Binary'.");
  await attributeInvalid(publish({ MessageAttributes: { "a b": { DataType: "String", StringValue: "x" } } }),
    "Invalid non-alphanumeric character '#x20' was found in the message attribute name. Can only include alphanumeric " +
    "characters, hyphens, underscores, or dots.");
  // TargetArn is accepted for topics, as AWS accepts it.
  assert.ok((await sns.send(new PublishCommand({ TargetArn: arn, Message: "via TargetArn" }))).MessageId);
});

test("FIFO topics: group id and deduplication are required", async () => {
  const arn = await topic("strict.fifo", { FifoTopic: "true" });
  await invalid(sns.send(new PublishCommand({ TopicArn: arn, Message: "x" })),
    "Invalid parameter: The MessageGroupId parameter is required for FIFO topics");
  await invalid(sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageGroupId: "g" })),
    "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId " +
    "provided explicitly");
  const out = await sns.send(new PublishCommand({ TopicArn: arn, Message: "x", MessageGroupId: "g",
    MessageDeduplicationId: "d" }));
  assert.match(out.SequenceNumber, /^\d{20}$/);
});

test("mobile push and SMS answer that they are not emulated", async () => {
  await invalid(sns.send(new CreatePlatformApplicationCommand({ Name: "a", Platform: "GCM", Attributes: {} })),
    /^Invalid parameter: CreatePlatformApplication is not emulated by streamlab/);
  await invalid(sns.send(new GetSMSAttributesCommand({})), /^Invalid parameter: GetSMSAttributes is not emulated/);
  await invalid(sns.send(new ListPlatformApplicationsCommand({})),
    /^Invalid parameter: ListPlatformApplications is not emulated/);
  await invalid(sns.send(new PublishCommand({ PhoneNumber: "+15555550100", Message: "hi" })), /not emulated/);
});
