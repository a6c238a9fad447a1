// The AWS SDK for JavaScript v3 DynamoDB client (@aws-sdk/client-dynamodb, plain AttributeValues)
// against the real streamlab binary: every table, item, batch, transaction, query/scan, TTL, tag and
// account operation with its results checked. Bad input: dynamodb_errors.test.mjs; the stream side:
// dynamodb_streams.test.mjs.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
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
  UntagResourceCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient, ListStreamsCommand } from "@aws-sdk/client-dynamodb-streams";

import { ACCOUNT, REGION, startServer } from "./lib/server.mjs";

let server;
let ddb;
let streams;

const S = (s) => ({ S: s });
const N = (n) => ({ N: String(n) });
const key = (pk, sk) => (sk === undefined ? { pk: S(pk) } : { pk: S(pk), sk: N(sk) });
const tableArn = (name) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

async function hashTable(name, extra = {}) {
  return (await ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], ...extra,
  }))).TableDescription;
}

async function rangeTable(name, extra = {}) {
  return (await ddb.send(new CreateTableCommand({
    TableName: name, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }], ...extra,
  }))).TableDescription;
}

const get = async (TableName, Key, extra = {}) =>
  (await ddb.send(new GetItemCommand({ TableName, Key, ConsistentRead: true, ...extra }))).Item;

// The SDK raised this modelled exception with exactly this message.
async function rejects(promise, Class, message) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof Class, `${e.name}: ${e.message}`);
    assert.equal(e.message, message);
    return true;
  });
}

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

test("tables: create with a stream and tags, describe, list, delete", async () => {
  const created = await rangeTable("js-orders", {
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
    Tags: [{ Key: "team", Value: "data" }],
  });
  assert.equal(created.TableName, "js-orders");
  assert.equal(created.TableArn, tableArn("js-orders"));
  assert.ok(created.CreationDateTime instanceof Date);
  assert.deepEqual(created.KeySchema, [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }]);
  assert.equal(created.BillingModeSummary.BillingMode, "PAY_PER_REQUEST");
  assert.deepEqual(created.StreamSpecification, { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
  assert.equal(created.LatestStreamArn, `${created.TableArn}/stream/${created.LatestStreamLabel}`);
  const table = (await ddb.send(new DescribeTableCommand({ TableName: "js-orders" }))).Table;
  assert.equal(table.TableStatus, "ACTIVE");
  assert.equal(table.ItemCount, 0);
  assert.equal(table.ProvisionedThroughput.ReadCapacityUnits, 0);
  assert.equal((await ddb.send(new DescribeTableCommand({ TableName: table.TableArn }))).Table.TableName, "js-orders");
  assert.ok((await ddb.send(new ListTablesCommand({}))).TableNames.includes("js-orders"));
  const deleted = (await ddb.send(new DeleteTableCommand({ TableName: "js-orders" }))).TableDescription;
  assert.equal(deleted.TableStatus, "DELETING");
  await rejects(ddb.send(new DescribeTableCommand({ TableName: "js-orders" })), ResourceNotFoundException,
    "Requested resource not found: Table: js-orders not found");
});

test("tables: provisioned, with local and global secondary indexes", async () => {
  const desc = (await ddb.send(new CreateTableCommand({
    TableName: "js-things",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "lsk", AttributeType: "N" }, { AttributeName: "g", AttributeType: "B" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    LocalSecondaryIndexes: [{ IndexName: "by_lsk", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "lsk", KeyType: "RANGE" }], Projection: { ProjectionType: "KEYS_ONLY" } }],
    GlobalSecondaryIndexes: [{ IndexName: "by_g", KeySchema: [{ AttributeName: "g", KeyType: "HASH" }],
      Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["x"] },
      ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } }],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 6 },
  }))).TableDescription;
  assert.equal(desc.ProvisionedThroughput.ReadCapacityUnits, 5);
  assert.equal(desc.BillingModeSummary, undefined);
  const [lsi] = desc.LocalSecondaryIndexes;
  assert.equal(lsi.IndexArn, `${desc.TableArn}/index/by_lsk`);
  assert.deepEqual(lsi.Projection, { ProjectionType: "KEYS_ONLY" });
  const [gsi] = desc.GlobalSecondaryIndexes;
  assert.deepEqual(gsi.Projection, { ProjectionType: "INCLUDE", NonKeyAttributes: ["x"] });
  assert.equal(gsi.ProvisionedThroughput.WriteCapacityUnits, 3);
  assert.ok(["CREATING", "ACTIVE"].includes(gsi.IndexStatus), gsi.IndexStatus);
});

