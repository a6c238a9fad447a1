// tests/integration/test_kinesis_api.py, class by class, through the AWS SDK for JavaScript v3 over
// HTTP/2: every operation's response shape and errors with AWS's exact type and message. Each test
// runs as its own 12-digit account (the server takes the account from the access key), so the tests
// of a group run concurrently on one server instead of resetting it between tests.
//
// How the JS SDK differs from boto3 here:
//  - it validates nothing client-side (no lengths, ranges, patterns, enums or required members), so
//    the one client reaches every server-side check that boto3 needs parameter_validation=False for;
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
import { startServer } from "./lib/server.mjs";

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
    assert.ok(!JSON.parse(other.body).StreamNames.includes("mine"));
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
