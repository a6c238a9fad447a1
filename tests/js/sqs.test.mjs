// The AWS SDK for JavaScript v3 SQS client against the real streamlab binary: all 23 operations. The
// SDK speaks JSON 1.0 with x-amzn-query-mode (shared/wire/WIRE.md §2.2), checks MD5OfMessageBody /
// MD5OfBody itself, and reads error codes from x-amzn-query-error (§4). Bad input: sqs_errors.test.mjs.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";

import {
  AddPermissionCommand,
  CancelMessageMoveTaskCommand,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ListQueueTagsCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from "@aws-sdk/client-sqs";

import { rejectsQueryError } from "./lib/errors.mjs";
import { ACCOUNT, REGION, sleep, startServer, until } from "./lib/server.mjs";

let server;
let sqs;

const md5 = (s) => createHash("md5").update(s).digest("hex");

// MD5OfMessageAttributes / MD5OfMessageSystemAttributes as AWS computes them (WIRE.md §6.1): per
// attribute in name order, length-prefixed name, data type and value, with a transport byte
// (1 string, 2 binary) before the value.
function md5OfAttributes(attributes) {
  const hash = createHash("md5");
  const field = (bytes) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    hash.update(len).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const { DataType, StringValue, BinaryValue } = attributes[name];
    field(Buffer.from(name));
    field(Buffer.from(DataType));
    hash.update(Buffer.from([BinaryValue ? 2 : 1]));
    field(BinaryValue ? Buffer.from(BinaryValue) : Buffer.from(StringValue));
  }
  return hash.digest("hex");
}
const arn = (name) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;

const rejects = rejectsQueryError;

async function createQueue(name, attributes = {}) {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl;
}

async function receive(url, extra = {}) {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, ...extra }));
  return out.Messages ?? [];
}

async function attributes(url, ...names) {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names.length ? names : ["All"] }));
  return out.Attributes ?? {};
}

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "warn"] });
  sqs = new SQSClient(server.clientConfig());
});

after(async () => {
  sqs?.destroy();
  await server?.dispose();
});

test("queue lifecycle: create (idempotent), get URL, list, attributes, delete", async () => {
  const url = await createQueue("js-life", { VisibilityTimeout: "45", DelaySeconds: "3" });
  assert.equal(url, `${server.endpoint}/${ACCOUNT}/js-life`);
  assert.equal(await createQueue("js-life", { VisibilityTimeout: "45" }), url);
  assert.equal(await createQueue("js-life"), url);
  await rejects(createQueue("js-life", { VisibilityTimeout: "46" }), "QueueNameExists", "QueueAlreadyExists",
    "A queue already exists with the same name and a different value for attribute VisibilityTimeout");
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: "js-life" }))).QueueUrl, url);
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: "js-life", QueueOwnerAWSAccountId: ACCOUNT })))
    .QueueUrl, url);
  assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "js-life" }))).QueueUrls, [url]);
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "js-life" }))).QueueUrls, undefined);
  await rejects(sqs.send(new GetQueueUrlCommand({ QueueName: "js-life" })), "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue", "The specified queue does not exist.");
});

test("ListQueues: prefix and pages", async () => {
  for (const name of ["pg-b-1", "pg-a-1", "pg-a-2", "pg-a-3", "pg-c"]) await createQueue(name);
  const url = (name) => `${server.endpoint}/${ACCOUNT}/${name}`;
  assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "pg-a-" }))).QueueUrls,
    [url("pg-a-1"), url("pg-a-2"), url("pg-a-3")]);
  const pages = [];
  let NextToken;
  do {
    const page = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "pg-", MaxResults: 2, NextToken }));
    pages.push(page.QueueUrls);
    NextToken = page.NextToken;
  } while (NextToken);
  assert.deepEqual(pages, [[url("pg-a-1"), url("pg-a-2")], [url("pg-a-3"), url("pg-b-1")], [url("pg-c")]]);
});

