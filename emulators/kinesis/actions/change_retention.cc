#include "emulators/kinesis/actions/retention.h"

namespace streamlab::kinesis {

Action change_retention(Kinesis& k, bool increase) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"RetentionPeriodHours", integer_shape().required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k, increase](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            int hours = in["RetentionPeriodHours"];
            std::string requested = "Requested retention period (" + std::to_string(hours) + " hours)";
            std::string prefix = requested + " for stream " + s.name + " can not be ";
            if (hours < 24)
              return invalid_argument("Minimum allowed retention period is 24 hours. " + requested + " is too short.");
            if (hours > 8760)
              return invalid_argument("Maximum allowed retention period is 8760 hours. " + requested + " is too long.");
            if (increase && hours < s.retention_hours)
              return invalid_argument(prefix + "shorter than existing retention period (" +
                                      std::to_string(s.retention_hours) + " hours). Use DecreaseRetentionPeriod API.");
            if (!increase && hours > s.retention_hours)
              return invalid_argument(prefix + "longer than existing retention period (" +
                                      std::to_string(s.retention_hours) + " hours). Use IncreaseRetentionPeriod API.");
            s.retention_hours = hours;
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

Action increase_stream_retention_period(Kinesis& k) { return change_retention(k, true); }
Action decrease_stream_retention_period(Kinesis& k) { return change_retention(k, false); }

}  // namespace streamlab::kinesis
