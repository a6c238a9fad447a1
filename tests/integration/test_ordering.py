"""Multi-shard ordering across resharding.

A 4-shard stream gets 200 partition keys x 20 records (data = key + ":" + per-key counter), written
with PutRecords batches and some PutRecord calls, in phases separated by SplitShard, MergeShards and
UpdateShardCount. A consumer that follows shard lineage (parents read to their end before children)
then reads everything and checks per-key order, exactly-once delivery, sequence-number order and the
closed shards' sequence ranges.
"""
import random
import threading
import unittest

from harness import ServerTest
from streamlab_testlib import (MAX_HASH_KEY, hash_of, list_all_shards, parents_of, read_shard, read_stream,
                               wait_active)

KEYS = [f"key-{i:03d}" for i in range(200)]
PER_PHASE = 5  # records per key per phase; four phases -> 20 per key


def data_of(key, counter):
    return f"{key}:{counter}".encode()


def parse_data(raw):
    key, _, counter = raw.decode().rpartition(":")
    return key, int(counter)


class OrderingTest(ServerTest):
    server_args = ("--state-delay-ms", "0", "--throttle", "off")

    def setUp(self):
        super().setUp()
        self.kinesis = self.server.client("kinesis")
        self.addCleanup(getattr(self.kinesis, "close", lambda: None))
        self.rng = random.Random(20131202)
        self.acks = {}  # (key, counter) -> (shard id, sequence number)
        self.next_counter = {k: 0 for k in KEYS}

    # Writing ---------------------------------------------------------------------------------
    def phase_entries(self, n_per_key):
        """(key, counter) pairs, interleaved across keys, each key's counters in increasing order."""
        queues = {k: [self.next_counter[k] + i for i in range(n_per_key)] for k in KEYS}
        for k in KEYS:
            self.next_counter[k] += n_per_key
        out = []
        while any(queues.values()):
            live = [k for k in KEYS if queues[k]]
            self.rng.shuffle(live)
            # Sometimes take two consecutive counters of one key, so a batch holds both in order.
            for k in live:
                take = 2 if self.rng.random() < 0.2 else 1
                for _ in range(take):
                    if queues[k]:
                        out.append((k, queues[k].pop(0)))
        return out

    def ack(self, key, counter, shard_id, seq):
        self.assertNotIn((key, counter), self.acks, "record written twice")
        self.acks[(key, counter)] = (shard_id, seq)

    def write_phase(self, name, n_per_key=PER_PHASE, single_every=23):
        entries = self.phase_entries(n_per_key)
        batch = []

        def flush():
            if not batch:
                return
            resp = self.kinesis.put_records(
                StreamName=name, Records=[{"Data": data_of(k, c), "PartitionKey": k} for k, c in batch])
            self.assertEqual(resp["FailedRecordCount"], 0, resp)
            self.assertEqual(len(resp["Records"]), len(batch))
            for (k, c), r in zip(batch, resp["Records"]):
                self.ack(k, c, r["ShardId"], r["SequenceNumber"])
            batch.clear()

        for i, (k, c) in enumerate(entries):
            if i % single_every == 0:
                # A PutRecord in the middle: earlier entries (possibly of the same key) go first.
                flush()
                r = self.kinesis.put_record(StreamName=name, Data=data_of(k, c), PartitionKey=k)
                self.ack(k, c, r["ShardId"], r["SequenceNumber"])
                continue
            batch.append((k, c))
            if len(batch) == 500 or (len(batch) >= 150 and self.rng.random() < 0.02):
                flush()
        flush()

    def open_shards(self, name):
        return sorted((s for s in list_all_shards(self.kinesis, name) if "EndingSequenceNumber" not in
                       s["SequenceNumberRange"]), key=lambda s: int(s["HashKeyRange"]["StartingHashKey"]))

    # Verification ------------------------------------------------------------------------------
    def verify(self, name, limit=100):
        order, shards, records_by_shard, children_by_shard = read_stream(self.kinesis, name, limit=limit)
        position = {sid: i for i, sid in enumerate(order)}

        # Lineage as ListShards reports it.
        children_of = {sid: [] for sid in shards}
        for sid, s in shards.items():
            for p in parents_of(s):
                self.assertIn(p, shards, f"{sid} names unknown parent {p}")
                children_of[p].append(sid)
                self.assertLess(position[p], position[sid])

        # The open shards partition the hash key space.
        open_ranges = sorted((int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
                             for s in shards.values() if "EndingSequenceNumber" not in s["SequenceNumberRange"])
        self.assertEqual(open_ranges[0][0], 0)
        self.assertEqual(open_ranges[-1][1], MAX_HASH_KEY)
        for (a_lo, a_hi), (b_lo, b_hi) in zip(open_ranges, open_ranges[1:]):
            self.assertEqual(a_hi + 1, b_lo)

        seen = {}
        per_key = {k: [] for k in KEYS}
        for sid in order:
            shard = shards[sid]
            recs = records_by_shard[sid]
            seq_range = shard["SequenceNumberRange"]
            start = int(seq_range["StartingSequenceNumber"])
            end = int(seq_range["EndingSequenceNumber"]) if "EndingSequenceNumber" in seq_range else None
            lo, hi = int(shard["HashKeyRange"]["StartingHashKey"]), int(shard["HashKeyRange"]["EndingHashKey"])
            prev = None
            for r in recs:
                seq = int(r["SequenceNumber"])
                self.assertEqual(r["SequenceNumber"], str(seq), "sequence numbers are plain decimal strings")
                if prev is not None:
                    self.assertGreater(seq, prev, f"sequence numbers must strictly increase in {sid}")
                prev = seq
                self.assertGreaterEqual(seq, start, f"{sid}: record below StartingSequenceNumber")
                if end is not None:
                    self.assertGreaterEqual(end, seq, f"{sid}: EndingSequenceNumber {end} < record {seq}")
                key, counter = parse_data(r["Data"])
                self.assertEqual(r["PartitionKey"], key)
                self.assertTrue(lo <= hash_of(key) <= hi, f"{key} stored in {sid} outside its hash range")
                self.assertNotIn((key, counter), seen, f"{key}:{counter} read twice ({seen.get((key, counter))}, {sid})")
                seen[(key, counter)] = (sid, r["SequenceNumber"])
                per_key[key].append(counter)
            if end is not None:
                # Closed: the last page carried ChildShards naming exactly the shards whose parent it is.
                children = children_by_shard[sid]
                self.assertIsNotNone(children, f"closed shard {sid} ended without ChildShards")
                self.assertEqual(sorted(c["ShardId"] for c in children), sorted(children_of[sid]))
                for c in children:
                    self.assertIn(sid, c["ParentShards"])
                    self.assertEqual(sorted(c["ParentShards"]), sorted(parents_of(shards[c["ShardId"]])))
                    self.assertEqual(c["HashKeyRange"], shards[c["ShardId"]]["HashKeyRange"])
            else:
                self.assertIsNone(children_by_shard[sid], f"open shard {sid} returned ChildShards")

        self.assertEqual(set(seen), set(self.acks), "every acknowledged record is read, and nothing else")
        for kc, where in seen.items():
            self.assertEqual(where, self.acks[kc], f"{kc} read from a different shard/sequence than acknowledged")
        for key, counters in per_key.items():
            self.assertEqual(counters, list(range(self.next_counter[key])), f"per-key order broken for {key}")
        return shards

    # Tests --------------------------------------------------------------------------------------
    def test_per_key_order_across_split_merge_and_update_shard_count(self):
        name = "ordering"
        k = self.kinesis
        k.create_stream(StreamName=name, ShardCount=4)
        wait_active(k, name)
        self.write_phase(name)

        # SplitShard: shard 0 in the middle of its range.
        s0 = next(s for s in self.open_shards(name) if s["ShardId"] == "shardId-000000000000")
        lo, hi = int(s0["HashKeyRange"]["StartingHashKey"]), int(s0["HashKeyRange"]["EndingHashKey"])
        k.split_shard(StreamName=name, ShardToSplit=s0["ShardId"], NewStartingHashKey=str((lo + hi) // 2))
        wait_active(k, name)
        self.assertEqual(len(self.open_shards(name)), 5)
        self.write_phase(name)

        # MergeShards: two adjacent open shards (the original shards 2 and 3).
        k.merge_shards(StreamName=name, ShardToMerge="shardId-000000000002",
                       AdjacentShardToMerge="shardId-000000000003")
        wait_active(k, name)
        self.assertEqual(len(self.open_shards(name)), 4)
        self.write_phase(name)

        # UpdateShardCount: to 6 uniformly distributed shards.
        resp = k.update_shard_count(StreamName=name, TargetShardCount=6, ScalingType="UNIFORM_SCALING")
        self.assertEqual((resp["CurrentShardCount"], resp["TargetShardCount"]), (4, 6))
        wait_active(k, name)
        opened = self.open_shards(name)
        self.assertEqual(len(opened), 6)
        for i, s in enumerate(opened):
            # Uniform: each boundary within a few units of i * 2^128 / 6.
            self.assertLessEqual(abs(int(s["HashKeyRange"]["StartingHashKey"]) - i * (2 ** 128) // 6), 6)
        for s in list_all_shards(k, name):
            self.assertLessEqual(len(parents_of(s)), 2)
        self.write_phase(name)

        self.assertEqual(len(self.acks), 200 * 20)
        self.verify(name)

    def test_scale_down_then_up_read_with_small_pages(self):
        name = "ordering-down-up"
        k = self.kinesis
        k.create_stream(StreamName=name, ShardCount=4)
        wait_active(k, name)
        self.write_phase(name, n_per_key=2)
        k.update_shard_count(StreamName=name, TargetShardCount=2, ScalingType="UNIFORM_SCALING")
        wait_active(k, name)
        self.assertEqual(len(self.open_shards(name)), 2)
        self.write_phase(name, n_per_key=2)
        k.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType="UNIFORM_SCALING")
        wait_active(k, name)
        self.assertEqual(len(self.open_shards(name)), 3)
        self.write_phase(name, n_per_key=2)
        self.verify(name, limit=7)

    def test_resume_inside_a_closed_shard(self):
        """AT_/AFTER_SEQUENCE_NUMBER inside a closed parent read the rest of it and then end with ChildShards."""
        name = "ordering-resume"
        k = self.kinesis
        k.create_stream(StreamName=name, ShardCount=1)
        wait_active(k, name)
        seqs = [k.put_record(StreamName=name, Data=b"r%d" % i, PartitionKey=f"p{i}")["SequenceNumber"]
                for i in range(30)]
        k.split_shard(StreamName=name, ShardToSplit="shardId-000000000000", NewStartingHashKey=str(2 ** 127))
        wait_active(k, name)
        it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                  ShardIteratorType="AFTER_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[9])
        recs, children = read_shard(k, name, "shardId-000000000000", iterator=it["ShardIterator"], limit=4)
        self.assertEqual([r["SequenceNumber"] for r in recs], seqs[10:])
        self.assertEqual(sorted(c["ShardId"] for c in children), ["shardId-000000000001", "shardId-000000000002"])
        it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000",
                                  ShardIteratorType="AT_SEQUENCE_NUMBER", StartingSequenceNumber=seqs[29])
        recs, children = read_shard(k, name, "shardId-000000000000", iterator=it["ShardIterator"])
        self.assertEqual([r["SequenceNumber"] for r in recs], seqs[29:])
        self.assertIsNotNone(children)
        # LATEST on a closed shard: nothing to read, straight to the children.
        it = k.get_shard_iterator(StreamName=name, ShardId="shardId-000000000000", ShardIteratorType="LATEST")
        resp = k.get_records(ShardIterator=it["ShardIterator"])
        self.assertEqual(resp["Records"], [])
        self.assertNotIn("NextShardIterator", resp)
        self.assertEqual(len(resp["ChildShards"]), 2)

    def test_concurrent_writers_while_resharding(self):
        """Writers keep going (one key is written by one thread, waiting for each ack) while the main
        thread splits, merges and rescales; a lineage-following reader still sees per-key order."""
        name = "ordering-concurrent"
        k = self.kinesis
        k.create_stream(StreamName=name, ShardCount=4)
        wait_active(k, name)
        stop = threading.Event()
        errors = []
        lock = threading.Lock()

        def writer(keys):
            client = self.server.client("kinesis")
            rng = random.Random(keys[0])
            try:
                while not stop.is_set():
                    key = rng.choice(keys)
                    with lock:
                        c = self.next_counter[key]
                    r = client.put_record(StreamName=name, Data=data_of(key, c), PartitionKey=key)
                    with lock:
                        self.ack(key, c, r["ShardId"], r["SequenceNumber"])
                        self.next_counter[key] = c + 1
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)
            finally:
                getattr(client, "close", lambda: None)()

        threads = [threading.Thread(target=writer, args=(KEYS[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        try:
            steps = [
                lambda: k.split_shard(StreamName=name, ShardToSplit="shardId-000000000001",
                                      NewStartingHashKey=str(2 ** 126 + 2 ** 125)),
                lambda: k.merge_shards(StreamName=name, ShardToMerge="shardId-000000000002",
                                       AdjacentShardToMerge="shardId-000000000003"),
                lambda: k.update_shard_count(StreamName=name, TargetShardCount=5, ScalingType="UNIFORM_SCALING"),
                lambda: k.update_shard_count(StreamName=name, TargetShardCount=3, ScalingType="UNIFORM_SCALING"),
            ]
            for step in steps:
                threading.Event().wait(0.3)
                step()
                wait_active(k, name)
            threading.Event().wait(0.3)
        finally:
            stop.set()
            for t in threads:
                t.join(30)
        self.assertEqual(errors, [])
        self.assertGreater(len(self.acks), 200)
        self.verify(name)


if __name__ == "__main__":
    unittest.main()
