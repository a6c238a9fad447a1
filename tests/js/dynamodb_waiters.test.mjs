// Table states through the JS SDK: with a state delay, CreateTable answers CREATING, item requests
// wait for ACTIVE, and the SDK's own waiters (waitUntilTableExists / waitUntilTableNotExists) see the
// table become ACTIVE and then disappear.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  waitUntilTableExists,
  waitUntilTableNotExists,
} from "@aws-sdk/client-dynamodb";

import { startServer } from "./lib/server.mjs";

let server;
let ddb;

before(async () => {
  server = await startServer({ stateDelayMs: 3000, extraArgs: ["--log-level", "warn"] });
  ddb = new DynamoDBClient(server.clientConfig());
});

after(async () => {
  ddb?.destroy();
  await server?.dispose();
});

test("CREATING, then ACTIVE for waitUntilTableExists; DELETING, then gone for waitUntilTableNotExists", async () => {
  const created = (await ddb.send(new CreateTableCommand({ TableName: "slow", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }] }))).TableDescription;
  assert.equal(created.TableStatus, "CREATING");
  await assert.rejects(ddb.send(new PutItemCommand({ TableName: "slow", Item: { pk: { S: "a" } } })), (e) => {
    assert.ok(e instanceof ResourceNotFoundException, e.name);
    assert.equal(e.message, "Requested resource not found");
    return true;
  });
  const waited = await waitUntilTableExists({ client: ddb, minDelay: 1, maxDelay: 1, maxWaitTime: 20 },
    { TableName: "slow" });
  assert.equal(waited.state, "SUCCESS");
  assert.equal((await ddb.send(new DescribeTableCommand({ TableName: "slow" }))).Table.TableStatus, "ACTIVE");
  await ddb.send(new PutItemCommand({ TableName: "slow", Item: { pk: { S: "a" } } }));
  assert.deepEqual((await ddb.send(new GetItemCommand({ TableName: "slow", Key: { pk: { S: "a" } } }))).Item,
    { pk: { S: "a" } });

  const deleting = (await ddb.send(new DeleteTableCommand({ TableName: "slow" }))).TableDescription;
  assert.equal(deleting.TableStatus, "DELETING");
  const gone = await waitUntilTableNotExists({ client: ddb, minDelay: 1, maxDelay: 1, maxWaitTime: 20 },
    { TableName: "slow" });
  assert.equal(gone.state, "SUCCESS");
  await assert.rejects(ddb.send(new DescribeTableCommand({ TableName: "slow" })),
    (e) => e instanceof ResourceNotFoundException);
});
