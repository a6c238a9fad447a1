// The AWS SDK for JavaScript v3 (@aws-sdk/client-dynamodb, client-dynamodb-streams) against the
// real streamlab binary: every DynamoDB operation family, AWS's errors as the SDK's exception
// classes, and a change captured through DynamoDB Streams.
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ResourceNotFoundException,
  ScanCommand,
  TagResourceCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
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
} from "@aws-sdk/client-dynamodb-streams";

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.STREAMLAB_BIN || resolve(here, "../../build/streamlab");

let server;
let serverLog = "";
let dataDir;
let ddb;
let streams;

async function freePort() {
  const srv = net.createServer();
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

async function waitHealthy(endpoint) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`streamlab exited (${server.exitCode}): ${serverLog}`);
    try {
      const r = await fetch(`${endpoint}/_streamlab/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 20));
  }
  throw new Error(`streamlab did not become healthy: ${serverLog}`);
}

before(async () => {
  const port = await freePort();
  dataDir = mkdtempSync(join(tmpdir(), "streamlab-js-ddb-"));
  server = spawn(BIN, ["serve", "--port", String(port), "--data-dir", dataDir, "--state-delay-ms", "0",
    "--log-level", "warn"], { stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (d) => (serverLog += d));
  server.stderr.on("data", (d) => (serverLog += d));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitHealthy(endpoint);
  const config = {
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  };
  ddb = new DynamoDBClient(config);
  streams = new DynamoDBStreamsClient(config);
});

after(async () => {
  ddb?.destroy();
  streams?.destroy();
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((ok) => server.once("exit", ok));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const key = (pk, sk) => ({ pk: { S: pk }, sk: { N: String(sk) } });

test("tables: create with a stream, describe, list, tag, TTL, update", async () => {
  const created = await ddb.send(new CreateTableCommand({
    TableName: "js-orders",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    Tags: [{ Key: "env", Value: "test" }],
  }));
  assert.equal(created.TableDescription.TableName, "js-orders");
  assert.ok(created.TableDescription.CreationDateTime instanceof Date);
  const table = (await ddb.send(new DescribeTableCommand({ TableName: "js-orders" }))).Table;
  assert.equal(table.TableStatus, "ACTIVE");
  assert.match(table.LatestStreamArn, /table\/js-orders\/stream\//);
  assert.deepEqual((await ddb.send(new ListTablesCommand({}))).TableNames, ["js-orders"]);
  await ddb.send(new TagResourceCommand({ ResourceArn: table.TableArn, Tags: [{ Key: "team", Value: "a" }] }));
  const tags = (await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: table.TableArn }))).Tags;
  assert.deepEqual(tags.map((t) => t.Key).sort(), ["env", "team"]);
  await ddb.send(new UpdateTimeToLiveCommand({
    TableName: "js-orders", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" },
  }));
  const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: "js-orders" }));
  assert.equal(ttl.TimeToLiveDescription.TimeToLiveStatus, "ENABLED");
  const limits = await ddb.send(new DescribeLimitsCommand({}));
  assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: "nope-js" })), (e) => {
    assert.ok(e instanceof ResourceNotFoundException);
    assert.equal(e.message, "Requested resource not found: Table: nope-js not found");
    return true;
  });
});

test("items: put, get, update, delete with conditions and return values", async () => {
  await ddb.send(new PutItemCommand({
    TableName: "js-orders",
    Item: { ...key("a", 1), price: { N: "10.50" }, tags: { SS: ["x", "y"] }, blob: { B: new Uint8Array([0, 1, 2]) } },
    ConditionExpression: "attribute_not_exists(pk)",
  }));
  const got = await ddb.send(new GetItemCommand({ TableName: "js-orders", Key: key("a", 1), ConsistentRead: true }));
  assert.equal(got.Item.price.N, "10.5");
  assert.deepEqual([...got.Item.blob.B], [0, 1, 2]);
  const updated = await ddb.send(new UpdateItemCommand({
    TableName: "js-orders", Key: key("a", 1),
    UpdateExpression: "SET price = price + :d ADD tags :t", ExpressionAttributeValues: { ":d": { N: "1" }, ":t": { SS: ["z"] } },
    ReturnValues: "UPDATED_NEW",
  }));
  assert.equal(updated.Attributes.price.N, "11.5");
  assert.deepEqual(updated.Attributes.tags.SS.sort(), ["x", "y", "z"]);
  await assert.rejects(ddb.send(new PutItemCommand({
    TableName: "js-orders", Item: key("a", 1), ConditionExpression: "attribute_not_exists(pk)",
  })), (e) => e instanceof ConditionalCheckFailedException && e.message === "The conditional request failed");
  await assert.rejects(ddb.send(new UpdateItemCommand({
    TableName: "js-orders", Key: key("a", 1), UpdateExpression: "SET a = ",
  })), (e) => e.name === "ValidationException" &&
    e.message === 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "');
  const deleted = await ddb.send(new DeleteItemCommand({ TableName: "js-orders", Key: key("a", 1), ReturnValues: "ALL_OLD" }));
  assert.equal(deleted.Attributes.price.N, "11.5");
});

test("query and scan: order, paging, filters", async () => {
  await ddb.send(new BatchWriteItemCommand({
    RequestItems: { "js-orders": [1, 2, 3, 10, 20].map((n) => ({ PutRequest: { Item: { ...key("q", n), v: { N: String(n) } } } })) },
  }));
  const page = await ddb.send(new QueryCommand({
    TableName: "js-orders", KeyConditionExpression: "pk = :p AND sk > :m", ExpressionAttributeValues: { ":p": { S: "q" }, ":m": { N: "1" } },
    ScanIndexForward: false, Limit: 2,
  }));
  assert.deepEqual(page.Items.map((i) => i.sk.N), ["20", "10"]);
  assert.deepEqual(page.LastEvaluatedKey, key("q", 10));
  const next = await ddb.send(new QueryCommand({
    TableName: "js-orders", KeyConditionExpression: "pk = :p AND sk > :m", ExpressionAttributeValues: { ":p": { S: "q" }, ":m": { N: "1" } },
    ScanIndexForward: false, ExclusiveStartKey: page.LastEvaluatedKey,
  }));
  assert.deepEqual(next.Items.map((i) => i.sk.N), ["3", "2"]);
  const scan = await ddb.send(new ScanCommand({ TableName: "js-orders", FilterExpression: "v >= :v", ExpressionAttributeValues: { ":v": { N: "3" } } }));
  assert.equal(scan.Count, 3);
  const batch = await ddb.send(new BatchGetItemCommand({ RequestItems: { "js-orders": { Keys: [key("q", 1), key("q", 99)] } } }));
  assert.equal(batch.Responses["js-orders"].length, 1);
});

test("transactions: commit and cancellation reasons", async () => {
  await ddb.send(new TransactWriteItemsCommand({
    TransactItems: [
      { Put: { TableName: "js-orders", Item: { ...key("t", 1), n: { N: "1" } } } },
      { Update: { TableName: "js-orders", Key: key("q", 1), UpdateExpression: "SET v = :v", ExpressionAttributeValues: { ":v": { N: "100" } } } },
    ],
  }));
  await assert.rejects(ddb.send(new TransactWriteItemsCommand({
    TransactItems: [
      { ConditionCheck: { TableName: "js-orders", Key: key("t", 1), ConditionExpression: "n = :two", ExpressionAttributeValues: { ":two": { N: "2" } } } },
      { Delete: { TableName: "js-orders", Key: key("q", 2) } },
    ],
  })), (e) => {
    assert.ok(e instanceof TransactionCanceledException);
    assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ["ConditionalCheckFailed", "None"]);
    return true;
  });
  const read = await ddb.send(new TransactGetItemsCommand({
    TransactItems: [{ Get: { TableName: "js-orders", Key: key("q", 2) } }, { Get: { TableName: "js-orders", Key: key("t", 1) } }],
  }));
  assert.equal(read.Responses[0].Item.v.N, "2");
  assert.equal(read.Responses[1].Item.n.N, "1");
});

test("streams: list, describe, read the changes in order", async () => {
  const listed = (await streams.send(new ListStreamsCommand({ TableName: "js-orders" }))).Streams;
  assert.equal(listed.length, 1);
  const arn = listed[0].StreamArn;
  const desc = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
  assert.equal(desc.StreamStatus, "ENABLED");
  assert.equal(desc.StreamViewType, "NEW_AND_OLD_IMAGES");
  let iterator = (await streams.send(new GetShardIteratorCommand({
    StreamArn: arn, ShardId: desc.Shards[0].ShardId, ShardIteratorType: "TRIM_HORIZON",
  }))).ShardIterator;
  const records = [];
  for (;;) {
    const r = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...r.Records);
    if (r.Records.length === 0) break;
    iterator = r.NextShardIterator;
  }
  assert.deepEqual(records.slice(0, 3).map((r) => r.eventName), ["INSERT", "MODIFY", "REMOVE"]);
  const first = records[0];
  assert.equal(first.eventSource, "aws:dynamodb");
  assert.equal(first.eventVersion, "1.1");
  assert.equal(first.awsRegion, "us-east-1");
  assert.ok(first.dynamodb.ApproximateCreationDateTime instanceof Date);
  assert.deepEqual(first.dynamodb.Keys, key("a", 1));
  assert.equal(first.dynamodb.NewImage.price.N, "10.5");
  assert.equal(records[1].dynamodb.OldImage.price.N, "10.5");
  const sequence = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
  assert.deepEqual([...sequence].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), sequence);
});

test("tables: stream off, delete", async () => {
  const off = await ddb.send(new UpdateTableCommand({ TableName: "js-orders", StreamSpecification: { StreamEnabled: false } }));
  assert.equal(off.TableDescription.StreamSpecification, undefined);
  const deleted = await ddb.send(new DeleteTableCommand({ TableName: "js-orders" }));
  assert.equal(deleted.TableDescription.TableStatus, "DELETING");
});
