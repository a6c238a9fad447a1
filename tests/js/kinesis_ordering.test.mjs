// Multi-shard ordering across resharding through the JS SDK over HTTP/2 (tests/integration/
// test_ordering.py). A 4-shard stream gets 200 partition keys x 20 records (data = key ":" per-key
// counter), written with PutRecords batches and some PutRecord calls, in phases separated by
// SplitShard, MergeShards and UpdateShardCount. A consumer that follows shard lineage (parents read to
// their end before children) then reads everything and checks per-key order, exactly-once delivery,
// sequence-number order and the closed shards' sequence ranges.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { MAX_HASH, bytes, md5Hash, parentsOf, shardId, sleep, text, withContext } from "./lib/kinesis.mjs";
import { startServer } from "./lib/server.mjs";

const KEYS = Array.from({ length: 200 }, (_, i) => `key-${String(i).padStart(3, "0")}`);
const PER_PHASE = 5; // records per key per phase; four phases -> 20 per key
const dataOf = (key, counter) => bytes(`${key}:${counter}`);
const parseData = (raw) => {
  const s = text(raw);
  const at = s.lastIndexOf(":");
  return [s.slice(0, at), Number(s.slice(at + 1))];
};

// A small seeded generator (mulberry32), so each run writes the same interleaving.
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server;
before(async () => {
  server = await startServer({ extraArgs: ["--throttle", "off"] });
});
after(() => server?.dispose());

// What one test wrote: acks (key:counter -> [shard, sequence]) and each key's next counter.
class Ledger {
  constructor() {
    this.rng = seeded(20131202);
    this.acks = new Map();
    this.nextCounter = Object.fromEntries(KEYS.map((k) => [k, 0]));
  }

  ack(key, counter, shard, seq) {
    const kc = `${key}:${counter}`;
    assert.ok(!this.acks.has(kc), "record written twice");
    this.acks.set(kc, [shard, seq]);
  }

  // [key, counter] pairs interleaved across keys, each key's counters in increasing order.
  phaseEntries(perKey) {
    const queues = Object.fromEntries(KEYS.map((k) => [k, Array.from({ length: perKey }, (_, i) => this.nextCounter[k] + i)]));
    for (const k of KEYS) this.nextCounter[k] += perKey;
    const out = [];
    for (;;) {
      const live = KEYS.filter((k) => queues[k].length);
      if (!live.length) return out;
      for (let i = live.length - 1; i > 0; i--) {
        const j = Math.floor(this.rng() * (i + 1));
        [live[i], live[j]] = [live[j], live[i]];
      }
      // Sometimes take two consecutive counters of one key, so a batch holds both in order.
      for (const k of live) {
        const take = this.rng() < 0.2 ? 2 : 1;
        for (let t = 0; t < take && queues[k].length; t++) out.push([k, queues[k].shift()]);
      }
    }
  }
}

async function writePhase(c, ledger, name, perKey = PER_PHASE, singleEvery = 23) {
  const entries = ledger.phaseEntries(perKey);
  const batch = [];
  const flush = async () => {
    if (!batch.length) return;
    const resp = await c.send("PutRecords", { StreamName: name,
      Records: batch.map(([k, n]) => ({ Data: dataOf(k, n), PartitionKey: k })) });
    assert.equal(resp.FailedRecordCount, 0);
    assert.equal(resp.Records.length, batch.length);
    batch.forEach(([k, n], i) => ledger.ack(k, n, resp.Records[i].ShardId, resp.Records[i].SequenceNumber));
    batch.length = 0;
  };
  for (let i = 0; i < entries.length; i++) {
    const [k, n] = entries[i];
    if (i % singleEvery === 0) {
      // A PutRecord in the middle: earlier entries (possibly of the same key) go first.
      await flush();
      const r = await c.put(name, dataOf(k, n), k);
      ledger.ack(k, n, r.ShardId, r.SequenceNumber);
      continue;
    }
    batch.push([k, n]);
    if (batch.length === 500 || (batch.length >= 150 && ledger.rng() < 0.02)) await flush();
  }
  await flush();
}

async function openShards(c, name) {
  return (await c.openShards(name)).sort((a, b) =>
    (BigInt(a.HashKeyRange.StartingHashKey) < BigInt(b.HashKeyRange.StartingHashKey) ? -1 : 1));
}

