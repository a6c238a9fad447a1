#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action merge_shards(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"ShardToMerge", shard_id_shape().required()},
      {"AdjacentShardToMerge", shard_id_shape().required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            std::string a_id = in["ShardToMerge"], b_id = in["AdjacentShardToMerge"];
            for (auto& id : {a_id, b_id})
              if (auto e = check_reshardable(s, id); !e) return e.error();
            const Shard* a = s.shard_by_id(a_id);
            const Shard* b = s.shard_by_id(b_id);
            // ShardToMerge must be the lower of the two, ending right before its neighbour starts.
            if (a->end == kMaxHashKey || a->end + 1 != b->start)
              return invalid_argument("Shards " + a_id + " and " + b_id + " in stream " + s.name + " under account " +
                                      s.account + " are not an adjacent pair of shards eligible for merging");
            if (auto r = k.merge(s, a->index, b->index); !r) return r.error();
            k.begin_update(s);
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
