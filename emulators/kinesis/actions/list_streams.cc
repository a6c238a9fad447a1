#include "emulators/kinesis/actions/common.h"

#include "server/core/encoding.h"

namespace streamlab::kinesis {

// NextToken is the base64 of the last stream name returned (opaque to clients).
Action list_streams(Kinesis& k) {
  Shape input = structure_shape({
      {"Limit", integer_shape().min(1).max(10000)},
      {"ExclusiveStartStreamName", stream_name_shape()},
      {"NextToken", next_token_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            std::string after = in.value("ExclusiveStartStreamName", "");
            if (in.contains("NextToken")) {
              if (in.contains("ExclusiveStartStreamName"))
                return invalid_argument("ExclusiveStartStreamName and NextToken cannot be provided together.");
              auto decoded = base64_decode(in["NextToken"].get<std::string>());
              if (!decoded || decoded->rfind("streams:", 0) != 0)
                return invalid_argument("Invalid NextToken.");
              after = decoded->substr(8);
            }
            size_t limit = in.value("Limit", 100);
            json names = json::array(), summaries = json::array();
            bool more = false;
            std::string last;
            for (auto& s : k.list(ctx.account, ctx.region)) {
              if (!after.empty() && s->name <= after) continue;
              if (names.size() == limit) {
                more = true;
                break;
              }
              std::shared_lock lock(s->mu);
              names.push_back(s->name);
              summaries.push_back({{"StreamName", s->name},
                                   {"StreamARN", s->arn()},
                                   {"StreamStatus", s->effective_status(ctx.now_ms())},
                                   {"StreamModeDetails", stream_mode_json(*s)},
                                   {"StreamCreationTimestamp", epoch_seconds(s->created_ms)}});
              last = s->name;
            }
            json out = {{"StreamNames", names}, {"HasMoreStreams", more}, {"StreamSummaries", summaries}};
            if (more) out["NextToken"] = base64_encode("streams:" + last);
            return out;
          }};
}

}  // namespace streamlab::kinesis
