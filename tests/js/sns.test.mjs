// The AWS SDK for JavaScript v3 SNS client against the real streamlab binary. SNS is query/XML in every
// client (shared/wire/WIRE.md §2.3); JS writes form bodies without a charset and spaces as %20. Every
// operation is exercised, delivery to SQS included, and a webhook is confirmed and verified.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createVerify } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  AddPermissionCommand,
  ConfirmSubscriptionCommand,
  CreatePlatformApplicationCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetDataProtectionPolicyCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.STREAMLAB_BIN || resolve(here, "../../build/streamlab");
const ACCOUNT = "000000000000";
const REGION = "us-east-1";

let server;
let serverLog = "";
let dataDir;
let endpoint;
let sns;
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

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const topicArn = (name) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

async function queue(name) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { url: QueueUrl, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` };
}

async function receive(url, want, timeoutMs = 5000) {
  const got = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < want && Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ["All"],
    }));
    got.push(...(out.Messages ?? []));
  }
  return got;
}

// The SDK's error: modelled class name, query Code, Type, status.
async function rejects(promise, name, code, status = 400, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, name, err.message);
    assert.equal(err.Code, code);
    assert.equal(err.Type, "Sender");
    assert.equal(err.$metadata.httpStatusCode, status);
    if (message !== undefined) assert.equal(err.message, message);
    return true;
  });
}

// Canonical string and signature check, as a learner's verifier does it.
function verify(doc, certPem) {
  const fields = doc.Type === "Notification"
    ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
    : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  const text = fields.filter((f) => f in doc).map((f) => `${f}\n${doc[f]}\n`).join("");
  const v = createVerify(doc.SignatureVersion === "2" ? "RSA-SHA256" : "RSA-SHA1");
  v.update(text);
  return v.verify(certPem, doc.Signature, "base64");
}

before(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), "streamlab-js-sns-"));
  server = spawn(BIN, ["serve", "--port", String(port), "--data-dir", dataDir, "--log-level", "warn"],
    { stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  endpoint = `http://127.0.0.1:${port}`;
  await waitHealthy();
  const config = { endpoint, region: REGION, credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1 };
  sns = new SNSClient(config);
  sqs = new SQSClient(config);
});

after(async () => {
  sns?.destroy();
  sqs?.destroy();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((ok) => server.once("exit", ok));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test("topics: create (idempotent), list, attributes, tags, permissions, data protection, delete", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-topic", Attributes: { DisplayName: "JS" },
    Tags: [{ Key: "team", Value: "a" }] }));
  assert.equal(TopicArn, topicArn("js-topic"));
  assert.equal((await sns.send(new CreateTopicCommand({ Name: "js-topic" }))).TopicArn, TopicArn);
  assert.ok((await sns.send(new ListTopicsCommand({}))).Topics.some((t) => t.TopicArn === TopicArn));
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: "DisplayName", AttributeValue: "Two words" }));
  const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
  assert.equal(Attributes.DisplayName, "Two words");
  assert.equal(Attributes.Owner, ACCOUNT);
  await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: "env", Value: "dev" }] }));
  await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ["team"] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags,
    [{ Key: "env", Value: "dev" }]);
  await sns.send(new AddPermissionCommand({ TopicArn, Label: "js", AWSAccountId: ["111122223333"],
    ActionName: ["Publish"] }));
  await sns.send(new RemovePermissionCommand({ TopicArn, Label: "js" }));
  const dpp = JSON.stringify({ Name: "p", Version: "2021-06-01", Statement: [] });
  await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: dpp }));
  assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy,
    dpp);
  await sns.send(new DeleteTopicCommand({ TopicArn }));
  await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn })), "NotFoundException", "NotFound", 404,
    "Topic does not exist");
});

