// kill -9 in the middle of JS SDK traffic to SQS: every acknowledged send survives (also those of a
// sender still running when the process dies), deleted messages never come back, messages in flight at
// the crash stay hidden until their visibility timeout passes, and FIFO order holds.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";

import { sleep, startServer, until } from "./lib/server.mjs";

const VISIBILITY = 10; // seconds: room for the restart and the drain on a loaded machine
let server;

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "warn"] });
});

after(async () => {
  await server?.dispose();
});

async function receive(sqs, QueueUrl) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages ?? [];
}

// Receives and deletes until the queue answers empty; returns what it saw, by MessageId.
async function drain(sqs, QueueUrl) {
  const seen = new Map();
  for (;;) {
    const msgs = await receive(sqs, QueueUrl);
    if (!msgs.length) return seen;
    for (const m of msgs) seen.set(m.MessageId, m);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: msgs.map((m, i) => ({ Id: `${i}`,
      ReceiptHandle: m.ReceiptHandle })) }));
  }
}

test("kill -9 mid-run loses nothing acknowledged and resurrects nothing deleted", async () => {
  let sqs = new SQSClient(server.clientConfig());
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: "crash",
    Attributes: { VisibilityTimeout: String(VISIBILITY) } }))).QueueUrl;
  const fifo = (await sqs.send(new CreateQueueCommand({ QueueName: "crash.fifo",
    Attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" } }))).QueueUrl;
  const acked = new Set();
  for (let base = 0; base < 500; base += 10) {
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url,
      Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `${i}`, MessageBody: `m${base + i}` })) }));
    for (const e of out.Successful) acked.add(e.MessageId);
  }
  for (let i = 0; i < 5; i++) {
    await sqs.send(new SendMessageCommand({ QueueUrl: fifo, MessageBody: `f${i}`, MessageGroupId: "g" }));
  }
  const inFlight = new Set();
  const deleted = new Set();
  while (inFlight.size + deleted.size < 150) {
    const msgs = await receive(sqs, url);
    for (const m of msgs.slice(0, 4)) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      deleted.add(m.MessageId);
    }
    for (const m of msgs.slice(4)) inFlight.add(m.MessageId);
  }
  const receivedAt = Date.now();

  // A sender of its own still running when the process dies: what it saw acknowledged must survive.
  const lateAcked = new Set();
  let stop = false;
  const late = new SQSClient(server.clientConfig());
  const sender = (async () => {
    try {
      for (let i = 0; !stop; i++) {
        lateAcked.add((await late.send(new SendMessageCommand({ QueueUrl: url, MessageBody: `late${i}` }))).MessageId);
      }
    } catch {
      // the server went away mid-request
    }
  })();
  // Killed once the late sender got some acknowledgements, however loaded the machine is.
  await until("10 acknowledged late sends", () => lateAcked.size >= 10, { timeoutMs: 30000 });
  await server.stop("SIGKILL");
  stop = true;
  await sender;
  late.destroy();
  sqs.destroy();
  assert.ok(lateAcked.size > 5, `only ${lateAcked.size} late sends were acknowledged`);

  await server.start();
  sqs = new SQSClient(server.clientConfig());
  try {
    const seen = await drain(sqs, url);
    assert.ok(Date.now() - receivedAt < VISIBILITY * 1000, "the restart took longer than the visibility timeout");
    assert.deepEqual([...inFlight].filter((id) => seen.has(id)), [], "in-flight messages stay hidden until their timeout");
    assert.deepEqual([...deleted].filter((id) => seen.has(id)), [], "deleted messages never come back");
    assert.deepEqual([...acked].filter((id) => !deleted.has(id) && !inFlight.has(id) && !seen.has(id)), [],
      "every acknowledged send survived");
    assert.deepEqual([...lateAcked].filter((id) => !seen.has(id)), [], "every acknowledged late send survived");
    const unexpected = [...seen.values()].filter((m) => !acked.has(m.MessageId) && !lateAcked.has(m.MessageId));
    assert.ok(unexpected.every((m) => m.Body.startsWith("late")), "only an unacknowledged late send may appear");

    await sleep(VISIBILITY * 1000 - (Date.now() - receivedAt) + 200);
    const back = await drain(sqs, url);
    assert.deepEqual([...back.keys()].sort(), [...inFlight].sort(), "the in-flight messages return after their timeout");

    const order = [];
    for (let msgs; (msgs = await receive(sqs, fifo)).length;) {
      order.push(...msgs.map((m) => m.Body));
      for (const m of msgs) await sqs.send(new DeleteMessageCommand({ QueueUrl: fifo, ReceiptHandle: m.ReceiptHandle }));
    }
    assert.deepEqual(order, ["f0", "f1", "f2", "f3", "f4"]);
  } finally {
    sqs.destroy();
  }
});