test("queue attributes: defaults, set and read back, counts, FIFO attributes", async () => {
  const url = await createQueue("js-attrs");
  const a = await attributes(url);
  assert.equal(a.VisibilityTimeout, "30");
  assert.equal(a.MaximumMessageSize, "1048576");
  assert.equal(a.MessageRetentionPeriod, "345600");
  assert.equal(a.DelaySeconds, "0");
  assert.equal(a.ReceiveMessageWaitTimeSeconds, "0");
  assert.equal(a.QueueArn, arn("js-attrs"));
  assert.ok(Math.abs(Number(a.CreatedTimestamp) - Date.now() / 1000) <= 5, a.CreatedTimestamp);
  assert.equal(a.FifoQueue, undefined);
  assert.deepEqual(await attributes(url, "QueueArn"), { QueueArn: arn("js-attrs") });

  const policy = JSON.stringify({ Version: "2012-10-17" });
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "100",
    DelaySeconds: "5", Policy: policy } }));
  const set = await attributes(url, "VisibilityTimeout", "DelaySeconds", "Policy");
  assert.deepEqual({ ...set, Policy: JSON.parse(set.Policy) },
    { VisibilityTimeout: "100", DelaySeconds: "5", Policy: { Version: "2012-10-17" } });

  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "0" } }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "b" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "c", DelaySeconds: 60 }));
  assert.equal((await receive(url, { MaxNumberOfMessages: 1 })).length, 1);
  assert.deepEqual(await attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed"), { ApproximateNumberOfMessages: "1",
    ApproximateNumberOfMessagesNotVisible: "1", ApproximateNumberOfMessagesDelayed: "1" });

  const fifo = await createQueue("js-attrs.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
  const f = await attributes(fifo);
  assert.deepEqual([f.FifoQueue, f.ContentBasedDeduplication, f.DeduplicationScope, f.FifoThroughputLimit],
    ["true", "true", "queue", "perQueue"]);
});

test("send, receive, delete with the SDK's own MD5 checks and system attributes", async () => {
  const url = await createQueue("js-msgs");
  const attrs = {
    attr1: { DataType: "String", StringValue: "v1" },
    num: { DataType: "Number", StringValue: "42" },
    bin: { DataType: "Binary", BinaryValue: Uint8Array.from([0, 1, 2]) },
  };
  const body = "<a href=\"x\">&amp; 'quotes'</a>\r\n\ttab é 😀";
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageAttributes: attrs }));
  assert.equal(sent.MD5OfMessageBody, md5(body));
  assert.equal(sent.MD5OfMessageAttributes, "daf2934cd1aa4497d7ced41c6c2088c5");
  assert.equal(md5OfAttributes(attrs), "daf2934cd1aa4497d7ced41c6c2088c5");
  assert.equal(sent.SequenceNumber, undefined);
  const [m] = await receive(url, { MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] });
  assert.equal(m.Body, body);
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.MD5OfBody, md5(body));
  assert.equal(m.MD5OfMessageAttributes, "daf2934cd1aa4497d7ced41c6c2088c5");
  assert.deepEqual(Array.from(m.MessageAttributes.bin.BinaryValue), [0, 1, 2]);
  assert.deepEqual(m.MessageAttributes.num, { DataType: "Number", StringValue: "42" });
  assert.equal(m.Attributes.ApproximateReceiveCount, "1");
  assert.equal(m.Attributes.SenderId, ACCOUNT);
  assert.ok(Math.abs(Number(m.Attributes.SentTimestamp) - Date.now()) < 5000, m.Attributes.SentTimestamp);
  assert.ok(m.Attributes.ApproximateFirstReceiveTimestamp);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  assert.deepEqual(await attributes(url, "ApproximateNumberOfMessagesNotVisible"),
    { ApproximateNumberOfMessagesNotVisible: "0" });
  assert.deepEqual(await receive(url), []);
});

