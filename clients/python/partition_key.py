#!/usr/bin/env python3
"""Shows how Kinesis routes partition keys: MD5 of the key, read as a 128-bit number, picks the open shard
whose HashKeyRange contains it. Reads the stream's shards with ListShards; writes nothing.

Example:
  partition_key.py --endpoint-url http://localhost:4566 --stream demo user-1 user-2 user-3
"""
import hashlib

import labcommon


def hash_key(partition_key):
    return int(hashlib.md5(partition_key.encode("utf-8")).hexdigest(), 16)


def main():
    p = labcommon.parser(__doc__.split("\n")[0], epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--stream", required=True)
    p.add_argument("keys", nargs="+", metavar="KEY")
    args = p.parse_args()
    kinesis = labcommon.Clients.from_args(args).client("kinesis")
    shards = [s for s in labcommon.list_all_shards(kinesis, args.stream)
              if "EndingSequenceNumber" not in s["SequenceNumberRange"]]
    for key in args.keys:
        h = hash_key(key)
        shard = next((s["ShardId"] for s in shards
                      if int(s["HashKeyRange"]["StartingHashKey"]) <= h <= int(s["HashKeyRange"]["EndingHashKey"])),
                     "no open shard")
        print(f"{key:<16} MD5 {h:032x} = {h:>39} -> {shard}")
    return 0


if __name__ == "__main__":
    labcommon.run(main)