async function verify(c, ledger, name, limit = 100) {
  const { order, shards, recordsByShard, childrenByShard } = await c.readStream(name, limit);
  const position = Object.fromEntries(order.map((sid, i) => [sid, i]));

  // Lineage as ListShards reports it.
  const childrenOf = Object.fromEntries(Object.keys(shards).map((sid) => [sid, []]));
  for (const [sid, s] of Object.entries(shards)) {
    for (const p of parentsOf(s)) {
      assert.ok(shards[p], `${sid} names unknown parent ${p}`);
      childrenOf[p].push(sid);
      assert.ok(position[p] < position[sid]);
    }
  }

  // The open shards partition the hash key space.
  const openRanges = Object.values(shards).filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined)
    .map((s) => [BigInt(s.HashKeyRange.StartingHashKey), BigInt(s.HashKeyRange.EndingHashKey)])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.equal(openRanges[0][0], 0n);
  assert.equal(openRanges.at(-1)[1], MAX_HASH);
  for (let i = 1; i < openRanges.length; i++) assert.equal(openRanges[i - 1][1] + 1n, openRanges[i][0]);

  const seen = new Map();
  const perKey = Object.fromEntries(KEYS.map((k) => [k, []]));
  for (const sid of order) {
    const shard = shards[sid];
    const range = shard.SequenceNumberRange;
    const start = BigInt(range.StartingSequenceNumber);
    const end = range.EndingSequenceNumber === undefined ? undefined : BigInt(range.EndingSequenceNumber);
    const lo = BigInt(shard.HashKeyRange.StartingHashKey);
    const hi = BigInt(shard.HashKeyRange.EndingHashKey);
    let prev;
    for (const r of recordsByShard[sid]) {
      const seq = BigInt(r.SequenceNumber);
      assert.equal(r.SequenceNumber, String(seq), "sequence numbers are plain decimal strings");
      if (prev !== undefined) assert.ok(seq > prev, `sequence numbers must strictly increase in ${sid}`);
      prev = seq;
      assert.ok(seq >= start, `${sid}: record below StartingSequenceNumber`);
      if (end !== undefined) assert.ok(end >= seq, `${sid}: EndingSequenceNumber ${end} < record ${seq}`);
      const [key, counter] = parseData(r.Data);
      assert.equal(r.PartitionKey, key);
      const h = md5Hash(key);
      assert.ok(lo <= h && h <= hi, `${key} stored in ${sid} outside its hash range`);
      const kc = `${key}:${counter}`;
      assert.ok(!seen.has(kc), `${kc} read twice (${seen.get(kc)}, ${sid})`);
      seen.set(kc, [sid, r.SequenceNumber]);
      perKey[key].push(counter);
    }
    const children = childrenByShard[sid];
    if (end !== undefined) {
      // Closed: the last page carried ChildShards naming exactly the shards whose parent it is.
      assert.ok(children, `closed shard ${sid} ended without ChildShards`);
      assert.deepEqual(children.map((ch) => ch.ShardId).sort(), [...childrenOf[sid]].sort());
      for (const ch of children) {
        assert.ok(ch.ParentShards.includes(sid));
        assert.deepEqual([...ch.ParentShards].sort(), parentsOf(shards[ch.ShardId]).sort());
        assert.deepEqual(ch.HashKeyRange, shards[ch.ShardId].HashKeyRange);
      }
    } else {
      assert.equal(children, undefined, `open shard ${sid} returned ChildShards`);
    }
  }

  assert.deepEqual([...seen.keys()].sort(), [...ledger.acks.keys()].sort(), "every acknowledged record is read, and nothing else");
  for (const [kc, where] of seen) assert.deepEqual(where, ledger.acks.get(kc), `${kc} read from a different shard/sequence than acknowledged`);
  for (const [key, counters] of Object.entries(perKey)) {
    assert.deepEqual(counters, Array.from({ length: ledger.nextCounter[key] }, (_, i) => i), `per-key order broken for ${key}`);
  }
  return shards;
}