test("custom attribute types and the AWSTraceHeader system attribute", async () => {
  const url = await createQueue("js-custom");
  const attrs = { c: { DataType: "String.custom", StringValue: "v" }, d: { DataType: "Binary.img", BinaryValue: Uint8Array.from([1]) },
    "n.x": { DataType: "Number.int", StringValue: "7" } };
  const trace = { AWSTraceHeader: { DataType: "String", StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1" } };
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageAttributes: attrs,
    MessageSystemAttributes: trace }));
  assert.equal(sent.MD5OfMessageAttributes, md5OfAttributes(attrs));
  assert.equal(sent.MD5OfMessageSystemAttributes, md5OfAttributes(trace));
  const batch = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: "a", MessageBody: "y",
    MessageSystemAttributes: trace }] }));
  assert.equal(batch.Successful[0].MD5OfMessageSystemAttributes, md5OfAttributes(trace));
  const got = await receive(url, { MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["AWSTraceHeader"] });
  const x = got.find((m) => m.Body === "x");
  assert.equal(x.Attributes.AWSTraceHeader, trace.AWSTraceHeader.StringValue);
  assert.deepEqual(x.MessageAttributes.c, attrs.c);
  assert.deepEqual(x.MessageAttributes["n.x"], attrs["n.x"]);
  assert.deepEqual([x.MessageAttributes.d.DataType, [...x.MessageAttributes.d.BinaryValue]], ["Binary.img", [1]]);
  assert.equal(x.MD5OfMessageAttributes, md5OfAttributes(attrs));
  assert.equal(got.find((m) => m.Body === "y").Attributes.AWSTraceHeader, trace.AWSTraceHeader.StringValue);
});

test("receive filters: attribute-name prefixes, system attribute names", async () => {
  const url = await createQueue("js-filters");
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageAttributes: {
    "a.one": { DataType: "String", StringValue: "1" }, b: { DataType: "String", StringValue: "2" } } }));
  const [m] = await receive(url, { MessageAttributeNames: ["a.*"], MessageSystemAttributeNames: ["SentTimestamp"],
    VisibilityTimeout: 0 });
  assert.deepEqual(Object.keys(m.MessageAttributes), ["a.one"]);
  assert.deepEqual(Object.keys(m.Attributes), ["SentTimestamp"]);
  const digest = await sqs.send(new SendMessageCommand({ QueueUrl: await createQueue("js-digest"), MessageBody: "x",
    MessageAttributes: { "a.one": { DataType: "String", StringValue: "1" } } }));
  assert.equal(m.MD5OfMessageAttributes, digest.MD5OfMessageAttributes);
  const [bare] = await receive(url);
  assert.equal(bare.MessageAttributes, undefined);
  assert.equal(bare.MD5OfMessageAttributes, undefined);
  assert.equal(bare.Attributes, undefined);
});

test("batches: send, change visibility, delete, with per-entry failures", async () => {
  const url = await createQueue("js-batch");
  const sent = await sqs.send(new SendMessageBatchCommand({
    QueueUrl: url,
    Entries: [
      { Id: "a", MessageBody: "one" },
      { Id: "b", MessageBody: "two", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
      { Id: "c", MessageBody: "three", DelaySeconds: 901 },
    ],
  }));
  assert.deepEqual(sent.Successful.map((e) => e.Id).sort(), ["a", "b"]);
  const b = sent.Successful.find((e) => e.Id === "b");
  assert.equal(b.MD5OfMessageBody, md5("two"));
  assert.match(b.MD5OfMessageAttributes, /^[0-9a-f]{32}$/);
  assert.deepEqual(sent.Failed, [{ Id: "c", SenderFault: true, Code: "InvalidParameterValue",
    Message: "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900." }]);
  const got = await receive(url);
  assert.deepEqual(got.map((m) => m.Body).sort(), ["one", "two"]);
  const vis = await sqs.send(new ChangeMessageVisibilityBatchCommand({
    QueueUrl: url,
    Entries: [{ Id: "x", ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 },
      { Id: "y", ReceiptHandle: "bogus", VisibilityTimeout: 5 }],
  }));
  assert.deepEqual(vis.Successful, [{ Id: "x" }]);
  assert.equal(vis.Failed[0].Id, "y");
  assert.equal(vis.Failed[0].Code, "ReceiptHandleIsInvalid");
  const again = await receive(url);
  assert.deepEqual(again.map((m) => m.Body), [got[0].Body]);
  const del = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: url,
    Entries: [
      { Id: "r", ReceiptHandle: got[0].ReceiptHandle }, // stale: the message was received again
      { Id: "p", ReceiptHandle: again[0].ReceiptHandle },
      { Id: "q", ReceiptHandle: got[1].ReceiptHandle },
    ],
  }));
  assert.deepEqual(del.Successful.map((e) => e.Id).sort(), ["p", "q"]);
  assert.equal(del.Failed[0].Id, "r");
  assert.equal(del.Failed[0].Code, "InvalidParameterValue");
  assert.deepEqual(await attributes(url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"),
    { ApproximateNumberOfMessages: "0", ApproximateNumberOfMessagesNotVisible: "0" });
});

