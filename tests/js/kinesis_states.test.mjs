// Stream and consumer states through the JS SDK over HTTP/2, against a server whose CREATING,
// UPDATING and DELETING states last 300 ms: StreamStatesTest of tests/integration/test_kinesis_api.py.
// The JS SDK's waiters (waitUntilStreamExists / waitUntilStreamNotExists) stand in for boto3's.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  KinesisContext, awsError, shardId, sleep, waitUntilStreamExists, waitUntilStreamNotExists, withContext,
} from "./lib/kinesis.mjs";
import { startServer } from "./lib/server.mjs";

const S0 = shardId(0);

let server;
before(async () => {
  server = await startServer({ stateDelayMs: 300, extraArgs: ["--throttle", "off"] });
  // The SDK's first call in a process loads and sets up much of itself; keep that out of the 300 ms.
  const warm = new KinesisContext(server);
  await warm.send("ListStreams", {});
  warm.close();
});
after(() => server?.dispose());

const it = (name, fn) => test(name, withContext(() => server, fn));
const waiter = (c) => ({ client: c.k, maxWaitTime: 5, minDelay: 0.05, maxDelay: 0.05 });
const waitActive = async (c, name) => {
  const r = await waitUntilStreamExists(waiter(c), { StreamName: name });
  assert.equal(r.state, "SUCCESS");
};
const notActive = (c, name, state, also = " or UPDATING") =>
  `Stream ${name} under account ${c.account} not ACTIVE${also}, instead in state ${state}`;

// One test at a time: each needs its calls to land inside a 300 ms window.
describe("stream states (300 ms state delay)", () => {
  it("the stream-exists waiter", async (c) => {
    const start = Date.now();
    await c.send("CreateStream", { StreamName: "slow", ShardCount: 2 });
    let d = (await c.send("DescribeStream", { StreamName: "slow" })).StreamDescription;
    assert.equal(d.StreamStatus, "CREATING");
    assert.equal((await c.summary("slow")).StreamStatus, "CREATING");
    const { StreamSummaries } = await c.send("ListStreams", {});
    assert.deepEqual(StreamSummaries.map((s) => s.StreamStatus), ["CREATING"]);
    await waitActive(c, "slow");
    assert.ok(Date.now() - start >= 250);
    d = (await c.send("DescribeStream", { StreamName: "slow" })).StreamDescription;
    assert.equal(d.StreamStatus, "ACTIVE");
    assert.equal(d.Shards.length, 2);
  });

  it("a CREATING stream lists no shards", async (c) => {
    await c.send("CreateStream", { StreamName: "slow", ShardCount: 2 });
    const d = (await c.send("DescribeStream", { StreamName: "slow" })).StreamDescription;
    assert.equal(d.StreamStatus, "CREATING");
    assert.deepEqual(d.Shards, []); // aws_errors.md §1 (KL, H)
    assert.equal(d.HasMoreShards, false);
  });

  it("writes to a CREATING stream fail", async (c) => {
    await c.send("CreateStream", { StreamName: "slow", ShardCount: 1 });
    const msg = notActive(c, "slow", "CREATING");
    await awsError(c.put("slow"), "ResourceInUseException", msg);
    await awsError(c.send("PutRecords", { StreamName: "slow", Records: [{ Data: new Uint8Array([120]), PartitionKey: "k" }] }),
      "ResourceInUseException", msg);
    await awsError(c.send("GetShardIterator", { StreamName: "slow", ShardId: S0, ShardIteratorType: "LATEST" }),
      "ResourceInUseException", msg);
    await waitActive(c, "slow");
    assert.equal((await c.put("slow")).ShardId, S0);
  });

  it("RegisterStreamConsumer while CREATING", async (c) => {
    await c.send("CreateStream", { StreamName: "slow", ShardCount: 1 });
    await awsError(c.send("RegisterStreamConsumer", { StreamARN: c.arn("slow"), ConsumerName: "c" }),
      "ResourceInUseException", notActive(c, "slow", "CREATING"));
  });

  it("SubscribeToShard to a CREATING consumer", async (c) => {
    await c.send("CreateStream", { StreamName: "s", ShardCount: 1 });
    await waitActive(c, "s");
    const { Consumer } = await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "c" });
    const epoch = Consumer.ConsumerARN.split(":").at(-1);
    await awsError(c.send("SubscribeToShard", { ConsumerARN: Consumer.ConsumerARN, ShardId: S0,
      StartingPosition: { Type: "LATEST" } }), "ResourceInUseException",
    `Consumer c with creation timestamp ${epoch} under stream: s , account ${c.account} is not in ACTIVE status.`);
  });

  it("a consumer is CREATING, then ACTIVE", async (c) => {
    await c.send("CreateStream", { StreamName: "s", ShardCount: 1 });
    await waitActive(c, "s");
    const { Consumer } = await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "c" });
    assert.equal(Consumer.ConsumerStatus, "CREATING");
    await sleep(400);
    const d = (await c.send("DescribeStreamConsumer", { ConsumerARN: Consumer.ConsumerARN })).ConsumerDescription;
    assert.equal(d.ConsumerStatus, "ACTIVE");
  });

  it("an UPDATING stream accepts writes but not resharding", async (c) => {
    await c.send("CreateStream", { StreamName: "s", ShardCount: 2 });
    await waitActive(c, "s");
    await c.send("SplitShard", { StreamName: "s", ShardToSplit: S0, NewStartingHashKey: String(1n << 126n) });
    assert.equal((await c.summary("s")).StreamStatus, "UPDATING");
    assert.ok((await c.put("s")).ShardId);
    const msg = notActive(c, "s", "UPDATING", "");
    await awsError(c.send("SplitShard", { StreamName: "s", ShardToSplit: shardId(1), NewStartingHashKey: String((1n << 127n) + 5n) }),
      "ResourceInUseException", msg);
    await awsError(c.send("MergeShards", { StreamName: "s", ShardToMerge: shardId(2), AdjacentShardToMerge: shardId(3) }),
      "ResourceInUseException", msg);
    await waitActive(c, "s");
    await c.send("MergeShards", { StreamName: "s", ShardToMerge: shardId(2), AdjacentShardToMerge: shardId(3) });
  });

  it("delete while CREATING and the stream-not-exists waiter", async (c) => {
    await c.send("CreateStream", { StreamName: "slow", ShardCount: 1 });
    await c.send("DeleteStream", { StreamName: "slow" });
    assert.equal((await c.send("DescribeStream", { StreamName: "slow" })).StreamDescription.StreamStatus, "DELETING");
    const r = await waitUntilStreamNotExists(waiter(c), { StreamName: "slow" });
    assert.equal(r.state, "SUCCESS");
    await awsError(c.send("DescribeStream", { StreamName: "slow" }), "ResourceNotFoundException", c.notFound("slow"));
  });

  it("duplicate while CREATING", async (c) => {
    await c.send("CreateStream", { StreamName: "slow", ShardCount: 1 });
    await awsError(c.send("CreateStream", { StreamName: "slow", ShardCount: 1 }), "ResourceInUseException",
      `Stream slow under account ${c.account} already exists.`);
  });
});