test("ListTables: pages with Limit and ExclusiveStartTableName", async () => {
  for (const name of ["lt-c", "lt-a", "lt-e", "lt-b", "lt-d"]) await hashTable(name);
  const names = [];
  let start;
  for (;;) {
    const page = await ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: start }));
    names.push(...page.TableNames);
    assert.ok(page.TableNames.length <= 2);
    start = page.LastEvaluatedTableName;
    if (!start) break;
    assert.equal(start, page.TableNames.at(-1));
  }
  assert.deepEqual(names.filter((n) => n.startsWith("lt-")), ["lt-a", "lt-b", "lt-c", "lt-d", "lt-e"]);
  assert.deepEqual(names, [...names].sort());
});

test("UpdateTable: throughput, billing mode, a GSI backfilled and deleted, streams off and on", async () => {
  await ddb.send(new CreateTableCommand({ TableName: "js-upd", AttributeDefinitions: [{ AttributeName: "pk",
    AttributeType: "S" }], KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
  ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
  await ddb.send(new PutItemCommand({ TableName: "js-upd", Item: { ...key("a"), g: S("x") } }));
  await ddb.send(new PutItemCommand({ TableName: "js-upd", Item: { ...key("b"), g: S("x") } }));
  let desc = (await ddb.send(new UpdateTableCommand({ TableName: "js-upd",
    ProvisionedThroughput: { ReadCapacityUnits: 4, WriteCapacityUnits: 2 } }))).TableDescription;
  assert.equal(desc.ProvisionedThroughput.ReadCapacityUnits, 4);
  desc = (await ddb.send(new UpdateTableCommand({ TableName: "js-upd", BillingMode: "PAY_PER_REQUEST" }))).TableDescription;
  assert.equal(desc.BillingModeSummary.BillingMode, "PAY_PER_REQUEST");
  desc = (await ddb.send(new UpdateTableCommand({ TableName: "js-upd",
    AttributeDefinitions: [{ AttributeName: "g", AttributeType: "S" }],
    GlobalSecondaryIndexUpdates: [{ Create: { IndexName: "by_g", KeySchema: [{ AttributeName: "g", KeyType: "HASH" }],
      Projection: { ProjectionType: "ALL" } } }] }))).TableDescription;
  assert.equal(desc.GlobalSecondaryIndexes[0].IndexName, "by_g");
  const byG = await ddb.send(new QueryCommand({ TableName: "js-upd", IndexName: "by_g", KeyConditionExpression: "g = :g",
    ExpressionAttributeValues: { ":g": S("x") } }));
  assert.deepEqual(byG.Items.map((i) => i.pk.S).sort(), ["a", "b"], "the new index holds the items made before it");
  await ddb.send(new UpdateTableCommand({ TableName: "js-upd", GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: "by_g" } }] }));
  assert.equal((await ddb.send(new DescribeTableCommand({ TableName: "js-upd" }))).Table.GlobalSecondaryIndexes, undefined);

  const on = (await ddb.send(new UpdateTableCommand({ TableName: "js-upd",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } }))).TableDescription;
  assert.equal(on.StreamSpecification.StreamViewType, "KEYS_ONLY");
  const off = (await ddb.send(new UpdateTableCommand({ TableName: "js-upd",
    StreamSpecification: { StreamEnabled: false } }))).TableDescription;
  assert.equal(off.StreamSpecification, undefined);
  assert.equal(off.LatestStreamArn, on.LatestStreamArn);
  const again = (await ddb.send(new UpdateTableCommand({ TableName: "js-upd",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } }))).TableDescription;
  assert.notEqual(again.LatestStreamArn, on.LatestStreamArn);
  const listed = (await streams.send(new ListStreamsCommand({ TableName: "js-upd" }))).Streams.map((s) => s.StreamArn);
  assert.deepEqual(listed.sort(), [on.LatestStreamArn, again.LatestStreamArn].sort());
});

