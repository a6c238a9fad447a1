// What the Kinesis JS test files share: a per-test context (its own account, so tests of one file run
// concurrently against one server without resetting it), the AWS error assertions of
// tests/integration/test_kinesis_api.py, and a raw HTTP/2 JSON 1.1 call for what the SDK will not send.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import http2 from "node:http2";

import * as K from "@aws-sdk/client-kinesis";

export const MAX_HASH = (1n << 128n) - 1n;
export const TARGET_PREFIX = "Kinesis_20131202";
export const SEQ_PATTERN = "0|([1-9]\\d{0,128})";
export const HASH_PATTERN = "0|([1-9]\\d{0,38})";
export const NAME_PATTERN = "[a-zA-Z0-9_.-]+";
export const ARN_PATTERN = "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+";

export const bytes = (s) => new Uint8Array(Buffer.from(s));
export const text = (b) => Buffer.from(b).toString();
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
export const shardId = (i) => `shardId-${String(i).padStart(12, "0")}`;
export const md5Hash = (key) => BigInt("0x" + createHash("md5").update(key).digest("hex"));
export const evenStart = (i, n) => BigInt(i) * ((1n << 128n) / BigInt(n));
export const keys = (o) => Object.keys(o).filter((k) => o[k] !== undefined).sort();
// The members of a response other than the SDK's $metadata.
export const members = (resp) => keys(resp).filter((k) => k !== "$metadata");
export const tagMap = (tags) => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
export const parentsOf = (shard) => [shard.ParentShardId, shard.AdjacentParentShardId].filter(Boolean);
export const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// One part of a Coral ValidationException message; value is already quoted (or null).
export const vpart = (value, member, constraint) =>
  `Value ${value} at '${member}' failed to satisfy constraint: ${constraint}`;
export const vmessage = (...parts) =>
  `${parts.length} validation error${parts.length > 1 ? "s" : ""} detected: ${parts.join("; ")}`;

// Awaits `promise` and checks it failed with AWS error `code` (HTTP 400); `message` is the exact text,
// a RegExp, or null to check only the code. Returns the error.
export async function awsError(promise, code, message) {
  let err;
  try {
    await promise;
  } catch (e) {
    err = e;
  }
  assert.ok(err, `expected ${code}, the call succeeded`);
  assert.equal(err.name, code, `${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, 400, `${err.name}: ${err.message}`);
  if (message instanceof RegExp) assert.match(err.message, message);
  else if (message !== null && message !== undefined) assert.equal(err.message, message);
  return err;
}

// A ValidationException whose parts may come in any order (AWS does not keep them stable).
export async function validation(promise, parts) {
  const err = await awsError(promise, "ValidationException", null);
  const m = /^(\d+) validation errors? detected: (.*)$/s.exec(err.message);
  assert.ok(m, err.message);
  const n = parts.length;
  assert.ok(err.message.startsWith(`${n} validation error${n > 1 ? "s" : ""} detected: `), err.message);
  assert.deepEqual(m[2].split("; ").sort(), [...parts].sort());
  return err;
}

export function assertNearTimestamp(ts, slackSeconds = 120) {
  assert.ok(ts instanceof Date, `${ts} is not a Date`);
  assert.ok(Math.abs(ts.getTime() - Date.now()) < slackSeconds * 1000, String(ts));
}

// Open shards' ranges cover [0, 2^128-1] without gaps or overlaps.
export function assertFullCoverage(shards) {
  const ranges = shards.map((s) => [BigInt(s.HashKeyRange.StartingHashKey), BigInt(s.HashKeyRange.EndingHashKey)])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.equal(ranges[0][0], 0n);
  assert.equal(ranges.at(-1)[1], MAX_HASH);
  for (let i = 1; i < ranges.length; i++) {
    assert.ok(ranges[i - 1][0] <= ranges[i - 1][1]);
    assert.equal(ranges[i - 1][1] + 1n, ranges[i][0], `gap or overlap between ${ranges[i - 1][1]} and ${ranges[i][0]}`);
  }
}

// A fake but complete SigV4 header set: the server reads the account from the access key only.
function authHeaders(accessKey) {
  return {
    "x-amz-date": "20240101T000000Z",
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/20240101/us-east-1/kinesis/aws4_request, `
      + `SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=${"0".repeat(64)}`,
  };
}

// One JSON 1.1 request over HTTP/2 (h2c), for the protocol tests: returns { status, headers, body }.
export async function rawPost(endpoint, target, body, { contentType = "application/x-amz-json-1.1", accessKey = "test" } = {}) {
  const session = http2.connect(endpoint);
  try {
    return await new Promise((ok, fail) => {
      session.on("error", fail);
      const req = session.request({
        ":method": "POST", ":path": "/", "content-type": contentType, "x-amz-target": target,
        ...authHeaders(accessKey),
      });
      let headers;
      const chunks = [];
      req.on("response", (h) => (headers = h));
      req.on("data", (d) => chunks.push(d));
      req.on("end", () => ok({ status: headers[":status"], headers, body: Buffer.concat(chunks) }));
      req.on("error", fail);
      req.end(body);
    });
  } finally {
    session.close();
  }
}

let nextAccount = 200000000000;

// One test's view of the server: a client whose access key is a fresh 12-digit account.
export class KinesisContext {
  constructor(server, { account, clientExtra = {} } = {}) {
    this.server = server;
    this.account = account ?? String(nextAccount++);
    this.k = new K.KinesisClient(server.clientConfig({
      credentials: { accessKeyId: this.account, secretAccessKey: "test" }, ...clientExtra,
    }));
    // Every call of these tests goes over HTTP/2 (h2c): the Kinesis client's own handler.
    assert.equal(this.k.config.requestHandler.constructor.name, "NodeHttp2Handler");
  }

