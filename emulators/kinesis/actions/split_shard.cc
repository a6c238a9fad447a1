#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action split_shard(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"ShardToSplit", shard_id_shape().required()},
      {"NewStartingHashKey", hash_key_shape().required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            int open = k.open_shards(ctx.account, ctx.region);
            if (open + 1 > k.shard_limit(ctx.region)) return k.shard_limit_error(ctx.account, ctx.region, open, 1);
            std::unique_lock lock(s.mu);
            std::string shard_id = in["ShardToSplit"], key_text = in["NewStartingHashKey"];
            if (auto e = check_reshardable(s, shard_id); !e) return e.error();
            const Shard* shard = s.shard_by_id(shard_id);
            auto key = parse_decimal(key_text);
            if (!key || *key <= shard->start + 1 || *key >= shard->end)
              return invalid_argument("NewStartingHashKey " + key_text + " used in SplitShard() on shard " + shard_id +
                                      " in stream " + s.name + " under account " + s.account +
                                      " is not both greater than one plus the shard's StartingHashKey " +
                                      to_decimal(shard->start) + " and less than the shard's EndingHashKey " +
                                      to_decimal(shard->end) + ".");
            if (auto r = k.split(s, shard->index, *key); !r) return r.error();
            k.begin_update(s);
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
