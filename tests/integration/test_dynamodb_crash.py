"""kill -9 during DynamoDB writes: after the restart every acknowledged write is there, nothing
else is (at most each writer's one in-flight request), and the table's stream replays to exactly
the table, because an item change and its stream record commit in one RocksDB batch."""
import random
import shutil
import tempfile
import threading
import time
import unittest

from botocore.exceptions import ClientError, EndpointConnectionError, ConnectionClosedError, ReadTimeoutError

import harness
from test_dynamodb_streams import read_all, replay

WRITERS = 4


class CrashDuringWrites(unittest.TestCase):
    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="streamlab-ddb-crash-")

    def tearDown(self):
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def test_kill_9_keeps_table_and_stream_in_agreement(self):
        server = harness.Server(("--state-delay-ms", "0"), data_dir=self.data_dir).start()
        try:
            ddb = server.client("dynamodb")
            ddb.create_table(TableName="ledger", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
            acked = [dict() for _ in range(WRITERS)]      # key -> version (None: deleted)
            in_flight = [None] * WRITERS                  # (key, version) being written
            stop = threading.Event()
            counts = [0] * WRITERS

            def writer(w):
                client = server.client("dynamodb")
                rng = random.Random(w)
                version = 0
                while not stop.is_set():
                    k = f"w{w}-{rng.randrange(30)}"
                    version += 1
                    delete = rng.random() < 0.2
                    in_flight[w] = (k, None if delete else version)
                    try:
                        if delete:
                            client.delete_item(TableName="ledger", Key={"pk": {"S": k}})
                        elif rng.random() < 0.5:
                            client.put_item(TableName="ledger", Item={"pk": {"S": k}, "v": {"N": str(version)}})
                        else:
                            client.update_item(TableName="ledger", Key={"pk": {"S": k}}, UpdateExpression="SET v = :v",
                                               ExpressionAttributeValues={":v": {"N": str(version)}})
                    except (ClientError, EndpointConnectionError, ConnectionClosedError, ReadTimeoutError, OSError):
                        return  # the server died mid-request: this one stays in flight
                    acked[w][k] = None if delete else version
                    in_flight[w] = None
                    counts[w] += 1

            threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
            for t in threads:
                t.start()
            time.sleep(2.5)
            server.kill9()
            stop.set()
            for t in threads:
                t.join(30)
            self.assertGreater(sum(counts), 200)
        finally:
            server.close()

        server = harness.Server(("--state-delay-ms", "0"), data_dir=self.data_dir).start()
        try:
            ddb = server.client("dynamodb")
            table = {}
            for page in ddb.get_paginator("scan").paginate(TableName="ledger", ConsistentRead=True):
                for item in page["Items"]:
                    table[item["pk"]["S"]] = int(item["v"]["N"])
            for w in range(WRITERS):
                for k, version in acked[w].items():
                    got = table.get(k)
                    if got == version:
                        continue
                    # Only the request that was in flight at the kill may have landed unacknowledged.
                    self.assertEqual(in_flight[w] and in_flight[w][0], k, f"{k}: acked {version}, found {got}")
                    self.assertEqual(got, in_flight[w][1])
            arn = ddb.describe_table(TableName="ledger")["Table"]["LatestStreamArn"]
            streams = server.client("dynamodbstreams")
            rebuilt = {dict(k)["pk"][0][1]: int(v["v"]["N"]) for k, v in replay(read_all(streams, arn)).items()}
            self.assertEqual(rebuilt, table)
            # The server keeps writing after the restart.
            ddb.put_item(TableName="ledger", Item={"pk": {"S": "after"}, "v": {"N": "1"}})
            self.assertEqual(len(replay(read_all(streams, arn))), len(table) + 1)
        finally:
            server.close()


if __name__ == "__main__":
    unittest.main()