test("visibility: change restarts the clock, stale receipt handles, 12-hour limit", async () => {
  const url = await createQueue("js-vis", { VisibilityTimeout: "1" });
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
  const [first] = await receive(url);
  assert.deepEqual(await receive(url), []);
  await sleep(1100);
  const [second] = await receive(url, { MessageSystemAttributeNames: ["ApproximateReceiveCount"] });
  assert.equal(second.MessageId, first.MessageId);
  assert.equal(second.Attributes.ApproximateReceiveCount, "2");
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle })),
    "InvalidParameterValue", "InvalidParameterValue",
    `Value ${first.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
  await rejects(sqs.send(new ChangeMessageVisibilityCommand({
    QueueUrl: url, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 43201,
  })), "InvalidParameterValue", "InvalidParameterValue", /VisibilityTimeout/);
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle,
    VisibilityTimeout: 60 }));
  await sleep(1100);
  assert.deepEqual(await receive(url), [], "a 60 s visibility outlasts the queue's 1 s");
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle,
    VisibilityTimeout: 0 }));
  const [third] = await receive(url);
  assert.equal(third.MessageId, first.MessageId);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: third.ReceiptHandle }));
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "forged" })),
    "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
    'The input receipt handle "forged" is not a valid receipt handle.', 404);
});

test("delays: per-queue and per-message", async () => {
  const url = await createQueue("js-delay", { DelaySeconds: "1" });
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "queue delay" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "no delay", DelaySeconds: 0 }));
  assert.deepEqual((await receive(url)).map((m) => m.Body), ["no delay"]);
  const later = await until("the delayed message", async () => (await receive(url)).map((m) => m.Body)[0],
    { timeoutMs: 3000, everyMs: 100 });
  assert.equal(later, "queue delay");
});

test("long polling wakes when a message arrives", async () => {
  const url = await createQueue("js-poll");
  const started = Date.now();
  const polling = receive(url, { WaitTimeSeconds: 10 });
  await sleep(300);
  const sentAt = Date.now();
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "wake" }));
  const got = await polling;
  assert.deepEqual(got.map((m) => m.Body), ["wake"]);
  assert.ok(Date.now() - sentAt < 500, `woke ${Date.now() - sentAt} ms after the send`);
  assert.ok(Date.now() - started >= 300);
  const empty = Date.now();
  assert.deepEqual(await receive(url, { WaitTimeSeconds: 1 }), []);
  assert.ok(Date.now() - empty >= 900, `an empty 1 s poll returned after ${Date.now() - empty} ms`);
});

test("long polling: the queue's ReceiveMessageWaitTimeSeconds, a poll the client abandons", async () => {
  const url = await createQueue("js-poll-default", { ReceiveMessageWaitTimeSeconds: "1", VisibilityTimeout: "1" });
  const started = Date.now();
  assert.deepEqual(await receive(url), []);
  assert.ok(Date.now() - started >= 900, `the queue's 1 s default wait returned after ${Date.now() - started} ms`);
  const abort = new AbortController();
  const abandoned = sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }), { abortSignal: abort.signal });
  await sleep(200);
  abort.abort();
  await assert.rejects(abandoned, (e) => e.name === "AbortError");
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "after the abandoned poll" }));
  // As on AWS, a parked poll whose client left may still take the message; it is not lost, it comes
  // back after the visibility timeout (AWS: keep VisibilityTimeout above the SDK's read timeout).
  const got = await until("the message sent after the abandoned poll",
    async () => (await receive(url, { WaitTimeSeconds: 1 })).map((m) => m.Body)[0], { timeoutMs: 5000 });
  assert.equal(got, "after the abandoned poll");
});

