// tests/integration/test_kinesis_api.py, class by class, through the AWS SDK for JavaScript v3 over
// HTTP/2: every operation's response shape and errors with AWS's exact type and message. Each test
// runs as its own 12-digit account (the server takes the account from the access key), so the tests
// of a group run concurrently on one server instead of resetting it between tests.
//
// How the JS SDK differs from boto3 here:
//  - it validates nothing client-side (no lengths, ranges, patterns, enums or required members), so
//    the one client reaches every server-side check that boto3 needs parameter_validation=False for,
//    and it coerces no types (a string ShardCount goes out as a JSON string; see the last group);
//  - the pinned version models every operation and member (TagResource, UpdateMaxRecordSize,
//    StreamARN, ...), so nothing needs the raw JSON fallback boto3 1.26 needs;
//  - timestamps travel as epoch seconds with milliseconds (boto3 1.26 sends whole seconds), so the
//    timestamp tests wait 50 ms where the Python ones wait 1.1 s;
//  - it has no DescribeStream paginator (boto3 has one): that test pages with ExclusiveStartShardId.
// The throttling tests (a server with throttling on) are in kinesis_throttling.test.mjs and the
// stream-state tests (a 300 ms state delay) in kinesis_states.test.mjs.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  ARN_PATTERN, HASH_PATTERN, MAX_HASH, NAME_PATTERN, SEQ_PATTERN, TARGET_PREFIX,
  assertFullCoverage, assertNearTimestamp, awsError, bytes, escapeRe, evenStart, keys, md5Hash, members,
  paginateListStreams, rawPost, shardId, sleep, tagMap, text, validation, vmessage, vpart, withContext,
} from "./lib/kinesis.mjs";
import { startServer, until } from "./lib/server.mjs";

const ITERATOR_TYPES = "[AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER, TRIM_HORIZON]";
const ALL_METRICS = ["IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
  "WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"].sort();
const S0 = shardId(0);
const S1 = shardId(1);
const S2 = shardId(2);
const S3 = shardId(3);

let server;
before(async () => {
  server = await startServer({ extraArgs: ["--throttle", "off"] });
});
after(() => server?.dispose());

// A test with its own account (c) on the shared server.
const it = (name, fn, options = {}) => test(name, options, withContext(() => server, fn));
// A group whose tests run side by side.
const group = (name, body) => describe(name, { concurrency: true }, body);

const datas = (records) => records.map((r) => text(r.Data));
const ids = (shards) => shards.map((s) => s.ShardId);
const range = (s) => [s.HashKeyRange.StartingHashKey, s.HashKeyRange.EndingHashKey];
const rangesOf = (shards) => shards.map((s) => [BigInt(s.HashKeyRange.StartingHashKey),
  BigInt(s.HashKeyRange.EndingHashKey), s.ShardId]);
const owner = (ranges, h) => ranges.find(([lo, hi]) => lo <= h && h <= hi)[2];

test("the Kinesis client uses HTTP/2", withContext(() => server, (c) => {
  assert.equal(c.k.config.requestHandler.constructor.name, "NodeHttp2Handler");
}));

group("CreateStream", () => {
  it("provisioned stream shape", async (c) => {
    const resp = await c.send("CreateStream", { StreamName: "orders", ShardCount: 3 });
    assert.deepEqual(members(resp), []);
    assert.equal(resp.$metadata.httpStatusCode, 200);
    const d = (await c.send("DescribeStream", { StreamName: "orders" })).StreamDescription;
    assert.equal(d.StreamName, "orders");
    assert.equal(d.StreamARN, c.arn("orders"));
    assert.equal(d.StreamStatus, "ACTIVE");
    assert.deepEqual(d.StreamModeDetails, { StreamMode: "PROVISIONED" });
    assert.equal(d.RetentionPeriodHours, 24);
    assert.equal(d.EncryptionType, "NONE");
    assert.equal(d.KeyId, undefined);
    assert.deepEqual(d.EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);
    assert.equal(d.HasMoreShards, false);
    assertNearTimestamp(d.StreamCreationTimestamp);
    assert.deepEqual(ids(d.Shards), [S0, S1, S2]);
    // The three-shard layout AWS returns (aws_errors.md §13).
    assert.deepEqual(d.Shards.map(range), [
      ["0", "113427455640312821154458202477256070484"],
      ["113427455640312821154458202477256070485", "226854911280625642308916404954512140969"],
      ["226854911280625642308916404954512140970", "340282366920938463463374607431768211455"]]);
    for (const s of d.Shards) {
      assert.deepEqual(keys(s), ["HashKeyRange", "SequenceNumberRange", "ShardId"]);
      assert.deepEqual(keys(s.SequenceNumberRange), ["StartingSequenceNumber"]);
      assert.match(s.SequenceNumberRange.StartingSequenceNumber, /^\d+$/);
    }
  });

  it("hash ranges split evenly, the last shard takes the remainder", async (c) => {
    await c.create("six", 6);
    const { Shards } = (await c.send("DescribeStream", { StreamName: "six" })).StreamDescription;
    const expected = Array.from({ length: 6 }, (_, i) =>
      [String(evenStart(i, 6)), String(i < 5 ? evenStart(i + 1, 6) - 1n : MAX_HASH)]);
    assert.deepEqual(Shards.map(range), expected);
  });

  it("on-demand stream starts with four shards", async (c) => {
    const resp = await c.send("CreateStream", { StreamName: "od", StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    assert.deepEqual(members(resp), []);
    const d = (await c.send("DescribeStream", { StreamName: "od" })).StreamDescription;
    assert.deepEqual(d.StreamModeDetails, { StreamMode: "ON_DEMAND" });
    assert.equal(d.Shards.length, 4);
    assertFullCoverage(d.Shards);
  });

  it("no shard count and no mode creates four shards", async (c) => {
    // AWS (LocalStack snapshot recorded against AWS, aws_errors.md §1) creates a 4-shard stream.
    await c.send("CreateStream", { StreamName: "defaulted" });
    assert.equal((await c.openShards("defaulted")).length, 4);
  });

  it("on-demand with a shard count is rejected", async (c) => {
    await awsError(c.send("CreateStream", { StreamName: "od", ShardCount: 2, StreamModeDetails: { StreamMode: "ON_DEMAND" } }),
      "InvalidArgumentException", "ShardCount is not expected when StreamMode=ON_DEMAND");
  });

  it("duplicate name", async (c) => {
    await c.create("dup");
    await awsError(c.send("CreateStream", { StreamName: "dup", ShardCount: 1 }),
      "ResourceInUseException", `Stream dup under account ${c.account} already exists.`);
  });

  it("invalid names", async (c) => {
    const longName = "a".repeat(129);
    const pattern = `Member must satisfy regular expression pattern: ${NAME_PATTERN}`;
    const cases = [
      ["a b", [vpart("'a b'", "streamName", pattern)]],
      ["bad/name", [vpart("'bad/name'", "streamName", pattern)]],
      [longName, [vpart(`'${longName}'`, "streamName", "Member must have length less than or equal to 128")]],
      ["", [vpart("''", "streamName", pattern), vpart("''", "streamName", "Member must have length greater than or equal to 1")]],
    ];
    for (const [name, parts] of cases) {
      await validation(c.send("CreateStream", { StreamName: name, ShardCount: 1 }), parts);
    }
  });

  it("long name: exact message", async (c) => {
    const name = "a".repeat(129);
    await awsError(c.send("CreateStream", { StreamName: name, ShardCount: 1 }), "ValidationException",
      `1 validation error detected: Value '${name}' at 'streamName' failed to satisfy `
      + "constraint: Member must have length less than or equal to 128");
  });

  it("missing name", async (c) => {
    // boto3 refuses to send this; the JS SDK sends an empty object.
    await awsError(c.send("CreateStream", {}), "ValidationException",
      vmessage(vpart("null", "streamName", "Member must not be null")));
  });

  it("shard count zero", async (c) => {
    await awsError(c.send("CreateStream", { StreamName: "zero", ShardCount: 0 }), "ValidationException",
      vmessage(vpart("'0'", "shardCount", "Member must have value greater than or equal to 1")));
  });

  it("two errors are counted", async (c) => {
    await validation(c.send("CreateStream", { StreamName: "a b", ShardCount: 0 }), [
      vpart("'a b'", "streamName", `Member must satisfy regular expression pattern: ${NAME_PATTERN}`),
      vpart("'0'", "shardCount", "Member must have value greater than or equal to 1")]);
  });

  it("bad stream mode", async (c) => {
    await awsError(c.send("CreateStream", { StreamName: "m", ShardCount: 1, StreamModeDetails: { StreamMode: "SOMETIMES" } }),
      "ValidationException", vmessage(vpart("'SOMETIMES'", "streamModeDetails.streamMode",
        "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")));
  });

  it("create with tags and max record size", async (c) => {
    await c.send("CreateStream", { StreamName: "tagged", ShardCount: 1, Tags: { team: "data", env: "test" },
      MaxRecordSizeInKiB: 2048 });
    const { Tags } = await c.send("ListTagsForStream", { StreamName: "tagged" });
    assert.deepEqual(tagMap(Tags), { team: "data", env: "test" });
    assert.equal((await c.summary("tagged")).MaxRecordSizeInKiB, 2048);
  });
});

group("DeleteStream", () => {
  it("delete", async (c) => {
    await c.create("gone", 2);
    const resp = await c.send("DeleteStream", { StreamName: "gone" });
    assert.deepEqual(members(resp), []);
    await awsError(c.send("DescribeStream", { StreamName: "gone" }), "ResourceNotFoundException", c.notFound("gone"));
    assert.ok(!(await c.send("ListStreams", {})).StreamNames.includes("gone"));
  });

  it("recreate after delete starts empty", async (c) => {
    await c.create("again");
    await c.put("again", "old");
    await c.send("DeleteStream", { StreamName: "again" });
    await c.create("again");
    assert.deepEqual(await c.readAll("again"), []);
  });

  it("missing stream", async (c) => {
    await awsError(c.send("DeleteStream", { StreamName: "nope" }), "ResourceNotFoundException", c.notFound("nope"));
  });

  it("consumers block deletion unless enforced", async (c) => {
    await c.create("with-consumers");
    const arn = c.arn("with-consumers");
    await c.send("RegisterStreamConsumer", { StreamARN: arn, ConsumerName: "c1" });
    const a = escapeRe(arn);
    const n = escapeRe("with-consumers");
    await awsError(c.send("DeleteStream", { StreamName: "with-consumers" }), "ResourceInUseException",
      new RegExp(`^DeleteStream can't delete (${a}|${n}) because there are consumers associated with this data `
        + `stream\\. To delete (${a}|${n}) anyway, set the EnforceConsumerDeletion parameter to true to `
        + "force the deletion of all the consumers that are associated with it\\.$"));
    assert.equal((await c.summary("with-consumers")).ConsumerCount, 1);
    await c.send("DeleteStream", { StreamName: "with-consumers", EnforceConsumerDeletion: true });
    await awsError(c.send("DescribeStream", { StreamName: "with-consumers" }), "ResourceNotFoundException",
      c.notFound("with-consumers"));
    // A new stream of the same name has no consumers.
    await c.create("with-consumers");
    assert.deepEqual((await c.send("ListStreamConsumers", { StreamARN: arn })).Consumers, []);
  });

  it("EnforceConsumerDeletion false with consumers", async (c) => {
    await c.create("s");
    await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "c1" });
    await awsError(c.send("DeleteStream", { StreamName: "s", EnforceConsumerDeletion: false }),
      "ResourceInUseException", null);
  });
});