test("time to live, tags, limits and endpoints", async () => {
  const { TableArn } = await hashTable("js-ttl", { Tags: [{ Key: "a", Value: "1" }] });
  assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: "js-ttl" }))).TimeToLiveDescription,
    { TimeToLiveStatus: "DISABLED" });
  const spec = { Enabled: true, AttributeName: "expires" };
  assert.deepEqual((await ddb.send(new UpdateTimeToLiveCommand({ TableName: "js-ttl", TimeToLiveSpecification: spec })))
    .TimeToLiveSpecification, spec);
  assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: "js-ttl" }))).TimeToLiveDescription,
    { TimeToLiveStatus: "ENABLED", AttributeName: "expires" });

  await ddb.send(new TagResourceCommand({ ResourceArn: TableArn, Tags: [{ Key: "b", Value: "2" }, { Key: "a", Value: "3" }] }));
  const tags = (await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: TableArn }))).Tags;
  assert.deepEqual(tags.map((t) => [t.Key, t.Value]).sort(), [["a", "3"], ["b", "2"]]);
  await ddb.send(new UntagResourceCommand({ ResourceArn: TableArn, TagKeys: ["a"] }));
  assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: TableArn }))).Tags, [{ Key: "b", Value: "2" }]);

  const limits = await ddb.send(new DescribeLimitsCommand({}));
  assert.equal(limits.TableMaxReadCapacityUnits, 40000);
  assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
  const [endpoint] = (await ddb.send(new DescribeEndpointsCommand({}))).Endpoints;
  assert.equal(endpoint.Address, `127.0.0.1:${server.port}`);
  assert.equal(endpoint.CachePeriodInMinutes, 1440);
});

test("items: every type, 38-digit numbers, projections", async () => {
  await hashTable("js-items");
  const item = { pk: S("a"), s: S("héllo"), n: N("-0012.50"), b: { B: Uint8Array.from([0, 1]) },
    ss: { SS: ["x", "y"] }, ns: { NS: ["1", "2.5"] }, bs: { BS: [Uint8Array.from([1])] },
    m: { M: { k: { L: [S("v"), { NULL: true }] } } }, t: { BOOL: false }, z: { NULL: true }, empty: S("") };
  await ddb.send(new PutItemCommand({ TableName: "js-items", Item: item }));
  assert.deepEqual(await get("js-items", key("a")), { ...item, n: N("-12.5") });
  assert.equal(await get("js-items", key("zz")), undefined);

  await ddb.send(new PutItemCommand({ TableName: "js-items", Item: { pk: S("n"),
    b: N("0000012345678901234567890123456789012345678"), d: N("9.9999999999999999999999999999999999999e125"),
    f: N("1e-130") } }));
  const big = await get("js-items", key("n"));
  assert.equal(big.b.N, "12345678901234567890123456789012345678");
  assert.equal(big.d.N, "9".repeat(38) + "0".repeat(88));
  assert.equal(big.f.N, "0." + "0".repeat(129) + "1");

  await ddb.send(new PutItemCommand({ TableName: "js-items", Item: { pk: S("p"), a: { M: { b: N(1), c: N(2) } },
    l: { L: [S("x"), S("y"), S("z")] }, name: S("n") } }));
  assert.deepEqual(await get("js-items", key("p"), { ProjectionExpression: "a.b, l[2], #n",
    ExpressionAttributeNames: { "#n": "name" } }), { a: { M: { b: N(1) } }, l: { L: [S("z")] }, name: S("n") });
  assert.deepEqual(await get("js-items", key("p"), { AttributesToGet: ["name"] }), { name: S("n") });
});