test("FIFO: order, group blocking, deduplication, sequence numbers, batches", async () => {
  const url = await createQueue("js-order.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
  const seqs = [];
  for (const body of ["a0", "a1", "a2"]) {
    const out = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: "A" }));
    assert.match(out.SequenceNumber, /^\d{20}$/);
    seqs.push(out.SequenceNumber);
  }
  assert.deepEqual([...seqs].sort(), seqs);
  const dup = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a0", MessageGroupId: "A" }));
  assert.equal(dup.SequenceNumber, seqs[0]);
  const first = await receive(url, { MaxNumberOfMessages: 2, MessageSystemAttributeNames: ["All"] });
  assert.deepEqual(first.map((m) => m.Body), ["a0", "a1"]);
  assert.equal(first[0].Attributes.MessageGroupId, "A");
  assert.equal(first[0].Attributes.SequenceNumber, seqs[0]);
  assert.deepEqual(await receive(url), [], "group A is blocked while a0 and a1 are in flight");
  for (const m of first) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  assert.deepEqual((await receive(url)).map((m) => m.Body), ["a2"]);

  const batch = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [
    { Id: "ok", MessageBody: "b0", MessageGroupId: "B", MessageDeduplicationId: "d-b0" },
    { Id: "nogroup", MessageBody: "b1", MessageDeduplicationId: "d-b1" },
  ] }));
  assert.deepEqual(batch.Successful.map((e) => e.Id), ["ok"]);
  assert.match(batch.Successful[0].SequenceNumber, /^\d{20}$/);
  assert.equal(batch.Failed[0].Code, "MissingParameter");
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })),
    "MissingParameter", "MissingParameter", "The request must contain the parameter MessageGroupId.");
});

test("FIFO: a retried receive with the same ReceiveRequestAttemptId gets the same messages", async () => {
  const url = await createQueue("js-attempt.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m1", MessageGroupId: "g" }));
  const first = await receive(url, { ReceiveRequestAttemptId: "attempt-1" });
  assert.deepEqual(first.map((m) => m.Body), ["m1"]);
  const retry = await receive(url, { ReceiveRequestAttemptId: "attempt-1" });
  assert.deepEqual(retry.map((m) => m.ReceiptHandle), first.map((m) => m.ReceiptHandle));
  assert.deepEqual(await receive(url, { ReceiveRequestAttemptId: "attempt-2" }), []);
});

test("dead-letter queue, source listing, message move task", async () => {
  const dlq = await createQueue("js-dlq");
  const redrive = { deadLetterTargetArn: arn("js-dlq"), maxReceiveCount: 2 };
  const src = await createQueue("js-src", { VisibilityTimeout: "0", RedrivePolicy: JSON.stringify(redrive) });
  assert.deepEqual(JSON.parse((await attributes(src, "RedrivePolicy")).RedrivePolicy), redrive);
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: "poison" }));
  assert.equal((await receive(src)).length, 1);
  assert.equal((await receive(src)).length, 1);
  assert.deepEqual(await receive(src), []);
  const [dead] = await receive(dlq, { MessageSystemAttributeNames: ["All"], VisibilityTimeout: 0 });
  assert.equal(dead.MessageId, sent.MessageId);
  assert.equal(dead.Attributes.DeadLetterQueueSourceArn, arn("js-src"));
  assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [src]);

  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn("js-dlq") }));
  assert.equal(JSON.parse(Buffer.from(TaskHandle, "base64").toString()).sourceArn, arn("js-dlq"));
  const task = await until("the move task to complete", async () => {
    const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn("js-dlq"), MaxResults: 10 }));
    return Results[0].Status === "COMPLETED" && Results[0];
  });
  assert.equal(task.ApproximateNumberOfMessagesMoved, 1);
  assert.equal(task.SourceArn, arn("js-dlq"));
  assert.deepEqual((await receive(src)).map((m) => m.Body), ["poison"]);
  await rejects(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), "InvalidParameterValue",
    "InvalidParameterValue");
  await rejects(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: "bm9wZQ==" })), "InvalidParameterValue",
    "InvalidParameterValue", "Value for parameter TaskHandle is invalid.");
  await createQueue("js-plain");
  await rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn("js-plain") })), "InvalidParameterValue",
    "InvalidParameterValue", "Source queue must be configured as a Dead Letter Queue.");
  await rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn("js-missing") })),
    "ResourceNotFoundException", "ResourceNotFoundException", undefined, 404);
});