group("DescribeStream / DescribeStreamSummary", () => {
  it("pagination with Limit and ExclusiveStartShardId", async (c) => {
    await c.create("five", 5);
    const describe = async (extra) => (await c.send("DescribeStream", { StreamName: "five", ...extra })).StreamDescription;
    const page1 = await describe({ Limit: 2 });
    assert.deepEqual(ids(page1.Shards), [S0, S1]);
    assert.equal(page1.HasMoreShards, true);
    const page2 = await describe({ Limit: 2, ExclusiveStartShardId: S1 });
    assert.deepEqual(ids(page2.Shards), [S2, S3]);
    assert.equal(page2.HasMoreShards, true);
    const page3 = await describe({ Limit: 2, ExclusiveStartShardId: S3 });
    assert.deepEqual(ids(page3.Shards), [shardId(4)]);
    assert.equal(page3.HasMoreShards, false);
    const everything = await describe({});
    assert.equal(everything.Shards.length, 5);
    assert.equal(everything.HasMoreShards, false);
  });

  it("paging by hand collects all shards (the JS SDK has no DescribeStream paginator)", async (c) => {
    await c.create("seven", 7);
    const got = [];
    for (let more = true, start; more;) {
      const d = (await c.send("DescribeStream", { StreamName: "seven", Limit: 3, ExclusiveStartShardId: start }))
        .StreamDescription;
      got.push(...ids(d.Shards));
      start = got.at(-1);
      more = d.HasMoreShards;
    }
    assert.deepEqual(got, Array.from({ length: 7 }, (_, i) => shardId(i)));
  });

  it("missing stream", async (c) => {
    await awsError(c.send("DescribeStream", { StreamName: "nope" }), "ResourceNotFoundException", c.notFound("nope"));
  });

  it("Limit out of range", async (c) => {
    await c.create("s");
    await awsError(c.send("DescribeStream", { StreamName: "s", Limit: 0 }), "ValidationException",
      vmessage(vpart("'0'", "limit", "Member must have value greater than or equal to 1")));
    await awsError(c.send("DescribeStream", { StreamName: "s", Limit: 10001 }), "ValidationException",
      vmessage(vpart("'10001'", "limit", "Member must have value less than or equal to 10000")));
  });

  it("summary shape", async (c) => {
    await c.create("summary", 3);
    await c.send("RegisterStreamConsumer", { StreamARN: c.arn("summary"), ConsumerName: "c" });
    const s = await c.summary("summary");
    assert.equal(s.StreamName, "summary");
    assert.equal(s.StreamARN, c.arn("summary"));
    assert.equal(s.StreamStatus, "ACTIVE");
    assert.deepEqual(s.StreamModeDetails, { StreamMode: "PROVISIONED" });
    assert.equal(s.RetentionPeriodHours, 24);
    assertNearTimestamp(s.StreamCreationTimestamp);
    assert.deepEqual(s.EnhancedMonitoring, [{ ShardLevelMetrics: [] }]);
    assert.equal(s.EncryptionType, "NONE");
    assert.equal(s.KeyId, undefined);
    assert.equal(s.OpenShardCount, 3);
    assert.equal(s.ConsumerCount, 1);
    assert.equal(s.MaxRecordSizeInKiB, 1024);
    const raw = (await c.raw("DescribeStreamSummary", { StreamName: "summary" })).StreamDescriptionSummary;
    assert.equal(typeof raw.StreamCreationTimestamp, "number");
  });

  it("summary of a missing stream", async (c) => {
    await awsError(c.send("DescribeStreamSummary", { StreamName: "nope" }), "ResourceNotFoundException",
      c.notFound("nope"));
  });

  it("summary counts only open shards", async (c) => {
    await c.create("s", 2);
    await c.send("MergeShards", { StreamName: "s", ShardToMerge: S0, AdjacentShardToMerge: S1 });
    assert.equal((await c.summary("s")).OpenShardCount, 1);
  });
});

