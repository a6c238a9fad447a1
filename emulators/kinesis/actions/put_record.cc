#include "emulators/kinesis/actions/common.h"

#include "emulators/kinesis/actions/record_input.h"
#include "emulators/kinesis/sequence_number.h"

namespace streamlab::kinesis {

Action put_record(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"Data", blob_shape().min(0).max(10485760).required()},
      {"PartitionKey", string_shape().min(1).max(256).required()},
      {"ExplicitHashKey", hash_key_shape()},
      {"SequenceNumberForOrdering", sequence_number_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            if (auto w = require_writable(s, ctx.now_ms()); !w) return w.error();
            if (in.contains("SequenceNumberForOrdering")) {
              // Our numbers already increase strictly per shard; only foreign numbers are refused.
              std::string seq = in["SequenceNumberForOrdering"];
              auto parts = parse_sequence_number(seq);
              if (!parts || parts->stream_id != s.id || parts->timestamp_ms > ctx.now_ms())
                return invalid_argument("ExclusiveMinimumSequenceNumber " + seq + " used in PutRecord on stream " +
                                        s.name + " under account " + s.account + " is invalid.");
            }
            auto record = parse_record_input(s, in, "");
            if (!record) return record.error();
            auto outcome = k.put(s, {*record});
            RecordOutcome& o = outcome.front();
            if (!o.error_code.empty()) return AwsError{o.error_code, o.error_message, 400, true, {}};
            json out = {{"ShardId", o.shard_id}, {"SequenceNumber", o.sequence_number},
                        {"EncryptionType", s.encryption}};
            return out;
          }};
}

}  // namespace streamlab::kinesis
