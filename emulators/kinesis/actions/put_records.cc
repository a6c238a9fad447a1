#include "emulators/kinesis/actions/common.h"

#include "emulators/kinesis/actions/record_input.h"

namespace streamlab::kinesis {

Action put_records(Kinesis& k) {
  Shape entry = structure_shape({
      {"Data", blob_shape().min(0).max(10485760).required()},
      {"ExplicitHashKey", hash_key_shape()},
      {"PartitionKey", string_shape().min(1).max(256).required()},
  });
  entry.java_class("com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry");
  Shape input = structure_shape({
      {"Records", list_shape(entry).min(1).max(500).required()},
      {"StreamName", stream_name_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            if (auto w = require_writable(s, ctx.now_ms()); !w) return w.error();
            std::vector<RecordInput> records;
            size_t total = 0;
            const json& list = in["Records"];
            for (size_t i = 0; i < list.size(); ++i) {
              auto r = parse_record_input(s, list[i], "records." + std::to_string(i + 1) + ".member.");
              if (!r) return r.error();
              total += r->data.size() + r->partition_key.size();
              records.push_back(std::move(*r));
            }
            // 5 MiB per request, or ten records of the stream's maximum size if that is larger.
            size_t cap = std::max<size_t>(5u << 20, size_t(s.max_record_size_kib) * 1024);
            if (total > cap)
              return invalid_argument("Records size exceeds " + std::to_string(cap >> 20) + " MB limit");
            auto outcomes = k.put(s, records);
            json results = json::array();
            int failed = 0;
            for (auto& o : outcomes) {
              if (o.error_code.empty()) {
                results.push_back({{"ShardId", o.shard_id}, {"SequenceNumber", o.sequence_number}});
              } else {
                ++failed;
                results.push_back({{"ErrorCode", o.error_code}, {"ErrorMessage", o.error_message}});
              }
            }
            json out = {{"FailedRecordCount", failed}, {"Records", results}, {"EncryptionType", s.encryption}};
            return out;
          }};
}

}  // namespace streamlab::kinesis