group("ListStreams", () => {
  it("empty", async (c) => {
    const resp = await c.send("ListStreams", {});
    assert.deepEqual(resp.StreamNames, []);
    assert.equal(resp.HasMoreStreams, false);
    assert.deepEqual(resp.StreamSummaries, []);
    assert.equal(resp.NextToken, undefined);
  });

  it("NextToken pagination and summaries", async (c) => {
    const names = ["echo", "alpha", "delta", "bravo", "charlie"];
    for (const n of names) await c.create(n);
    await c.send("CreateStream", { StreamName: "foxtrot", StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    const seen = [];
    const summaries = [];
    let token;
    let pages = 0;
    for (;;) {
      const resp = await c.send("ListStreams", token ? { Limit: 2, NextToken: token } : { Limit: 2 });
      pages++;
      assert.ok(resp.StreamNames.length <= 2);
      assert.deepEqual(resp.StreamSummaries.map((s) => s.StreamName), resp.StreamNames);
      seen.push(...resp.StreamNames);
      summaries.push(...resp.StreamSummaries);
      token = resp.NextToken;
      assert.equal(resp.HasMoreStreams, token !== undefined);
      if (!token) break;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...names, "foxtrot"].sort());
    for (const s of summaries) {
      assert.deepEqual(keys(s), ["StreamARN", "StreamCreationTimestamp", "StreamModeDetails", "StreamName", "StreamStatus"]);
      assert.equal(s.StreamARN, c.arn(s.StreamName));
      assert.equal(s.StreamStatus, "ACTIVE");
      assertNearTimestamp(s.StreamCreationTimestamp);
    }
    const modes = Object.fromEntries(summaries.map((s) => [s.StreamName, s.StreamModeDetails.StreamMode]));
    assert.equal(modes.foxtrot, "ON_DEMAND");
    assert.equal(modes.alpha, "PROVISIONED");
  });

  it("Limit and ExclusiveStartStreamName", async (c) => {
    for (const n of ["a1", "a2", "a3", "a4"]) await c.create(n);
    let resp = await c.send("ListStreams", { Limit: 2 });
    assert.deepEqual(resp.StreamNames, ["a1", "a2"]);
    assert.equal(resp.HasMoreStreams, true);
    resp = await c.send("ListStreams", { ExclusiveStartStreamName: "a2" });
    assert.deepEqual(resp.StreamNames, ["a3", "a4"]);
    assert.equal(resp.HasMoreStreams, false);
    resp = await c.send("ListStreams", { ExclusiveStartStreamName: "a2", Limit: 1 });
    assert.deepEqual(resp.StreamNames, ["a3"]);
    assert.equal(resp.HasMoreStreams, true);
  });

  it("paginator", async (c) => {
    for (let i = 0; i < 5; i++) await c.create(`p${i}`);
    const names = [];
    for await (const page of paginateListStreams({ client: c.k, pageSize: 2 }, {})) names.push(...page.StreamNames);
    assert.deepEqual(names, Array.from({ length: 5 }, (_, i) => `p${i}`));
  });

  it("Limit out of range", async (c) => {
    await awsError(c.send("ListStreams", { Limit: 0 }), "ValidationException",
      vmessage(vpart("'0'", "limit", "Member must have value greater than or equal to 1")));
  });

  it("streams of another account are invisible", async (c) => {
    await c.create("mine");
    const other = await rawPost(server.endpoint, `${TARGET_PREFIX}.ListStreams`, "{}", { accessKey: "111111111111" });
    assert.equal(other.status, 200);
    assert.deepEqual(JSON.parse(other.body).StreamNames, []);
    assert.deepEqual((await c.send("ListStreams", {})).StreamNames, ["mine"]);
  });
});

group("ListShards", () => {
  it("shape", async (c) => {
    await c.create("s", 2);
    const resp = await c.send("ListShards", { StreamName: "s" });
    assert.equal(resp.NextToken, undefined);
    assert.deepEqual(ids(resp.Shards), [S0, S1]);
    assert.deepEqual(resp.Shards[0].HashKeyRange, { StartingHashKey: "0", EndingHashKey: String((1n << 127n) - 1n) });
    assert.deepEqual(resp.Shards[1].HashKeyRange, { StartingHashKey: String(1n << 127n), EndingHashKey: String(MAX_HASH) });
    for (const s of resp.Shards) assert.deepEqual(keys(s), ["HashKeyRange", "SequenceNumberRange", "ShardId"]);
  });

  it("MaxResults and NextToken", async (c) => {
    await c.create("five", 5);
    let resp = await c.send("ListShards", { StreamName: "five", MaxResults: 2 });
    assert.deepEqual(ids(resp.Shards), [S0, S1]);
    resp = await c.send("ListShards", { NextToken: resp.NextToken, MaxResults: 2 });
    assert.deepEqual(ids(resp.Shards), [S2, S3]);
    resp = await c.send("ListShards", { NextToken: resp.NextToken });
    assert.deepEqual(ids(resp.Shards), [shardId(4)]);
    assert.equal(resp.NextToken, undefined);
  });

  it("ExclusiveStartShardId", async (c) => {
    await c.create("s", 4);
    let resp = await c.send("ListShards", { StreamName: "s", ExclusiveStartShardId: S1 });
    assert.deepEqual(ids(resp.Shards), [S2, S3]);
    resp = await c.send("ListShards", { StreamName: "s", ExclusiveStartShardId: S1, MaxResults: 1 });
    assert.deepEqual(ids(resp.Shards), [S2]);
    assert.ok(resp.NextToken);
  });

  it("NextToken with StreamName", async (c) => {
    await c.create("s", 3);
    const { NextToken } = await c.send("ListShards", { StreamName: "s", MaxResults: 1 });
    await awsError(c.send("ListShards", { StreamName: "s", NextToken }), "InvalidArgumentException",
      "NextToken and StreamName cannot be provided together.");
  });

  it("NextToken with ExclusiveStartShardId", async (c) => {
    await c.create("s", 3);
    const { NextToken } = await c.send("ListShards", { StreamName: "s", MaxResults: 1 });
    await awsError(c.send("ListShards", { NextToken, ExclusiveStartShardId: S0 }), "InvalidArgumentException",
      "NextToken and ExclusiveStartShardId cannot be provided together.");
  });

  it("NextToken with ShardFilter", async (c) => {
    await c.create("s", 3);
    const { NextToken } = await c.send("ListShards", { StreamName: "s", MaxResults: 1 });
    await awsError(c.send("ListShards", { NextToken, ShardFilter: { Type: "AT_LATEST" } }), "InvalidArgumentException",
      "NextToken and ShardFilter cannot be provided together.");
  });

  it("neither stream nor token", async (c) => {
    await awsError(c.send("ListShards", {}), "InvalidArgumentException",
      "Either NextToken or StreamName should be provided.");
  });

  it("missing stream", async (c) => {
    await awsError(c.send("ListShards", { StreamName: "nope" }), "ResourceNotFoundException", c.notFound("nope"));
  });

  it("MaxResults out of range", async (c) => {
    await c.create("s");
    await awsError(c.send("ListShards", { StreamName: "s", MaxResults: 0 }), "ValidationException",
      vmessage(vpart("'0'", "maxResults", "Member must have value greater than or equal to 1")));
  });

  it("every ShardFilter type", async (c) => {
    // shards 0 and 1 at creation; between the two instants shard 0 splits into 2 and 3. The SDK sends
    // milliseconds, so 50 ms apart is enough where boto3 1.26 (whole seconds) needs 1.1 s.
    await c.create("f", 2);
    await sleep(50);
    const beforeSplit = new Date();
    await sleep(50);
    await c.send("SplitShard", { StreamName: "f", ShardToSplit: S0, NewStartingHashKey: String(1n << 126n) });
    await sleep(50);
    const afterSplit = new Date();
    const cases = [
      [{ Type: "AFTER_SHARD_ID", ShardId: S1 }, [S2, S3]],
      [{ Type: "AT_LATEST" }, [S1, S2, S3]],
      [{ Type: "AT_TRIM_HORIZON" }, [S0, S1]],
      [{ Type: "FROM_TRIM_HORIZON" }, [S0, S1, S2, S3]],
      [{ Type: "AT_TIMESTAMP", Timestamp: beforeSplit }, [S0, S1]],
      [{ Type: "AT_TIMESTAMP", Timestamp: afterSplit }, [S1, S2, S3]],
      [{ Type: "FROM_TIMESTAMP", Timestamp: beforeSplit }, [S0, S1, S2, S3]],
      [{ Type: "FROM_TIMESTAMP", Timestamp: afterSplit }, [S1, S2, S3]],
    ];
    for (const [filter, expected] of cases) {
      const { Shards } = await c.send("ListShards", { StreamName: "f", ShardFilter: filter });
      assert.deepEqual(ids(Shards), expected, `${filter.Type} ${filter.Timestamp?.toISOString() ?? ""}`);
    }
  });

  it("ShardFilter type enum", async (c) => {
    await c.create("s");
    await awsError(c.send("ListShards", { StreamName: "s", ShardFilter: { Type: "SOMETIMES" } }),
      "ValidationException", null);
  });
});

group("PutRecord", () => {
  it("response shape", async (c) => {
    await c.create("s");
    const resp = await c.put("s", "hello", "k1");
    assert.deepEqual(members(resp), ["EncryptionType", "SequenceNumber", "ShardId"]);
    assert.equal(resp.ShardId, S0);
    assert.match(resp.SequenceNumber, /^[1-9]\d*$/);
    assert.equal(resp.EncryptionType, "NONE");
  });

  it("sequence numbers are 56-digit decimals", async (c) => {
    // Real Kinesis sequence numbers are 56-digit decimal strings (aws_errors.md §13, H).
    await c.create("s");
    assert.match((await c.put("s")).SequenceNumber, /^\d{56}$/);
    const d = (await c.send("DescribeStream", { StreamName: "s" })).StreamDescription;
    assert.match(d.Shards[0].SequenceNumberRange.StartingSequenceNumber, /^\d{56}$/);
  });

  it("sequence numbers increase within a shard", async (c) => {
    await c.create("s");
    const seqs = [];
    for (let i = 0; i < 10; i++) seqs.push(BigInt((await c.put("s", String(i), "same")).SequenceNumber));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i - 1] < seqs[i]);
    const d = (await c.send("DescribeStream", { StreamName: "s" })).StreamDescription;
    assert.ok(BigInt(d.Shards[0].SequenceNumberRange.StartingSequenceNumber) <= seqs[0]);
  });

  it("ExplicitHashKey routes to the owning shard", async (c) => {
    await c.create("four", 4);
    for (const sh of (await c.send("ListShards", { StreamName: "four" })).Shards) {
      const lo = BigInt(sh.HashKeyRange.StartingHashKey);
      const hi = BigInt(sh.HashKeyRange.EndingHashKey);
      for (const h of new Set([lo, hi, (lo + hi) / 2n])) {
        // The partition key hashes elsewhere; ExplicitHashKey must win.
        const resp = await c.put("four", "x", "anything", { ExplicitHashKey: String(h) });
        assert.equal(resp.ShardId, sh.ShardId, String(h));
      }
    }
  });

  it("the partition key's MD5 routes to the owning shard", async (c) => {
    await c.create("four", 4);
    const ranges = rangesOf((await c.send("ListShards", { StreamName: "four" })).Shards);
    const hit = new Set();
    for (let i = 0; i < 40; i++) {
      const key = `user-${i}`;
      const expected = owner(ranges, md5Hash(key));
      hit.add(expected);
      assert.equal((await c.put("four", "x", key)).ShardId, expected, key);
    }
    assert.equal(hit.size, 4);
  });

  it("data round-trips exactly", async (c) => {
    await c.create("s");
    const payloads = [Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(0),
      Buffer.from("héllo ✓"), Buffer.alloc(1000)];
    const seqs = [];
    for (const p of payloads) seqs.push((await c.put("s", new Uint8Array(p), "k")).SequenceNumber);
    const records = await c.readAll("s");
    assert.deepEqual(records.map((r) => Buffer.from(r.Data)), payloads);
    assert.deepEqual(records.map((r) => r.SequenceNumber), seqs);
    assert.deepEqual([...new Set(records.map((r) => r.PartitionKey))], ["k"]);
  });

  it("record larger than the max record size", async (c) => {
    // 1 MiB of data plus the key is over the default 1 MiB record size, within the 10 MiB model limit:
    // InvalidArgumentException (aws_errors.md §4, text unknown).
    await c.create("s");
    await awsError(c.put("s", new Uint8Array(1 << 20).fill(120), "k"), "InvalidArgumentException", null);
  });

  it("record over the model maximum", async (c) => {
    await c.create("s");
    const n = 10 * (1 << 20) + 1;
    await awsError(c.put("s", new Uint8Array(n).fill(120), "k"), "ValidationException",
      vmessage(vpart(`'java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]'`, "data",
        "Member must have length less than or equal to 10485760")));
  });

  it("record of exactly the limit is accepted", async (c) => {
    await c.create("s");
    assert.equal((await c.put("s", new Uint8Array((1 << 20) - 1).fill(120), "k")).ShardId, S0);
  });

  it("SequenceNumberForOrdering is accepted", async (c) => {
    await c.create("s", 2);
    const first = await c.put("s", "1", "key");
    const second = await c.put("s", "2", "key", { SequenceNumberForOrdering: first.SequenceNumber });
    assert.equal(second.ShardId, first.ShardId);
    assert.ok(BigInt(second.SequenceNumber) > BigInt(first.SequenceNumber));
  });

  it("invalid SequenceNumberForOrdering", async (c) => {
    await c.create("s");
    await awsError(c.put("s", "x", "pk", { SequenceNumberForOrdering: "1234567890" }), "InvalidArgumentException",
      `ExclusiveMinimumSequenceNumber 1234567890 used in PutRecord on stream s under account ${c.account} is invalid.`);
  });

  it("partition key length", async (c) => {
    await c.create("s");
    await awsError(c.put("s", "x", ""), "ValidationException",
      vmessage(vpart("''", "partitionKey", "Member must have length greater than or equal to 1")));
    const key = "k".repeat(257);
    await awsError(c.put("s", "x", key), "ValidationException",
      vmessage(vpart(`'${key}'`, "partitionKey", "Member must have length less than or equal to 256")));
  });

  it("ExplicitHashKey pattern", async (c) => {
    await c.create("s");
    await awsError(c.put("s", "x", "pk", { ExplicitHashKey: "abc" }), "ValidationException",
      vmessage(vpart("'abc'", "explicitHashKey", `Member must satisfy regular expression pattern: ${HASH_PATTERN}`)));
  });

  it("ExplicitHashKey out of range", async (c) => {
    await c.create("s");
    await awsError(c.put("s", "x", "pk", { ExplicitHashKey: String(1n << 128n) }), "InvalidArgumentException",
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${1n << 128n}`);
  });

  it("missing data and key", async (c) => {
    // boto3 needs a raw request for this; the JS SDK sends it as it is.
    await c.create("s");
    await validation(c.send("PutRecord", { StreamName: "s" }), [
      vpart("null", "data", "Member must not be null"), vpart("null", "partitionKey", "Member must not be null")]);
  });

  it("missing stream", async (c) => {
    await awsError(c.put("nope"), "ResourceNotFoundException", c.notFound("nope"));
  });
});

group("PutRecords", () => {
  it("results are in request order", async (c) => {
    await c.create("s", 3);
    const ranges = rangesOf((await c.send("ListShards", { StreamName: "s" })).Shards);
    const entries = Array.from({ length: 30 }, (_, i) => ({ Data: bytes(`r${i}`), PartitionKey: `key-${i}` }));
    entries[7].ExplicitHashKey = String(MAX_HASH);
    const resp = await c.send("PutRecords", { StreamName: "s", Records: entries });
    assert.equal(resp.FailedRecordCount, 0);
    assert.equal(resp.EncryptionType, "NONE");
    assert.equal(resp.Records.length, 30);
    entries.forEach((entry, i) => {
      const h = entry.ExplicitHashKey ? BigInt(entry.ExplicitHashKey) : md5Hash(entry.PartitionKey);
      assert.deepEqual(keys(resp.Records[i]), ["SequenceNumber", "ShardId"]);
      assert.equal(resp.Records[i].ShardId, owner(ranges, h), String(i));
    });
    // Reading back: each shard holds its records in request order, with the returned numbers.
    for (const [, , sid] of ranges) {
      const records = await c.readAll("s", sid);
      const want = entries.map((e, i) => [text(e.Data), resp.Records[i]]).filter(([, r]) => r.ShardId === sid)
        .map(([d, r]) => [d, r.SequenceNumber]);
      assert.deepEqual(records.map((r) => [text(r.Data), r.SequenceNumber]), want);
    }
  });

  it("500 records accepted", async (c) => {
    await c.create("s", 2);
    const resp = await c.send("PutRecords", { StreamName: "s",
      Records: Array.from({ length: 500 }, (_, i) => ({ Data: bytes("x"), PartitionKey: String(i) })) });
    assert.equal(resp.FailedRecordCount, 0);
    assert.equal(resp.Records.length, 500);
  });

  it("501 records rejected", async (c) => {
    await c.create("s");
    const entry = "com\\.amazonaws\\.kinesis\\.v20131202\\.PutRecordsRequestEntry@[0-9a-f]+";
    await awsError(c.send("PutRecords", { StreamName: "s",
      Records: Array.from({ length: 501 }, (_, i) => ({ Data: bytes("x"), PartitionKey: String(i) })) }),
    "ValidationException", new RegExp(`^1 validation error detected: Value '\\[${entry}(, ${entry})*\\]' at 'records' `
      + "failed to satisfy constraint: Member must have length less than or equal to 500$"));
  });

  it("no records", async (c) => {
    await c.create("s");
    await awsError(c.send("PutRecords", { StreamName: "s", Records: [] }), "ValidationException",
      vmessage(vpart("'[]'", "records", "Member must have length greater than or equal to 1")));
  });

  it("request over 5 MiB", async (c) => {
    await c.create("s", 4);
    const records = Array.from({ length: 6 }, (_, i) => ({ Data: new Uint8Array(1_000_000).fill(120), PartitionKey: String(i) }));
    await awsError(c.send("PutRecords", { StreamName: "s", Records: records }), "InvalidArgumentException",
      "Records size exceeds 5 MB limit");
    // Nothing was written.
    let n = 0;
    for (const s of (await c.send("ListShards", { StreamName: "s" })).Shards) n += (await c.readAll("s", s.ShardId)).length;
    assert.equal(n, 0);
  });

  it("request of 5 MiB accepted", async (c) => {
    await c.create("s", 8);
    const records = Array.from({ length: 5 }, (_, i) => ({ Data: new Uint8Array(1_000_000).fill(120), PartitionKey: String(i) }));
    assert.equal((await c.send("PutRecords", { StreamName: "s", Records: records })).FailedRecordCount, 0);
  });

  it("entry member paths", async (c) => {
    await c.create("s");
    await awsError(c.send("PutRecords", { StreamName: "s",
      Records: [{ Data: bytes("x"), PartitionKey: "a" }, { Data: bytes("x"), PartitionKey: "" }] }),
    "ValidationException", vmessage(vpart("''", "records.2.member.partitionKey",
      "Member must have length greater than or equal to 1")));
    await awsError(c.send("PutRecords", { StreamName: "s",
      Records: [{ Data: bytes("x"), PartitionKey: "a", ExplicitHashKey: "x1" }] }),
    "ValidationException", vmessage(vpart("'x1'", "records.1.member.explicitHashKey",
      `Member must satisfy regular expression pattern: ${HASH_PATTERN}`)));
  });

  it("entry data over the model maximum", async (c) => {
    await c.create("s");
    const n = 10 * (1 << 20) + 1;
    await awsError(c.send("PutRecords", { StreamName: "s",
      Records: [{ Data: bytes("x"), PartitionKey: "a" }, { Data: new Uint8Array(n).fill(120), PartitionKey: "b" }] }),
    "ValidationException", vmessage(vpart(`'java.nio.HeapByteBuffer[pos=0 lim=${n} cap=${n}]'`, "records.2.member.data",
      "Member must have length less than or equal to 10485760")));
  });

  it("ExplicitHashKey out of range fails the whole request", async (c) => {
    await c.create("s");
    await awsError(c.send("PutRecords", { StreamName: "s", Records: [{ Data: bytes("ok"), PartitionKey: "a" },
      { Data: bytes("bad"), PartitionKey: "b", ExplicitHashKey: String(1n << 128n) }] }),
    "InvalidArgumentException",
    `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${1n << 128n}`);
    assert.deepEqual(await c.readAll("s"), []);
  });

  it("missing stream", async (c) => {
    await awsError(c.send("PutRecords", { StreamName: "nope", Records: [{ Data: bytes("x"), PartitionKey: "a" }] }),
      "ResourceNotFoundException", c.notFound("nope"));
  });
});

group("GetShardIterator", () => {
  // Stream "s" with two shards; r0..r4 in shard 0.
  const setUp = async (c) => {
    await c.create("s", 2);
    const seqs = [];
    for (let i = 0; i < 5; i++) seqs.push((await c.put("s", `r${i}`, "k", { ExplicitHashKey: "0" })).SequenceNumber);
    return seqs;
  };
  const all = ["r0", "r1", "r2", "r3", "r4"];
  const GSI = (c, extra) => c.send("GetShardIterator", { StreamName: "s", ShardId: S0, ...extra });
  const BOTH = "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber "
    + "or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified";

  it("TRIM_HORIZON", async (c) => {
    await setUp(c);
    const iter = await c.iterator("s");
    assert.equal(typeof iter, "string");
    assert.ok(iter.length >= 1 && iter.length <= 512);
    assert.deepEqual(datas(await c.readAll("s")), all);
  });

  it("LATEST", async (c) => {
    await setUp(c);
    const iter = await c.iterator("s", S0, "LATEST");
    assert.deepEqual((await c.send("GetRecords", { ShardIterator: iter })).Records, []);
    await c.put("s", "new", "k", { ExplicitHashKey: "0" });
    assert.deepEqual(datas((await c.send("GetRecords", { ShardIterator: iter })).Records), ["new"]);
  });

  it("AT_ and AFTER_SEQUENCE_NUMBER", async (c) => {
    const seqs = await setUp(c);
    const at = await c.readAll("s", S0, "AT_SEQUENCE_NUMBER", { StartingSequenceNumber: seqs[2] });
    assert.deepEqual(datas(at), ["r2", "r3", "r4"]);
    assert.equal(at[0].SequenceNumber, seqs[2]);
    const afterSeq = await c.readAll("s", S0, "AFTER_SEQUENCE_NUMBER", { StartingSequenceNumber: seqs[2] });
    assert.deepEqual(datas(afterSeq), ["r3", "r4"]);
    assert.deepEqual(await c.readAll("s", S0, "AFTER_SEQUENCE_NUMBER", { StartingSequenceNumber: seqs[4] }), []);
  });

  it("AT_TIMESTAMP", async (c) => {
    await setUp(c);
    await sleep(50); // milliseconds travel (boto3 1.26 needs 1.1 s)
    const between = new Date();
    await sleep(50);
    await c.put("s", "late", "k", { ExplicitHashKey: "0" });
    assert.deepEqual(datas(await c.readAll("s", S0, "AT_TIMESTAMP", { Timestamp: between })), ["late"]);
    const early = await c.readAll("s", S0, "AT_TIMESTAMP", { Timestamp: new Date(Date.now() - 3600_000) });
    assert.deepEqual(datas(early), [...all, "late"]);
  });

  it("sequence number of another shard", async (c) => {
    await setUp(c);
    const other = (await c.put("s", "o", "k", { ExplicitHashKey: String(MAX_HASH) })).SequenceNumber;
    await awsError(GSI(c, { ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: other }),
      "InvalidArgumentException", "Invalid StartingSequenceNumber. It encodes shardId-000000000001, while it was "
        + "used in a call to a shard with shardId-000000000000");
  });

  it("sequence number of another stream", async (c) => {
    await setUp(c);
    await c.create("other");
    const seq = (await c.put("other", "x", "k")).SequenceNumber;
    await awsError(GSI(c, { ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: seq }),
      "InvalidArgumentException", `StartingSequenceNumber ${seq} used in GetShardIterator on shard `
        + `shardId-000000000000 in stream s under account ${c.account} is invalid because it did not come from this stream.`);
  });

  it("undecodable sequence number", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: "12345678901234567890" }),
      "InvalidArgumentException", "StartingSequenceNumber 12345678901234567890 used in GetShardIterator on shard "
        + `shardId-000000000000 in stream s under account ${c.account} is invalid.`);
  });

  it("non-numeric sequence number", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardIteratorType: "AT_SEQUENCE_NUMBER", StartingSequenceNumber: "abc" }),
      "ValidationException", vmessage(vpart("'abc'", "startingSequenceNumber",
        `Member must satisfy regular expression pattern: ${SEQ_PATTERN}`)));
  });

  it("sequence types need a sequence number", async (c) => {
    await setUp(c);
    for (const t of ["AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"]) {
      await awsError(GSI(c, { ShardIteratorType: t }), "InvalidArgumentException",
        `${BOTH} ${t} and no StartingSequenceNumber.`);
    }
  });

  it("LATEST or TRIM_HORIZON with a sequence number", async (c) => {
    const seqs = await setUp(c);
    for (const t of ["LATEST", "TRIM_HORIZON"]) {
      await awsError(GSI(c, { ShardIteratorType: t, StartingSequenceNumber: seqs[0] }), "InvalidArgumentException",
        `${BOTH} ${t} and also a StartingSequenceNumber.`);
    }
  });

  it("AT_TIMESTAMP without a timestamp", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardIteratorType: "AT_TIMESTAMP" }), "InvalidArgumentException",
      "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.");
  });

  it("timestamp in the future", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardIteratorType: "AT_TIMESTAMP", Timestamp: new Date(Date.now() + 3600_000) }),
      "InvalidArgumentException", /^The timestampInMillis parameter cannot be greater than the currentTimestampInMillis\. timestampInMillis: \d+, currentTimestampInMillis: \d+$/);
  });

  it("iterator type enum", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardIteratorType: "FIRST" }), "ValidationException",
      vmessage(vpart("'FIRST'", "shardIteratorType", `Member must satisfy enum value set: ${ITERATOR_TYPES}`)));
  });

  it("unknown shard", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardId: shardId(5), ShardIteratorType: "TRIM_HORIZON" }), "ResourceNotFoundException",
      `Shard shardId-000000000005 in stream s under account ${c.account} does not exist`);
  });

  it("shard id is normalised", async (c) => {
    // AWS parses the suffix after the last '-': 'foo-0', 'shard-0' and '0' all mean shardId-000000000000.
    await setUp(c);
    for (const id of ["foo-0", "shard-0", "0", "shardId-0"]) assert.deepEqual(datas(await c.readAll("s", id)), all, id);
    await awsError(GSI(c, { ShardId: "foo-7", ShardIteratorType: "TRIM_HORIZON" }), "ResourceNotFoundException",
      `Shard shardId-000000000007 in stream s under account ${c.account} does not exist`);
  });

  it("unparseable shard id", async (c) => {
    await setUp(c);
    await awsError(GSI(c, { ShardId: "shardId-abc", ShardIteratorType: "TRIM_HORIZON" }), "ResourceNotFoundException",
      `Could not find shard shardId-abc in stream s under account ${c.account}.`);
  });

  it("missing stream", async (c) => {
    // GetShardIterator reports the shard, not the stream (aws_errors.md §6, H).
    await awsError(c.send("GetShardIterator", { StreamName: "nope", ShardId: S0, ShardIteratorType: "TRIM_HORIZON" }),
      "ResourceNotFoundException", `Shard shardId-000000000000 in stream nope under account ${c.account} does not exist`);
  });
});

group("GetRecords", () => {
  const GR = (c, params) => c.send("GetRecords", params);

  it("record shape", async (c) => {
    await c.create("s");
    const before = Date.now();
    const put = await c.put("s", new Uint8Array([0, 1, ...Buffer.from("payload")]), "pk-1");
    const resp = await GR(c, { ShardIterator: await c.iterator("s") });
    assert.equal(resp.MillisBehindLatest, 0);
    assert.equal(typeof resp.NextShardIterator, "string");
    assert.ok(!resp.ChildShards?.length);
    assert.equal(resp.Records.length, 1);
    const [rec] = resp.Records;
    assert.deepEqual(Buffer.from(rec.Data), Buffer.from([0, 1, ...Buffer.from("payload")]));
    assert.equal(rec.PartitionKey, "pk-1");
    assert.equal(rec.SequenceNumber, put.SequenceNumber);
    assert.equal(rec.EncryptionType ?? "NONE", "NONE");
    assert.ok(rec.ApproximateArrivalTimestamp.getTime() >= before - 1000);
    assert.ok(rec.ApproximateArrivalTimestamp.getTime() <= Date.now() + 1000);
    // Arrival times carry milliseconds on the wire.
    const raw = (await c.raw("GetRecords", { ShardIterator: await c.iterator("s") })).Records[0];
    assert.equal(typeof raw.ApproximateArrivalTimestamp, "number");
  });

  it("Limit and NextShardIterator continue exactly", async (c) => {
    await c.create("s");
    const seqs = [];
    for (let i = 0; i < 7; i++) seqs.push((await c.put("s", `r${i}`)).SequenceNumber);
    let iter = await c.iterator("s");
    const got = [];
    for (const expected of [3, 3, 1, 0, 0]) {
      const resp = await GR(c, { ShardIterator: iter, Limit: 3 });
      assert.equal(resp.Records.length, expected);
      got.push(...resp.Records.map((r) => r.SequenceNumber));
      iter = resp.NextShardIterator;
    }
    assert.deepEqual(got, seqs);
    await c.put("s", "later");
    assert.deepEqual(datas((await GR(c, { ShardIterator: iter })).Records), ["later"]);
  });

  it("an iterator can be reused", async (c) => {
    await c.create("s");
    await c.put("s", "a");
    const iter = await c.iterator("s");
    const first = (await GR(c, { ShardIterator: iter })).Records;
    const second = (await GR(c, { ShardIterator: iter })).Records;
    assert.deepEqual(first, second);
    assert.equal(first.length, 1);
  });

  it("MillisBehindLatest", async (c) => {
    await c.create("s");
    await c.put("s", "a");
    await c.put("s", "b");
    await sleep(300);
    let resp = await GR(c, { ShardIterator: await c.iterator("s"), Limit: 1 });
    assert.ok(resp.MillisBehindLatest >= 250, String(resp.MillisBehindLatest));
    resp = await GR(c, { ShardIterator: resp.NextShardIterator });
    assert.equal(resp.MillisBehindLatest, 0);
  });

  it("invalid iterators", async (c) => {
    await c.create("s");
    for (const iter of ["garbage", "AAAAAAAAAAEAAAAAAAAAAQ==", "not base64 !!!", "x".repeat(300)]) {
      await awsError(GR(c, { ShardIterator: iter }), "InvalidArgumentException", "Invalid ShardIterator.");
    }
  });

  it("tampered iterator", async (c) => {
    await c.create("s");
    await c.put("s");
    const raw = Buffer.from(await c.iterator("s"), "base64");
    for (const pos of [Math.floor(raw.length / 2), raw.length - 1]) {
      const bad = Buffer.from(raw);
      bad[pos] ^= 0x01;
      await awsError(GR(c, { ShardIterator: bad.toString("base64") }), "InvalidArgumentException", "Invalid ShardIterator.");
    }
  });

  it("Limit out of range", async (c) => {
    await c.create("s");
    const iter = await c.iterator("s");
    await awsError(GR(c, { ShardIterator: iter, Limit: 0 }), "ValidationException",
      vmessage(vpart("'0'", "limit", "Member must have value greater than or equal to 1")));
    await awsError(GR(c, { ShardIterator: iter, Limit: 100000 }), "ValidationException",
      vmessage(vpart("'100000'", "limit", "Member must have value less than or equal to 10000")));
  });

  it("iterator length", async (c) => {
    await awsError(GR(c, { ShardIterator: "" }), "ValidationException",
      vmessage(vpart("''", "shardIterator", "Member must have length greater than or equal to 1")));
    const longIt = "A".repeat(513);
    await awsError(GR(c, { ShardIterator: longIt }), "ValidationException",
      vmessage(vpart(`'${longIt}'`, "shardIterator", "Member must have length less than or equal to 512")));
  });

  it("closed shard read to the end reports child shards", async (c) => {
    await c.create("s");
    await c.put("s", "before-1");
    await c.put("s", "before-2");
    const iter = await c.iterator("s");
    await c.send("SplitShard", { StreamName: "s", ShardToSplit: S0, NewStartingHashKey: String(1n << 127n) });
    const resp = await GR(c, { ShardIterator: iter });
    assert.deepEqual(datas(resp.Records), ["before-1", "before-2"]);
    assert.equal(resp.NextShardIterator, undefined);
    const children = [...resp.ChildShards].sort((a, b) => a.ShardId.localeCompare(b.ShardId));
    assert.deepEqual(children, [
      { ShardId: S1, ParentShards: [S0], HashKeyRange: { StartingHashKey: "0", EndingHashKey: String((1n << 127n) - 1n) } },
      { ShardId: S2, ParentShards: [S0], HashKeyRange: { StartingHashKey: String(1n << 127n), EndingHashKey: String(MAX_HASH) } },
    ]);
    // New writes go to the children.
    assert.ok([S1, S2].includes((await c.put("s", "after")).ShardId));
  });

  it("closed shard read in pages", async (c) => {
    await c.create("s", 2);
    for (let i = 0; i < 5; i++) await c.put("s", `r${i}`, "pk", { ExplicitHashKey: "0" });
    await c.send("MergeShards", { StreamName: "s", ShardToMerge: S0, AdjacentShardToMerge: S1 });
    let resp = await GR(c, { ShardIterator: await c.iterator("s"), Limit: 3 });
    assert.equal(resp.Records.length, 3);
    assert.ok(!resp.ChildShards?.length);
    resp = await GR(c, { ShardIterator: resp.NextShardIterator, Limit: 3 });
    assert.deepEqual(datas(resp.Records), ["r3", "r4"]);
    assert.equal(resp.NextShardIterator, undefined);
    assert.deepEqual(resp.ChildShards, [
      { ShardId: S2, ParentShards: [S0, S1], HashKeyRange: { StartingHashKey: "0", EndingHashKey: String(MAX_HASH) } }]);
  });

  it("iterator of a deleted stream", async (c) => {
    await c.create("s");
    const iter = await c.iterator("s");
    await c.send("DeleteStream", { StreamName: "s" });
    await awsError(GR(c, { ShardIterator: iter }), "ResourceNotFoundException",
      `Shard shardId-000000000000 in stream s under account ${c.account} does not exist`);
  });
});

group("Increase/DecreaseStreamRetentionPeriod", () => {
  const retention = async (c, name) => (await c.summary(name)).RetentionPeriodHours;

  it("increase and decrease", async (c) => {
    await c.create("s");
    let resp = await c.send("IncreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 48 });
    assert.deepEqual(members(resp), []);
    assert.equal(await retention(c, "s"), 48);
    assert.equal((await c.send("DescribeStream", { StreamName: "s" })).StreamDescription.RetentionPeriodHours, 48);
    await c.send("IncreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 8760 });
    assert.equal(await retention(c, "s"), 8760);
    resp = await c.send("DecreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 24 });
    assert.deepEqual(members(resp), []);
    assert.equal(await retention(c, "s"), 24);
  });

  it("too short", async (c) => {
    await c.create("s");
    for (const op of ["IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod"]) {
      await awsError(c.send(op, { StreamName: "s", RetentionPeriodHours: 23 }), "InvalidArgumentException",
        "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.");
    }
  });

  it("too long", async (c) => {
    await c.create("s");
    await awsError(c.send("IncreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 8761 }),
      "InvalidArgumentException",
      "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.");
  });

  it("increase below the current period", async (c) => {
    await c.create("s");
    await c.send("IncreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 48 });
    await awsError(c.send("IncreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 25 }),
      "InvalidArgumentException", "Requested retention period (25 hours) for stream s can not be shorter than "
        + "existing retention period (48 hours). Use DecreaseRetentionPeriod API.");
  });

  it("decrease above the current period", async (c) => {
    await c.create("s");
    await awsError(c.send("DecreaseStreamRetentionPeriod", { StreamName: "s", RetentionPeriodHours: 25 }),
      "InvalidArgumentException", "Requested retention period (25 hours) for stream s can not be longer than "
        + "existing retention period (24 hours). Use IncreaseRetentionPeriod API.");
  });

  it("missing stream", async (c) => {
    await awsError(c.send("IncreaseStreamRetentionPeriod", { StreamName: "nope", RetentionPeriodHours: 48 }),
      "ResourceNotFoundException", c.notFound("nope"));
    await awsError(c.send("DecreaseStreamRetentionPeriod", { StreamName: "nope", RetentionPeriodHours: 24 }),
      "ResourceNotFoundException", c.notFound("nope"));
  });
});

group("SplitShard / MergeShards / UpdateShardCount", () => {
  const byId = async (c, name) => Object.fromEntries((await c.shards(name)).map((s) => [s.ShardId, s]));
  const assertLineage = (shards) => {
    const all = new Set(ids(shards));
    for (const s of shards) {
      for (const parent of ["ParentShardId", "AdjacentParentShardId"]) {
        if (s[parent] !== undefined) assert.ok(all.has(s[parent]), `${s.ShardId}'s ${parent} is missing`);
      }
      if (s.AdjacentParentShardId !== undefined) assert.ok(s.ParentShardId);
    }
  };
  const notEligible = (c, id) => `Shard ${id} in stream s under account ${c.account} has already been merged `
    + "or split, and thus is not eligible for merging or splitting.";
  const split = (c, extra) => c.send("SplitShard", { StreamName: "s", ...extra });
  const merge = (c, a, b, name = "s") => c.send("MergeShards", { StreamName: name, ShardToMerge: a, AdjacentShardToMerge: b });

  it("SplitShard", async (c) => {
    await c.create("s");
    const last = (await c.put("s", "before")).SequenceNumber;
    const resp = await split(c, { ShardToSplit: S0, NewStartingHashKey: String(1n << 127n) });
    assert.deepEqual(members(resp), []);
    const shards = await byId(c, "s");
    assert.deepEqual(Object.keys(shards).sort(), [S0, S1, S2]);
    const parent = shards[S0].SequenceNumberRange;
    assert.ok(parent.EndingSequenceNumber);
    assert.ok(BigInt(parent.EndingSequenceNumber) >= BigInt(last));
    const [left, right] = [shards[S1], shards[S2]];
    assert.equal(left.ParentShardId, S0);
    assert.equal(right.ParentShardId, S0);
    assert.equal(left.AdjacentParentShardId, undefined);
    assert.deepEqual(left.HashKeyRange, { StartingHashKey: "0", EndingHashKey: String((1n << 127n) - 1n) });
    assert.deepEqual(right.HashKeyRange, { StartingHashKey: String(1n << 127n), EndingHashKey: String(MAX_HASH) });
    assert.equal(left.SequenceNumberRange.EndingSequenceNumber, undefined);
    assert.equal((await c.summary("s")).OpenShardCount, 2);
    assert.deepEqual(datas(await c.readAll("s")), ["before"]);
  });

  it("split hash key out of range", async (c) => {
    await c.create("s", 2);
    const lo = 1n << 127n;
    for (const key of [String(lo), String(lo + 1n), String(MAX_HASH), "1"]) {
      await awsError(split(c, { ShardToSplit: S1, NewStartingHashKey: key }), "InvalidArgumentException",
        `NewStartingHashKey ${key} used in SplitShard() on shard shardId-000000000001 in stream s under account `
        + `${c.account} is not both greater than one plus the shard's StartingHashKey ${lo} and less than the `
        + `shard's EndingHashKey ${MAX_HASH}.`);
    }
  });

  it("split hash key pattern", async (c) => {
    await c.create("s");
    await awsError(split(c, { ShardToSplit: S0, NewStartingHashKey: "-5" }), "ValidationException",
      vmessage(vpart("'-5'", "newStartingHashKey", `Member must satisfy regular expression pattern: ${HASH_PATTERN}`)));
  });

  it("split a closed shard", async (c) => {
    await c.create("s");
    await split(c, { ShardToSplit: S0, NewStartingHashKey: String(1n << 127n) });
    await awsError(split(c, { ShardToSplit: S0, NewStartingHashKey: String(1n << 126n) }), "InvalidArgumentException",
      notEligible(c, S0));
  });

  it("split an unknown shard", async (c) => {
    await c.create("s");
    const msg = `Could not find shard shardId-000000000009 in stream s under account ${c.account}.`;
    await awsError(split(c, { ShardToSplit: shardId(9), NewStartingHashKey: String(1n << 127n) }),
      "ResourceNotFoundException", msg);
    // Normalised: the suffix after the last '-' is the index.
    await awsError(split(c, { ShardToSplit: "foo-9", NewStartingHashKey: String(1n << 127n) }),
      "ResourceNotFoundException", msg);
  });

  it("split in a missing stream", async (c) => {
    await awsError(c.send("SplitShard", { StreamName: "nope", ShardToSplit: S0, NewStartingHashKey: String(1n << 127n) }),
      "ResourceNotFoundException", c.notFound("nope"));
  });

  it("MergeShards", async (c) => {
    await c.create("s", 2);
    await c.put("s", "left", "pk", { ExplicitHashKey: "0" });
    await c.put("s", "right", "pk", { ExplicitHashKey: String(MAX_HASH) });
    const resp = await merge(c, S0, S1);
    assert.deepEqual(members(resp), []);
    const shards = await byId(c, "s");
    const child = shards[S2];
    assert.equal(child.ParentShardId, S0);
    assert.equal(child.AdjacentParentShardId, S1);
    assert.deepEqual(child.HashKeyRange, { StartingHashKey: "0", EndingHashKey: String(MAX_HASH) });
    assert.equal(child.SequenceNumberRange.EndingSequenceNumber, undefined);
    for (const parent of [S0, S1]) assert.ok(shards[parent].SequenceNumberRange.EndingSequenceNumber);
    assert.equal((await c.put("s", "after")).ShardId, S2);
    assert.deepEqual(datas(await c.readAll("s", S1)), ["right"]);
  });

  it("merge shards that are not adjacent", async (c) => {
    await c.create("s", 3);
    await awsError(merge(c, S0, S2), "InvalidArgumentException", `Shards shardId-000000000000 and `
      + `shardId-000000000002 in stream s under account ${c.account} are not an adjacent pair of shards eligible for merging`);
  });

  it("merge in inverted order", async (c) => {
    await c.create("s", 2);
    await awsError(merge(c, S1, S0), "InvalidArgumentException", `Shards shardId-000000000001 and `
      + `shardId-000000000000 in stream s under account ${c.account} are not an adjacent pair of shards eligible for merging`);
  });

  it("merge a closed shard", async (c) => {
    await c.create("s", 3);
    await merge(c, S0, S1);
    await awsError(merge(c, S1, S2), "InvalidArgumentException", notEligible(c, S1));
  });

  it("merge an unknown shard", async (c) => {
    await c.create("s", 2);
    await awsError(merge(c, S0, shardId(5)), "ResourceNotFoundException",
      `Could not find shard shardId-000000000005 in stream s under account ${c.account}.`);
  });

  it("merge in a missing stream", async (c) => {
    await awsError(merge(c, S0, S1, "nope"), "ResourceNotFoundException", c.notFound("nope"));
  });

  it("UpdateShardCount (uniform) with lineage", async (c) => {
    await c.create("s", 2);
    const steps = [[2, 4], [4, 3], [3, 5], [5, 8], [8, 4], [4, 2]];
    for (const [current, target] of steps) {
      const resp = await c.send("UpdateShardCount", { StreamName: "s", TargetShardCount: target, ScalingType: "UNIFORM_SCALING" });
      const { $metadata, ...body } = resp;
      assert.deepEqual(body, { StreamName: "s", CurrentShardCount: current, TargetShardCount: target, StreamARN: c.arn("s") });
      const shards = await c.shards("s");
      const open = shards.filter((s) => s.SequenceNumberRange.EndingSequenceNumber === undefined);
      assert.equal(open.length, target);
      assertFullCoverage(open);
      assertLineage(shards);
      for (const s of open) {
        assert.ok(s.ParentShardId, s.ShardId);
        const width = BigInt(s.HashKeyRange.EndingHashKey) - BigInt(s.HashKeyRange.StartingHashKey) + 1n;
        const diff = width - (1n << 128n) / BigInt(target);
        assert.ok((diff < 0n ? -diff : diff) <= BigInt(target), s.ShardId);
      }
      assert.equal((await c.summary("s")).OpenShardCount, target);
    }
  });

  it("UpdateShardCount keeps records readable", async (c) => {
    await c.create("s", 1);
    await c.put("s", "old");
    await c.send("UpdateShardCount", { StreamName: "s", TargetShardCount: 2, ScalingType: "UNIFORM_SCALING" });
    assert.deepEqual(datas(await c.readAll("s", S0)), ["old"]);
    assert.notEqual((await c.put("s", "new")).ShardId, S0);
  });

  it("UpdateShardCount above double", async (c) => {
    await c.create("s", 2);
    await awsError(c.send("UpdateShardCount", { StreamName: "s", TargetShardCount: 5, ScalingType: "UNIFORM_SCALING" }),
      "LimitExceededException", "UpdateShardCount cannot scale up over double your current open shard count. "
        + "Current open shard count: 2, Target shard count: 5");
  });

  it("UpdateShardCount below half", async (c) => {
    await c.create("s", 6);
    await awsError(c.send("UpdateShardCount", { StreamName: "s", TargetShardCount: 2, ScalingType: "UNIFORM_SCALING" }),
      "LimitExceededException", "UpdateShardCount cannot scale down below half your current open shard count. "
        + "Current open shard count: 6, Target shard count: 2");
  });

  it("UpdateShardCount scaling type", async (c) => {
    await c.create("s");
    await awsError(c.send("UpdateShardCount", { StreamName: "s", TargetShardCount: 2, ScalingType: "RANDOM" }),
      "ValidationException", vmessage(vpart("'RANDOM'", "scalingType", "Member must satisfy enum value set: [UNIFORM_SCALING]")));
  });

  it("UpdateShardCount of a missing stream", async (c) => {
    await awsError(c.send("UpdateShardCount", { StreamName: "nope", TargetShardCount: 2, ScalingType: "UNIFORM_SCALING" }),
      "ResourceNotFoundException", c.notFound("nope"));
  });

  it("resharding an on-demand stream", async (c) => {
    await c.send("CreateStream", { StreamName: "od", StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    await awsError(c.send("UpdateShardCount", { StreamName: "od", TargetShardCount: 5, ScalingType: "UNIFORM_SCALING" }),
      "ValidationException", null);
    await awsError(c.send("SplitShard", { StreamName: "od", ShardToSplit: S0, NewStartingHashKey: String(1n << 125n) }),
      "ValidationException", null);
    await awsError(merge(c, S0, S1, "od"), "ValidationException", null);
  });
});

group("UpdateStreamMode / UpdateStreamWarmThroughput", () => {
  const mode = async (c, name) => (await c.summary(name)).StreamModeDetails;

  it("switch modes", async (c) => {
    await c.create("s", 3);
    const resp = await c.send("UpdateStreamMode", { StreamARN: c.arn("s"), StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    assert.deepEqual(members(resp), []);
    assert.deepEqual(await mode(c, "s"), { StreamMode: "ON_DEMAND" });
    assert.equal((await c.send("DescribeLimits", {})).OnDemandStreamCount, 1);
    await c.send("UpdateStreamMode", { StreamARN: c.arn("s"), StreamModeDetails: { StreamMode: "PROVISIONED" } });
    assert.deepEqual(await mode(c, "s"), { StreamMode: "PROVISIONED" });
    assert.equal((await c.send("DescribeLimits", {})).OnDemandStreamCount, 0);
    assert.equal((await c.openShards("s")).length, 3);
  });

  it("bad mode", async (c) => {
    await c.create("s");
    await awsError(c.send("UpdateStreamMode", { StreamARN: c.arn("s"), StreamModeDetails: { StreamMode: "SOMETIMES" } }),
      "ValidationException", vmessage(vpart("'SOMETIMES'", "streamModeDetails.streamMode",
        "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")));
  });

  it("missing stream", async (c) => {
    await awsError(c.send("UpdateStreamMode", { StreamARN: c.arn("nope"), StreamModeDetails: { StreamMode: "ON_DEMAND" } }),
      "ResourceNotFoundException", null);
  });

  it("warm throughput of an on-demand stream", async (c) => {
    await c.send("CreateStream", { StreamName: "od", StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    let resp = await c.send("UpdateStreamWarmThroughput", { StreamARN: c.arn("od"), WarmThroughputMiBps: 100 });
    assert.equal(resp.StreamARN, c.arn("od"));
    assert.equal(resp.StreamName, "od");
    assert.equal(resp.WarmThroughput.TargetMiBps, 100);
    assert.ok(Number.isInteger(resp.WarmThroughput.CurrentMiBps));
    assert.equal((await c.summary("od")).WarmThroughput.TargetMiBps, 100);
    resp = await c.send("UpdateStreamWarmThroughput", { StreamName: "od", WarmThroughputMiBps: 50 });
    assert.equal(resp.WarmThroughput.TargetMiBps, 50);
  });

  it("warm throughput of a provisioned stream is rejected", async (c) => {
    await c.create("p");
    const err = await c.send("UpdateStreamWarmThroughput", { StreamARN: c.arn("p"), WarmThroughputMiBps: 100 })
      .then(() => null, (e) => e);
    assert.ok(err && ["ValidationException", "InvalidArgumentException"].includes(err.name), String(err));
  });

  it("warm throughput of a missing stream", async (c) => {
    await awsError(c.send("UpdateStreamWarmThroughput", { StreamARN: c.arn("nope"), WarmThroughputMiBps: 100 }),
      "ResourceNotFoundException", null);
  });
});

group("UpdateMaxRecordSize", () => {
  const big = () => new Uint8Array(Buffer.alloc(256 * 6 * 1024, Buffer.from(Array.from({ length: 256 }, (_, i) => i)))); // 1.5 MiB

  it("a larger record is rejected by default", async (c) => {
    await c.create("s");
    await awsError(c.put("s", big(), "k"), "InvalidArgumentException", null);
  });

  it("after an update a larger record is accepted", async (c) => {
    await c.create("s");
    const data = big();
    await assert.rejects(c.put("s", data, "k"));
    const resp = await c.send("UpdateMaxRecordSize", { StreamARN: c.arn("s"), MaxRecordSizeInKiB: 2048 });
    assert.deepEqual(members(resp), []);
    assert.equal((await c.summary("s")).MaxRecordSizeInKiB, 2048);
    assert.equal((await c.put("s", data, "k")).ShardId, S0);
    assert.deepEqual(Buffer.from((await c.readAll("s"))[0].Data), Buffer.from(data));
    // Still bounded by the new limit.
    await assert.rejects(c.put("s", new Uint8Array(2 << 20).fill(122), "k"));
    const batch = await c.send("PutRecords", { StreamName: "s", Records: [{ Data: data, PartitionKey: "a" }] });
    assert.equal(batch.FailedRecordCount, 0);
  });

  it("out of range", async (c) => {
    await c.create("s");
    for (const [value, constraint] of [[1023, "Member must have value greater than or equal to 1024"],
      [10241, "Member must have value less than or equal to 10240"]]) {
      await awsError(c.send("UpdateMaxRecordSize", { StreamARN: c.arn("s"), MaxRecordSizeInKiB: value }),
        "ValidationException", vmessage(vpart(`'${value}'`, "maxRecordSizeInKiB", constraint)));
    }
  });

  it("missing stream", async (c) => {
    await awsError(c.send("UpdateMaxRecordSize", { StreamARN: c.arn("nope"), MaxRecordSizeInKiB: 2048 }),
      "ResourceNotFoundException", null);
  });
});

group("AddTagsToStream / ListTagsForStream / RemoveTagsFromStream", () => {
  const tags = (c, name, extra = {}) => c.send("ListTagsForStream", { StreamName: name, ...extra });
  const addTags = (c, Tags) => c.send("AddTagsToStream", { StreamName: "s", Tags });
  const range = (n, f) => Object.fromEntries(Array.from({ length: n }, (_, i) => f(i)));

  it("add, list, remove", async (c) => {
    await c.create("s");
    let resp = await addTags(c, { team: "data", env: "prod", empty: "" });
    assert.deepEqual(members(resp), []);
    const out = await tags(c, "s");
    assert.equal(out.HasMoreTags, false);
    assert.deepEqual(tagMap(out.Tags), { team: "data", env: "prod", empty: "" });
    await addTags(c, { env: "test" });
    assert.equal(tagMap((await tags(c, "s")).Tags).env, "test");
    resp = await c.send("RemoveTagsFromStream", { StreamName: "s", TagKeys: ["env", "not-there"] });
    assert.deepEqual(members(resp), []);
    assert.deepEqual(tagMap((await tags(c, "s")).Tags), { team: "data", empty: "" });
  });

  it("pagination", async (c) => {
    await c.create("s");
    await addTags(c, range(5, (i) => [`k${i}`, `v${i}`]));
    let page = await tags(c, "s", { Limit: 2 });
    assert.equal(page.Tags.length, 2);
    assert.equal(page.HasMoreTags, true);
    const seen = page.Tags.map((t) => t.Key);
    while (page.HasMoreTags) {
      page = await tags(c, "s", { Limit: 2, ExclusiveStartTagKey: seen.at(-1) });
      assert.ok(page.Tags.length <= 2);
      seen.push(...page.Tags.map((t) => t.Key));
    }
    assert.deepEqual([...seen].sort(), ["k0", "k1", "k2", "k3", "k4"]);
    assert.equal(seen.length, 5);
    assert.deepEqual((await tags(c, "s", { ExclusiveStartTagKey: "k4" })).Tags, []);
  });

  it("invalid characters", async (c) => {
    await c.create("s");
    for (const key of ["semi;colon", "com,ma", "tab\there"]) {
      await awsError(addTags(c, { [key]: "v" }), "InvalidArgumentException",
        "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, _ . / = + - % @.");
    }
  });

  it("more than 50 tags", async (c) => {
    await c.create("s");
    await addTags(c, range(40, (i) => [`k${i}`, "v"]));
    await awsError(addTags(c, range(11, (i) => [`n${i}`, "v"])), "InvalidArgumentException",
      `Failed to add tags to stream s under account ${c.account} because a given stream cannot have more than 50 `
      + "tags associated with it.");
    assert.equal((await tags(c, "s")).Tags.length, 40);
    await addTags(c, range(10, (i) => [`n${i}`, "v"]));
  });

  it("empty tag map", async (c) => {
    await c.create("s");
    await awsError(addTags(c, {}), "ValidationException",
      vmessage(vpart("'{}'", "tags", "Member must have length greater than or equal to 1")));
  });

  it("tag key too long", async (c) => {
    await c.create("s");
    const key = "a".repeat(129);
    await awsError(addTags(c, { [key]: "1" }), "ValidationException", vmessage(vpart(`'{${key}=1}'`, "tags",
      "Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have "
      + "length greater than or equal to 1]")));
  });

  it("tag value too long", async (c) => {
    await c.create("s");
    const value = "v".repeat(257);
    await awsError(addTags(c, { k: value }), "ValidationException", vmessage(vpart(`'{k=${value}}'`, "tags",
      "Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must have "
      + "length greater than or equal to 0]")));
  });

  it("remove with no keys", async (c) => {
    await c.create("s");
    await awsError(c.send("RemoveTagsFromStream", { StreamName: "s", TagKeys: [] }), "ValidationException",
      vmessage(vpart("'[]'", "tagKeys", "Member must have length greater than or equal to 1")));
  });

  it("list Limit out of range", async (c) => {
    await c.create("s");
    await awsError(tags(c, "s", { Limit: 51 }), "ValidationException",
      vmessage(vpart("'51'", "limit", "Member must have value less than or equal to 50")));
  });

  it("missing stream", async (c) => {
    for (const [op, extra] of [["AddTagsToStream", { Tags: { a: "b" } }], ["RemoveTagsFromStream", { TagKeys: ["a"] }],
      ["ListTagsForStream", {}]]) {
      await awsError(c.send(op, { StreamName: "nope", ...extra }), "ResourceNotFoundException", c.notFound("nope"));
    }
  });
});

group("TagResource / UntagResource / ListTagsForResource", () => {
  const list = async (c, arn) => tagMap((await c.send("ListTagsForResource", { ResourceARN: arn })).Tags);

  it("stream ARN", async (c) => {
    await c.create("s");
    const arn = c.arn("s");
    let resp = await c.send("TagResource", { ResourceARN: arn, Tags: { a: "1", b: "2" } });
    assert.deepEqual(members(resp), []);
    assert.deepEqual(await list(c, arn), { a: "1", b: "2" });
    // The same tags as the stream-level API.
    assert.deepEqual(tagMap((await c.send("ListTagsForStream", { StreamName: "s" })).Tags), { a: "1", b: "2" });
    resp = await c.send("UntagResource", { ResourceARN: arn, TagKeys: ["a"] });
    assert.deepEqual(members(resp), []);
    assert.deepEqual(await list(c, arn), { b: "2" });
    assert.deepEqual((await c.send("ListTagsForResource", { ResourceARN: arn })).Tags, [{ Key: "b", Value: "2" }]);
  });

  it("consumer ARN", async (c) => {
    await c.create("s");
    const { Consumer } = await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "c" });
    const arn = Consumer.ConsumerARN;
    await c.send("TagResource", { ResourceARN: c.arn("s"), Tags: { "stream-tag": "x" } });
    await c.send("TagResource", { ResourceARN: arn, Tags: { owner: "me", tier: "gold" } });
    assert.deepEqual(await list(c, arn), { owner: "me", tier: "gold" });
    assert.deepEqual(await list(c, c.arn("s")), { "stream-tag": "x" });
    await c.send("UntagResource", { ResourceARN: arn, TagKeys: ["tier"] });
    assert.deepEqual(await list(c, arn), { owner: "me" });
  });

  it("consumer tags at registration", async (c) => {
    await c.create("s");
    const { Consumer } = await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "c", Tags: { k: "v" } });
    assert.deepEqual(await list(c, Consumer.ConsumerARN), { k: "v" });
  });

  it("missing resources", async (c) => {
    for (const arn of [c.arn("nope"), `${c.arn("nope")}/consumer/c:1700000000`]) {
      for (const [op, extra] of [["TagResource", { Tags: { a: "b" } }], ["UntagResource", { TagKeys: ["a"] }],
        ["ListTagsForResource", {}]]) {
        await awsError(c.send(op, { ResourceARN: arn, ...extra }), "ResourceNotFoundException", null);
      }
    }
  });

  it("missing consumer of an existing stream", async (c) => {
    await c.create("s");
    await awsError(c.send("ListTagsForResource", { ResourceARN: `${c.arn("s")}/consumer/ghost:1700000000` }),
      "ResourceNotFoundException", null);
  });

  it("bad resource ARN", async (c) => {
    await awsError(c.send("ListTagsForResource", { ResourceARN: `arn:aws:sqs:us-east-1:${c.account}:queue` }),
      "ValidationException", null);
  });

  it("tag limits apply", async (c) => {
    await c.create("s");
    await awsError(c.send("TagResource", { ResourceARN: c.arn("s"), Tags: {} }), "ValidationException", null);
    await c.send("TagResource", { ResourceARN: c.arn("s"),
      Tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"])) });
    await awsError(c.send("TagResource", { ResourceARN: c.arn("s"), Tags: { "one-more": "v" } }),
      "InvalidArgumentException", null);
  });
});

group("Put/Get/DeleteResourcePolicy", () => {
  const POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" },
    Action: "kinesis:GetRecords", Resource: "*" }] });

  it("stream and consumer policies round-trip", async (c) => {
    await c.create("s");
    const { Consumer } = await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "c" });
    for (const arn of [c.arn("s"), Consumer.ConsumerARN]) {
      assert.equal((await c.send("GetResourcePolicy", { ResourceARN: arn })).Policy, "{}");
      await c.send("PutResourcePolicy", { ResourceARN: arn, Policy: POLICY });
      assert.deepEqual(JSON.parse((await c.send("GetResourcePolicy", { ResourceARN: arn })).Policy), JSON.parse(POLICY));
      await c.send("DeleteResourcePolicy", { ResourceARN: arn });
      assert.equal((await c.send("GetResourcePolicy", { ResourceARN: arn })).Policy, "{}");
      await awsError(c.send("DeleteResourcePolicy", { ResourceARN: arn }), "ResourceNotFoundException", null);
    }
  });

  it("bad documents and missing streams are refused", async (c) => {
    await c.create("s");
    await awsError(c.send("PutResourcePolicy", { ResourceARN: c.arn("s"), Policy: "not json" }),
      "InvalidArgumentException", null);
    await awsError(c.send("GetResourcePolicy", { ResourceARN: c.arn("nope") }), "ResourceNotFoundException", null);
  });
});

