"""Acknowledged writes and metadata survive kill -9 (both --durability modes); SIGTERM exits 0 with data
kept; --in-memory keeps nothing across restarts (by design)."""
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import unittest

from botocore.exceptions import ClientError

from harness import Server
from streamlab_testlib import list_all_shards, no_retry_client, read_stream, wait_active

STREAM = "durable"


class Base(unittest.TestCase):
    durability = "process"

    def setUp(self):
        self.data_dir = tempfile.mkdtemp(prefix="streamlab-persist-")
        self.addCleanup(shutil.rmtree, self.data_dir, True)
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            try:
                s.close()
            except Exception:  # noqa: BLE001 - best effort
                pass

    def start(self, port=None, in_memory=False):
        s = Server(("--state-delay-ms", "0", "--throttle", "off", "--durability", self.durability),
                   data_dir=self.data_dir, in_memory=in_memory)
        self.servers.append(s)
        for attempt in range(50):
            try:
                return s.start(port=port)
            except RuntimeError:
                if port is None or attempt == 49:
                    raise
                time.sleep(0.1)  # the old process's port may take a moment to free
        return s

    def client(self, server):
        c = no_retry_client(server)
        self.addCleanup(getattr(c, "close", lambda: None))
        return c

    def all_records(self, client, name=STREAM):
        """{(shard id, sequence number): (partition key, data)} read by following lineage."""
        _, _, by_shard, _ = read_stream(client, name, limit=1000)
        out = {}
        for sid, recs in by_shard.items():
            for r in recs:
                key = (sid, r["SequenceNumber"])
                self.assertNotIn(key, out, f"{key} read twice")
                out[key] = (r["PartitionKey"], r["Data"])
        return out