test("publish to SQS: envelope with a verifiable signature, raw delivery, batch, filter policy", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-fan" }));
  const env = await queue("js-env");
  const raw = await queue("js-raw");
  const sub = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: env.arn,
    ReturnSubscriptionArn: true }))).SubscriptionArn;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: raw.arn,
    Attributes: { RawMessageDelivery: "true", FilterPolicy: JSON.stringify({ kind: [{ prefix: "ke" }] }) } }));
  const out = await sns.send(new PublishCommand({ TopicArn, Message: "hello with spaces", Subject: "s",
    MessageAttributes: { kind: { DataType: "String", StringValue: "keep" } } }));
  await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
    { Id: "a", Message: "filtered out", MessageAttributes: { kind: { DataType: "String", StringValue: "drop" } } },
  ] }));
  const envMsgs = await receive(env.url, 2);
  const first = envMsgs.map((m) => JSON.parse(m.Body)).find((d) => d.MessageId === out.MessageId);
  assert.equal(first.Message, "hello with spaces");
  assert.equal(first.UnsubscribeURL, `${endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
  const cert = await (await fetch(first.SigningCertURL)).text();
  assert.ok(verify(first, cert));
  const rawMsgs = await receive(raw.url, 1);
  assert.deepEqual(rawMsgs.map((m) => m.Body), ["hello with spaces"]);
  assert.equal(rawMsgs[0].MessageAttributes.kind.StringValue, "keep");
});

test("subscriptions: attributes, listing, filter policy errors, unsubscribe", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-subs" }));
  const q = await queue("js-subs-q");
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn }));
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicy",
    AttributeValue: JSON.stringify({ n: [{ numeric: [">", 1] }] }) }));
  const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
  assert.equal(Attributes.FilterPolicyScope, "MessageAttributes");
  await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: "FilterPolicy",
    AttributeValue: '{"key":[{"numeric":[">",3,"<",1]}]}' })), "InvalidParameterException", "InvalidParameter", 400,
  'Invalid parameter: FilterPolicy: Bottom must be less than top\n at [Source: (String)"{"key":[{"numeric":[">",3,"<",1]}]}"; line: 1, column: 33]');
  assert.ok((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions.some((s) => s.SubscriptionArn ===
    SubscriptionArn));
  assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions.length, 1);
  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  assert.equal((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions.length, 0);
});

test("webhook: confirmation by token, notification with AWS's headers", async () => {
  const seen = [];
  const hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ headers: req.headers, body: JSON.parse(body) });
      res.end();
    });
  });
  await new Promise((ok) => hook.listen(0, "127.0.0.1", ok));
  try {
    const url = `http://127.0.0.1:${hook.address().port}/in`;
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-hook" }));
    const pending = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: url }));
    assert.equal(pending.SubscriptionArn, "pending confirmation");
    while (!seen.length) await sleep(20);
    const conf = seen[0];
    assert.equal(conf.headers["x-amz-sns-message-type"], "SubscriptionConfirmation");
    const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: conf.body.Token }));
    assert.ok(SubscriptionArn.startsWith(TopicArn + ":"));
    await sns.send(new PublishCommand({ TopicArn, Message: "to the hook" }));
    while (seen.length < 2) await sleep(20);
    const note = seen[1];
    assert.equal(note.headers["x-amz-sns-message-type"], "Notification");
    assert.equal(note.headers["x-amz-sns-subscription-arn"], SubscriptionArn);
    assert.equal(note.body.Message, "to the hook");
    const cert = await (await fetch(note.body.SigningCertURL)).text();
    assert.ok(verify(note.body, cert));
    assert.ok(verify(conf.body, cert));
  } finally {
    hook.close();
  }
});

test("errors: bad input and operations that are not emulated", async () => {
  await rejects(sns.send(new CreateTopicCommand({ Name: "bad name" })), "InvalidParameterException",
    "InvalidParameter", 400, "Invalid parameter: Topic Name");
  await rejects(sns.send(new PublishCommand({ TopicArn: topicArn("nope"), Message: "x" })), "NotFoundException",
    "NotFound", 404);
  await rejects(sns.send(new CreatePlatformApplicationCommand({ Name: "a", Platform: "GCM", Attributes: {} })),
    "InvalidParameterException", "InvalidParameter");
});