test("items: conditions and every ReturnValues kind, the item on a failed condition", async () => {
  await hashTable("js-cond");
  const k = key("c");
  await ddb.send(new PutItemCommand({ TableName: "js-cond", Item: { ...k, v: N(1) },
    ConditionExpression: "attribute_not_exists(pk)" }));
  await rejects(ddb.send(new PutItemCommand({ TableName: "js-cond", Item: { ...k, v: N(2) },
    ConditionExpression: "attribute_not_exists(pk)" })), ConditionalCheckFailedException, "The conditional request failed");
  const old = await ddb.send(new PutItemCommand({ TableName: "js-cond", Item: { ...k, v: N(2) }, ReturnValues: "ALL_OLD",
    ConditionExpression: "v = :one", ExpressionAttributeValues: { ":one": N(1) } }));
  assert.deepEqual(old.Attributes, { ...k, v: N(1) });
  assert.equal((await ddb.send(new PutItemCommand({ TableName: "js-cond", Item: key("fresh"), ReturnValues: "ALL_OLD" })))
    .Attributes, undefined);
  await assert.rejects(ddb.send(new PutItemCommand({ TableName: "js-cond", Item: k, ConditionExpression: "v = :nine",
    ExpressionAttributeValues: { ":nine": N(9) }, ReturnValuesOnConditionCheckFailure: "ALL_OLD" })), (e) => {
    assert.ok(e instanceof ConditionalCheckFailedException);
    assert.deepEqual(e.Item, { ...k, v: N(2) });
    return true;
  });

  const u = key("u");
  await ddb.send(new PutItemCommand({ TableName: "js-cond", Item: { ...u, a: N(1), b: S("x"), m: { M: { k: N(1) } } } }));
  const update = (ReturnValues) => ddb.send(new UpdateItemCommand({ TableName: "js-cond", Key: u, ReturnValues,
    UpdateExpression: "SET a = a + :one, m.k = :two REMOVE b", ExpressionAttributeValues: { ":one": N(1), ":two": N(2) } }));
  assert.deepEqual((await update("UPDATED_OLD")).Attributes, { a: N(1), m: { M: { k: N(1) } }, b: S("x") });
  assert.deepEqual((await update("UPDATED_NEW")).Attributes, { a: N(3), m: { M: { k: N(2) } } });
  assert.deepEqual((await update("ALL_NEW")).Attributes, { ...u, a: N(4), m: { M: { k: N(2) } } });
  assert.deepEqual((await update("ALL_OLD")).Attributes, { ...u, a: N(4), m: { M: { k: N(2) } } });
  assert.equal((await update("NONE")).Attributes, undefined);
  assert.deepEqual(await get("js-cond", u), { ...u, a: N(6), m: { M: { k: N(2) } } });

  await rejects(ddb.send(new DeleteItemCommand({ TableName: "js-cond", Key: u, ConditionExpression: "a > :v",
    ExpressionAttributeValues: { ":v": N(6) } })), ConditionalCheckFailedException, "The conditional request failed");
  const deleted = await ddb.send(new DeleteItemCommand({ TableName: "js-cond", Key: u, ReturnValues: "ALL_OLD" }));
  assert.deepEqual(deleted.Attributes, { ...u, a: N(6), m: { M: { k: N(2) } } });
  assert.equal(await get("js-cond", u), undefined);
});

