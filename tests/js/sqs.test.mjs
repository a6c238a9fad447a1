// The AWS SDK for JavaScript v3 SQS client against the real streamlab binary. It speaks JSON 1.0
// with x-amzn-query-mode (shared/wire/WIRE.md §2.2), checks MD5OfMessageBody / MD5OfBody itself,
// and reads error codes from x-amzn-query-error (§4). Every operation is exercised.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

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

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.STREAMLAB_BIN || resolve(here, "../../build/streamlab");
const ACCOUNT = "000000000000";

let server;
let serverLog = "";
let dataDir;
let endpoint;
let sqs;

async function freePort() {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

async function waitHealthy() {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`streamlab exited (${server.exitCode}): ${serverLog}`);
    try {
      if ((await fetch(`${endpoint}/_streamlab/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error(`streamlab did not become healthy: ${serverLog}`);
}

const md5 = (s) => createHash("md5").update(s).digest("hex");
const arn = (name) => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function createQueue(name, attributes = {}) {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  return out.QueueUrl;
}

async function receive(url, extra = {}) {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, ...extra }));
  return out.Messages ?? [];
}

// Asserts the SDK raised this error: class name (the modelled class, else the query code),
// query-compatible Code (from x-amzn-query-error), HTTP status.
async function rejects(promise, name, code, status = 400) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, name, err.message);
    assert.equal(err.Code, code);
    assert.equal(err.Type, "Sender");
    assert.equal(err.$metadata.httpStatusCode, status);
    return true;
  });
}

before(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), "streamlab-js-sqs-"));
  server = spawn(BIN, ["serve", "--port", String(port), "--data-dir", dataDir, "--log-level", "warn"],
    { stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  endpoint = `http://127.0.0.1:${port}`;
  await waitHealthy();
  sqs = new SQSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
});

after(async () => {
  sqs?.destroy();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((ok) => server.once("exit", ok));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("queue lifecycle: create, get URL, list, attributes, delete", async () => {
  const url = await createQueue("js-life", { VisibilityTimeout: "45" });
  assert.equal(url, `${endpoint}/${ACCOUNT}/js-life`);
  assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: "js-life" }))).QueueUrl, url);
  assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: "js-life" }))).QueueUrls, [url]);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { DelaySeconds: "2" } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["All"] }));
  assert.equal(Attributes.VisibilityTimeout, "45");
  assert.equal(Attributes.DelaySeconds, "2");
  assert.equal(Attributes.QueueArn, arn("js-life"));
  await rejects(createQueue("js-life", { VisibilityTimeout: "46" }), "QueueNameExists", "QueueAlreadyExists");
  await sqs.send(new DeleteQueueCommand({ QueueUrl: url }));
  await rejects(sqs.send(new GetQueueUrlCommand({ QueueName: "js-life" })), "QueueDoesNotExist",
    "AWS.SimpleQueueService.NonExistentQueue");
});

test("send, receive, delete with the SDK's own MD5 checks", async () => {
  const url = await createQueue("js-msgs");
  const attrs = {
    attr1: { DataType: "String", StringValue: "v1" },
    num: { DataType: "Number", StringValue: "42" },
    bin: { DataType: "Binary", BinaryValue: Uint8Array.from([0, 1, 2]) },
  };
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "hello sqs", MessageAttributes: attrs }));
  assert.equal(sent.MD5OfMessageBody, md5("hello sqs"));
  assert.equal(sent.MD5OfMessageAttributes, "daf2934cd1aa4497d7ced41c6c2088c5");
  const [m] = await receive(url, { MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"] });
  assert.equal(m.Body, "hello sqs");
  assert.equal(m.MessageId, sent.MessageId);
  assert.equal(m.MD5OfMessageAttributes, "daf2934cd1aa4497d7ced41c6c2088c5");
  assert.deepEqual(Array.from(m.MessageAttributes.bin.BinaryValue), [0, 1, 2]);
  assert.equal(m.Attributes.ApproximateReceiveCount, "1");
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  assert.deepEqual(await receive(url), []);
});

test("batches: send, change visibility, delete, with per-entry failures", async () => {
  const url = await createQueue("js-batch");
  const sent = await sqs.send(new SendMessageBatchCommand({
    QueueUrl: url,
    Entries: [
      { Id: "a", MessageBody: "one" },
      { Id: "b", MessageBody: "two" },
      { Id: "c", MessageBody: "three", DelaySeconds: 901 },
    ],
  }));
  assert.deepEqual(sent.Successful.map((e) => e.Id).sort(), ["a", "b"]);
  assert.equal(sent.Failed[0].Code, "InvalidParameterValue");
  const got = await receive(url);
  assert.equal(got.length, 2);
  const vis = await sqs.send(new ChangeMessageVisibilityBatchCommand({
    QueueUrl: url,
    Entries: [{ Id: "x", ReceiptHandle: got[0].ReceiptHandle, VisibilityTimeout: 0 },
      { Id: "y", ReceiptHandle: "bogus", VisibilityTimeout: 5 }],
  }));
  assert.deepEqual(vis.Successful, [{ Id: "x" }]);
  assert.equal(vis.Failed[0].Code, "ReceiptHandleIsInvalid");
  const again = await receive(url);
  assert.equal(again.length, 1);
  const del = await sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: url,
    Entries: [{ Id: "p", ReceiptHandle: again[0].ReceiptHandle }, { Id: "q", ReceiptHandle: got[1].ReceiptHandle }],
  }));
  assert.deepEqual(del.Successful.map((e) => e.Id).sort(), ["p", "q"]);
  await rejects(sqs.send(new SendMessageBatchCommand({
    QueueUrl: url, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: "x" })),
  })), "TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest");
  await rejects(sqs.send(new SendMessageBatchCommand({
    QueueUrl: url, Entries: [{ Id: "d", MessageBody: "x" }, { Id: "d", MessageBody: "y" }],
  })), "BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct");
});

