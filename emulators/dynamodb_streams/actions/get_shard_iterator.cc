#include "emulators/dynamodb_streams/actions/common.h"
#include "emulators/dynamodb_streams/shard_iterator.h"

namespace streamlab::dynamodb_streams {

Action get_shard_iterator(DynamoDB& d) {
  Shape input = structure_shape({
      {"StreamArn", stream_arn_shape().required()},
      {"ShardId", shard_id_shape().required()},
      {"ShardIteratorType",
       string_shape().one_of({"TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"}).required()},
      {"SequenceNumber", string_shape().min(21).max(40)},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            auto found = find_stream(d, in["StreamArn"]);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(d.streams_mutex());
            std::string shard_id = in["ShardId"], type = in["ShardIteratorType"];
            auto index = StreamShard::parse_id(shard_id);
            const StreamShard* shard = index ? s.shard(*index) : nullptr;
            if (!shard || shard->id() != shard_id)
              return resource_not_found("Requested resource not found: Shard does not exist");
            bool by_sequence = type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER";
            if (by_sequence && !in.contains("SequenceNumber"))
              return AwsError::validation("Must provide a SequenceNumber for ShardIteratorType " + type);
            if (!by_sequence && in.contains("SequenceNumber"))
              return AwsError::validation("SequenceNumber cannot be specified for ShardIteratorType " + type);
            auto [first, end] = shard_bounds(d, s, *shard);
            uint64_t offset = type == "LATEST" ? end : first;
            if (by_sequence) {
              std::string seq = in["SequenceNumber"];
              auto pos = dynamodb::parse_sequence_number(seq);
              if (!pos || pos->shard_index != shard->index)
                return AwsError::validation("Invalid SequenceNumber for ShardId " + shard_id + ": " + seq);
              if (pos->offset < first)
                return AwsError{"TrimmedDataAccessException",
                                "Requested sequence number is beyond the trim horizon of the shard", 400, true, {}};
              if (pos->offset >= end && !(type == "AFTER_SEQUENCE_NUMBER" && pos->offset + 1 == end))
                return AwsError::validation("Invalid SequenceNumber for ShardId " + shard_id + ": " + seq);
              offset = pos->offset + (type == "AFTER_SEQUENCE_NUMBER");
            }
            IteratorPosition p{s.uid, shard->index, offset, ctx.now_ms()};
            return json{{"ShardIterator", encode_iterator(s.arn(), p, d.iterator_secret())}};
          }};
}

}  // namespace streamlab::dynamodb_streams
