// The AWS SDK for JavaScript v3 against the real streamlab binary. Its Kinesis client sends every
// call over HTTP/2 (h2c with prior knowledge; see shared/wire/WIRE.md §1), and fails with
// ERR_HTTP2_ERROR against a server that only speaks HTTP/1.1. (It also opens one connection per
// call: `disableConcurrentStreams: true`; a second client below multiplexes.)
//   STREAMLAB_BIN   the binary (default ../../build/streamlab)
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
} from "@aws-sdk/client-kinesis";

import { startServer, until } from "./lib/server.mjs";

const STREAM = "js-h2";

let server;
let client;
let multiplexing; // the same client with concurrent streams allowed (the SDK opens a connection per call)

const text = (bytes) => Buffer.from(bytes).toString();

before(async () => {
  // Debug logging names each HTTP/2 connection, so the test can tell which version carried the calls.
  server = await startServer({ extraArgs: ["--log-level", "debug"] });
  client = new KinesisClient(server.clientConfig());
  multiplexing = new KinesisClient(server.clientConfig({ requestHandler: { disableConcurrentStreams: false } }));
});

after(async () => {
  client?.destroy();
  multiplexing?.destroy();
  await server?.dispose();
});

test("the Kinesis client uses HTTP/2", () => {
  assert.equal(client.config.requestHandler.constructor.name, "NodeHttp2Handler");
});

test("Kinesis round trip over HTTP/2", async (t) => {
  await t.test("CreateStream and DescribeStreamSummary", async () => {
    await client.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 2 }));
    await until("ACTIVE", async () => {
      const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
      return d.StreamDescriptionSummary.StreamStatus === "ACTIVE";
    });
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
    assert.equal(d.StreamDescriptionSummary.OpenShardCount, 2);
    assert.match(d.StreamDescriptionSummary.StreamARN, /^arn:aws:kinesis:us-east-1:000000000000:stream\/js-h2$/);
  });

  await t.test("PutRecord", async () => {
    const r = await client.send(new PutRecordCommand({
      StreamName: STREAM, PartitionKey: "pk-0", Data: new TextEncoder().encode("record-0"),
    }));
    assert.match(r.ShardId, /^shardId-\d{12}$/);
    assert.match(r.SequenceNumber, /^\d+$/);
  });

  await t.test("PutRecords", async () => {
    const r = await client.send(new PutRecordsCommand({
      StreamName: STREAM,
      Records: [1, 2, 3].map((i) => ({ PartitionKey: `pk-${i}`, Data: new TextEncoder().encode(`record-${i}`) })),
    }));
    assert.equal(r.FailedRecordCount ?? 0, 0);
    assert.equal(r.Records.length, 3);
  });

  await t.test("50 calls at once as concurrent streams of one connection", async () => {
    const connections = () => server.log.split("HTTP/2 (h2c) connection").length - 1;
    // The earlier calls' connection lines may still be in the pipe: count from a quiet log.
    await until("a quiet server log", async () => {
      const length = server.log.length;
      await new Promise((ok) => setTimeout(ok, 100));
      return server.log.length === length;
    });
    const before = connections();
    const puts = Array.from({ length: 50 }, (_, i) => multiplexing.send(new PutRecordCommand({
      StreamName: STREAM, PartitionKey: `many-${i}`, Data: new TextEncoder().encode(`many-${i}`),
    })));
    const results = await Promise.all(puts);
    assert.equal(new Set(results.map((r) => r.SequenceNumber)).size, 50);
    await until("the server's log line", async () => connections() > before); // the pipe may lag
    await new Promise((ok) => setTimeout(ok, 100));
    assert.equal(connections() - before, 1);
  });

  await t.test("ListShards, GetShardIterator and GetRecords", async () => {
    const { Shards } = await client.send(new ListShardsCommand({ StreamName: STREAM }));
    assert.equal(Shards.length, 2);
    const got = [];
    for (const shard of Shards) {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({
        StreamName: STREAM, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON",
      }));
      const r = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      assert.ok(r.NextShardIterator);
      got.push(...r.Records.map((rec) => text(rec.Data)));
    }
    const expected = ["record-0", "record-1", "record-2", "record-3", ...Array.from({ length: 50 }, (_, i) => `many-${i}`)];
    assert.deepEqual(got.sort(), expected.sort());
  });

  await t.test("errors arrive as typed exceptions", async () => {
    await assert.rejects(client.send(new DescribeStreamSummaryCommand({ StreamName: "no-such-stream" })),
      (e) => e.name === "ResourceNotFoundException" && e.$metadata.httpStatusCode === 400);
  });

  await t.test("SubscribeToShard streams events in DATA frames", async () => {
    const { StreamDescriptionSummary: s } = await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
    const { Consumer } = await client.send(new RegisterStreamConsumerCommand({
      StreamARN: s.StreamARN, ConsumerName: "js-consumer",
    }));
    const { Shards } = await client.send(new ListShardsCommand({ StreamName: STREAM }));
    const got = [];
    for (const shard of Shards) {
      let out;
      await until("the consumer to subscribe", async () => {
        try {
          out = await client.send(new SubscribeToShardCommand({
            ConsumerARN: Consumer.ConsumerARN, ShardId: shard.ShardId, StartingPosition: { Type: "TRIM_HORIZON" },
          }));
          return true;
        } catch (e) {
          if (e.name === "ResourceInUseException") return false; // consumer still CREATING
          throw e;
        }
      });
      for await (const event of out.EventStream) {
        const records = event.SubscribeToShardEvent?.Records ?? [];
        got.push(...records.map((r) => text(r.Data)));
        if (event.SubscribeToShardEvent?.MillisBehindLatest === 0) break; // caught up: leave (RST_STREAM)
      }
    }
    assert.equal(got.length, 54);
  });

  await t.test("DeleteStream", async () => {
    await client.send(new DeleteStreamCommand({ StreamName: STREAM, EnforceConsumerDeletion: true }));
    await until("the stream to go", async () => {
      try {
        await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }));
        return false;
      } catch (e) {
        return e.name === "ResourceNotFoundException";
      }
    });
  });

  await t.test("the server saw HTTP/2", () => {
    assert.match(server.log, /HTTP\/2 \(h2c\) connection from 127\.0\.0\.1/);
  });
});
