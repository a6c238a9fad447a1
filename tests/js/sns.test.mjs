// The AWS SDK for JavaScript v3 SNS client against the real streamlab binary: all 21 operations. SNS is
// query/XML in every client (shared/wire/WIRE.md §2.3); JS writes form bodies without a charset and
// spaces as %20. Delivery to SQS (envelope, raw, FIFO) and to a webhook that is confirmed and verified.
// Bad input: sns_errors.test.mjs.
import assert from "node:assert/strict";
import { createVerify } from "node:crypto";
import http from "node:http";
import { after, before, test } from "node:test";

import {
  AddPermissionCommand,
  ConfirmSubscriptionCommand,
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
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

import { rejectsQueryError } from "./lib/errors.mjs";
import { ACCOUNT, REGION, startServer, until } from "./lib/server.mjs";

let server;
let sns;
let sqs;

const topicArn = (name) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

async function topic(name, Attributes) {
  return (await sns.send(new CreateTopicCommand({ Name: name, Attributes }))).TopicArn;
}

async function queue(name, Attributes) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return { url: QueueUrl, arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}` };
}

// Receives (and deletes) until `want` messages arrived or the time is up.
async function receive(url, want, timeoutMs = 5000) {
  const got = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < want && Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1,
      MessageAttributeNames: ["All"], MessageSystemAttributeNames: ["All"] }));
    for (const m of out.Messages ?? []) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      got.push(m);
    }
  }
  return got;
}

// This file names the status before the message.
const rejects = (promise, name, code, status = 400, message) => rejectsQueryError(promise, name, code, message, status);

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
  server = await startServer({ extraArgs: ["--log-level", "warn"] });
  sns = new SNSClient(server.clientConfig());
  sqs = new SQSClient(server.clientConfig());
});

after(async () => {
  sns?.destroy();
  sqs?.destroy();
  await server?.dispose();
});

test("topics: create (idempotent), FIFO, attributes, delete", async () => {
  const arn = await topic("js-topic", { DisplayName: "JS" });
  assert.equal(arn, topicArn("js-topic"));
  assert.equal(await topic("js-topic", { DisplayName: "JS" }), arn);
  const fifo = await topic("js-topic.fifo", { FifoTopic: "true" });
  const listed = (await sns.send(new ListTopicsCommand({}))).Topics.map((t) => t.TopicArn);
  assert.ok(listed.includes(arn) && listed.includes(fifo), listed.join());

  const a = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes;
  assert.equal(a.DisplayName, "JS");
  assert.equal(a.TopicArn, arn);
  assert.equal(a.Owner, ACCOUNT);
  assert.equal(a.SubscriptionsConfirmed, "0");
  assert.equal(JSON.parse(a.Policy).Statement[0].Resource, arn);
  assert.ok(JSON.parse(a.EffectiveDeliveryPolicy).http.defaultHealthyRetryPolicy);
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: "DisplayName", AttributeValue: "Two words" }));
  await sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: "SignatureVersion", AttributeValue: "2" }));
  const b = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes;
  assert.deepEqual([b.DisplayName, b.SignatureVersion], ["Two words", "2"]);
  const f = (await sns.send(new GetTopicAttributesCommand({ TopicArn: fifo }))).Attributes;
  assert.deepEqual([f.FifoTopic, f.ContentBasedDeduplication], ["true", "false"]);

  await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
  await sns.send(new DeleteTopicCommand({ TopicArn: arn })); // idempotent
  await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: arn })), "NotFoundException", "NotFound", 404,
    "Topic does not exist");
});

test("ListTopics: pages of 100", async () => {
  const before = (await sns.send(new ListTopicsCommand({}))).Topics?.length ?? 0;
  for (let i = 0; i < 105 - before; i++) await topic(`js-page-${String(i).padStart(3, "0")}`);
  const first = await sns.send(new ListTopicsCommand({}));
  assert.equal(first.Topics.length, 100);
  const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.equal(second.Topics.length, 5);
  assert.equal(second.NextToken, undefined);
  const all = new Set([...first.Topics, ...second.Topics].map((t) => t.TopicArn));
  assert.equal(all.size, 105);
});

test("tags, permissions and data protection policies", async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "js-tagged", Tags: [{ Key: "team", Value: "a" }] }));
  await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: "env", Value: "dev" },
    { Key: "team", Value: "b" }] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags,
    [{ Key: "team", Value: "b" }, { Key: "env", Value: "dev" }]);
  await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ["team"] }));
  assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags,
    [{ Key: "env", Value: "dev" }]);

  await sns.send(new AddPermissionCommand({ TopicArn, Label: "pub", AWSAccountId: ["111122223333"],
    ActionName: ["Publish"] }));
  const policy = async () => JSON.parse((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes.Policy);
  const added = (await policy()).Statement.find((s) => s.Sid === "pub");
  assert.equal(added.Principal.AWS, "arn:aws:iam::111122223333:root");
  assert.equal(added.Action, "SNS:Publish");
  await sns.send(new RemovePermissionCommand({ TopicArn, Label: "pub" }));
  assert.deepEqual((await policy()).Statement.map((s) => s.Sid), ["__default_statement_ID"]);

  const dpp = JSON.stringify({ Name: "p", Version: "2021-06-01", Statement: [] });
  await sns.send(new PutDataProtectionPolicyCommand({ ResourceArn: TopicArn, DataProtectionPolicy: dpp }));
  assert.equal((await sns.send(new GetDataProtectionPolicyCommand({ ResourceArn: TopicArn }))).DataProtectionPolicy, dpp);
});

test("subscriptions: idempotent subscribe, attributes, listing, filter policy scope, unsubscribe", async () => {
  const TopicArn = await topic("js-subs");
  const q = await queue("js-subs-q");
  const subscribe = (raw) => sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn,
    Attributes: { RawMessageDelivery: raw } }));
  const { SubscriptionArn } = await subscribe("true");
  assert.ok(SubscriptionArn.startsWith(TopicArn + ":"), SubscriptionArn);
  assert.equal((await subscribe("true")).SubscriptionArn, SubscriptionArn);
  await rejects(subscribe("false"), "InvalidParameterException", "InvalidParameter", 400,
    "Invalid parameter: Attributes Reason: Subscription already exists with different attributes");

  const attrs = async () => (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes;
  const a = await attrs();
  assert.deepEqual([a.RawMessageDelivery, a.PendingConfirmation, a.ConfirmationWasAuthenticated], ["true", "false", "true"]);
  assert.deepEqual([a.Protocol, a.Endpoint, a.TopicArn, a.Owner], ["sqs", q.arn, TopicArn, ACCOUNT]);
  assert.equal(a.FilterPolicyScope, undefined);
  const entry = { SubscriptionArn, Owner: ACCOUNT, Protocol: "sqs", Endpoint: q.arn, TopicArn };
  assert.ok((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions.some((s) =>
    JSON.stringify(s) === JSON.stringify(entry)));
  assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, [entry]);

  const setAttr = (AttributeName, AttributeValue) => sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn,
    AttributeName, AttributeValue }));
  await setAttr("FilterPolicyScope", "MessageBody");
  assert.equal((await attrs()).FilterPolicyScope, undefined, "the scope shows only next to a policy");
  await setAttr("FilterPolicy", '{"a":{"b":["c"]}}');
  const b = await attrs();
  assert.deepEqual([b.FilterPolicy, b.FilterPolicyScope], ['{"a":{"b":["c"]}}', "MessageBody"]);
  await setAttr("FilterPolicy", "");
  assert.equal((await attrs()).FilterPolicy, undefined);

  await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
  await sns.send(new UnsubscribeCommand({ SubscriptionArn })); // idempotent
  assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);
  await rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), "NotFoundException", "NotFound",
    404, "Subscription does not exist");
});

test("publish to SQS: AWS's envelope with a verifiable signature, filter policy on attributes", async () => {
  const TopicArn = await topic("js-env");
  const env = await queue("js-env-q");
  const filtered = await queue("js-env-filtered");
  const sub = (await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: env.arn,
    ReturnSubscriptionArn: true }))).SubscriptionArn;
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: filtered.arn,
    Attributes: { FilterPolicy: JSON.stringify({ kind: [{ prefix: "ke" }] }) } }));
  const out = await sns.send(new PublishCommand({ TopicArn, Message: 'hello "sns" with spaces\n', Subject: "subj",
    MessageAttributes: {
      kind: { DataType: "String", StringValue: "keep" },
      bin: { DataType: "Binary", BinaryValue: Uint8Array.from([0, 1, 2]) },
      n: { DataType: "Number", StringValue: "42" },
    } }));
  await sns.send(new PublishCommand({ TopicArn, Message: "filtered out",
    MessageAttributes: { kind: { DataType: "String", StringValue: "drop" } } }));

  const envMsgs = await receive(env.url, 2);
  assert.equal(envMsgs.length, 2);
  const m = envMsgs.find((x) => JSON.parse(x.Body).MessageId === out.MessageId);
  const doc = JSON.parse(m.Body);
  assert.deepEqual(Object.keys(doc), ["Type", "MessageId", "TopicArn", "Subject", "Message", "Timestamp",
    "SignatureVersion", "Signature", "SigningCertURL", "UnsubscribeURL", "MessageAttributes"]);
  assert.ok(m.Body.startsWith('{\n  "Type" : "Notification",\n  "MessageId" : "'), m.Body);
  assert.deepEqual([doc.TopicArn, doc.Subject, doc.Message], [TopicArn, "subj", 'hello "sns" with spaces\n']);
  assert.deepEqual(doc.MessageAttributes, { kind: { Type: "String", Value: "keep" }, bin: { Type: "Binary", Value: "AAEC" },
    n: { Type: "Number", Value: "42" } });
  assert.match(doc.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(doc.UnsubscribeURL, `${server.endpoint}/?Action=Unsubscribe&SubscriptionArn=${sub}`);
  assert.match(doc.SigningCertURL, /\/SimpleNotificationService-[0-9a-f]{32}\.pem$/);
  assert.equal(m.Attributes.SenderId, "AIDAIT2UOQQY3AUEKVGXU");
  const cert = await (await fetch(doc.SigningCertURL)).text();
  assert.ok(cert.startsWith("-----BEGIN CERTIFICATE-----"));
  assert.ok(verify(doc, cert));
  assert.ok(!verify({ ...doc, Message: "tampered" }, cert));

  const kept = await receive(filtered.url, 1);
  assert.deepEqual(kept.map((x) => JSON.parse(x.Body).MessageId), [out.MessageId]);
  assert.deepEqual(await receive(filtered.url, 1, 1000), []);
});

test("raw delivery maps SNS attributes to SQS message attributes", async () => {
  const TopicArn = await topic("js-raw");
  const q = await queue("js-raw-q");
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn,
    Attributes: { RawMessageDelivery: "true" } }));
  await sns.send(new PublishCommand({ TopicArn, Message: "just the body", MessageAttributes: {
    s: { DataType: "String", StringValue: "v" },
    n: { DataType: "Number", StringValue: "1.5" },
    b: { DataType: "Binary", BinaryValue: Uint8Array.from([255]) },
    arr: { DataType: "String.Array", StringValue: '["a","b"]' },
  } }));
  const [m] = await receive(q.url, 1);
  assert.equal(m.Body, "just the body");
  const a = m.MessageAttributes;
  assert.deepEqual(a.s, { DataType: "String", StringValue: "v" });
  assert.deepEqual(a.n, { DataType: "Number", StringValue: "1.5" });
  assert.deepEqual([a.b.DataType, [...a.b.BinaryValue]], ["Binary", [255]]);
  assert.deepEqual(a.arr, { DataType: "String.Array", StringValue: '["a","b"]' });
});

test("MessageStructure=json: the per-protocol message, attributes not delivered", async () => {
  const TopicArn = await topic("js-struct");
  const q = await queue("js-struct-q");
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn }));
  await sns.send(new PublishCommand({ TopicArn, MessageStructure: "json",
    Message: JSON.stringify({ default: "for everyone", sqs: "for queues", email: 1 }),
    MessageAttributes: { a: { DataType: "String", StringValue: "not sent" } } }));
  const [m] = await receive(q.url, 1);
  const doc = JSON.parse(m.Body);
  assert.equal(doc.Message, "for queues");
  assert.equal(doc.MessageAttributes, undefined);
});

test("FIFO topic to a FIFO queue: group order, deduplication, sequence numbers", async () => {
  const TopicArn = await topic("js-orders.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });
  const q = await queue("js-orders.fifo", { FifoQueue: "true" });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn }));
  const seqs = [];
  for (let i = 0; i < 6; i++) {
    const out = await sns.send(new PublishCommand({ TopicArn, Message: `m${i}`, MessageGroupId: `g${i % 2}` }));
    assert.match(out.SequenceNumber, /^\d{20}$/);
    seqs.push(out.SequenceNumber);
  }
  assert.deepEqual([...seqs].sort(), seqs);
  const dup = await sns.send(new PublishCommand({ TopicArn, Message: "m0", MessageGroupId: "g0" }));
  assert.ok(dup.MessageId);
  const got = await receive(q.url, 6);
  const byGroup = {};
  for (const m of got) {
    const doc = JSON.parse(m.Body);
    assert.equal(doc.Signature, undefined);
    assert.match(doc.SequenceNumber, /^\d{20}$/);
    (byGroup[m.Attributes.MessageGroupId] ??= []).push(doc.Message);
  }
  assert.deepEqual(byGroup, { g0: ["m0", "m2", "m4"], g1: ["m1", "m3", "m5"] });
  assert.deepEqual(await receive(q.url, 1, 1000), [], "the duplicate was not delivered");
});

test("PublishBatch: per-entry results, failures and batch errors", async () => {
  const TopicArn = await topic("js-batch");
  const q = await queue("js-batch-q");
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn,
    Attributes: { RawMessageDelivery: "true" } }));
  const out = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
    { Id: "a", Message: "one" },
    { Id: "b", Message: "two", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
    { Id: "c", Message: "" },
  ] }));
  assert.deepEqual(out.Successful.map((s) => s.Id), ["a", "b"]);
  assert.ok(out.Successful.every((s) => /^[0-9a-f-]{36}$/.test(s.MessageId)), JSON.stringify(out.Successful));
  assert.deepEqual(out.Failed, [{ Id: "c", Code: "InvalidParameter", Message: "Invalid parameter: Empty message",
    SenderFault: true }]);
  const got = await receive(q.url, 2);
  assert.deepEqual(got.map((m) => m.Body).sort(), ["one", "two"]);
  assert.equal(got.find((m) => m.Body === "two").MessageAttributes.k.StringValue, "v");
  const batch = (n) => Array.from({ length: n }, (_, i) => ({ Id: `${i}`, Message: "x" }));
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: batch(11) })),
    "TooManyEntriesInBatchRequestException", "TooManyEntriesInBatchRequest", 400,
    "The batch request contains more entries than permissible.");
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: "a", Message: "x" },
    { Id: "a", Message: "y" }] })), "BatchEntryIdsNotDistinctException", "BatchEntryIdsNotDistinct", 400,
  "Two or more batch entries in the request have the same Id.");
  await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })),
    "EmptyBatchRequestException", "EmptyBatchRequest", 400, "The batch request doesn't contain any entries.");
});

test("webhook: confirmation by token, notification with AWS's headers, unsubscribe link", async () => {
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
    const TopicArn = await topic("js-hook");
    const pending = await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: url }));
    assert.equal(pending.SubscriptionArn, "pending confirmation");
    assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions
      .map((s) => s.SubscriptionArn), ["PendingConfirmation"]);
    await until("the confirmation POST", () => seen.length >= 1);
    const conf = seen[0];
    assert.equal(conf.headers["x-amz-sns-message-type"], "SubscriptionConfirmation");
    assert.equal(conf.headers["x-amz-sns-topic-arn"], TopicArn);
    assert.equal(conf.body.SubscribeURL,
      `${server.endpoint}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${conf.body.Token}`);
    await rejects(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: "0".repeat(20) })),
      "InvalidParameterException", "InvalidParameter", 400, "Invalid parameter: Token");
    const { SubscriptionArn } = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: conf.body.Token }));
    assert.ok(SubscriptionArn.startsWith(TopicArn + ":"));
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes
      .ConfirmationWasAuthenticated, "true");
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: "to the hook" }));
    await until("the notification POST", () => seen.length >= 2);
    const note = seen[1];
    assert.equal(note.headers["x-amz-sns-message-type"], "Notification");
    assert.equal(note.headers["x-amz-sns-subscription-arn"], SubscriptionArn);
    assert.equal(note.headers["x-amz-sns-message-id"], MessageId);
    assert.equal(note.headers["user-agent"], "Amazon Simple Notification Service Agent");
    assert.equal(note.body.Message, "to the hook");
    const cert = await (await fetch(note.body.SigningCertURL)).text();
    assert.ok(verify(note.body, cert));
    assert.ok(verify(conf.body, cert));
    // The UnsubscribeURL is an unsigned GET on this server, as on AWS.
    const r = await fetch(note.body.UnsubscribeURL);
    assert.equal(r.status, 200);
    assert.match(await r.text(), /<UnsubscribeResponse/);
    assert.deepEqual((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions, []);
  } finally {
    hook.close();
  }
});

test("SignatureVersion 2 signs with SHA256withRSA", async () => {
  const TopicArn = await topic("js-v2", { SignatureVersion: "2" });
  const q = await queue("js-v2-q");
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn }));
  await sns.send(new PublishCommand({ TopicArn, Message: "sha256", Subject: "v2" }));
  const [m] = await receive(q.url, 1);
  const doc = JSON.parse(m.Body);
  assert.equal(doc.SignatureVersion, "2");
  const cert = await (await fetch(doc.SigningCertURL)).text();
  assert.ok(verify(doc, cert));
  assert.ok(!verify({ ...doc, SignatureVersion: "1" }, cert), "not a SHA1 signature");
});

test("email, sms and lambda subscriptions are recorded", async () => {
  const TopicArn = await topic("js-other-protocols");
  const subscribe = async (Protocol, Endpoint) =>
    (await sns.send(new SubscribeCommand({ TopicArn, Protocol, Endpoint }))).SubscriptionArn;
  assert.equal(await subscribe("email", "me@example.com"), "pending confirmation");
  const sms = await subscribe("sms", "+15555550100");
  const lambda = await subscribe("lambda", `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`);
  assert.ok(sms.startsWith(TopicArn + ":") && lambda.startsWith(TopicArn + ":"), `${sms} ${lambda}`);
  const listed = Object.fromEntries((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions
    .map((s) => [s.Protocol, s.SubscriptionArn]));
  assert.deepEqual(listed, { email: "PendingConfirmation", sms, lambda });
  assert.ok((await sns.send(new PublishCommand({ TopicArn, Message: "logged, not delivered" }))).MessageId);
});

test("ListSubscriptions and ListSubscriptionsByTopic: pages of 100", async () => {
  const TopicArn = await topic("js-many-subs");
  for (let i = 0; i < 105; i++) {
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:js-many-${i}` }));
  }
  const first = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.equal(first.Subscriptions.length, 100);
  const second = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken: first.NextToken }));
  assert.equal(second.Subscriptions.length, 5);
  assert.equal(second.NextToken, undefined);
  const endpoints = new Set([...first.Subscriptions, ...second.Subscriptions].map((s) => s.Endpoint));
  assert.equal(endpoints.size, 105);
  const all = [];
  let NextToken;
  do {
    const page = await sns.send(new ListSubscriptionsCommand({ NextToken }));
    assert.ok(page.Subscriptions.length <= 100);
    all.push(...page.Subscriptions);
    NextToken = page.NextToken;
  } while (NextToken);
  assert.ok([...endpoints].every((e) => all.some((s) => s.Endpoint === e)));
});