group("Start/StopStreamEncryption", () => {
  const KEY = "alias/aws/kinesis";
  const encryption = (c, op, name = "s", extra = {}) =>
    c.send(op, { StreamName: name, EncryptionType: "KMS", KeyId: KEY, ...extra });

  it("start and stop", async (c) => {
    await c.create("s");
    await c.put("s", "plain");
    let resp = await encryption(c, "StartStreamEncryption");
    assert.deepEqual(members(resp), []);
    let d = (await c.send("DescribeStream", { StreamName: "s" })).StreamDescription;
    assert.equal(d.EncryptionType, "KMS");
    assert.equal(d.KeyId, KEY);
    const s = await c.summary("s");
    assert.deepEqual([s.EncryptionType, s.KeyId], ["KMS", KEY]);
    assert.equal((await c.put("s", "secret")).EncryptionType, "KMS");
    const batch = await c.send("PutRecords", { StreamName: "s", Records: [{ Data: bytes("secret2"), PartitionKey: "k" }] });
    assert.equal(batch.EncryptionType, "KMS");
    const records = await c.readAll("s");
    assert.deepEqual(datas(records), ["plain", "secret", "secret2"]);
    assert.deepEqual(records.slice(1).map((r) => r.EncryptionType), ["KMS", "KMS"]);

    resp = await encryption(c, "StopStreamEncryption");
    assert.deepEqual(members(resp), []);
    d = (await c.send("DescribeStream", { StreamName: "s" })).StreamDescription;
    assert.equal(d.EncryptionType, "NONE");
    assert.equal(d.KeyId, undefined);
    assert.equal((await c.put("s", "plain again")).EncryptionType, "NONE");
  });

  it("records keep the encryption they were written with", async (c) => {
    await c.create("s");
    await c.put("s", "before");
    await encryption(c, "StartStreamEncryption");
    await c.put("s", "during");
    await encryption(c, "StopStreamEncryption");
    await c.put("s", "after");
    const records = await c.readAll("s");
    assert.deepEqual(datas(records), ["before", "during", "after"]);
    assert.deepEqual(records.map((r) => r.EncryptionType ?? "NONE"), ["NONE", "KMS", "NONE"]);
  });

  it("bad encryption type", async (c) => {
    await c.create("s");
    await awsError(encryption(c, "StartStreamEncryption", "s", { EncryptionType: "AES" }), "ValidationException",
      vmessage(vpart("'AES'", "encryptionType", "Member must satisfy enum value set: [NONE, KMS]")));
  });

  it("missing stream", async (c) => {
    for (const op of ["StartStreamEncryption", "StopStreamEncryption"]) {
      await awsError(encryption(c, op, "nope"), "ResourceNotFoundException", c.notFound("nope"));
    }
  });
});