// One test at a time: the concurrent-writers test needs the event loop to itself to write enough.
describe("ordering across resharding", () => {
  const it = (name, fn) => test(name, withContext(() => server, fn));

  it("per-key order across SplitShard, MergeShards and UpdateShardCount", async (c) => {
    const name = "ordering";
    const ledger = new Ledger();
    await c.create(name, 4);
    await c.waitActive(name);
    await writePhase(c, ledger, name);

    // SplitShard: shard 0 in the middle of its range.
    const s0 = (await openShards(c, name)).find((s) => s.ShardId === shardId(0));
    const lo = BigInt(s0.HashKeyRange.StartingHashKey);
    const hi = BigInt(s0.HashKeyRange.EndingHashKey);
    await c.send("SplitShard", { StreamName: name, ShardToSplit: s0.ShardId, NewStartingHashKey: String((lo + hi) / 2n) });
    await c.waitActive(name);
    assert.equal((await openShards(c, name)).length, 5);
    await writePhase(c, ledger, name);

    // MergeShards: two adjacent open shards (the original shards 2 and 3).
    await c.send("MergeShards", { StreamName: name, ShardToMerge: shardId(2), AdjacentShardToMerge: shardId(3) });
    await c.waitActive(name);
    assert.equal((await openShards(c, name)).length, 4);
    await writePhase(c, ledger, name);

    // UpdateShardCount: to 6 uniformly distributed shards.
    const resp = await c.send("UpdateShardCount", { StreamName: name, TargetShardCount: 6, ScalingType: "UNIFORM_SCALING" });
    assert.deepEqual([resp.CurrentShardCount, resp.TargetShardCount], [4, 6]);
    await c.waitActive(name);
    const opened = await openShards(c, name);
    assert.equal(opened.length, 6);
    opened.forEach((s, i) => {
      // Uniform: each boundary within a few units of i * 2^128 / 6.
      const d = BigInt(s.HashKeyRange.StartingHashKey) - (BigInt(i) * (1n << 128n)) / 6n;
      assert.ok((d < 0n ? -d : d) <= 6n, s.ShardId);
    });
    for (const s of await c.shards(name)) assert.ok(parentsOf(s).length <= 2);
    await writePhase(c, ledger, name);

    assert.equal(ledger.acks.size, 200 * 20);
    await verify(c, ledger, name);
  });

  it("scale down then up, read with small pages", async (c) => {
    const name = "ordering-down-up";
    const ledger = new Ledger();
    await c.create(name, 4);
    await c.waitActive(name);
    await writePhase(c, ledger, name, 2);
    await c.send("UpdateShardCount", { StreamName: name, TargetShardCount: 2, ScalingType: "UNIFORM_SCALING" });
    await c.waitActive(name);
    assert.equal((await openShards(c, name)).length, 2);
    await writePhase(c, ledger, name, 2);
    await c.send("UpdateShardCount", { StreamName: name, TargetShardCount: 3, ScalingType: "UNIFORM_SCALING" });
    await c.waitActive(name);
    assert.equal((await openShards(c, name)).length, 3);
    await writePhase(c, ledger, name, 2);
    await verify(c, ledger, name, 7);
  });

  // AT_/AFTER_SEQUENCE_NUMBER inside a closed parent read the rest of it and then end with ChildShards.
  it("resume inside a closed shard", async (c) => {
    const name = "ordering-resume";
    await c.create(name, 1);
    await c.waitActive(name);
    const seqs = [];
    for (let i = 0; i < 30; i++) seqs.push((await c.put(name, `r${i}`, `p${i}`)).SequenceNumber);
    await c.send("SplitShard", { StreamName: name, ShardToSplit: shardId(0), NewStartingHashKey: String(1n << 127n) });
    await c.waitActive(name);
    let iterator = await c.iterator(name, shardId(0), "AFTER_SEQUENCE_NUMBER", { StartingSequenceNumber: seqs[9] });
    let { records, children } = await c.readShard(name, shardId(0), { iterator, limit: 4 });
    assert.deepEqual(records.map((r) => r.SequenceNumber), seqs.slice(10));
    assert.deepEqual(children.map((ch) => ch.ShardId).sort(), [shardId(1), shardId(2)]);
    iterator = await c.iterator(name, shardId(0), "AT_SEQUENCE_NUMBER", { StartingSequenceNumber: seqs[29] });
    ({ records, children } = await c.readShard(name, shardId(0), { iterator }));
    assert.deepEqual(records.map((r) => r.SequenceNumber), seqs.slice(29));
    assert.ok(children);
    // LATEST on a closed shard: nothing to read, straight to the children.
    iterator = await c.iterator(name, shardId(0), "LATEST");
    const resp = await c.send("GetRecords", { ShardIterator: iterator });
    assert.deepEqual(resp.Records, []);
    assert.equal(resp.NextShardIterator, undefined);
    assert.equal(resp.ChildShards.length, 2);
  });

  // Four writers keep going (each key written by one writer, waiting for each ack; each writer its
  // own client, so its own HTTP/2 connection) while the test splits, merges and rescales; a
  // lineage-following reader still sees per-key order.
  it("concurrent writers while resharding", async (c) => {
    const name = "ordering-concurrent";
    const ledger = new Ledger();
    await c.create(name, 4);
    await c.waitActive(name);
    let stop = false;
    const writer = (keys) => withContext(() => server, async (w) => {
      const rng = seeded(keys[0].length * 7919 + keys.length);
      while (!stop) {
        const key = keys[Math.floor(rng() * keys.length)];
        const n = ledger.nextCounter[key];
        const r = await w.put(name, dataOf(key, n), key);
        ledger.ack(key, n, r.ShardId, r.SequenceNumber);
        ledger.nextCounter[key] = n + 1;
      }
    }, { account: c.account })();
    const writers = [0, 1, 2, 3].map((i) => writer(KEYS.filter((_, j) => j % 4 === i)));
    try {
      const steps = [
        () => c.send("SplitShard", { StreamName: name, ShardToSplit: shardId(1), NewStartingHashKey: String((1n << 126n) + (1n << 125n)) }),
        () => c.send("MergeShards", { StreamName: name, ShardToMerge: shardId(2), AdjacentShardToMerge: shardId(3) }),
        () => c.send("UpdateShardCount", { StreamName: name, TargetShardCount: 5, ScalingType: "UNIFORM_SCALING" }),
        () => c.send("UpdateShardCount", { StreamName: name, TargetShardCount: 3, ScalingType: "UNIFORM_SCALING" }),
      ];
      for (const step of steps) {
        await sleep(300);
        await step();
        await c.waitActive(name);
      }
      await sleep(300);
    } finally {
      stop = true;
    }
    await Promise.all(writers); // a writer's failure fails the test here
    assert.ok(ledger.acks.size > 200, `only ${ledger.acks.size} records written`);
    await verify(c, ledger, name);
  });
});