test("items: counters, sets, list_append, update creating an item", async () => {
  await hashTable("js-upd-items");
  const k = key("counter");
  for (let i = 0; i < 3; i++) {
    await ddb.send(new UpdateItemCommand({ TableName: "js-upd-items", Key: k, UpdateExpression: "ADD hits :one, tags :t",
      ExpressionAttributeValues: { ":one": N(1), ":t": { SS: ["a"] } } }));
  }
  await ddb.send(new UpdateItemCommand({ TableName: "js-upd-items", Key: k, UpdateExpression: "ADD tags :t",
    ExpressionAttributeValues: { ":t": { SS: ["b", "c"] } } }));
  const got = await get("js-upd-items", k);
  assert.deepEqual(got.hits, N(3));
  assert.deepEqual([...got.tags.SS].sort(), ["a", "b", "c"]);
  await ddb.send(new UpdateItemCommand({ TableName: "js-upd-items", Key: k, UpdateExpression: "DELETE tags :t",
    ExpressionAttributeValues: { ":t": { SS: ["a", "b", "c"] } } }));
  assert.equal((await get("js-upd-items", k)).tags, undefined, "a set emptied by DELETE is removed");
  const r = await ddb.send(new UpdateItemCommand({ TableName: "js-upd-items", Key: key("new"), ReturnValues: "ALL_NEW",
    UpdateExpression: "SET l = list_append(if_not_exists(l, :empty), :x)",
    ExpressionAttributeValues: { ":empty": { L: [] }, ":x": { L: [S("x")] } } }));
  assert.deepEqual(r.Attributes.l, { L: [S("x")] });
  await ddb.send(new UpdateItemCommand({ TableName: "js-upd-items", Key: key("bare") }));
  assert.deepEqual(await get("js-upd-items", key("bare")), key("bare"));

  await ddb.send(new PutItemCommand({ TableName: "js-upd-items", Item: { ...key("list"), l: { L: [S("0"), S("1"), S("2")] } } }));
  const listUpdate = async (UpdateExpression, values) => (await ddb.send(new UpdateItemCommand({ TableName: "js-upd-items",
    Key: key("list"), UpdateExpression, ExpressionAttributeValues: values, ReturnValues: "ALL_NEW" }))).Attributes.l.L;
  assert.deepEqual(await listUpdate("SET l[10] = :v", { ":v": S("x") }), [S("0"), S("1"), S("2"), S("x")],
    "an index past the end appends");
  assert.deepEqual(await listUpdate("REMOVE l[0], l[1]"), [S("2"), S("x")], "removed elements close the gap");
});

test("items: consumed capacity AWS's way, range keys compared as numbers", async () => {
  await rangeTable("js-cap");
  const put = await ddb.send(new PutItemCommand({ TableName: "js-cap", Item: { ...key("cap", 1), d: S("x".repeat(3000)) },
    ReturnConsumedCapacity: "TOTAL" }));
  assert.deepEqual(put.ConsumedCapacity, { TableName: "js-cap", CapacityUnits: 3, WriteCapacityUnits: 3 });
  const eventual = await ddb.send(new GetItemCommand({ TableName: "js-cap", Key: key("cap", 1),
    ReturnConsumedCapacity: "TOTAL" }));
  assert.equal(eventual.ConsumedCapacity.CapacityUnits, 0.5);
  const strong = await ddb.send(new GetItemCommand({ TableName: "js-cap", Key: key("cap", 1),
    ReturnConsumedCapacity: "INDEXES", ConsistentRead: true }));
  assert.equal(strong.ConsumedCapacity.Table.CapacityUnits, 1);
  for (const sk of ["10", "9", "-1", "1.5"]) await ddb.send(new PutItemCommand({ TableName: "js-cap", Item: key("h", sk) }));
  assert.deepEqual((await get("js-cap", { pk: S("h"), sk: N("1.50") })).sk, N("1.5"));
});

