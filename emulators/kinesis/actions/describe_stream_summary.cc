#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

Action describe_stream_summary(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(s.mu);
            json d = {{"StreamName", s.name},
                      {"StreamARN", s.arn()},
                      {"StreamStatus", s.effective_status(ctx.now_ms())},
                      {"StreamModeDetails", stream_mode_json(s)},
                      {"RetentionPeriodHours", s.retention_hours},
                      {"StreamCreationTimestamp", epoch_seconds(s.created_ms)},
                      {"EnhancedMonitoring", json::array({{{"ShardLevelMetrics", s.monitoring}}})},
                      {"EncryptionType", s.encryption},
                      {"OpenShardCount", s.open_shard_count()},
                      {"ConsumerCount", s.consumers.size()},
                      {"MaxRecordSizeInKiB", s.max_record_size_kib}};
            if (s.encryption == "KMS") d["KeyId"] = s.key_id;
            if (s.warm_throughput_mibps > 0)
              d["WarmThroughput"] = {{"TargetMiBps", s.warm_throughput_mibps}, {"CurrentMiBps", s.warm_throughput_mibps}};
            return json{{"StreamDescriptionSummary", d}};
          }};
}

}  // namespace streamlab::kinesis