group("Enable/DisableEnhancedMonitoring", () => {
  const metrics = async (c, name) => [...(await c.send("DescribeStream", { StreamName: name }))
    .StreamDescription.EnhancedMonitoring[0].ShardLevelMetrics].sort();

  it("enable and disable", async (c) => {
    await c.create("s");
    let resp = await c.send("EnableEnhancedMonitoring", { StreamName: "s", ShardLevelMetrics: ["IncomingBytes", "OutgoingBytes"] });
    assert.equal(resp.StreamName, "s");
    assert.equal(resp.StreamARN, c.arn("s"));
    assert.deepEqual(resp.CurrentShardLevelMetrics, []);
    assert.deepEqual([...resp.DesiredShardLevelMetrics].sort(), ["IncomingBytes", "OutgoingBytes"]);
    assert.deepEqual(await metrics(c, "s"), ["IncomingBytes", "OutgoingBytes"]);
    const s = await c.summary("s");
    assert.deepEqual([...s.EnhancedMonitoring[0].ShardLevelMetrics].sort(), ["IncomingBytes", "OutgoingBytes"]);

    resp = await c.send("DisableEnhancedMonitoring", { StreamName: "s", ShardLevelMetrics: ["IncomingBytes"] });
    assert.deepEqual([...resp.CurrentShardLevelMetrics].sort(), ["IncomingBytes", "OutgoingBytes"]);
    assert.deepEqual(resp.DesiredShardLevelMetrics, ["OutgoingBytes"]);
    assert.deepEqual(await metrics(c, "s"), ["OutgoingBytes"]);
  });

  it("ALL", async (c) => {
    await c.create("s");
    let resp = await c.send("EnableEnhancedMonitoring", { StreamName: "s", ShardLevelMetrics: ["ALL"] });
    assert.deepEqual([...resp.DesiredShardLevelMetrics].sort(), ALL_METRICS);
    assert.deepEqual(await metrics(c, "s"), ALL_METRICS);
    resp = await c.send("DisableEnhancedMonitoring", { StreamName: "s", ShardLevelMetrics: ["ALL"] });
    assert.deepEqual([...resp.CurrentShardLevelMetrics].sort(), ALL_METRICS);
    assert.deepEqual(resp.DesiredShardLevelMetrics, []);
    assert.deepEqual(await metrics(c, "s"), []);
  });

  it("bad metric", async (c) => {
    await c.create("s");
    await awsError(c.send("EnableEnhancedMonitoring", { StreamName: "s", ShardLevelMetrics: ["Bogus"] }),
      "ValidationException", null);
    await awsError(c.send("EnableEnhancedMonitoring", { StreamName: "s", ShardLevelMetrics: [] }),
      "ValidationException", null);
  });

  it("missing stream", async (c) => {
    for (const op of ["EnableEnhancedMonitoring", "DisableEnhancedMonitoring"]) {
      await awsError(c.send(op, { StreamName: "nope", ShardLevelMetrics: ["IncomingBytes"] }),
        "ResourceNotFoundException", c.notFound("nope"));
    }
  });
});