test("range keys: binaries and strings in byte order, begins_with", async () => {
  const table = async (name, type) => ddb.send(new CreateTableCommand({ TableName: name, BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: type }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }] }));
  const all = (TableName, extra = {}) => ddb.send(new QueryCommand({ TableName, KeyConditionExpression: "pk = :h" +
    (extra.cond ?? ""), ExpressionAttributeValues: { ":h": S("h"), ...extra.values } }));
  await table("js-bin-keys", "B");
  for (const b of [[255], [0], [1, 2], [1], [128]]) {
    await ddb.send(new PutItemCommand({ TableName: "js-bin-keys", Item: { pk: S("h"), sk: { B: Uint8Array.from(b) } } }));
  }
  assert.deepEqual((await all("js-bin-keys")).Items.map((i) => [...i.sk.B]), [[0], [1], [1, 2], [128], [255]]);
  await table("js-str-keys", "S");
  for (const s of ["é", "z", "Z", "a", "😀", "\uffff", "aa"]) {
    await ddb.send(new PutItemCommand({ TableName: "js-str-keys", Item: { pk: S("h"), sk: S(s) } }));
  }
  assert.deepEqual((await all("js-str-keys")).Items.map((i) => i.sk.S), ["Z", "a", "aa", "z", "é", "\uffff", "😀"],
    "UTF-8 byte order, not UTF-16");
  assert.deepEqual((await all("js-str-keys", { cond: " AND begins_with(sk, :a)", values: { ":a": S("a") } })).Items
    .map((i) => i.sk.S), ["a", "aa"]);
});

test("batches: BatchWriteItem and BatchGetItem across tables", async () => {
  await hashTable("js-bt1");
  await hashTable("js-bt2");
  const w = await ddb.send(new BatchWriteItemCommand({ ReturnConsumedCapacity: "TOTAL", RequestItems: {
    "js-bt1": Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { ...key(`k${i}`), v: N(i) } } })),
    "js-bt2": [{ PutRequest: { Item: { ...key("x"), v: S("y") } } }],
  } }));
  assert.deepEqual(w.UnprocessedItems, {});
  assert.deepEqual(w.ConsumedCapacity.map((c) => c.TableName).sort(), ["js-bt1", "js-bt2"]);
  const r = await ddb.send(new BatchGetItemCommand({ RequestItems: {
    "js-bt1": { Keys: [key("k1"), key("k2"), key("missing")], ProjectionExpression: "v" },
    "js-bt2": { Keys: [key("x")], ConsistentRead: true },
  } }));
  assert.deepEqual(r.Responses["js-bt1"].map((i) => i.v.N).sort(), ["1", "2"]);
  assert.deepEqual(r.Responses["js-bt2"], [{ ...key("x"), v: S("y") }]);
  assert.deepEqual(r.UnprocessedKeys, {});
  await ddb.send(new BatchWriteItemCommand({ RequestItems: { "js-bt1": [{ DeleteRequest: { Key: key("k1") } },
    { PutRequest: { Item: key("k99") } }] } }));
  const after = await ddb.send(new BatchGetItemCommand({ RequestItems: { "js-bt1": { Keys: [key("k1"), key("k99")] } } }));
  assert.deepEqual(after.Responses["js-bt1"], [key("k99")]);
});