  close() {
    this.k.destroy();
  }

  arn(name, { account = this.account, region = "us-east-1" } = {}) {
    return `arn:aws:kinesis:${region}:${account}:stream/${name}`;
  }

  notFound(name) {
    return `Stream ${name} under account ${this.account} not found.`;
  }

  // Any operation by name: send("PutRecord", {...}).
  send(op, params = {}) {
    return this.k.send(new K[`${op}Command`](params));
  }

  // A raw JSON 1.1 call over HTTP/2 as this account; returns the parsed body, throws like the SDK.
  async raw(op, params = {}) {
    const r = await rawPost(this.server.endpoint, `${TARGET_PREFIX}.${op}`, JSON.stringify(params),
      { accessKey: this.account });
    const parsed = r.body.length ? JSON.parse(r.body) : {};
    if (r.status >= 300) {
      const e = new Error(parsed.message ?? parsed.Message);
      e.name = (parsed.__type ?? "").split("#").at(-1);
      e.$metadata = { httpStatusCode: r.status };
      throw e;
    }
    return parsed;
  }

  async create(name, shards = 1, extra = {}) {
    await this.send("CreateStream", extra.StreamModeDetails ? { StreamName: name, ...extra }
      : { StreamName: name, ShardCount: shards, ...extra });
    return name;
  }

  async shards(name, params = {}) {
    const out = [];
    let token;
    for (;;) {
      const r = await this.send("ListShards", token ? { NextToken: token } : { StreamName: name, ...params });
      out.push(...r.Shards);
      token = r.NextToken;
      if (!token) return out;
    }
  }

  async openShards(name) {
    return (await this.shards(name)).filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined);
  }

  put(name, data = "x", key = "pk", extra = {}) {
    return this.send("PutRecord", {
      StreamName: name, Data: typeof data === "string" ? bytes(data) : data, PartitionKey: key, ...extra,
    });
  }

  async iterator(name, shard = shardId(0), type = "TRIM_HORIZON", extra = {}) {
    return (await this.send("GetShardIterator", {
      StreamName: name, ShardId: shard, ShardIteratorType: type, ...extra,
    })).ShardIterator;
  }

  async readAll(name, shard = shardId(0), type = "TRIM_HORIZON", extra = {}) {
    let it = await this.iterator(name, shard, type, extra);
    const records = [];
    for (let i = 0; i < 100; i++) {
      const r = await this.send("GetRecords", { ShardIterator: it });
      records.push(...r.Records);
      it = r.NextShardIterator;
      if (!it || (r.Records.length === 0 && r.MillisBehindLatest === 0)) return records;
    }
    assert.fail("readAll did not reach the tip");
  }

  async waitActive(name) {
    const deadline = Date.now() + 15000;
    for (;;) {
      const { StreamStatus } = await this.summary(name);
      if (StreamStatus === "ACTIVE") return;
      if (Date.now() > deadline) assert.fail(`stream ${name} still ${StreamStatus} after 15 s`);
      await sleep(20);
    }
  }

  // Reads one shard from TRIM_HORIZON (or `iterator`) to its end: for a closed shard the response
  // without NextShardIterator (it carries ChildShards), for an open one the first empty response that
  // is caught up. Returns { records, children } (children undefined for an open shard).
  async readShard(name, shard, { iterator, limit = 100 } = {}) {
    let it = iterator ?? await this.iterator(name, shard);
    const records = [];
    for (let i = 0; i < 100000; i++) {
      const r = await this.send("GetRecords", { ShardIterator: it, Limit: limit });
      records.push(...r.Records);
      if (!r.NextShardIterator) return { records, children: r.ChildShards };
      if (r.Records.length === 0 && (r.MillisBehindLatest ?? 0) === 0) return { records, children: undefined };
      it = r.NextShardIterator;
    }
    assert.fail(`reading ${shard} never ended`);
  }

  // Reads every shard, each only after its parents have been read to their end. Returns
  // { order, shards (by id), recordsByShard, childrenByShard }, `order` being the order read in.
  async readStream(name, limit = 100) {
    const shards = Object.fromEntries((await this.shards(name)).map((s) => [s.ShardId, s]));
    const done = new Set();
    const order = [];
    const recordsByShard = {};
    const childrenByShard = {};
    const pending = Object.keys(shards).sort();
    while (pending.length) {
      let progressed = false;
      for (const sid of [...pending]) {
        if (parentsOf(shards[sid]).some((p) => shards[p] && !done.has(p))) continue;
        const { records, children } = await this.readShard(name, sid, { limit });
        recordsByShard[sid] = records;
        childrenByShard[sid] = children;
        done.add(sid);
        order.push(sid);
        pending.splice(pending.indexOf(sid), 1);
        progressed = true;
      }
      if (!progressed) assert.fail(`shard lineage has a cycle or a missing parent: ${pending}`);
    }
    return { order, shards, recordsByShard, childrenByShard };
  }

  async summary(name) {
    return (await this.send("DescribeStreamSummary", { StreamName: name })).StreamDescriptionSummary;
  }
}

// A test body run with its own context, closed afterwards.
export function withContext(server, fn, options) {
  return async (t) => {
    const c = new KinesisContext(server(), options);
    try {
      await fn(c, t);
    } finally {
      c.close();
    }
  };
}

export { K };
export const { paginateListStreams, waitUntilStreamExists, waitUntilStreamNotExists } = K;
