// Bad input to SQS through the AWS SDK for JavaScript v3 (JSON 1.0): the SDK's exception class, the
// query-compatible code it reads from x-amzn-query-error, AWS's exact message and the HTTP status,
// as tests/integration/test_sqs_bad_input.py asserts them for boto3.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

import { rejectsQueryError } from "./lib/errors.mjs";
import { ACCOUNT, REGION, sleep, startServer } from "./lib/server.mjs";

let server;
let sqs;

const arn = (name) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

const rejects = rejectsQueryError;

const invalid = (promise, message) => rejects(promise, "InvalidParameterValue", "InvalidParameterValue", message);

async function createQueue(name, attributes = {}) {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl;
}

const send = (url, body, extra = {}) => sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, ...extra }));

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "error"] });
  sqs = new SQSClient(server.clientConfig());
});

after(async () => {
  sqs?.destroy();
  await server?.dispose();
});

test("an unknown queue in every queue operation", async () => {
  const url = `${server.endpoint}/${ACCOUNT}/missing`;
  const calls = [
    new GetQueueUrlCommand({ QueueName: "missing" }),
    new SendMessageCommand({ QueueUrl: url, MessageBody: "x" }),
    new ReceiveMessageCommand({ QueueUrl: url }),
    new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "x" }),
    new GetQueueAttributesCommand({ QueueUrl: url }),
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "1" } }),
    new PurgeQueueCommand({ QueueUrl: url }),
    new DeleteQueueCommand({ QueueUrl: url }),
    new ListQueueTagsCommand({ QueueUrl: url }),
    new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: "x", VisibilityTimeout: 1 }),
  ];
  for (const call of calls) {
    await rejects(sqs.send(call), "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
      "The specified queue does not exist.");
  }
  await rejects(send("http://host/not/a/queue/url/at/all", "x"), "InvalidAddress", "InvalidAddress",
    "The address http://host/not/a/queue/url/at/all is not valid for this endpoint.", 404);
});

test("queue names", async () => {
  await invalid(createQueue("bad name"),
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  await invalid(createQueue("x".repeat(81)));
  await invalid(createQueue("standard.fifo"));
  await invalid(createQueue("nosuffix", { FifoQueue: "true" }),
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo " +
    "suffix and be 1 to 80 in length");
});

test("attribute names and values", async () => {
  await rejects(createQueue("a", { Bogus: "1" }), "InvalidAttributeName", "InvalidAttributeName",
    "Unknown Attribute Bogus.");
  await rejects(createQueue("a", { ContentBasedDeduplication: "true" }), "InvalidAttributeName",
    "InvalidAttributeName", "Unknown Attribute ContentBasedDeduplication.");
  for (const [name, value] of [["VisibilityTimeout", "43201"], ["VisibilityTimeout", "-1"], ["DelaySeconds", "901"],
    ["MaximumMessageSize", "1023"], ["MaximumMessageSize", "1048577"], ["MessageRetentionPeriod", "59"],
    ["MessageRetentionPeriod", "1209601"], ["ReceiveMessageWaitTimeSeconds", "21"], ["VisibilityTimeout", "abc"]]) {
    await rejects(createQueue("a", { [name]: value }), "InvalidAttributeValue", "InvalidAttributeValue",
      `Invalid value for the parameter ${name}.`);
  }
  const url = await createQueue("ok");
  await rejects(sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["Nope"] })),
    "InvalidAttributeName", "InvalidAttributeName", "Unknown Attribute Nope.");
  for (const name of ["QueueArn", "FifoQueue"]) {
    await rejects(sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { [name]: "x" } })),
      "InvalidAttributeName", "InvalidAttributeName", `Unknown Attribute ${name}.`);
  }
});