test("transactions: commit, cancellation reasons with the item, idempotency token, TransactGetItems", async () => {
  await hashTable("js-accounts");
  await ddb.send(new PutItemCommand({ TableName: "js-accounts", Item: { ...key("alice"), balance: N(100) } }));
  await ddb.send(new PutItemCommand({ TableName: "js-accounts", Item: { ...key("bob"), balance: N(0) } }));
  await ddb.send(new PutItemCommand({ TableName: "js-accounts", Item: { ...key("config"), is_open: { BOOL: true } } }));
  const transfer = (amount, extra = {}) => ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Update: { TableName: "js-accounts", Key: key("alice"), UpdateExpression: "SET balance = balance - :a",
      ConditionExpression: "balance >= :a", ExpressionAttributeValues: { ":a": N(amount) },
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" } },
    { Update: { TableName: "js-accounts", Key: key("bob"), UpdateExpression: "SET balance = balance + :a",
      ExpressionAttributeValues: { ":a": N(amount) } } },
    { Put: { TableName: "js-accounts", Item: { ...key(`log-${amount}`), amount: N(amount) },
      ConditionExpression: "attribute_not_exists(pk)" } },
    { ConditionCheck: { TableName: "js-accounts", Key: key("config"), ConditionExpression: "is_open = :t",
      ExpressionAttributeValues: { ":t": { BOOL: true } } } },
  ], ...extra }));
  const balances = async () => [(await get("js-accounts", key("alice"))).balance.N,
    (await get("js-accounts", key("bob"))).balance.N];

  await transfer(30);
  assert.deepEqual(await balances(), ["70", "30"]);
  await assert.rejects(transfer(500), (e) => {
    assert.ok(e instanceof TransactionCanceledException, e.name);
    assert.equal(e.message, "Transaction cancelled, please refer cancellation reasons for specific reasons " +
      "[ConditionalCheckFailed, None, None, None]");
    assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ["ConditionalCheckFailed", "None", "None", "None"]);
    assert.equal(e.CancellationReasons[0].Message, "The conditional request failed");
    assert.deepEqual(e.CancellationReasons[0].Item, { ...key("alice"), balance: N(70) });
    return true;
  });
  assert.deepEqual(await balances(), ["70", "30"]);
  assert.equal(await get("js-accounts", key("log-500")), undefined, "a cancelled transaction writes nothing");

  await transfer(10, { ClientRequestToken: "tok-1" });
  await transfer(10, { ClientRequestToken: "tok-1" }); // the same request: applied once
  assert.deepEqual(await balances(), ["60", "40"]);
  await assert.rejects(transfer(20, { ClientRequestToken: "tok-1" }), (e) => e.name === "IdempotentParameterMismatchException");

  const read = await ddb.send(new TransactGetItemsCommand({ TransactItems: [
    { Get: { TableName: "js-accounts", Key: key("alice"), ProjectionExpression: "balance" } },
    { Get: { TableName: "js-accounts", Key: key("nobody") } },
  ] }));
  assert.deepEqual(read.Responses, [{ Item: { balance: N(60) } }, {}]);
});

