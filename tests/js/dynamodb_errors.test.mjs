// Bad input to DynamoDB through the AWS SDK for JavaScript v3: the error name the SDK gives (its
// modelled class where there is one) and AWS's exact message, as tests/integration/test_dynamodb_*.py
// assert them for boto3; and that a refused write leaves nothing behind.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TagResourceCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";

import { ACCOUNT, REGION, startServer } from "./lib/server.mjs";

let server;
let ddb;

const INVALID = "One or more parameter values were invalid: ";
const S = (s) => ({ S: s });
const N = (n) => ({ N: String(n) });
const key = (pk) => ({ pk: S(pk) });

// The SDK raised an error of this name with exactly this message (undefined: any message).
async function rejects(promise, name, message) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, e.message);
    if (message !== undefined) assert.equal(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
}
const validation = (promise, message) => rejects(promise, "ValidationException", message);

const hashSchema = {
  BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
  KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
};
const createTable = (input) => ddb.send(new CreateTableCommand(input));
const put = (Item, extra = {}) => ddb.send(new PutItemCommand({ TableName: "strict", Item, ...extra }));
const getItem = async (TableName, Key) => (await ddb.send(new GetItemCommand({ TableName, Key }))).Item;

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "error"] });
  ddb = new DynamoDBClient(server.clientConfig());
  await createTable({ TableName: "strict", ...hashSchema });
  await createTable({ TableName: "events", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" },
      { AttributeName: "kind", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    GlobalSecondaryIndexes: [{ IndexName: "by_kind", KeySchema: [{ AttributeName: "kind", KeyType: "HASH" }],
      Projection: { ProjectionType: "ALL" } }] });
});

after(async () => {
  ddb?.destroy();
  await server?.dispose();
});

test("CreateTable: names, billing, key schema, attribute definitions", async () => {
  await validation(createTable({ TableName: "ab;", ...hashSchema }),
    "1 validation error detected: Value 'ab;' at 'tableName' failed to satisfy constraint: Member must satisfy regular " +
    "expression pattern: [a-zA-Z0-9_.-]+");
  await validation(createTable({ ...hashSchema, TableName: "nope", BillingMode: "PROVISIONED" }),
    INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
  await validation(createTable({ ...hashSchema, TableName: "nope",
    ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
  INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  await validation(createTable({ ...hashSchema, TableName: "nope", KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] }),
    INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]");
  await validation(createTable({ ...hashSchema, TableName: "nope", AttributeDefinitions: [
    { AttributeName: "pk", AttributeType: "S" }, { AttributeName: "x", AttributeType: "S" }] }),
  INVALID + "Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions");
  await validation(createTable({ ...hashSchema, TableName: "nope", KeySchema: [{ AttributeName: "pk", KeyType: "RANGE" }] }),
    "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  await validation(createTable({ ...hashSchema, TableName: "nope", AttributeDefinitions: [{ AttributeName: "pk",
    AttributeType: "X" }] }),
  "1 validation error detected: Value 'X' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: " +
    "Member must satisfy enum value set: [B, N, S]");
  await rejects(createTable({ TableName: "strict", ...hashSchema }), "ResourceInUseException");
});