test("visibility: change, stale receipt handles, 12-hour limit", async () => {
  const url = await createQueue("js-vis", { VisibilityTimeout: "1" });
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "m" }));
  const [first] = await receive(url);
  await sleep(1100);
  const [second] = await receive(url);
  assert.equal(second.MessageId, first.MessageId);
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.ReceiptHandle })),
    "InvalidParameterValue", "InvalidParameterValue");
  await rejects(sqs.send(new ChangeMessageVisibilityCommand({
    QueueUrl: url, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 43201,
  })), "InvalidParameterValue", "InvalidParameterValue");
  await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: second.ReceiptHandle, VisibilityTimeout: 0 }));
  assert.equal((await receive(url)).length, 1);
  await rejects(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: "forged" })),
    "ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404);
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
});

test("FIFO: order, group blocking, deduplication, sequence numbers", async () => {
  const url = await createQueue("js-order.fifo", { FifoQueue: "true", ContentBasedDeduplication: "true" });
  const seqs = [];
  for (const body of ["a0", "a1", "a2"]) {
    seqs.push((await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body, MessageGroupId: "A" }))).SequenceNumber);
  }
  assert.deepEqual([...seqs].sort(), seqs);
  const dup = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "a0", MessageGroupId: "A" }));
  assert.equal(dup.SequenceNumber, seqs[0]);
  const first = await receive(url, { MaxNumberOfMessages: 2 });
  assert.deepEqual(first.map((m) => m.Body), ["a0", "a1"]);
  assert.deepEqual(await receive(url), []);
  for (const m of first) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  assert.deepEqual((await receive(url)).map((m) => m.Body), ["a2"]);
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" })),
    "MissingParameter", "MissingParameter");
});

test("dead-letter queue, source listing, message move task", async () => {
  const dlq = await createQueue("js-dlq");
  const src = await createQueue("js-src", {
    VisibilityTimeout: "0",
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn("js-dlq"), maxReceiveCount: 1 }),
  });
  await sqs.send(new SendMessageCommand({ QueueUrl: src, MessageBody: "poison" }));
  await receive(src);
  assert.deepEqual(await receive(src), []);
  assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [src]);
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arn("js-dlq") }));
  assert.ok(TaskHandle);
  for (let i = 0; i < 100; i++) {
    const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn("js-dlq") }));
    if (Results[0].Status === "COMPLETED") break;
    await sleep(50);
  }
  const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: arn("js-dlq"), MaxResults: 10 }));
  assert.equal(Results[0].Status, "COMPLETED");
  assert.equal(Results[0].ApproximateNumberOfMessagesMoved, 1);
  assert.deepEqual((await receive(src)).map((m) => m.Body), ["poison"]);
  await assert.rejects(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle })), (err) => {
    assert.equal(err.Code, "InvalidParameterValue");
    return true;
  });
});

test("tags, permissions, purge", async () => {
  const url = await createQueue("js-misc");
  await sqs.send(new TagQueueCommand({ QueueUrl: url, Tags: { a: "1", b: "2" } }));
  await sqs.send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ["a"] }));
  assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags, { b: "2" });
  await sqs.send(new AddPermissionCommand({ QueueUrl: url, Label: "share", AWSAccountIds: ["111122223333"], Actions: ["SendMessage"] }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["Policy"] }));
  assert.equal(JSON.parse(Attributes.Policy).Statement[0].Sid, "share");
  await sqs.send(new RemovePermissionCommand({ QueueUrl: url, Label: "share" }));
  await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x" }));
  await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  assert.deepEqual(await receive(url), []);
  await rejects(sqs.send(new PurgeQueueCommand({ QueueUrl: url })), "PurgeQueueInProgress",
    "AWS.SimpleQueueService.PurgeQueueInProgress", 403);
});

test("bad input: attributes, sizes, characters", async () => {
  await rejects(createQueue("js-bad", { Bogus: "1" }), "InvalidAttributeName", "InvalidAttributeName");
  await rejects(createQueue("js-bad", { VisibilityTimeout: "43201" }), "InvalidAttributeValue", "InvalidAttributeValue");
  const url = await createQueue("js-small", { MaximumMessageSize: "1024" });
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x".repeat(1025) })),
    "InvalidParameterValue", "InvalidParameterValue");
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "bad \u0001" })),
    "InvalidMessageContents", "InvalidMessageContents");
  await rejects(sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: "x", MessageDeduplicationId: "d" })),
    "InvalidParameterValue", "InvalidParameterValue");
  await rejects(sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })),
    "InvalidParameterValue", "InvalidParameterValue");
});