test("tags: on create, tag, untag, list", async () => {
  const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: "js-tags",
    tags: { team: "a", env: "dev" } }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { team: "a", env: "dev" });
  await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { env: "prod", b: "2" } }));
  await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ["team"] }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { env: "prod", b: "2" });
  await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ["env", "b"] }));
  assert.equal((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, undefined);
});

test("permissions: the policy statement AddPermission writes, RemovePermission", async () => {
  const url = await createQueue("js-perm");
  await sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "share", AWSAccountIds: ["111122223333"],
    Actions: ["SendMessage", "ReceiveMessage"] }));
  const [st] = JSON.parse((await attributes(url, "Policy")).Policy).Statement;
  assert.equal(st.Sid, "share");
  assert.deepEqual(st.Principal, { AWS: "arn:aws:iam::111122223333:root" });
  assert.deepEqual(st.Action, ["SQS:SendMessage", "SQS:ReceiveMessage"]);
  assert.equal(st.Resource, arn("js-perm"));
  await rejects(sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "share", AWSAccountIds: ["111122223333"],
    Actions: ["SendMessage"] })), "InvalidParameterValue", "InvalidParameterValue",
  "Value share for parameter Label is invalid. Reason: Already exists.");
  await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "share" }));
  assert.equal((await attributes(url)).Policy, undefined);
  await rejects(sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "share" })), "InvalidParameterValue",
    "InvalidParameterValue", "Value share for parameter Label is invalid. Reason: can't find label.");
});

test("purge: empties the queue, once per 60 seconds", async () => {
  const url = await createQueue("js-purge");
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: url,
    Entries: Array.from({ length: 5 }, (_, i) => ({ Id: `m${i}`, MessageBody: "x" })) }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  assert.deepEqual(await receive(url), []);
  assert.equal((await attributes(url, "ApproximateNumberOfMessages")).ApproximateNumberOfMessages, "0");
  await rejects(sqs.send(new PurgeQueueCommand({ QueueUrl: url })), "PurgeQueueInProgress",
    "AWS.SimpleQueueService.PurgeQueueInProgress",
    "Only one PurgeQueue operation on js-purge is allowed every 60 seconds.", 403);
});

test("accounts and regions keep separate queues", async () => {
  const account = new SQSClient(server.clientConfig({ credentials: { accessKeyId: "123456789012",
    secretAccessKey: "test" } }));
  const other = new SQSClient(server.clientConfig({ region: "eu-west-1" }));
  try {
    const mine = (await account.send(new CreateQueueCommand({ QueueName: "js-account" }))).QueueUrl;
    assert.equal(mine, `${server.endpoint}/123456789012/js-account`);
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "js-account" }))).QueueUrls, undefined);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: "js-account",
      QueueOwnerAWSAccountId: "123456789012" }))).QueueUrl, mine);
    const url = (await other.send(new CreateQueueCommand({ QueueName: "js-region" }))).QueueUrl;
    assert.equal(url, `${server.endpoint}/${ACCOUNT}/js-region`);
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "js-region" }))).QueueUrls, undefined);
    assert.equal((await other.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] })))
      .Attributes.QueueArn, `arn:aws:sqs:eu-west-1:${ACCOUNT}:js-region`);
    assert.notEqual(REGION, "eu-west-1");
  } finally {
    account.destroy();
    other.destroy();
  }
});
