#include "emulators/kinesis/actions/common.h"

#include <algorithm>
#include <set>

namespace streamlab::kinesis {
namespace {

const std::vector<std::string> kMetrics = {"IncomingBytes",           "IncomingRecords",
                                           "OutgoingBytes",           "OutgoingRecords",
                                           "WriteProvisionedThroughputExceeded",
                                           "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds",
                                           "ALL"};

// Enhanced monitoring is recorded (no CloudWatch here) and reported back as AWS does.
Action set_monitoring(Kinesis& k, bool enable) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"ShardLevelMetrics", list_shape(string_shape().one_of(kMetrics)).min(1).max(7).required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k, enable](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            std::set<std::string> current(s.monitoring.begin(), s.monitoring.end());
            json before = s.monitoring;
            for (auto& m : in["ShardLevelMetrics"]) {
              std::string name = m;
              std::vector<std::string> names = name == "ALL" ? std::vector<std::string>(kMetrics.begin(), kMetrics.end() - 1)
                                                             : std::vector<std::string>{name};
              for (auto& n : names) enable ? (void)current.insert(n) : (void)current.erase(n);
            }
            s.monitoring.assign(current.begin(), current.end());
            if (auto p = k.persist(s); !p) return p.error();
            return json{{"StreamName", s.name},
                        {"StreamARN", s.arn()},
                        {"CurrentShardLevelMetrics", before},
                        {"DesiredShardLevelMetrics", s.monitoring}};
          }};
}

}  // namespace

Action enable_enhanced_monitoring(Kinesis& k) { return set_monitoring(k, true); }
Action disable_enhanced_monitoring(Kinesis& k) { return set_monitoring(k, false); }

}  // namespace streamlab::kinesis