test("UpdateTable, TTL and tags", async () => {
  await validation(ddb.send(new UpdateTableCommand({ TableName: "strict" })),
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or " +
    "SSESpecification or ReplicaUpdates is required");
  await rejects(ddb.send(new UpdateTableCommand({ TableName: "nope", BillingMode: "PAY_PER_REQUEST" })),
    "ResourceNotFoundException", "Requested resource not found: Table: nope not found");
  await ddb.send(new UpdateTableCommand({ TableName: "strict",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" } }));
  await validation(ddb.send(new UpdateTableCommand({ TableName: "strict",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_IMAGE" } })),
  "Table already has an enabled stream: TableName: strict");
  const ttl = (Enabled) => ddb.send(new UpdateTimeToLiveCommand({ TableName: "strict",
    TimeToLiveSpecification: { Enabled, AttributeName: "expires" } }));
  await ttl(true);
  await validation(ttl(true), "TimeToLive is already enabled");
  await ttl(false);
  await validation(ttl(false), "TimeToLive is already disabled");
  const missing = `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/nothere`;
  await rejects(ddb.send(new ListTagsOfResourceCommand({ ResourceArn: missing })), "ResourceNotFoundException",
    `Requested resource not found: ResourcArn: ${missing} not found`);
  await validation(ddb.send(new TagResourceCommand({ ResourceArn: "strict", Tags: [{ Key: "k", Value: "v" }] })),
    "Invalid TableArn");
});

test("AttributeValues: none or two types, bad numbers, empty or repeated sets, NULL false, bad base64", async () => {
  const cases = [
    [{}, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"],
    [{ S: "a", N: "1" }, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the " +
      "supported datatypes"],
    [{ N: "abc" }, "The parameter cannot be converted to a numeric value: abc"],
    [{ N: "1e126" }, "Number overflow. Attempting to store a number with magnitude larger than supported range"],
    [{ N: "1".repeat(39) }, "Attempting to store more than 38 significant digits in a Number"],
    [{ SS: [] }, INVALID + "An string set  may not be empty"],
    [{ SS: ["a", "a"] }, INVALID + "Input collection [a, a] contains duplicates."],
    [{ NS: ["1", "01"] }, "Input collection contains duplicates"],
    [{ NULL: false }, INVALID + "Null attribute value types must have the value of true"],
  ];
  for (const [x, message] of cases) await validation(put({ ...key("av"), x }), message);
  // A string where the SDK expects bytes goes out as-is, so the server's base64 check answers.
  await assert.rejects(put({ ...key("av"), x: { B: "!!" } }), (e) => {
    assert.equal(e.name, "SerializationException");
    assert.ok(e.message.includes("'!!'"), e.message);
    return true;
  });
  await validation(put(key("av"), { ReturnValues: "ALL" }), "1 validation error detected: Value 'ALL' at 'returnValues' " +
    "failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
  // Value checks come before the table lookup, as on AWS.
  await validation(ddb.send(new PutItemCommand({ TableName: "nope", Item: { pk: N("x") } })));
  assert.equal(await getItem("strict", key("av")), undefined);
});

test("items: keys, sizes, missing tables, ReturnValues", async () => {
  await validation(put({ x: S("a") }), INVALID + "Missing the key pk in the item");
  await validation(put({ pk: N(1) }), INVALID + "Type mismatch for key pk expected: S actual: N");
  await validation(put({ pk: S("") }), "One or more parameter values are not valid. The AttributeValue for a key " +
    "attribute cannot contain an empty string value. Key: pk");
  await validation(put({ pk: S("x".repeat(2049)) }),
    INVALID + "Size of hashkey has exceeded the maximum size limit of2048 bytes");
  await validation(ddb.send(new GetItemCommand({ TableName: "strict", Key: { ...key("a"), extra: S("b") } })),
    "The provided key element does not match the schema");
  await validation(ddb.send(new GetItemCommand({ TableName: "strict", Key: { pk: N(1) } })),
    "The provided key element does not match the schema");
  await validation(ddb.send(new PutItemCommand({ TableName: "events", Item: { ...key("a"), sk: N(1), kind: N(1) } })),
    INVALID + "Type mismatch for Index Key kind Expected: S Actual: N IndexName: by_kind");
  const limit = 400 * 1024;
  await put({ ...key("a"), x: S("v".repeat(limit - 4)) });
  await validation(put({ ...key("a"), x: S("v".repeat(limit - 3)) }), "Item size has exceeded the maximum allowed size");
  await validation(put(key("a"), { ReturnValues: "ALL_NEW" }), "ReturnValues can only be ALL_OLD or NONE");
  await rejects(ddb.send(new PutItemCommand({ TableName: "nope", Item: key("a") })), "ResourceNotFoundException",
    "Requested resource not found");
  await rejects(ddb.send(new GetItemCommand({ TableName: "nope", Key: key("a") })), "ResourceNotFoundException",
    "Requested resource not found");
});

test("condition and projection expressions", async () => {
  const cond = (ConditionExpression, values, names) => put(key("e"), { ConditionExpression,
    ExpressionAttributeValues: values, ExpressionAttributeNames: names });
  await validation(cond("foo"), 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"');
  await validation(cond("x = :v"),
    "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v");
  await validation(cond("x = :v", { ":v": S("a"), ":extra": S("b") }),
    "Value provided in ExpressionAttributeValues unused in expressions: keys: {:extra}");
  await validation(cond("x = :v", { ":v": S("a") }, { "#x": "x" }),
    "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}");
  await validation(put(key("e"), { ExpressionAttributeNames: { "#x": "x" } }),
    "ExpressionAttributeNames can only be specified when using expressions");
  await validation(cond("x = :v", { ":v": S("a") }, { x: "x" }),
    'ExpressionAttributeNames contains invalid key: Syntax error; key: "x"');
  await validation(cond("x = :v", { ":v": N("z") }),
    "ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: z for key :v");
  await validation(cond("status = :v", { ":v": S("a") }),
    "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status");
  await validation(cond("((x = :v))", { ":v": S("a") }), "Invalid ConditionExpression: The expression has redundant parentheses;");
  await validation(ddb.send(new GetItemCommand({ TableName: "strict", Key: key("e"), ProjectionExpression: "name" })),
    "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
  assert.equal(await getItem("strict", key("e")), undefined, "no refused put was written");
});

test("update expressions", async () => {
  const k = key("ue");
  await put({ ...k, s: S("x") });
  const update = (UpdateExpression, values) => ddb.send(new UpdateItemCommand({ TableName: "strict", Key: k,
    UpdateExpression, ExpressionAttributeValues: values }));
  await validation(update("SET pk = :v", { ":v": S("z") }),
    INVALID + "Cannot update attribute pk. This attribute is part of the key");
  await validation(update("SET a = nothere"), "The provided expression refers to an attribute that does not exist in the item");
  await validation(update("SET a = s + :one", { ":one": N(1) }), "An operand in the update expression has an incorrect data type");
  await validation(update("SET x.y = :one", { ":one": N(1) }),
    "The document path provided in the update expression is invalid for update");
  await validation(update("SET a = b + 1"), 'Invalid UpdateExpression: Syntax error; token: "1", near: "+ 1"');
  await validation(update("SET a = s SET b = s"),
    'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
  await validation(update("SET a = "), 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "');
  assert.deepEqual(await getItem("strict", k), { ...k, s: S("x") }, "no refused update changed the item");
  await rejects(ddb.send(new DeleteItemCommand({ TableName: "strict", Key: k, ConditionExpression: "s = :y",
    ExpressionAttributeValues: { ":y": S("y") } })), "ConditionalCheckFailedException", "The conditional request failed");
});

test("query key conditions and scan segments", async () => {
  const query = (KeyConditionExpression, extra = {}) => {
    const values = { ":h": S("h"), ":one": N(1) };
    const used = Object.fromEntries(Object.entries(values).filter(([k]) => KeyConditionExpression.includes(k)));
    return ddb.send(new QueryCommand({ TableName: "events", KeyConditionExpression,
      ExpressionAttributeValues: Object.keys(used).length ? used : undefined, ...extra }));
  };
  const cases = [
    ["pk = :h OR sk = :one", "Invalid operator used in KeyConditionExpression: OR"],
    ["NOT pk = :h", "Invalid operator used in KeyConditionExpression: NOT"],
    ["pk <> :h", "Invalid operator used in KeyConditionExpression: <>"],
    ["attribute_exists(pk)", "Invalid operator used in KeyConditionExpression: attribute_exists"],
    ["pk = :h AND sk = :one AND sk = :one", "KeyConditionExpressions must only contain one condition per key"],
    ["sk = :one", "Query condition missed key schema element: pk"],
    ["pk = :h AND v = :one", "Query key condition not supported"],
    ["pk > :h", "Query key condition not supported"],
    ["pk = :h AND size(sk) = :one", "KeyConditionExpressions cannot contain nested operations"],
    ["pk.x = :h", "KeyConditionExpressions cannot have conditions on nested attributes"],
    ["pk = sk", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"],
    ["pk = :one", INVALID + "Condition parameter type does not match schema type"],
    ["pk = :h AND sk BETWEEN :one AND :h", "Invalid KeyConditionExpression: The BETWEEN operator requires same data type " +
      "for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:h}"],
    ["pk = :h AND", 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND"'],
  ];
  for (const [cond, message] of cases) await validation(query(cond), message);
  await validation(query("pk = :h", { ExclusiveStartKey: key("h") }), "The provided starting key is invalid");
  await validation(query("pk = :h", { Select: "SPECIFIC_ATTRIBUTES" }),
    "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  await validation(ddb.send(new QueryCommand({ TableName: "events", IndexName: "by_kind", ConsistentRead: true,
    KeyConditionExpression: "kind = :k", ExpressionAttributeValues: { ":k": S("x") } })),
  "Consistent reads are not supported on global secondary indexes");
  await validation(ddb.send(new QueryCommand({ TableName: "events", IndexName: "nope",
    KeyConditionExpression: "kind = :k", ExpressionAttributeValues: { ":k": S("x") } })),
  "The table does not have the specified index: nope");
  await validation(ddb.send(new ScanCommand({ TableName: "events", Segment: 3, TotalSegments: 3 })),
    "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 3 is not less than " +
    "TotalSegments: 3");
  await validation(ddb.send(new ScanCommand({ TableName: "events", Segment: 0 })),
    "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
});

test("batches and transactions: limits, duplicates, nothing half-written", async () => {
  // The limits count across tables: 20 + 6 writes, 60 + 41 keys.
  const ranged = (i) => ({ ...key(`b${i}`), sk: N(i) });
  await validation(ddb.send(new BatchWriteItemCommand({ RequestItems: {
    strict: Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: key(`a${i}`) } })),
    events: Array.from({ length: 6 }, (_, i) => ({ PutRequest: { Item: ranged(i) } })) } })),
  "Too many items requested for the BatchWriteItem call");
  await validation(ddb.send(new BatchGetItemCommand({ RequestItems: {
    strict: { Keys: Array.from({ length: 60 }, (_, i) => key(`a${i}`)) },
    events: { Keys: Array.from({ length: 41 }, (_, i) => ranged(i)) } } })),
  "Too many items requested for the BatchGetItem call");
  await validation(ddb.send(new BatchWriteItemCommand({ RequestItems: { strict: [{ PutRequest: { Item: key("a") } },
    { DeleteRequest: { Key: key("a") } }] } })), "Provided list of item keys contains duplicates");
  await validation(ddb.send(new BatchGetItemCommand({ RequestItems: { strict: { Keys: [key("a"), key("a")] } } })),
    "Provided list of item keys contains duplicates");
  await rejects(ddb.send(new BatchGetItemCommand({ RequestItems: { nothere: { Keys: [key("a")] } } })),
    "ResourceNotFoundException", "Requested resource not found");
  await validation(ddb.send(new BatchGetItemCommand({ RequestItems: { strict: { Keys: [{ pk: N(1) }] } } })),
    "The provided key element does not match the schema");
  await validation(ddb.send(new BatchWriteItemCommand({ RequestItems: { strict: [{ PutRequest: { Item: key("ok") } },
    { PutRequest: { Item: { pk: N(1) } } }] } })));
  assert.equal(await getItem("strict", key("ok")), undefined, "a refused batch writes nothing");

  await validation(ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: "strict", Item: key("x") } }, { Delete: { TableName: "strict", Key: key("x") } }] })),
  "Transaction request cannot include multiple operations on one item");
  await validation(ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: "strict", Item: key("x") }, Delete: { TableName: "strict", Key: key("y") } }] })),
  "TransactItems can only contain one of Check, Put, Update or Delete");
  await rejects(ddb.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: "nothere", Item: key("x") } }] })),
    "ResourceNotFoundException", "Requested resource not found");
  await assert.rejects(ddb.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: "strict", Item: key("tx-ok") } },
    { Update: { TableName: "strict", Key: key("tx-bad"), UpdateExpression: "SET v = nope + :one",
      ExpressionAttributeValues: { ":one": N(1) } } }] })), (e) => {
    assert.equal(e.name, "TransactionCanceledException");
    assert.equal(e.message,
      "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]");
    assert.deepEqual(e.CancellationReasons.map((r) => r.Code), ["None", "ValidationError"]);
    return true;
  });
  assert.equal(await getItem("strict", key("tx-ok")), undefined, "a cancelled transaction writes nothing");
});
