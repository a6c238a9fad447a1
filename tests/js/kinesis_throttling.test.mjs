// Per-shard throughput limits through the JS SDK over HTTP/2: writes 1,000 records/s and 1 MiB/s,
// reads 5 GetRecords calls/s. tests/integration/test_throttling.py and the ThrottlingTest class of
// test_kinesis_api.py. The SDK clients make one attempt per call (maxAttempts: 1), so each throttle
// is seen; where the Python test pipelines 300 raw HTTP/1.1 requests on one connection, this one
// sends 300 concurrent streams on one HTTP/2 connection.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { KinesisContext, MAX_HASH, awsError, bytes, shardId, sleep, text, withContext } from "./lib/kinesis.mjs";
import { startServer } from "./lib/server.mjs";

const BIG = 1000 * 1024; // two of these within ~1 s exceed 1 MiB/s (and one fits under the 1 MiB record limit)
const S0 = shardId(0);
const fill = (n, ch) => new Uint8Array(n).fill(ch.charCodeAt(0));

let on;
let off;
before(async () => {
  [on, off] = await Promise.all([startServer(), startServer({ extraArgs: ["--throttle", "off"] })]);
});
after(() => Promise.all([on?.dispose(), off?.dispose()]));

const rateMessage = (c, stream, shard = S0) => `Rate exceeded for shard ${shard} in stream ${stream} under account ${c.account}.`;
const throttled = (promise, message) => awsError(promise, "ProvisionedThroughputExceededException", message);

// Reads are throttled too: pace them, then read the shard to its end.
async function stored(c, name) {
  await sleep(1100);
  return c.readAll(name);
}

// GetRecords from TRIM_HORIZON until throttled: { ok, err, iterator }.
async function getRecordsUntilThrottled(c, name, calls = 12) {
  let iterator = await c.iterator(name);
  let ok = 0;
  for (let i = 0; i < calls; i++) {
    try {
      iterator = (await c.send("GetRecords", { ShardIterator: iterator })).NextShardIterator;
    } catch (err) {
      return { ok, err, iterator };
    }
    ok++;
  }
  return { ok, err: null, iterator };
}