group("DescribeLimits / DescribeAccountSettings / UpdateAccountSettings", () => {
  it("DescribeLimits", async (c) => {
    const { $metadata, ...body } = await c.send("DescribeLimits", {});
    assert.deepEqual(body, { ShardLimit: 20000, OpenShardCount: 0, OnDemandStreamCount: 0, OnDemandStreamCountLimit: 50 });
    await c.create("p", 3);
    await c.send("CreateStream", { StreamName: "od", StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    await c.send("SplitShard", { StreamName: "p", ShardToSplit: S0, NewStartingHashKey: String(1n << 120n) });
    const resp = await c.send("DescribeLimits", {});
    assert.equal(resp.OpenShardCount, 3 + 1 + 4);
    assert.equal(resp.OnDemandStreamCount, 1);
  });

  // Each test is a fresh account, so the default is observed before anything changes it.
  it("DescribeAccountSettings default", async (c) => {
    const resp = await c.send("DescribeAccountSettings", {});
    assert.equal(resp.MinimumThroughputBillingCommitment.Status, "DISABLED");
    assert.deepEqual(members(resp), ["MinimumThroughputBillingCommitment"]);
  });

  it("UpdateAccountSettings is reported back", async (c) => {
    const resp = await c.send("UpdateAccountSettings", { MinimumThroughputBillingCommitment: { Status: "ENABLED" } });
    assert.equal(resp.MinimumThroughputBillingCommitment.Status, "ENABLED");
    const described = (await c.send("DescribeAccountSettings", {})).MinimumThroughputBillingCommitment;
    assert.equal(described.Status, "ENABLED");
  });

  it("UpdateAccountSettings bad status", async (c) => {
    await awsError(c.send("UpdateAccountSettings", { MinimumThroughputBillingCommitment: { Status: "MAYBE" } }),
      "ValidationException", null);
    await awsError(c.send("UpdateAccountSettings", {}), "ValidationException", null);
  });
});

group("Enhanced fan-out consumers", () => {
  const register = (c, name, extra = {}) => c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: name, ...extra });
  const consumers = async (c) => (await c.send("ListStreamConsumers", { StreamARN: c.arn("s") })).Consumers;
  const CONSUMER_KEYS = ["ConsumerARN", "ConsumerCreationTimestamp", "ConsumerName", "ConsumerStatus"];

  it("register, describe, list, deregister", async (c) => {
    await c.create("s");
    const arn = c.arn("s");
    const before = Date.now() / 1000;
    const { Consumer: co } = await register(c, "reader");
    assert.deepEqual(keys(co), CONSUMER_KEYS);
    assert.equal(co.ConsumerName, "reader");
    assert.match(co.ConsumerARN, new RegExp(`^${escapeRe(arn)}/consumer/reader:\\d+$`));
    const created = Number(co.ConsumerARN.split(":").at(-1));
    assert.ok(Math.abs(created - before) <= 2);
    assert.ok(["CREATING", "ACTIVE"].includes(co.ConsumerStatus));
    assertNearTimestamp(co.ConsumerCreationTimestamp);

    const byArn = (await c.send("DescribeStreamConsumer", { ConsumerARN: co.ConsumerARN })).ConsumerDescription;
    const byName = (await c.send("DescribeStreamConsumer", { StreamARN: arn, ConsumerName: "reader" })).ConsumerDescription;
    assert.deepEqual(byArn, byName);
    assert.deepEqual(keys(byArn), [...CONSUMER_KEYS, "StreamARN"]);
    assert.equal(byArn.StreamARN, arn);
    assert.equal(byArn.ConsumerARN, co.ConsumerARN);
    assert.equal(byArn.ConsumerStatus, "ACTIVE");

    const listed = await c.send("ListStreamConsumers", { StreamARN: arn });
    assert.equal(listed.NextToken, undefined);
    assert.equal(listed.Consumers.length, 1);
    assert.equal(listed.Consumers[0].ConsumerARN, co.ConsumerARN);
    assert.deepEqual(keys(listed.Consumers[0]), CONSUMER_KEYS);

    const resp = await c.send("DeregisterStreamConsumer", { ConsumerARN: co.ConsumerARN });
    assert.deepEqual(members(resp), []);
    assert.deepEqual(await consumers(c), []);
    await awsError(c.send("DescribeStreamConsumer", { ConsumerARN: co.ConsumerARN }), "ResourceNotFoundException", null);
  });

  it("deregister by stream ARN and name", async (c) => {
    await c.create("s");
    await register(c, "reader");
    await c.send("DeregisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "reader" });
    assert.deepEqual(await consumers(c), []);
  });

  it("list pagination", async (c) => {
    await c.create("s");
    for (let i = 0; i < 5; i++) await register(c, `c${i}`);
    const names = [];
    let token;
    let pages = 0;
    for (;;) {
      const resp = await c.send("ListStreamConsumers", { StreamARN: c.arn("s"), MaxResults: 2, NextToken: token });
      pages++;
      names.push(...resp.Consumers.map((x) => x.ConsumerName));
      token = resp.NextToken;
      if (!token) break;
    }
    assert.equal(pages, 3);
    assert.deepEqual(names.sort(), ["c0", "c1", "c2", "c3", "c4"]);
    assert.equal((await c.summary("s")).ConsumerCount, 5);
  });

  it("duplicate name", async (c) => {
    await c.create("s");
    await register(c, "reader");
    await awsError(register(c, "reader"), "ResourceInUseException", null);
  });

  it("twenty consumers per stream", async (c) => {
    await c.create("s");
    for (let i = 0; i < 20; i++) await register(c, `c${i}`);
    await awsError(register(c, "c20"), "LimitExceededException", null);
  });

  it("re-registering gives a new ARN", async (c) => {
    await c.create("s");
    const first = (await register(c, "r")).Consumer.ConsumerARN;
    await c.send("DeregisterStreamConsumer", { ConsumerARN: first });
    await sleep(1050);
    const second = (await register(c, "r")).Consumer.ConsumerARN;
    assert.notEqual(first, second);
    await awsError(c.send("DescribeStreamConsumer", { ConsumerARN: first }), "ResourceNotFoundException", null);
  });

  it("missing stream", async (c) => {
    await awsError(c.send("RegisterStreamConsumer", { StreamARN: c.arn("nope"), ConsumerName: "c" }),
      "ResourceNotFoundException", null);
    await awsError(c.send("ListStreamConsumers", { StreamARN: c.arn("nope") }), "ResourceNotFoundException", null);
  });

  it("missing consumer", async (c) => {
    await c.create("s");
    await awsError(c.send("DescribeStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "ghost" }),
      "ResourceNotFoundException", null);
    await awsError(c.send("DeregisterStreamConsumer", { ConsumerARN: `${c.arn("s")}/consumer/ghost:1700000000` }),
      "ResourceNotFoundException", null);
  });

  it("neither ARN nor name", async (c) => {
    await c.create("s");
    await awsError(c.send("DescribeStreamConsumer", {}), "InvalidArgumentException", null);
    await awsError(c.send("DeregisterStreamConsumer", {}), "InvalidArgumentException", null);
    await awsError(c.send("DescribeStreamConsumer", { ConsumerName: "x" }), "InvalidArgumentException", null);
  });

  it("bad consumer name", async (c) => {
    await c.create("s");
    await awsError(register(c, "a b"), "ValidationException",
      vmessage(vpart("'a b'", "consumerName", `Member must satisfy regular expression pattern: ${NAME_PATTERN}`)));
  });
});

group("StreamARN in place of StreamName", () => {
  const setUp = async (c) => {
    await c.create("s", 2);
    return c.arn("s");
  };

  it("describe operations", async (c) => {
    const arn = await setUp(c);
    const d = (await c.send("DescribeStream", { StreamARN: arn })).StreamDescription;
    assert.deepEqual([d.StreamName, d.Shards.length], ["s", 2]);
    const s = (await c.send("DescribeStreamSummary", { StreamARN: arn })).StreamDescriptionSummary;
    assert.deepEqual([s.StreamName, s.OpenShardCount], ["s", 2]);
    assert.equal((await c.send("ListShards", { StreamARN: arn })).Shards.length, 2);
    const { NextToken } = await c.send("ListShards", { StreamARN: arn, MaxResults: 1 });
    assert.equal((await c.send("ListShards", { NextToken })).Shards.length, 1);
  });

  it("data operations", async (c) => {
    const arn = await setUp(c);
    const put = await c.send("PutRecord", { StreamARN: arn, Data: bytes("one"), PartitionKey: "k", ExplicitHashKey: "0" });
    assert.equal(put.ShardId, S0);
    const batch = await c.send("PutRecords", { StreamARN: arn,
      Records: [{ Data: bytes("two"), PartitionKey: "k", ExplicitHashKey: "0" }] });
    assert.equal(batch.FailedRecordCount, 0);
    const { ShardIterator } = await c.send("GetShardIterator", { StreamARN: arn, ShardId: S0, ShardIteratorType: "TRIM_HORIZON" });
    const { Records } = await c.send("GetRecords", { ShardIterator, StreamARN: arn });
    assert.deepEqual(datas(Records), ["one", "two"]);
  });

  it("both name and ARN", async (c) => {
    const arn = await setUp(c);
    const d = (await c.send("DescribeStreamSummary", { StreamName: "s", StreamARN: arn })).StreamDescriptionSummary;
    assert.equal(d.StreamName, "s");
    await c.create("t");
    await awsError(c.send("DescribeStreamSummary", { StreamName: "t", StreamARN: arn }), "InvalidArgumentException", null);
  });

  it("retention, tags, monitoring, encryption", async (c) => {
    const arn = await setUp(c);
    await c.send("IncreaseStreamRetentionPeriod", { StreamARN: arn, RetentionPeriodHours: 48 });
    await c.send("DecreaseStreamRetentionPeriod", { StreamARN: arn, RetentionPeriodHours: 36 });
    assert.equal((await c.summary("s")).RetentionPeriodHours, 36);
    await c.send("AddTagsToStream", { StreamARN: arn, Tags: { a: "1", b: "2" } });
    await c.send("RemoveTagsFromStream", { StreamARN: arn, TagKeys: ["a"] });
    assert.deepEqual((await c.send("ListTagsForStream", { StreamARN: arn })).Tags, [{ Key: "b", Value: "2" }]);
    const on = await c.send("EnableEnhancedMonitoring", { StreamARN: arn, ShardLevelMetrics: ["IncomingRecords"] });
    assert.deepEqual(on.DesiredShardLevelMetrics, ["IncomingRecords"]);
    const off = await c.send("DisableEnhancedMonitoring", { StreamARN: arn, ShardLevelMetrics: ["IncomingRecords"] });
    assert.deepEqual(off.DesiredShardLevelMetrics, []);
    await c.send("StartStreamEncryption", { StreamARN: arn, EncryptionType: "KMS", KeyId: "alias/aws/kinesis" });
    assert.equal((await c.summary("s")).EncryptionType, "KMS");
    await c.send("StopStreamEncryption", { StreamARN: arn, EncryptionType: "KMS", KeyId: "alias/aws/kinesis" });
    assert.equal((await c.summary("s")).EncryptionType, "NONE");
  });

  it("resharding", async (c) => {
    const arn = await setUp(c);
    await c.send("SplitShard", { StreamARN: arn, ShardToSplit: S0, NewStartingHashKey: String(1n << 126n) });
    await c.send("MergeShards", { StreamARN: arn, ShardToMerge: S2, AdjacentShardToMerge: S3 });
    const resp = await c.send("UpdateShardCount", { StreamARN: arn, TargetShardCount: 4, ScalingType: "UNIFORM_SCALING" });
    assert.deepEqual([resp.StreamName, resp.CurrentShardCount, resp.TargetShardCount], ["s", 2, 4]);
    assert.equal((await c.openShards("s")).length, 4);
  });

  it("mode, record size, consumers and delete", async (c) => {
    const arn = await setUp(c);
    await c.send("UpdateStreamMode", { StreamARN: arn, StreamModeDetails: { StreamMode: "ON_DEMAND" } });
    await c.send("UpdateStreamWarmThroughput", { StreamARN: arn, WarmThroughputMiBps: 10 });
    await c.send("UpdateMaxRecordSize", { StreamARN: arn, MaxRecordSizeInKiB: 3072 });
    assert.equal((await c.summary("s")).MaxRecordSizeInKiB, 3072);
    await c.send("RegisterStreamConsumer", { StreamARN: arn, ConsumerName: "c" });
    assert.equal((await c.send("ListStreamConsumers", { StreamARN: arn })).Consumers.length, 1);
    await c.send("DeleteStream", { StreamARN: arn, EnforceConsumerDeletion: true });
    await awsError(c.send("DescribeStream", { StreamName: "s" }), "ResourceNotFoundException", c.notFound("s"));
  });

  it("malformed ARN", async (c) => {
    await setUp(c);
    const bad = `arn:aws:kinesis:us-east-1:${c.account}:table/s`;
    await awsError(c.send("DescribeStreamSummary", { StreamARN: bad }), "ValidationException",
      vmessage(vpart(`'${bad}'`, "streamARN", `Member must satisfy regular expression pattern: ${ARN_PATTERN}`)));
  });

  it("ARN of a missing stream", async (c) => {
    await setUp(c);
    for (const arn of [c.arn("nope"), c.arn("s", { account: "111111111111" }), c.arn("s", { region: "eu-west-1" })]) {
      await awsError(c.send("DescribeStreamSummary", { StreamARN: arn }), "ResourceNotFoundException", null);
    }
  });

  it("neither name nor ARN", async (c) => {
    await setUp(c);
    await awsError(c.send("DescribeStreamSummary", {}), "InvalidArgumentException", null);
  });
});

group("SubscribeToShard (enhanced fan-out over an event stream)", () => {
  // Stream "s" and an ACTIVE consumer "efo".
  const setUp = async (c) => {
    await c.create("s");
    const { Consumer } = await c.send("RegisterStreamConsumer", { StreamARN: c.arn("s"), ConsumerName: "efo" });
    await until("the consumer to be ACTIVE", async () => (await c.send("DescribeStreamConsumer",
      { ConsumerARN: Consumer.ConsumerARN })).ConsumerDescription.ConsumerStatus === "ACTIVE");
    return Consumer.ConsumerARN;
  };
  // The event stream as an iterator, so one test can read it in several steps.
  const subscribe = async (c, consumerArn, position, shard = S0) => (await c.send("SubscribeToShard", {
    ConsumerARN: consumerArn, ShardId: shard, StartingPosition: position,
  })).EventStream[Symbol.asyncIterator]();
  // A subscription that stops sending fails the test instead of hanging it.
  const next = (events) => {
    let timer;
    const timeout = new Promise((_, fail) => (timer = setTimeout(() => fail(new Error("no event for 15 s")), 15000)));
    return Promise.race([events.next(), timeout]).finally(() => clearTimeout(timer));
  };
  // Reads events until `want` records have arrived; returns { records, seen }.
  const collect = async (events, want, maxEvents = 10) => {
    const records = [];
    const seen = [];
    for (;;) {
      const { value, done } = await next(events);
      if (done) break;
      assert.deepEqual(keys(value), ["SubscribeToShardEvent"]);
      const e = value.SubscribeToShardEvent;
      seen.push(e);
      assert.ok(Array.isArray(e.Records));
      assert.match(e.ContinuationSequenceNumber, /^\d+$/);
      assert.ok(Number.isInteger(e.MillisBehindLatest));
      if (e.Records.length) { // resuming AFTER the continuation number must not skip or repeat records
        assert.ok(BigInt(e.ContinuationSequenceNumber) >= BigInt(e.Records.at(-1).SequenceNumber));
      }
      records.push(...e.Records);
      if (records.length >= want || seen.length >= maxEvents || e.ChildShards?.length) break;
    }
    return { records, seen };
  };

  it("records from TRIM_HORIZON, then live", async (c) => {
    const consumer = await setUp(c);
    const puts = [];
    for (let i = 0; i < 3; i++) puts.push(await c.put("s", `r${i}`, `key-${i}`));
    const events = await subscribe(c, consumer, { Type: "TRIM_HORIZON" });
    try {
      let { records } = await collect(events, 3);
      assert.deepEqual(datas(records), ["r0", "r1", "r2"]);
      assert.deepEqual(records.map((r) => r.SequenceNumber), puts.map((p) => p.SequenceNumber));
      assert.deepEqual(records.map((r) => r.PartitionKey), ["key-0", "key-1", "key-2"]);
      assertNearTimestamp(records[0].ApproximateArrivalTimestamp);
      const live = await c.put("s", "live");
      ({ records } = await collect(events, 1));
      assert.deepEqual(records.map((r) => [text(r.Data), r.SequenceNumber]), [["live", live.SequenceNumber]]);
    } finally {
      await events.return();
    }
  });

  it("AFTER_SEQUENCE_NUMBER", async (c) => {
    const consumer = await setUp(c);
    const first = await c.put("s", "a");
    await c.put("s", "b");
    const events = await subscribe(c, consumer, { Type: "AFTER_SEQUENCE_NUMBER", SequenceNumber: first.SequenceNumber });
    try {
      assert.deepEqual(datas((await collect(events, 1)).records), ["b"]);
    } finally {
      await events.return();
    }
  });

  it("a second subscription is refused", async (c) => {
    const consumer = await setUp(c);
    const events = await subscribe(c, consumer, { Type: "LATEST" });
    try {
      await awsError(subscribe(c, consumer, { Type: "LATEST" }), "ResourceInUseException",
        /^Another active subscription exists for this consumer/);
    } finally {
      await events.return();
    }
  });

  it("a closed shard ends with its child shards", async (c) => {
    const consumer = await setUp(c);
    await c.put("s", "old");
    await c.send("SplitShard", { StreamName: "s", ShardToSplit: S0, NewStartingHashKey: String(1n << 127n) });
    const events = await subscribe(c, consumer, { Type: "TRIM_HORIZON" });
    try {
      const { records, seen } = await collect(events, 99);
      assert.deepEqual(datas(records), ["old"]);
      const children = [...seen.at(-1).ChildShards].sort((a, b) => a.ShardId.localeCompare(b.ShardId));
      assert.deepEqual(children.map((ch) => [ch.ShardId, ch.ParentShards]), [[S1, [S0]], [S2, [S0]]]);
    } finally {
      await events.return();
    }
  });

  it("missing consumer", async (c) => {
    await setUp(c);
    await awsError(c.send("SubscribeToShard", { ConsumerARN: `${c.arn("s")}/consumer/ghost:1700000000`, ShardId: S0,
      StartingPosition: { Type: "LATEST" } }), "ResourceNotFoundException", null);
  });
});

group("Protocol-level behaviour shared by every operation (raw JSON 1.1 over HTTP/2)", () => {
  const post = (target, body) => rawPost(server.endpoint, target, body);

  it("unknown operation", async () => {
    const { status, body } = await post(`${TARGET_PREFIX}.Bogus`, "{}");
    assert.equal(status, 400);
    assert.deepEqual(JSON.parse(body), { __type: "UnknownOperationException" });
  });

  it("a body that is not JSON", async () => {
    const { status, body } = await post(`${TARGET_PREFIX}.ListStreams`, "hello");
    assert.equal(status, 400);
    assert.deepEqual(JSON.parse(body), { __type: "SerializationException" });
  });

  it("wrong JSON type", async () => {
    const { status, body } = await post(`${TARGET_PREFIX}.CreateStream`, '{"StreamName":"s","ShardCount":"two"}');
    assert.equal(status, 400);
    assert.deepEqual(JSON.parse(body), { __type: "SerializationException",
      Message: "class java.lang.String can not be converted to an Integer" });
  });

  it("bad base64 data", async (c) => {
    await c.create("s");
    const r = await rawPost(server.endpoint, `${TARGET_PREFIX}.PutRecord`, '{"StreamName":"s","PartitionKey":"k","Data":"23456"}',
      { accessKey: c.account });
    assert.equal(r.status, 400);
    assert.deepEqual(JSON.parse(r.body), { __type: "SerializationException",
      Message: "'23456' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 5" });
  });

  it("success headers", async () => {
    const { status, headers } = await post(`${TARGET_PREFIX}.ListStreams`, "{}");
    assert.equal(status, 200);
    assert.equal(headers["content-type"], "application/x-amz-json-1.1");
    assert.match(headers["x-amzn-requestid"], /^[0-9a-f-]{36}$/);
  });

  it("a CreateStream success has an empty body", async (c) => {
    const r = await rawPost(server.endpoint, `${TARGET_PREFIX}.CreateStream`, '{"StreamName":"s","ShardCount":1}',
      { accessKey: c.account });
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 0);
  });
});

// The JS SDK neither validates nor coerces member types: what it sends for values boto3 would refuse.
group("what the JS SDK lets through", () => {
  it("a string ShardCount is sent as a JSON string: SerializationException", async (c) => {
    await awsError(c.send("CreateStream", { StreamName: "n", ShardCount: "2" }), "SerializationException",
      "class java.lang.String can not be converted to an Integer");
    await awsError(c.send("DescribeStreamSummary", { StreamName: "n" }), "ResourceNotFoundException", c.notFound("n"));
  });

  it("a numeric PartitionKey is sent as a JSON number: SerializationException", async (c) => {
    await c.create("s");
    await awsError(c.send("PutRecord", { StreamName: "s", Data: bytes("x"), PartitionKey: 5 }), "SerializationException", null);
    assert.deepEqual(await c.readAll("s"), []);
  });

  it("Data given as a string is sent as its UTF-8 bytes", async (c) => {
    await c.create("s");
    await c.send("PutRecord", { StreamName: "s", Data: "héllo", PartitionKey: "k" });
    assert.deepEqual(datas(await c.readAll("s")), ["héllo"]);
  });
});
