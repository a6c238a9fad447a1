// kill -9 during JS SDK writes to a DynamoDB table with a stream: after the restart every acknowledged
// write is there, nothing else is (at most each writer's one in-flight request), and replaying the
// stream through client-dynamodb-streams gives exactly the table.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";

import { startServer, until } from "./lib/server.mjs";

const WRITERS = 4;
let server;

before(async () => {
  server = await startServer({ extraArgs: ["--log-level", "warn"] });
});

after(async () => {
  await server?.dispose();
});

// A small deterministic generator, so a failure can be replayed.
function rng(seed) {
  let x = seed + 1;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

// Applies every record of every shard, in order, to an empty map: pk -> v.
async function replay(streams, StreamArn) {
  const state = new Map();
  const { Shards } = (await streams.send(new DescribeStreamCommand({ StreamArn }))).StreamDescription;
  for (const { ShardId } of Shards) {
    let ShardIterator = (await streams.send(new GetShardIteratorCommand({ StreamArn, ShardId,
      ShardIteratorType: "TRIM_HORIZON" }))).ShardIterator;
    while (ShardIterator) {
      const r = await streams.send(new GetRecordsCommand({ ShardIterator }));
      for (const rec of r.Records) {
        const pk = rec.dynamodb.Keys.pk.S;
        if (rec.eventName === "REMOVE") state.delete(pk);
        else state.set(pk, Number(rec.dynamodb.NewImage.v.N));
      }
      if (!r.Records.length) break;
      ShardIterator = r.NextShardIterator;
    }
  }
  return state;
}

test("kill -9 during writes keeps the table and its stream in agreement", async () => {
  const ddb = new DynamoDBClient(server.clientConfig());
  await ddb.send(new CreateTableCommand({ TableName: "ledger", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } }));
  ddb.destroy();

  const acked = Array.from({ length: WRITERS }, () => new Map()); // pk -> version (null: deleted)
  const inFlight = new Array(WRITERS).fill(null); // [pk, version] being written
  let stop = false;
  let count = 0;
  const writer = async (w) => {
    const client = new DynamoDBClient(server.clientConfig());
    const random = rng(w);
    try {
      for (let version = 1; !stop; version++) {
        const pk = `w${w}-${Math.floor(random() * 30)}`;
        const del = random() < 0.2;
        inFlight[w] = [pk, del ? null : version];
        const Key = { pk: { S: pk } };
        if (del) await client.send(new DeleteItemCommand({ TableName: "ledger", Key }));
        else if (random() < 0.5) {
          await client.send(new PutItemCommand({ TableName: "ledger", Item: { ...Key, v: { N: String(version) } } }));
        } else {
          await client.send(new UpdateItemCommand({ TableName: "ledger", Key, UpdateExpression: "SET v = :v",
            ExpressionAttributeValues: { ":v": { N: String(version) } } }));
        }
        acked[w].set(pk, del ? null : version);
        inFlight[w] = null;
        count++;
      }
    } catch {
      // the server died mid-request: this one stays in flight
    } finally {
      client.destroy();
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  // Killed once a fair number were acknowledged, however loaded the machine is.
  await until("150 acknowledged writes", () => count >= 150, { timeoutMs: 60000, everyMs: 50 });
  await server.stop("SIGKILL");
  stop = true;
  await Promise.all(writers);
  assert.ok(count > 100, `only ${count} writes were acknowledged`);

  await server.start();
  const after = new DynamoDBClient(server.clientConfig());
  const streams = new DynamoDBStreamsClient(server.clientConfig());
  try {
    const table = new Map();
    let ExclusiveStartKey;
    do {
      const page = await after.send(new ScanCommand({ TableName: "ledger", ConsistentRead: true, ExclusiveStartKey }));
      for (const item of page.Items) table.set(item.pk.S, Number(item.v.N));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    for (let w = 0; w < WRITERS; w++) {
      for (const [pk, version] of acked[w]) {
        const got = table.get(pk) ?? null;
        if (got === version) continue;
        // Only the request in flight at the kill may have landed unacknowledged.
        assert.equal(inFlight[w]?.[0], pk, `${pk}: acknowledged ${version}, found ${got}`);
        assert.equal(got, inFlight[w][1]);
      }
    }
    const arn = (await after.send(new DescribeTableCommand({ TableName: "ledger" }))).Table.LatestStreamArn;
    assert.deepEqual(await replay(streams, arn), table, "the stream replays to exactly the table");
    await after.send(new PutItemCommand({ TableName: "ledger", Item: { pk: { S: "after" }, v: { N: "1" } } }));
    assert.equal((await replay(streams, arn)).get("after"), 1, "the stream keeps going after the restart");
  } finally {
    after.destroy();
    streams.destroy();
  }
});
