// kill -9 between publish and delivery, with the JS SDK publishing: every acknowledged publish reaches
// the SQS subscriber (delivered before the publish is acknowledged) and, after the restart, the webhook
// that was down when it was published (pending deliveries live in RocksDB).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";

import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";

import { ACCOUNT, REGION, freePort, sleep, startServer, until } from "./lib/server.mjs";

// Retries every second for a minute: long enough to outlive the restart.
const PATIENT = JSON.stringify({ healthyRetryPolicy: { numRetries: 60, minDelayTarget: 1, maxDelayTarget: 1 } });
let server;

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "warn", "--throttle", "off"] });
});

after(async () => {
  await server?.dispose();
});

// A webhook receiver on a fixed port that can go down and come back.
function receiver(port, seen) {
  const hook = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      seen.push({ type: req.headers["x-amz-sns-message-type"], doc: JSON.parse(body) });
      res.end();
    });
  });
  return new Promise((ok) => hook.listen(port, "127.0.0.1", () => ok(hook)));
}

const closeHook = (hook) => new Promise((ok) => {
  hook.close(ok);
  hook.closeAllConnections();
});

test("kill -9 between publish and delivery loses no acknowledged publish", async () => {
  const hookPort = await freePort();
  const seen = [];
  let hook = await receiver(hookPort, seen);
  let sns = new SNSClient(server.clientConfig());
  let sqs = new SQSClient(server.clientConfig());
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "crash" }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: "crash-q" }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "sqs", Endpoint: `arn:aws:sqs:${REGION}:${ACCOUNT}:crash-q`,
    Attributes: { RawMessageDelivery: "true" } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: "http", Endpoint: `http://127.0.0.1:${hookPort}/in`,
    Attributes: { DeliveryPolicy: PATIENT } }));
  const confirmation = await until("the confirmation POST", () => seen.find((s) => s.type === "SubscriptionConfirmation"));
  await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: confirmation.doc.Token }));
  await closeHook(hook); // the endpoint goes down: deliveries wait in the outbox

  const acked = new Set();
  let stop = false;
  const publisher = (async () => {
    try {
      for (let i = 0; !stop; i++) {
        await sns.send(new PublishCommand({ TopicArn, Message: `m${i}` }));
        acked.add(`m${i}`);
      }
    } catch {
      // the server died mid-request
    }
    stop = true;
  })();
  // Killed once a fair number were acknowledged, however loaded the machine is.
  await until("30 acknowledged publishes", () => acked.size >= 30 || stop, { timeoutMs: 30000 });
  await sleep(100);
  await server.stop("SIGKILL");
  stop = true;
  await publisher;
  sns.destroy();
  sqs.destroy();
  assert.ok(acked.size > 20, `only ${acked.size} publishes were acknowledged`);

  hook = await receiver(hookPort, seen); // the endpoint is back
  await server.start();
  sqs = new SQSClient(server.clientConfig());
  try {
    const delivered = () => new Set(seen.filter((s) => s.type === "Notification").map((s) => s.doc.Message));
    await until("every acknowledged publish at the webhook", () => [...acked].every((m) => delivered().has(m)),
      { timeoutMs: 30000, everyMs: 200 });
    const inQueue = new Set();
    for (;;) {
      const msgs = (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
      if (!msgs.length) break;
      for (const m of msgs) inQueue.add(m.Body);
      await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: msgs.map((m, i) => ({ Id: `${i}`,
        ReceiptHandle: m.ReceiptHandle })) }));
    }
    assert.deepEqual([...acked].filter((m) => !inQueue.has(m)), [], "every acknowledged publish is in the queue");
  } finally {
    sqs.destroy();
    await closeHook(hook);
  }
});
