// DynamoDB Streams' four operations through @aws-sdk/client-dynamodb-streams against the real
// streamlab binary: ListStreams paging, DescribeStream, every shard iterator type, GetRecords in AWS's
// record format for each StreamViewType, no record for a write that changes nothing, closed and
// re-created streams, TTL deletions by the service, and the errors for unknown streams, shards and
// iterators.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb-streams";

import { REGION, startServer, until } from "./lib/server.mjs";

let server;
let ddb;
let streams;

const S = (s) => ({ S: s });
const N = (n) => ({ N: String(n) });
const key = (pk) => ({ pk: S(pk) });

async function hashTable(name, view, extra = {}) {
  const stream = view ? { StreamSpecification: { StreamEnabled: true, StreamViewType: view } } : {};
  return (await ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], ...stream, ...extra,
  }))).TableDescription;
}

const put = (TableName, Item, extra = {}) => ddb.send(new PutItemCommand({ TableName, Item, ...extra }));
const streamOf = async (table) => (await ddb.send(new DescribeTableCommand({ TableName: table }))).Table.LatestStreamArn;
const firstShard = async (StreamArn) =>
  (await streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription.Shards[0].ShardId;

async function iterator(StreamArn, ShardIteratorType = "TRIM_HORIZON", SequenceNumber) {
  const ShardId = await firstShard(StreamArn);
  return (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId, ShardIteratorType, SequenceNumber })))
    .ShardIterator;
}

// Every record of the stream's first shard, from its start to the current end.
async function readAll(StreamArn) {
  const records = [];
  let ShardIterator = await iterator(StreamArn);
  while (ShardIterator) {
    const r = await streams.send(new GetRecordsCommand({ ShardIterator }));
    records.push(...r.Records);
    if (r.Records.length === 0) break;
    ShardIterator = r.NextShardIterator;
  }
  return records;
}

const pks = (records) => records.map((r) => r.dynamodb.Keys.pk.S);

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "warn"] });
  ddb = new DynamoDBClient(server.clientConfig());
  streams = new DynamoDBStreamsClient(server.clientConfig());
});

after(async () => {
  ddb?.destroy();
  streams?.destroy();
  await server?.dispose();
});

test("ListStreams and DescribeStream", async () => {
  await ddb.send(new CreateTableCommand({
    TableName: "st-a", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" },
  }));
  await hashTable("st-b", "KEYS_ONLY");
  await hashTable("st-c");
  const listed = (await streams.send(new ListStreamsCommand({}))).Streams;
  assert.deepEqual(listed.map((s) => s.TableName).sort(), ["st-a", "st-b"]);
  const arn = await streamOf("st-a");
  const [a] = (await streams.send(new ListStreamsCommand({ TableName: "st-a" }))).Streams;
  assert.deepEqual(a, { StreamArn: arn, TableName: "st-a", StreamLabel: arn.split("/stream/")[1] });
  const page = await streams.send(new ListStreamsCommand({ Limit: 1 }));
  assert.equal(page.Streams.length, 1);
  assert.equal(page.LastEvaluatedStreamArn, page.Streams[0].StreamArn);
  const rest = await streams.send(new ListStreamsCommand({ ExclusiveStartStreamArn: page.LastEvaluatedStreamArn }));
  assert.equal(rest.Streams.length, 1);
  assert.notEqual(rest.Streams[0].StreamArn, page.Streams[0].StreamArn);

  const desc = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
  assert.equal(desc.StreamArn, arn);
  assert.equal(desc.StreamStatus, "ENABLED");
  assert.equal(desc.StreamViewType, "NEW_IMAGE");
  assert.equal(desc.TableName, "st-a");
  assert.equal(desc.StreamLabel, arn.split("/stream/")[1]);
  assert.ok(desc.CreationRequestDateTime instanceof Date);
  assert.deepEqual(desc.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }]);
  const [shard] = desc.Shards;
  assert.match(shard.ShardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
  assert.match(shard.SequenceNumberRange.StartingSequenceNumber, /^\d+$/);
  assert.equal(shard.SequenceNumberRange.EndingSequenceNumber, undefined, "the shard is open");
  assert.equal(shard.ParentShardId, undefined);
  const children = await streams.send(new DescribeStreamCommand({ StreamArn: arn,
    ShardFilter: { Type: "CHILD_SHARDS", ShardId: shard.ShardId } }));
  assert.deepEqual(children.StreamDescription.Shards, [], "an open shard has no children yet");
  const afterLast = await streams.send(new DescribeStreamCommand({ StreamArn: arn, ExclusiveStartShardId: shard.ShardId }));
  assert.deepEqual(afterLast.StreamDescription.Shards, []);
  assert.equal(afterLast.StreamDescription.LastEvaluatedShardId, undefined);

  const missing = arn.replace("st-a", "st-z");
  await assert.rejects(streams.send(new DescribeStreamCommand({ StreamArn: missing })), (e) => {
    assert.ok(e instanceof ResourceNotFoundException, e.name);
    assert.ok(e.message.includes(missing), e.message);
    return true;
  });
});