test("redrive policies", async () => {
  const url = await createQueue("rp");
  const setRedrive = (policy) => sqs.send(new SetQueueAttributesCommand({ QueueUrl: url,
    Attributes: { RedrivePolicy: policy } }));
  const nowhere = JSON.stringify({ deadLetterTargetArn: arn("nowhere"), maxReceiveCount: 3 });
  await invalid(setRedrive(nowhere),
    `Value ${nowhere} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
  await createQueue("target");
  await invalid(setRedrive(JSON.stringify({ deadLetterTargetArn: arn("target"), maxReceiveCount: 0 })),
    /valid values are from 1 to 1000 both inclusive/);
  await invalid(setRedrive("{}"), /Redrive policy does not contain mandatory attribute: deadLetterTargetArn/);
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] })))
    .Attributes.RedrivePolicy, undefined, "nothing was stored");
});

test("message sizes count the attributes", async () => {
  const url = await createQueue("small", { MaximumMessageSize: "1024" });
  await send(url, "x".repeat(1024));
  await invalid(send(url, "x".repeat(1025)),
    "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.");
  await invalid(send(url, "x".repeat(1000), { MessageAttributes: { name: { DataType: "String",
    StringValue: "y".repeat(20) } } }), /Message must be shorter than 1024 bytes\./);
  const big = await createQueue("big");
  await send(big, "z".repeat(1048576));
  const [m] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: big }))).Messages;
  assert.equal(m.Body.length, 1048576);
  await invalid(send(big, "z".repeat(1048577)), /Message must be shorter than 1048576 bytes\./);
});

test("characters outside SQS's allowed set", async () => {
  const url = await createQueue("chars");
  for (const body of ["bad \u0001 char", "\u000b", "\ufffe"]) {
    await rejects(send(url, body), "InvalidMessageContents", "InvalidMessageContents",
      "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | " +
      "#x10000 to #x10FFFF");
  }
  await rejects(send(url, ""), "MissingParameter", "MissingParameter",
    "The request must contain the parameter MessageBody.");
});

test("message attributes", async () => {
  const url = await createQueue("mattrs");
  const cases = [
    [{ a: { DataType: "Strung", StringValue: "x" } },
      "The type of message (user) attribute 'a' is invalid. You must use only the following supported type prefixes: " +
      "Binary, Number, String."],
    [{ a: { DataType: "Number", StringValue: "ten" } },
      "Can't cast the value of message (user) attribute 'a' to a number."],
    [{ "AWS.reserved": { DataType: "String", StringValue: "x" } },
      "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for " +
      "internal use. Additionally, they cannot start or end with '.'."],
    [Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: "String", StringValue: "x" }])),
      "Number of message attributes [11] exceeds the allowed maximum [10]."],
  ];
  for (const [MessageAttributes, message] of cases) await invalid(send(url, "x", { MessageAttributes }), message);
});

test("receive and send parameter ranges", async () => {
  const url = await createQueue("ranges");
  const receive = (extra) => sqs.send(new ReceiveMessageCommand({ QueueUrl: url, ...extra }));
  await invalid(receive({ MaxNumberOfMessages: 11 }),
    "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.");
  await invalid(receive({ MaxNumberOfMessages: 0 }), /MaxNumberOfMessages/);
  await invalid(receive({ WaitTimeSeconds: 21 }),
    "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.");
  await invalid(receive({ VisibilityTimeout: 43201 }), /VisibilityTimeout/);
  await invalid(send(url, "x", { DelaySeconds: 901 }),
    "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.");
});

test("receipt handles: forged, from another queue, expired", async () => {
  const url = await createQueue("handles", { VisibilityTimeout: "1" });
  await send(url, "x");
  const [first] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages;
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "forged" })),
    "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 'The input receipt handle "forged" is not a valid receipt handle.',
    404);
  const other = await createQueue("other");
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl: other, ReceiptHandle: first.ReceiptHandle })),
    "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", undefined, 404);
  await sleep(1100);
  const [second] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages;
  await invalid(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle })),
    `Value ${first.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle }));
});

test("batch shapes: too many, repeated ids, bad ids, empty, too long", async () => {
  const url = await createQueue("batch");
  const sendBatch = (Entries) => sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries }));
  await rejects(sendBatch(Array.from({ length: 11 }, (_, i) => ({ Id: `${i}`, MessageBody: "x" }))),
    "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
    "Maximum number of entries per request are 10. You have sent 11.");
  await rejects(sendBatch([{ Id: "a", MessageBody: "x" }, { Id: "a", MessageBody: "y" }]), "BatchEntryIdsNotDistinct",
    "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id a repeated.");
  await rejects(sendBatch([{ Id: "a b", MessageBody: "x" }]), "InvalidBatchEntryId",
    "AWS.SimpleQueueService.InvalidBatchEntryId",
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters " +
    "long.");
  await rejects(sendBatch([]), "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
    "There should be at least one SendMessageBatchRequestEntry in the request.");
  await rejects(sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: [] })), "EmptyBatchRequest",
    "AWS.SimpleQueueService.EmptyBatchRequest",
    "There should be at least one DeleteMessageBatchRequestEntry in the request.");
  await rejects(sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url,
    Entries: [{ Id: "x", ReceiptHandle: "h" }, { Id: "x", ReceiptHandle: "h" }] })), "BatchEntryIdsNotDistinct",
  "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
  await rejects(sendBatch(Array.from({ length: 6 }, (_, i) => ({ Id: `${i}`, MessageBody: "x".repeat(200000) }))),
    "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
    "Batch requests cannot be longer than 1048576 bytes. You have sent 1200000 bytes.");
  assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url,
    AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes.ApproximateNumberOfMessages, "0");
});

test("FIFO parameters on a standard queue, and the reverse", async () => {
  const std = await createQueue("std");
  await invalid(send(std, "x", { MessageDeduplicationId: "d" }),
    "Value d for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid " +
    "for this queue type.");
  const fifo = await createQueue("q.fifo", { FifoQueue: "true" });
  await rejects(send(fifo, "x"), "MissingParameter", "MissingParameter",
    "The request must contain the parameter MessageGroupId.");
  await invalid(send(fifo, "x", { MessageGroupId: "g" }),
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
  await invalid(send(fifo, "x", { MessageGroupId: "g", MessageDeduplicationId: "d", DelaySeconds: 5 }),
    "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this " +
    "queue type.");
  await invalid(send(fifo, "x", { MessageGroupId: "g".repeat(129), MessageDeduplicationId: "d" }),
    /MessageGroupId can only include alphanumeric and punctuation characters\. 1 to 128 in length\./);
});
