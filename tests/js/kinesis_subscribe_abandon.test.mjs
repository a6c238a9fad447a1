// SubscribeToShard subscribers that vanish leak nothing: tests/integration/test_subscribe_abandon.py
// through the JS SDK over HTTP/2. 1,000 subscriptions are opened and dropped right after the
// response (half of them after reading the first event). The Python test drops them by closing raw
// HTTP/1.1 connections; here the SDK's abort signal resets the HTTP/2 stream (RST_STREAM) while the
// connection stays up. (Ending the SDK's EventStream iterator before reading anything does not
// close the stream, so abort is what a JS consumer that gives up does.) The server must release
// every (consumer, shard) claim, keep its memory bounded, and serve a fresh subscription afterwards.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";

import { K, shardId, sleep, withContext } from "./lib/kinesis.mjs";
import { startServer } from "./lib/server.mjs";

let server;
before(async () => {
  server = await startServer({ extraArgs: ["--throttle", "off"] });
});
after(() => server?.dispose());

const rssKiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const state = async () => (await (await fetch(`${server.endpoint}/_streamlab/state`)).json()).kinesis;

// Opens one subscription and abandons it: right after the response, or after the first event.
async function subscribeAndAbandon(client, consumerArn, shard, readEvent) {
  const abort = new AbortController();
  const out = await client.send(new K.SubscribeToShardCommand({
    ConsumerARN: consumerArn, ShardId: shard, StartingPosition: { Type: "TRIM_HORIZON" },
  }), { abortSignal: abort.signal });
  const status = out.$metadata.httpStatusCode;
  if (readEvent) {
    const { value } = await out.EventStream[Symbol.asyncIterator]().next();
    assert.ok(value.SubscribeToShardEvent);
  }
  abort.abort();
  return status;
}

test("1,000 abandoned subscriptions leak nothing", withContext(() => server, async (c) => {
  assert.equal(c.k.config.requestHandler.constructor.name, "NodeHttp2Handler");
  await c.create("s", 4);
  for (let i = 0; i < 20; i++) await c.put("s", "x".repeat(100), `k${i}`);
  const consumers = [];
  for (let i = 0; i < 5; i++) {
    consumers.push((await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: `c${i}` })).Consumer.ConsumerARN);
  }
  await sleep(50); // consumers ACTIVE (no state delay)
  const before = rssKiB(server.process.pid);
  const statuses = {};
  // 5 consumers x 4 shards = 20 claims, one lane each, 50 subscriptions a lane; a lane retries while
  // the previous holder of its claim is not released yet (ResourceInUseException).
  const lane = async (consumer, shard, first) => {
    for (let i = first; i < 1000; i += 20) {
      const deadline = Date.now() + 10000;
      let status;
      for (;;) {
        try {
          status = await subscribeAndAbandon(c.k, consumer, shard, i % 2 === 0);
        } catch (e) {
          if (e.name !== "ResourceInUseException") throw e;
          status = e.$metadata.httpStatusCode;
        }
        if (status === 200 || Date.now() > deadline) break;
        await sleep(50);
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  const lanes = [];
  for (let i = 0; i < 20; i++) lanes.push(lane(consumers[i % 5], shardId(Math.floor(i / 5) % 4), i));
  await Promise.all(lanes);
  assert.deepEqual(statuses, { 200: 1000 });
  const deadline = Date.now() + 12000;
  while ((await state()).subscriptions && Date.now() < deadline) await sleep(200);
  assert.equal((await state()).subscriptions, 0, "every abandoned subscription is released");
  const afterRss = rssKiB(server.process.pid);
  assert.ok(afterRss - before < 64 * 1024, `RSS grew from ${before} KiB to ${afterRss} KiB`);
  // And the server still serves a real subscriber.
  const out = await c.send("SubscribeToShard", { ConsumerARN: consumers[0], ShardId: shardId(0), StartingPosition: { Type: "TRIM_HORIZON" } });
  const events = out.EventStream[Symbol.asyncIterator]();
  try {
    const { value } = await events.next();
    assert.ok(value.SubscribeToShardEvent);
  } finally {
    await events.return();
  }
}));