test("a filter policy on the message body: nested keys, numeric ranges, non-JSON messages", async () => {
  const TopicArn = await topic("js-body-filter");
  const q = await queue("js-body-filter-q");
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn, Attributes: { RawMessageDelivery: "true",
    FilterPolicyScope: "MessageBody", FilterPolicy: JSON.stringify({ order: { kind: ["big"], n: [{ numeric: [">", 5] }] } }) } }));
  const bodies = [{ order: { kind: "big", n: 10 } }, { order: { kind: "big", n: 1 } }, { order: { kind: "small", n: 10 } },
    { kind: "big", n: 10 }].map((b) => JSON.stringify(b));
  for (const Message of [...bodies, "not json"]) await sns.send(new PublishCommand({ TopicArn, Message }));
  const got = await receive(q.url, 2, 2000);
  assert.deepEqual(got.map((m) => m.Body), [bodies[0]]);
});

test("PublishBatch to a FIFO topic: group order, deduplication within the batch, per-entry FIFO errors", async () => {
  const TopicArn = await topic("js-batch.fifo", { FifoTopic: "true" });
  const q = await queue("js-batch-q.fifo", { FifoQueue: "true" });
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: q.arn, Attributes: { RawMessageDelivery: "true" } }));
  const out = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
    { Id: "a", Message: "one", MessageGroupId: "g", MessageDeduplicationId: "d1" },
    { Id: "b", Message: "two", MessageGroupId: "g", MessageDeduplicationId: "d2" },
    { Id: "c", Message: "dup", MessageGroupId: "g", MessageDeduplicationId: "d1" },
    { Id: "d", Message: "nogroup", MessageDeduplicationId: "d3" },
  ] }));
  const byId = Object.fromEntries(out.Successful.map((s) => [s.Id, s]));
  assert.deepEqual(Object.keys(byId), ["a", "b", "c"]);
  assert.ok(BigInt(byId.a.SequenceNumber) < BigInt(byId.b.SequenceNumber));
  assert.equal(byId.c.MessageId, byId.a.MessageId, "a duplicate answers the original message");
  assert.deepEqual(out.Failed, [{ Id: "d", Code: "InvalidParameter", SenderFault: true,
    Message: "Invalid parameter: The MessageGroupId parameter is required for FIFO topics" }]);
  const got = await receive(q.url, 2);
  assert.deepEqual(got.map((m) => [m.Body, m.Attributes.MessageGroupId, m.Attributes.MessageDeduplicationId]),
    [["one", "g", "d1"], ["two", "g", "d2"]]);
  assert.deepEqual(await receive(q.url, 1, 1000), [], "the duplicate was not delivered");
});