// One test at a time: the budgets are per second, and concurrent tests would slow each other's calls.
describe("throttling on (the server's default)", () => {
  const it = (name, fn) => test(name, withContext(() => on, fn));

  it("PutRecord over 1 MiB/s is throttled", async (c) => {
    await c.create("thr-bytes");
    const ok = await c.put("thr-bytes", fill(BIG, "a"), "k");
    await throttled(c.put("thr-bytes", fill(BIG, "b"), "k"), rateMessage(c, "thr-bytes"));
    // About a second later the shard accepts again.
    await sleep(1100);
    const again = await c.put("thr-bytes", fill(BIG, "c"), "k");
    assert.ok(BigInt(again.SequenceNumber) > BigInt(ok.SequenceNumber));
    // The throttled record was not stored.
    assert.deepEqual((await stored(c, "thr-bytes")).map((r) => text(r.Data.slice(0, 1))), ["a", "c"]);
  });

  it("PutRecord over 1,000 records/s is throttled", async (c) => {
    // The Python test pipelines 300 raw PutRecord requests on one connection and expects most of
    // them refused. The SDK signs and sends each call itself (about 4 ms a call on a loaded
    // machine), so its single-record calls alone stay under the 1,000 records/s refill and are never
    // refused. What the SDK can do: keep the record budget drained with PutRecords batches of 500,
    // each followed at once by 10 PutRecord calls on the same HTTP/2 connection; the calls that land
    // right after a batch find the budget empty (about 1 in 14 here) and must be refused exactly.
    await c.create("thr-count");
    const m = new KinesisContext(on, { account: c.account,
      clientExtra: { requestHandler: { disableConcurrentStreams: false } } });
    const entries = Array.from({ length: 500 }, (_, i) => ({ Data: bytes("x"), PartitionKey: `k${i}` }));
    const refused = [];
    const n = 300;
    try {
      await m.send("PutRecords", { StreamName: "thr-count", Records: entries });
      await m.send("PutRecords", { StreamName: "thr-count", Records: entries });
      for (let round = 0; round < n / 10; round++) {
        const batch = m.send("PutRecords", { StreamName: "thr-count", Records: entries });
        await new Promise((ok) => setImmediate(ok)); // the batch goes out first
        const puts = Array.from({ length: 10 }, (_, i) => m.put("thr-count", "y", `p${i}`));
        const results = await Promise.allSettled([batch, ...puts]);
        refused.push(...results.slice(1).filter((r) => r.status === "rejected").map((r) => r.reason));
      }
    } finally {
      m.close();
    }
    assert.ok(refused.length > 0, "PutRecord calls on a drained record budget were never throttled");
    for (const e of refused) {
      assert.equal(e.name, "ProvisionedThroughputExceededException", e.message);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.equal(e.message, rateMessage(c, "thr-count"));
    }
    await sleep(1100);
    await c.put("thr-count", "z", "k");
  });

  it("PutRecords reports throttling per record", async (c) => {
    await c.create("thr-batch");
    const acked = [];
    let failed = 0;
    const started = performance.now();
    for (let batch = 0; batch < 3; batch++) { // 1,500 records into one shard within well under a second
      const entries = Array.from({ length: 500 }, (_, i) => ({ Data: bytes(`${batch}-${i}`), PartitionKey: `k${i}` }));
      const resp = await c.send("PutRecords", { StreamName: "thr-batch", Records: entries });
      assert.equal(resp.$metadata.httpStatusCode, 200);
      assert.equal(resp.Records.length, 500);
      const errors = resp.Records.filter((r) => r.ErrorCode !== undefined);
      assert.equal(resp.FailedRecordCount, errors.length);
      for (const r of errors) {
        assert.equal(r.ErrorCode, "ProvisionedThroughputExceededException");
        assert.equal(r.ErrorMessage, rateMessage(c, "thr-batch"));
        assert.equal(r.SequenceNumber, undefined);
      }
      entries.forEach((e, i) => {
        const r = resp.Records[i];
        if (r.ErrorCode === undefined) {
          assert.equal(r.ShardId, S0);
          acked.push([text(e.Data), r.SequenceNumber]);
        }
      });
      failed += resp.FailedRecordCount;
    }
    assert.ok(failed > 0, "1,500 records in one shard within a second were all accepted");
    const elapsed = (performance.now() - started) / 1000;
    assert.ok(acked.length <= 1000 + 1000 * elapsed + 1, "more than 1,000 records/s accepted");
    // Only the acknowledged records are stored, in order.
    assert.deepEqual((await stored(c, "thr-batch")).map((r) => [text(r.Data), r.SequenceNumber]), acked);
  });

  it("PutRecords over 1 MiB is throttled per record", async (c) => {
    await c.create("thr-batch-bytes");
    const entries = Array.from({ length: 6 }, (_, i) => ({ Data: new Uint8Array(300 * 1024).fill(65 + i), PartitionKey: "k" })); // 1.8 MiB
    const resp = await c.send("PutRecords", { StreamName: "thr-batch-bytes", Records: entries });
    assert.equal(resp.$metadata.httpStatusCode, 200);
    assert.ok(resp.FailedRecordCount > 0);
    assert.deepEqual(resp.Records.slice(0, 3).map((r) => r.ErrorCode !== undefined), [false, false, false]);
    for (const r of resp.Records.filter((x) => x.ErrorCode !== undefined)) {
      assert.equal(r.ErrorCode, "ProvisionedThroughputExceededException");
      assert.equal(r.ErrorMessage, rateMessage(c, "thr-batch-bytes"));
    }
  });

  it("throttling is per shard", async (c) => {
    await c.create("thr-two-shards", 2);
    const hot = { StreamName: "thr-two-shards", ExplicitHashKey: "0", PartitionKey: "k" };
    await c.send("PutRecord", { ...hot, Data: fill(BIG, "a") });
    await throttled(c.send("PutRecord", { ...hot, Data: fill(BIG, "a") }), rateMessage(c, "thr-two-shards"));
    // The other shard still has its whole budget.
    const r = await c.send("PutRecord", { ...hot, ExplicitHashKey: String(MAX_HASH), Data: fill(BIG, "b") });
    assert.equal(r.ShardId, shardId(1));
  });

  it("more than five GetRecords per second are throttled", async (c) => {
    await c.create("thr-reads");
    await c.put("thr-reads", "r", "k");
    const { ok, err, iterator } = await getRecordsUntilThrottled(c, "thr-reads");
    assert.ok(err, "12 GetRecords calls in a row were never throttled");
    assert.ok(ok >= 5, "throttled before 5 calls");
    assert.ok(ok <= 6, `${ok} calls before the throttle`);
    assert.equal(err.name, "ProvisionedThroughputExceededException");
    assert.equal(err.$metadata.httpStatusCode, 400);
    // After about a second the shard serves reads again, and the iterator is still good.
    await sleep(1100);
    assert.ok((await c.send("GetRecords", { ShardIterator: iterator })).NextShardIterator);
  });

  it("the GetRecords throttle message is an AWS form", async (c) => {
    await c.create("thr-read-message");
    const { err } = await getRecordsUntilThrottled(c, "thr-read-message");
    assert.ok(err);
    assert.ok([`Rate exceeded for Shard - ${c.account}/thr-read-message/${S0}`, // current AWS
      rateMessage(c, "thr-read-message")].includes(err.message), err.message); // older AWS
  });

  it("reads and writes have separate budgets", async (c) => {
    await c.create("thr-separate");
    const { err } = await getRecordsUntilThrottled(c, "thr-separate");
    assert.ok(err);
    await c.put("thr-separate", "w", "k"); // writes unaffected
  });

  // ThrottlingTest of test_kinesis_api.py.
  it("PutRecords reports per-record throttling in request order", async (c) => {
    await c.create("hot");
    // 500 x 3000 bytes = 1.5 MB to one shard: over its 1 MiB/s write budget.
    const resp = await c.send("PutRecords", { StreamName: "hot",
      Records: Array.from({ length: 500 }, (_, i) => ({ Data: fill(3000, "x"), PartitionKey: String(i) })) });
    const failedRecords = resp.Records.filter((r) => r.ErrorCode !== undefined);
    const okRecords = resp.Records.filter((r) => r.ErrorCode === undefined);
    assert.ok(resp.FailedRecordCount > 0);
    assert.equal(resp.FailedRecordCount, failedRecords.length);
    assert.ok(okRecords.length > 0);
    for (const r of failedRecords) {
      assert.deepEqual({ ...r }, { ErrorCode: "ProvisionedThroughputExceededException",
        ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream hot under account ${c.account}.` });
    }
    for (const r of okRecords) assert.deepEqual(Object.keys(r).sort(), ["SequenceNumber", "ShardId"]);
    // Records before the first throttled one succeeded: results keep request order.
    const firstFailed = resp.Records.findIndex((r) => r.ErrorCode !== undefined);
    assert.ok(resp.Records.slice(0, firstFailed).every((r) => r.SequenceNumber));
  });

  it("GetRecords rate exceeded: exact message", async (c) => {
    await c.create("hot");
    const { err } = await getRecordsUntilThrottled(c, "hot", 20);
    assert.ok(err, "20 GetRecords calls in a row were never throttled");
    assert.equal(err.name, "ProvisionedThroughputExceededException");
    assert.equal(err.message, `Rate exceeded for Shard - ${c.account}/hot/shardId-000000000000`);
  });

  it("a large record bursts after UpdateMaxRecordSize", async (c) => {
    // AWS accepts an intermittent record larger than the 1 MiB/s shard budget by bursting.
    await c.create("big");
    await c.send("UpdateMaxRecordSize", { StreamARN: c.arn("big"), MaxRecordSizeInKiB: 4096 });
    assert.equal((await c.put("big", fill(3 << 20, "y"), "k")).ShardId, S0);
  });
});

describe("throttling off", { concurrency: true }, () => {
  const it = (name, fn) => test(name, withContext(() => off, async (c) => {
    await c.create("off");
    await fn(c);
  }));

  it("big PutRecord calls are not throttled", async (c) => {
    for (let i = 0; i < 4; i++) await c.put("off", fill(BIG, "a"), "k");
  });

  it("many records are not throttled", async (c) => {
    const entries = Array.from({ length: 500 }, (_, i) => ({ Data: bytes("x"), PartitionKey: `k${i}` }));
    for (let i = 0; i < 5; i++) {
      assert.equal((await c.send("PutRecords", { StreamName: "off", Records: entries })).FailedRecordCount, 0);
    }
    const big = Array.from({ length: 8 }, () => ({ Data: fill(300 * 1024, "y"), PartitionKey: "k" }));
    assert.equal((await c.send("PutRecords", { StreamName: "off", Records: big })).FailedRecordCount, 0);
  });

  it("many GetRecords calls are not throttled", async (c) => {
    await c.put("off", "r", "k");
    let iterator = await c.iterator("off");
    for (let i = 0; i < 25; i++) iterator = (await c.send("GetRecords", { ShardIterator: iterator })).NextShardIterator;
  });
});
