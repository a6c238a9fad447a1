#include "emulators/kinesis/actions/consumer_lookup.h"

#include "server/core/encoding.h"

namespace streamlab::kinesis {

// NextToken: base64 of "consumers:" + the last consumer name returned.
Action list_stream_consumers(Kinesis& k) {
  Shape input = structure_shape({
      {"StreamARN", stream_arn_shape().required()},
      {"NextToken", next_token_shape()},
      {"MaxResults", integer_shape().min(1).max(10000)},
      {"StreamCreationTimestamp", timestamp_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto found = k.resolve(ctx, in);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(s.mu);
            std::string after;
            if (in.contains("NextToken")) {
              auto raw = base64_decode(in["NextToken"].get<std::string>());
              if (!raw || raw->rfind("consumers:", 0) != 0) return invalid_argument("Invalid NextToken.");
              after = raw->substr(10);
            }
            size_t limit = in.value("MaxResults", 100);
            json list = json::array();
            std::vector<const Consumer*> sorted;
            for (auto& c : s.consumers) sorted.push_back(&c);
            std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->name < b->name; });
            bool more = false;
            std::string last;
            for (auto* c : sorted) {
              if (!after.empty() && c->name <= after) continue;
              if (list.size() == limit) {
                more = true;
                break;
              }
              list.push_back(consumer_json(k, s, *c, ctx.now_ms(), false));
              last = c->name;
            }
            json out = {{"Consumers", list}};
            if (more) out["NextToken"] = base64_encode("consumers:" + last);
            return out;
          }};
}

}  // namespace streamlab::kinesis