class KillNineTest(Base):
    def write_everything(self, k):
        acked = {}
        k.create_stream(StreamName=STREAM, ShardCount=3)
        wait_active(k, STREAM)
        for i in range(60):
            r = k.put_record(StreamName=STREAM, Data=b"single-%d" % i, PartitionKey=f"pk{i % 17}")
            acked[(r["ShardId"], r["SequenceNumber"])] = (f"pk{i % 17}", b"single-%d" % i)
        for b in range(4):
            entries = [{"Data": b"batch-%d-%d" % (b, i), "PartitionKey": f"bk{i}"} for i in range(250)]
            resp = k.put_records(StreamName=STREAM, Records=entries)
            self.assertEqual(resp["FailedRecordCount"], 0)
            for e, r in zip(entries, resp["Records"]):
                acked[(r["ShardId"], r["SequenceNumber"])] = (e["PartitionKey"], e["Data"])
        k.add_tags_to_stream(StreamName=STREAM, Tags={"team": "streams", "env": "test", "empty": ""})
        k.remove_tags_from_stream(StreamName=STREAM, TagKeys=["env"])
        k.increase_stream_retention_period(StreamName=STREAM, RetentionPeriodHours=72)
        k.decrease_stream_retention_period(StreamName=STREAM, RetentionPeriodHours=48)
        shard1 = next(s for s in list_all_shards(k, STREAM) if s["ShardId"] == "shardId-000000000001")
        lo, hi = int(shard1["HashKeyRange"]["StartingHashKey"]), int(shard1["HashKeyRange"]["EndingHashKey"])
        k.split_shard(StreamName=STREAM, ShardToSplit="shardId-000000000001", NewStartingHashKey=str((lo + hi) // 2))
        wait_active(k, STREAM)
        arn = k.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]["StreamARN"]
        consumer = k.register_stream_consumer(StreamARN=arn, ConsumerName="reader")["Consumer"]
        gone = k.register_stream_consumer(StreamARN=arn, ConsumerName="gone")["Consumer"]
        k.deregister_stream_consumer(ConsumerARN=gone["ConsumerARN"])
        # Merge the two children of the split back together: lineage with two parents.
        k.merge_shards(StreamName=STREAM, ShardToMerge="shardId-000000000003", AdjacentShardToMerge="shardId-000000000004")
        wait_active(k, STREAM)
        for i in range(100):
            r = k.put_record(StreamName=STREAM, Data=b"after-split-%d" % i, PartitionKey=f"as{i}")
            acked[(r["ShardId"], r["SequenceNumber"])] = (f"as{i}", b"after-split-%d" % i)
        return acked, consumer

    def snapshot(self, k):
        summary = k.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
        arn = summary["StreamARN"]
        consumers = k.list_stream_consumers(StreamARN=arn)["Consumers"]
        return {
            "shards": list_all_shards(k, STREAM),
            "tags": k.list_tags_for_stream(StreamName=STREAM)["Tags"],
            "retention": summary["RetentionPeriodHours"],
            "arn": arn,
            "open": summary["OpenShardCount"],
            "consumers": sorted((c["ConsumerName"], c["ConsumerARN"], c["ConsumerCreationTimestamp"].timestamp())
                                for c in consumers),
            "streams": k.list_streams()["StreamNames"],
        }

    def check_restart(self, same_port):
        s = self.start()
        k = self.client(s)
        acked, consumer = self.write_everything(k)
        before = self.snapshot(k)
        self.assertEqual(before["retention"], 48)
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in before["tags"]), [("empty", ""), ("team", "streams")])
        self.assertEqual(len(before["shards"]), 6)
        self.assertEqual(before["open"], 3)
        self.assertEqual([c[0] for c in before["consumers"]], ["reader"])
        # An iterator taken before the crash, in the middle of shard 0.
        it0 = k.get_shard_iterator(StreamName=STREAM, ShardId="shardId-000000000000",
                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        page = k.get_records(ShardIterator=it0, Limit=5)
        mid_iterator = page["NextShardIterator"]
        first_five = [r["SequenceNumber"] for r in page["Records"]]
        port = s.port
        s.kill9()

        s2 = self.start(port=port if same_port else None)
        k2 = self.client(s2)
        after = self.snapshot(k2)
        self.assertEqual(after, before)
        got = self.all_records(k2)
        missing = set(acked) - set(got)
        self.assertEqual(missing, set(), f"{len(missing)} acknowledged records lost")
        self.assertEqual(set(got), set(acked), "records that were never acknowledged appeared")
        for key, value in acked.items():
            self.assertEqual(got[key], value)
        # The consumer is still there and describable.
        d = k2.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"]
        self.assertEqual(d["ConsumerName"], "reader")
        self.assertEqual(d["ConsumerStatus"], "ACTIVE")
        # Iterators from before the crash keep working.
        resp = k2.get_records(ShardIterator=mid_iterator, Limit=1000)
        shard0 = sorted((seq for (sid, seq) in acked if sid == "shardId-000000000000"), key=int)
        self.assertEqual(first_five, shard0[:5])
        self.assertEqual([r["SequenceNumber"] for r in resp["Records"]], shard0[5:])
        # AT_SEQUENCE_NUMBER on an old record, and new writes continue after the old ones.
        it = k2.get_shard_iterator(StreamName=STREAM, ShardId="shardId-000000000000",
                                   ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=shard0[3])["ShardIterator"]
        self.assertEqual(k2.get_records(ShardIterator=it, Limit=1)["Records"][0]["SequenceNumber"], shard0[3])
        r = k2.put_record(StreamName=STREAM, Data=b"post-restart", PartitionKey="pk0")
        last_same_shard = max((int(seq) for (sid, seq) in acked if sid == r["ShardId"]), default=0)
        self.assertGreater(int(r["SequenceNumber"]), last_same_shard)
        # The parent closed by the split is still closed and still refuses to split again.
        with self.assertRaises(ClientError):
            k2.split_shard(StreamName=STREAM, ShardToSplit="shardId-000000000001", NewStartingHashKey=str(2 ** 127))
        # Metadata changes still persist after the restart.
        k2.add_tags_to_stream(StreamName=STREAM, Tags={"again": "yes"})
        s2.kill9()
        s3 = self.start()
        k3 = self.client(s3)
        self.assertIn({"Key": "again", "Value": "yes"}, k3.list_tags_for_stream(StreamName=STREAM)["Tags"])
        got3 = self.all_records(k3)
        self.assertIn((r["ShardId"], r["SequenceNumber"]), got3)

    def test_kill9_restart_same_port(self):
        self.check_restart(same_port=True)

    def test_kill9_restart_new_port(self):
        self.check_restart(same_port=False)

    def test_reset_survives_restart(self):
        s = self.start()
        k = self.client(s)
        k.create_stream(StreamName="a", ShardCount=1)
        other = no_retry_client(s, key="123456789012")
        other.create_stream(StreamName="b", ShardCount=1)
        wait_active(k, "a")
        k.put_record(StreamName="a", Data=b"x", PartitionKey="k")
        s.lab("/_streamlab/reset?account=000000000000", method="POST", body=b"")
        s.kill9()
        s2 = self.start()
        self.assertEqual(self.client(s2).list_streams()["StreamNames"], [])
        self.assertEqual(no_retry_client(s2, key="123456789012").list_streams()["StreamNames"], ["b"])

    def test_metadata_update_in_flight_at_the_kill(self):
        s = self.start()
        k = self.client(s)
        k.create_stream(StreamName=STREAM, ShardCount=1)
        wait_active(k, STREAM)
        last_acked = [0]

        def tagger():
            client = no_retry_client(s)
            i = 0
            while True:
                i += 1
                try:
                    client.add_tags_to_stream(StreamName=STREAM, Tags={"counter": str(i)})
                except Exception:  # noqa: BLE001 - the server is gone
                    return
                last_acked[0] = i

        t = threading.Thread(target=tagger)
        t.start()
        time.sleep(1.0)
        s.kill9()
        t.join(30)
        self.assertGreater(last_acked[0], 10)
        k2 = self.client(self.start())
        tags = {x["Key"]: x["Value"] for x in k2.list_tags_for_stream(StreamName=STREAM)["Tags"]}
        self.assertIn(int(tags["counter"]), (last_acked[0], last_acked[0] + 1))

    def test_deleted_stream_stays_deleted(self):
        s = self.start()
        k = self.client(s)
        for name in ("gone", "kept"):
            k.create_stream(StreamName=name, ShardCount=1)
            wait_active(k, name)
            k.put_record(StreamName=name, Data=b"x", PartitionKey="k")
        k.delete_stream(StreamName="gone")
        time.sleep(0.05)
        s.kill9()
        k2 = self.client(self.start())
        self.assertEqual(k2.list_streams()["StreamNames"], ["kept"])
        k2.create_stream(StreamName="gone", ShardCount=1)  # the name is free, and the new stream is empty
        wait_active(k2, "gone")
        it = k2.get_shard_iterator(StreamName="gone", ShardId="shardId-000000000000",
                                   ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(k2.get_records(ShardIterator=it)["Records"], [])

    def test_concurrent_writers_killed_mid_run(self):
        s = self.start()
        k = self.client(s)
        k.create_stream(StreamName=STREAM, ShardCount=4)
        wait_active(k, STREAM)
        acked, lock = {}, threading.Lock()
        attempted = [0]
        stop = threading.Event()

        def writer(w):
            client = no_retry_client(s)
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    if i % 3:
                        data = b"w%d-%d" % (w, i)
                        with lock:
                            attempted[0] += 1
                        r = client.put_record(StreamName=STREAM, Data=data, PartitionKey=f"w{w}-{i % 50}")
                        with lock:
                            acked[(r["ShardId"], r["SequenceNumber"])] = (f"w{w}-{i % 50}", data)
                    else:
                        entries = [{"Data": b"w%d-%d-%d" % (w, i, j), "PartitionKey": f"b{w}-{j}"} for j in range(40)]
                        with lock:
                            attempted[0] += len(entries)
                        resp = client.put_records(StreamName=STREAM, Records=entries)
                        with lock:
                            for e, r in zip(entries, resp["Records"]):
                                if "SequenceNumber" in r:
                                    acked[(r["ShardId"], r["SequenceNumber"])] = (e["PartitionKey"], e["Data"])
                except Exception:  # noqa: BLE001 - the server is gone: stop writing
                    return

        threads = [threading.Thread(target=writer, args=(w,)) for w in range(6)]
        for t in threads:
            t.start()
        time.sleep(1.5)
        s.kill9()  # mid-run: writers are still going
        stop.set()
        for t in threads:
            t.join(30)
        with lock:
            snapshot = dict(acked)
        self.assertGreater(len(snapshot), 200, "too few writes acknowledged to mean anything")
        print(f"\n[{self.durability}] {len(snapshot)} records acknowledged of {attempted[0]} sent before kill -9",
              file=sys.stderr)

        k2 = self.client(self.start())
        got = self.all_records(k2)
        missing = set(snapshot) - set(got)
        self.assertEqual(missing, set(), f"{len(missing)} of {len(snapshot)} acknowledged records lost")
        for key, value in snapshot.items():
            self.assertEqual(got[key], value)
        # Anything extra must be a record that was sent but whose answer was lost in the kill.
        self.assertLessEqual(len(got), attempted[0])
        # No sequence number is handed out twice, and writing continues after the last one.
        for sid in {sid for sid, _ in got}:
            seqs = [int(seq) for s_, seq in got if s_ == sid]
            self.assertEqual(len(seqs), len(set(seqs)))
        r = k2.put_record(StreamName=STREAM, Data=b"after", PartitionKey="w0-1")
        self.assertGreater(int(r["SequenceNumber"]),
                           max(int(seq) for sid, seq in got if sid == r["ShardId"]))

    def test_graceful_shutdown_keeps_data(self):
        s = self.start()
        k = self.client(s)
        k.create_stream(StreamName=STREAM, ShardCount=2)
        wait_active(k, STREAM)
        acked = {}
        resp = k.put_records(StreamName=STREAM, Records=[{"Data": b"g%d" % i, "PartitionKey": str(i)}
                                                          for i in range(300)])
        for i, r in enumerate(resp["Records"]):
            acked[(r["ShardId"], r["SequenceNumber"])] = (str(i), b"g%d" % i)
        k.add_tags_to_stream(StreamName=STREAM, Tags={"k": "v"})
        self.assertEqual(s.stop(signal.SIGTERM), 0, s.read_log())
        k2 = self.client(self.start())
        got = self.all_records(k2)
        self.assertEqual(got, acked)
        self.assertEqual(k2.list_tags_for_stream(StreamName=STREAM)["Tags"], [{"Key": "k", "Value": "v"}])
        s2 = self.servers[-1]
        self.assertEqual(s2.stop(signal.SIGINT), 0, s2.read_log())


class KillNineFsyncTest(KillNineTest):
    durability = "fsync"


class InMemoryTest(Base):
    def test_in_memory_loses_everything_on_restart(self):
        s = self.start(in_memory=True)
        k = self.client(s)
        k.create_stream(StreamName=STREAM, ShardCount=1)
        wait_active(k, STREAM)
        k.put_record(StreamName=STREAM, Data=b"x", PartitionKey="k")
        it = k.get_shard_iterator(StreamName=STREAM, ShardId="shardId-000000000000",
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.assertEqual(len(k.get_records(ShardIterator=it)["Records"]), 1)
        self.assertEqual(s.stop(), 0)
        k2 = self.client(self.start(in_memory=True))
        self.assertEqual(k2.list_streams()["StreamNames"], [])
        with self.assertRaises(ClientError) as ctx:
            k2.describe_stream(StreamName=STREAM)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_in_memory_writes_nothing_to_the_data_dir(self):
        s = self.start(in_memory=True)
        k = self.client(s)
        k.create_stream(StreamName=STREAM, ShardCount=1)
        wait_active(k, STREAM)
        k.put_record(StreamName=STREAM, Data=b"x", PartitionKey="k")
        s.kill9()
        self.assertEqual(os.listdir(self.data_dir), [])
        # And a disk-backed server on that directory starts empty.
        k2 = self.client(self.start())
        self.assertEqual(k2.list_streams()["StreamNames"], [])


if __name__ == "__main__":
    unittest.main()