test("query and scan: numeric order, key conditions, filters, Select, pages, indexes, segments", async () => {
  await ddb.send(new CreateTableCommand({
    TableName: "js-events", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "kind", AttributeType: "S" }, { AttributeName: "at", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    LocalSecondaryIndexes: [{ IndexName: "by_at", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "at", KeyType: "RANGE" }], Projection: { ProjectionType: "KEYS_ONLY" } }],
    GlobalSecondaryIndexes: [{ IndexName: "by_kind", KeySchema: [{ AttributeName: "kind", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" }], Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["v"] } }],
  }));
  const sks = ["-5", "0", "1", "1.5", "2", "10", "100", "1e3"];
  await ddb.send(new BatchWriteItemCommand({ RequestItems: { "js-events": [
    ...sks.map((sk, i) => ({ PutRequest: { Item: { pk: S("h"), sk: N(sk), v: N(i), kind: S(i % 2 ? "odd" : "even"),
      at: S(`2024-01-0${9 - i}`), extra: S("e") } } })),
    { PutRequest: { Item: { pk: S("other"), sk: N(1), v: N(99) } } },
  ] } }));
  const query = (extra) => ddb.send(new QueryCommand({ TableName: "js-events", ...extra }));
  const keys = (items) => items.map((i) => i.sk.N);
  const h = { ":h": S("h") };

  assert.deepEqual(keys((await query({ KeyConditionExpression: "pk = :h", ExpressionAttributeValues: h })).Items),
    ["-5", "0", "1", "1.5", "2", "10", "100", "1000"]);
  const cases = [
    ["sk = :a", { ":a": N("1.50") }, ["1.5"]],
    ["sk <= :a", { ":a": N(1) }, ["-5", "0", "1"]],
    ["sk > :a", { ":a": N(2) }, ["10", "100", "1000"]],
    ["sk BETWEEN :a AND :b", { ":a": N(0), ":b": N(10) }, ["0", "1", "1.5", "2", "10"]],
    [":a < sk", { ":a": N(100) }, ["1000"]],
  ];
  for (const [cond, values, want] of cases) {
    const r = await query({ KeyConditionExpression: `pk = :h AND ${cond}`, ExpressionAttributeValues: { ...h, ...values } });
    assert.deepEqual(keys(r.Items), want, cond);
    assert.equal(r.Count, want.length);
  }
  const filtered = await query({ KeyConditionExpression: "pk = :h", FilterExpression: "kind = :k",
    ExpressionAttributeValues: { ...h, ":k": S("odd") } });
  assert.deepEqual([filtered.Count, filtered.ScannedCount], [4, 8]);
  const projected = await query({ KeyConditionExpression: "pk = :h AND sk < :z", ProjectionExpression: "sk, #v",
    ExpressionAttributeNames: { "#v": "v" }, ExpressionAttributeValues: { ...h, ":z": N(1) } });
  assert.deepEqual(projected.Items, [{ sk: N(-5), v: N(0) }, { sk: N(0), v: N(1) }]);
  const counted = await query({ KeyConditionExpression: "pk = :h", Select: "COUNT", ExpressionAttributeValues: h });
  assert.deepEqual([counted.Count, counted.Items], [8, undefined]);

  const pages = [];
  let ExclusiveStartKey;
  do {
    const page = await query({ KeyConditionExpression: "pk = :h", ExpressionAttributeValues: h, ScanIndexForward: false,
      Limit: 3, ExclusiveStartKey });
    pages.push(keys(page.Items));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  assert.deepEqual(pages.flat(), ["1000", "100", "10", "2", "1.5", "1", "0", "-5"]);
  assert.deepEqual(pages[0], ["1000", "100", "10"]);

  const lsi = await query({ IndexName: "by_at", KeyConditionExpression: "pk = :h AND #at <= :d",
    ExpressionAttributeNames: { "#at": "at" }, ExpressionAttributeValues: { ...h, ":d": S("2024-01-04") } });
  assert.deepEqual(keys(lsi.Items), ["1000", "100", "10"], "in the order of the index key");
  assert.deepEqual(Object.keys(lsi.Items[0]).sort(), ["at", "pk", "sk"], "KEYS_ONLY projection");
  const gsi = await query({ IndexName: "by_kind", KeyConditionExpression: "kind = :k",
    ExpressionAttributeValues: { ":k": S("even") } });
  assert.deepEqual(keys(gsi.Items), ["-5", "1", "2", "100"]);
  assert.deepEqual(Object.keys(gsi.Items[0]).sort(), ["kind", "pk", "sk", "v"], "INCLUDE projection");

  const scan = (extra) => ddb.send(new ScanCommand({ TableName: "js-events", ...extra }));
  assert.equal((await scan()).Count, 9);
  const big = await scan({ FilterExpression: "v >= :v", ExpressionAttributeValues: { ":v": N(6) } });
  assert.deepEqual(big.Items.map((i) => Number(i.v.N)).sort((a, b) => a - b), [6, 7, 99]);
  assert.equal(big.ScannedCount, 9);
  const all = [];
  ExclusiveStartKey = undefined;
  do {
    const page = await scan({ Limit: 4, ExclusiveStartKey });
    all.push(...page.Items);
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  assert.equal(all.length, 9);
  const segments = [];
  for (let s = 0; s < 3; s++) segments.push(...(await scan({ Segment: s, TotalSegments: 3 })).Items);
  const ids = (items) => items.map((i) => `${i.pk.S}/${i.sk.N}`).sort();
  assert.deepEqual(ids(segments), ids(all));
  assert.equal((await scan({ IndexName: "by_kind" })).Count, 8);
});