test("GetRecords: AWS's record format under each StreamViewType", async () => {
  for (const view of ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]) {
    const name = `view-${view.toLowerCase().replaceAll("_", "-")}`;
    await hashTable(name, view);
    await put(name, { ...key("k"), v: N(1) });
    await put(name, { ...key("k"), v: N(2) });
    await ddb.send(new DeleteItemCommand({ TableName: name, Key: key("k") }));
    const records = await readAll(await streamOf(name));
    assert.deepEqual(records.map((r) => r.eventName), ["INSERT", "MODIFY", "REMOVE"], view);
    for (const r of records) {
      assert.equal(r.eventVersion, "1.1");
      assert.equal(r.eventSource, "aws:dynamodb");
      assert.equal(r.awsRegion, REGION);
      assert.match(r.eventID, /^[0-9a-f]{32}$/);
      assert.deepEqual(r.dynamodb.Keys, key("k"));
      assert.equal(r.dynamodb.StreamViewType, view);
      assert.ok(r.dynamodb.SizeBytes > 0);
      assert.ok(r.dynamodb.ApproximateCreationDateTime instanceof Date);
      assert.ok(Math.abs(r.dynamodb.ApproximateCreationDateTime - Date.now()) < 60000);
      assert.match(r.dynamodb.SequenceNumber, /^\d{21,40}$/);
      assert.equal(r.userIdentity, undefined);
    }
    const v1 = { ...key("k"), v: N(1) };
    const v2 = { ...key("k"), v: N(2) };
    const withNew = view === "NEW_IMAGE" || view === "NEW_AND_OLD_IMAGES";
    const withOld = view === "OLD_IMAGE" || view === "NEW_AND_OLD_IMAGES";
    assert.deepEqual(records.map((r) => r.dynamodb.NewImage), withNew ? [v1, v2, undefined] : [undefined, undefined, undefined]);
    assert.deepEqual(records.map((r) => r.dynamodb.OldImage), withOld ? [undefined, v1, v2] : [undefined, undefined, undefined]);
    const seqs = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    assert.ok(seqs[0] < seqs[1] && seqs[1] < seqs[2], seqs.join());
  }
});

test("a write that changes nothing or fails its condition emits no record; a transaction emits one per item", async () => {
  await hashTable("noop", "NEW_AND_OLD_IMAGES");
  const item = { ...key("k"), v: N(1), s: { SS: ["a", "b"] } };
  await put("noop", item);
  await put("noop", { ...item, v: N("1.0"), s: { SS: ["b", "a"] } });
  await ddb.send(new UpdateItemCommand({ TableName: "noop", Key: key("k"), UpdateExpression: "SET v = :v",
    ExpressionAttributeValues: { ":v": N(1) } }));
  await ddb.send(new DeleteItemCommand({ TableName: "noop", Key: key("missing") }));
  await assert.rejects(put("noop", item, { ConditionExpression: "attribute_not_exists(pk)" }),
    (e) => e.name === "ConditionalCheckFailedException");
  assert.deepEqual((await readAll(await streamOf("noop"))).map((r) => r.eventName), ["INSERT"]);

  await ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: "noop", Item: key("t1") } },
    { Update: { TableName: "noop", Key: key("k"), UpdateExpression: "SET v = :two", ExpressionAttributeValues: { ":two": N(2) } } },
  ] }));
  const records = await readAll(await streamOf("noop"));
  assert.deepEqual(records.slice(1).map((r) => [r.eventName, r.dynamodb.Keys.pk.S]).sort(), [["INSERT", "t1"], ["MODIFY", "k"]]);
  const seqs = records.slice(1).map((r) => BigInt(r.dynamodb.SequenceNumber)).sort((a, b) => (a < b ? -1 : 1));
  assert.equal(seqs[1] - seqs[0], 1n, "a transaction's records are contiguous");
});

test("GetShardIterator: LATEST, AT_ and AFTER_SEQUENCE_NUMBER; Limit and NextShardIterator", async () => {
  await hashTable("iters", "KEYS_ONLY");
  const arn = await streamOf("iters");
  const latest = await iterator(arn, "LATEST");
  for (let i = 0; i < 5; i++) await put("iters", key(`k${i}`));
  let r = await streams.send(new GetRecordsCommand({ ShardIterator: latest, Limit: 2 }));
  assert.deepEqual(pks(r.Records), ["k0", "k1"]);
  r = await streams.send(new GetRecordsCommand({ ShardIterator: r.NextShardIterator }));
  assert.deepEqual(pks(r.Records), ["k2", "k3", "k4"]);
  const third = r.Records[0].dynamodb.SequenceNumber;
  const at = await iterator(arn, "AT_SEQUENCE_NUMBER", third);
  assert.deepEqual(pks((await streams.send(new GetRecordsCommand({ ShardIterator: at, Limit: 1 }))).Records), ["k2"]);
  const afterIt = await iterator(arn, "AFTER_SEQUENCE_NUMBER", third);
  assert.deepEqual(pks((await streams.send(new GetRecordsCommand({ ShardIterator: afterIt }))).Records), ["k3", "k4"]);
  // An empty read of an open shard still hands out a next iterator, which sees later writes.
  const empty = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(arn, "LATEST") }));
  assert.deepEqual(empty.Records, []);
  assert.ok(empty.NextShardIterator);
  await put("iters", key("k5"));
  assert.deepEqual(pks((await streams.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator }))).Records),
    ["k5"]);
});

