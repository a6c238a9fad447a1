#include "emulators/kinesis/actions/common.h"

#include "emulators/kinesis/sequence_number.h"
#include "emulators/kinesis/shard_iterator.h"

namespace streamlab::kinesis {

Action get_shard_iterator(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"ShardId", shard_id_shape().required()},
      {"ShardIteratorType",
       string_shape()
           // AWS lists the set in this order in its messages.
           .one_of({"AFTER_SEQUENCE_NUMBER", "LATEST", "AT_TIMESTAMP", "AT_SEQUENCE_NUMBER", "TRIM_HORIZON"})
           .required()},
      {"StartingSequenceNumber", sequence_number_shape()},
      {"Timestamp", timestamp_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) {
              // AWS names the shard, not the stream, when the stream is missing.
              if (found.error().code != "ResourceNotFoundException") return found.error();
              auto index = Stream::parse_shard_id(in["ShardId"]);
              std::string shard = index ? Shard::shard_id(*index) : in["ShardId"].get<std::string>();
              auto [account, name] = stream_named_in(ctx, in);
              return resource_not_found("Shard " + shard + " in stream " + name + " under account " + account +
                                        " does not exist");
            }
            const Stream& s = **found;
            if (auto w = require_writable(s, ctx.now_ms()); !w) return w.error();
            std::shared_lock lock(s.mu);
            std::string shard_id = in["ShardId"], type = in["ShardIteratorType"];
            auto index = Stream::parse_shard_id(shard_id);
            if (!index)
              return resource_not_found("Could not find shard " + shard_id + " in stream " + s.name +
                                        " under account " + s.account + ".");
            const Shard* shard = s.shard(*index);
            if (!shard)
              return resource_not_found("Shard " + Shard::shard_id(*index) + " in stream " + s.name +
                                        " under account " + s.account + " does not exist");
            bool by_sequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
            if (by_sequence != in.contains("StartingSequenceNumber"))
              return invalid_argument(
                  "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or "
                  "(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified " +
                  type + (by_sequence ? " and no StartingSequenceNumber." : " and also a StartingSequenceNumber."));
            if ((type == "AT_TIMESTAMP") != in.contains("Timestamp"))
              return invalid_argument(type == "AT_TIMESTAMP"
                                          ? "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. "
                                            "Current request has no timestamp parameter."
                                          : "The timestampInMillis parameter cannot be used with ShardIteratorType: " +
                                                type);
            storage::TopicPartition tp{s.id, shard->index};
            uint64_t end = shard->open() ? k.log().head(tp) : shard->end_offset;
            uint64_t offset = 0;
            if (by_sequence) {
              std::string seq = in["StartingSequenceNumber"];
              auto parts = parse_sequence_number(seq);
              std::string where = "StartingSequenceNumber " + seq + " used in GetShardIterator on shard " +
                                  shard->id() + " in stream " + s.name + " under account " + s.account + " is invalid";
              if (!parts) return invalid_argument(where + ".");
              if (parts->stream_id != s.id)
                return invalid_argument(where + " because it did not come from this stream.");
              if (parts->shard_index != shard->index)
                return invalid_argument("Invalid StartingSequenceNumber. It encodes " +
                                        Shard::shard_id(parts->shard_index) + ", while it was used in a call to a shard with " +
                                        shard->id());
              offset = k.offset_for_sequence(tp, *parts, seq, type == "AFTER_SEQUENCE_NUMBER", end);
            } else if (type == "TRIM_HORIZON") {
              offset = k.log().first_live(tp);
            } else if (type == "LATEST") {
              offset = end;
            } else {
              int64_t ts = int64_t(in["Timestamp"].get<double>() * 1000);
              if (ts > ctx.now_ms())
                return invalid_argument("The timestampInMillis parameter cannot be greater than the "
                                        "currentTimestampInMillis. timestampInMillis: " + std::to_string(ts) +
                                        ", currentTimestampInMillis: " + std::to_string(ctx.now_ms()));
              offset = std::min(k.log().offset_at_time(tp, ts), end);
            }
            IteratorPosition pos{s.id, shard->index, offset, ctx.now_ms(), s.name};
            return json{{"ShardIterator", encode_iterator(pos, k.iterator_secret())}};
          }};
}

}  // namespace streamlab::kinesis