test("iterator errors: unknown shard, missing sequence number, forged iterator", async () => {
  await hashTable("bad-iters", "KEYS_ONLY");
  const StreamArn = await streamOf("bad-iters");
  const ShardId = await firstShard(StreamArn);
  await assert.rejects(streams.send(new GetShardIteratorCommand({ StreamArn,
    ShardId: "shardId-00000000000000000000-0000ffff", ShardIteratorType: "LATEST" })),
  (e) => e instanceof ResourceNotFoundException);
  await assert.rejects(streams.send(new GetShardIteratorCommand({ StreamArn, ShardId,
    ShardIteratorType: "AT_SEQUENCE_NUMBER" })), (e) => e.name === "ValidationException");
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: `${StreamArn}|1|bm90IGFuIGl0ZXJhdG9y` })),
    (e) => e.name === "ValidationException");
  await assert.rejects(streams.send(new GetShardIteratorCommand({ StreamArn: StreamArn.replace("bad-iters", "nope"),
    ShardId, ShardIteratorType: "LATEST" })), (e) => e instanceof ResourceNotFoundException);
  const ShardIterator = await iterator(StreamArn);
  const validation = (promise, message) => assert.rejects(promise, (e) => {
    assert.equal(e.name, "ValidationException");
    assert.equal(e.message, message);
    return true;
  });
  await validation(streams.send(new GetRecordsCommand({ ShardIterator, Limit: 1001 })), "1 validation error detected: " +
    "Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000");
  await validation(streams.send(new GetRecordsCommand({ ShardIterator, Limit: 0 })), "1 validation error detected: " +
    "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  await validation(streams.send(new DescribeStreamCommand({ StreamArn: "nope" })), "1 validation error detected: " +
    "Value 'nope' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37");
});

test("disabling closes the stream; re-enabling starts a new one; a deleted table's stream stays readable", async () => {
  await hashTable("toggle", "NEW_IMAGE");
  const first = await streamOf("toggle");
  await put("toggle", key("a"));
  await ddb.send(new UpdateTableCommand({ TableName: "toggle", StreamSpecification: { StreamEnabled: false } }));
  await put("toggle", key("b")); // not streamed
  const desc = (await streams.send(new DescribeStreamCommand({ StreamArn: first }))).StreamDescription;
  assert.equal(desc.StreamStatus, "DISABLED");
  assert.match(desc.Shards[0].SequenceNumberRange.EndingSequenceNumber, /^\d+$/);
  const r = await streams.send(new GetRecordsCommand({ ShardIterator: await iterator(first) }));
  assert.deepEqual(pks(r.Records), ["a"]);
  assert.equal(r.NextShardIterator, undefined, "a closed shard read to its end");
  await ddb.send(new UpdateTableCommand({ TableName: "toggle",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } }));
  const second = await streamOf("toggle");
  assert.notEqual(second, first);
  await put("toggle", key("c"));
  assert.deepEqual(pks(await readAll(second)), ["c"]);

  await ddb.send(new DeleteTableCommand({ TableName: "toggle" }));
  assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: second }))).StreamDescription.StreamStatus,
    "DISABLED");
  assert.deepEqual(pks(await readAll(second)), ["c"]);
});

test("TTL deletions are REMOVE records by the DynamoDB service", async () => {
  await hashTable("sessions", "OLD_IMAGE");
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: "sessions",
    TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } }));
  const now = Math.floor(Date.now() / 1000);
  await put("sessions", { ...key("old"), exp: N(now - 10) });
  await put("sessions", { ...key("new"), exp: N(now + 3600) });
  await put("sessions", { ...key("text"), exp: S("yesterday") });
  const arn = await streamOf("sessions");
  const [removed] = await until("the TTL deletion", async () => {
    const removes = (await readAll(arn)).filter((r) => r.eventName === "REMOVE");
    return removes.length && removes;
  }, { timeoutMs: 15000, everyMs: 200 });
  assert.deepEqual(removed.userIdentity, { Type: "Service", PrincipalId: "dynamodb.amazonaws.com" });
  assert.deepEqual(removed.dynamodb.OldImage, { ...key("old"), exp: N(now - 10) });
  assert.equal((await readAll(arn)).filter((r) => r.eventName === "REMOVE").length, 1);
});
