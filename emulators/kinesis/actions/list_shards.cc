#include "emulators/kinesis/actions/common.h"

#include "server/core/encoding.h"

namespace streamlab::kinesis {
namespace {

// A shard "exists at" t if it was created by then and not yet closed.
bool open_at(const Shard& sh, int64_t t) { return sh.created_ms <= t && (!sh.closed_ms || *sh.closed_ms > t); }

Result<bool> passes(const Stream& s, const Shard& sh, const json& filter, int64_t now) {
  std::string type = filter["Type"];
  int64_t horizon = std::max(now - int64_t(s.retention_hours) * 3600000, s.created_ms);
  if (type == "AFTER_SHARD_ID") return sh.id() > filter["ShardId"].get<std::string>();
  if (type == "AT_TRIM_HORIZON") return open_at(sh, horizon);
  if (type == "FROM_TRIM_HORIZON") return !sh.closed_ms || *sh.closed_ms > horizon;
  if (type == "AT_LATEST") return sh.open();
  int64_t t = std::max(int64_t(filter["Timestamp"].get<double>() * 1000), s.created_ms);
  if (type == "AT_TIMESTAMP") return open_at(sh, t);
  return !sh.closed_ms || *sh.closed_ms > t;  // FROM_TIMESTAMP
}

}  // namespace

// NextToken: base64 of "shards:" + JSON {stream ARN, last shard id, filter, issued ms}.
Action list_shards(Kinesis& k) {
  Shape filter = structure_shape({
      {"Type", string_shape()
                   .one_of({"AFTER_SHARD_ID", "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST", "AT_TIMESTAMP",
                            "FROM_TIMESTAMP"})
                   .required()},
      {"ShardId", shard_id_shape()},
      {"Timestamp", timestamp_shape()},
  });
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"NextToken", next_token_shape()},
      {"ExclusiveStartShardId", shard_id_shape()},
      {"MaxResults", integer_shape().min(1).max(10000)},
      {"StreamCreationTimestamp", timestamp_shape()},
      {"ShardFilter", filter},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            std::string after = in.value("ExclusiveStartShardId", "");
            json filter = in.value("ShardFilter", json());
            json target = in;
            if (in.contains("NextToken")) {
              if (in.contains("StreamName") || in.contains("StreamARN"))
                return invalid_argument("NextToken and StreamName cannot be provided together.");
              if (in.contains("ExclusiveStartShardId"))
                return invalid_argument("NextToken and ExclusiveStartShardId cannot be provided together.");
              if (in.contains("ShardFilter"))
                return invalid_argument("NextToken and ShardFilter cannot be provided together.");
              auto raw = base64_decode(in["NextToken"].get<std::string>());
              json token = raw && raw->rfind("shards:", 0) == 0 ? json::parse(raw->substr(7), nullptr, false) : json();
              if (!token.is_object() || !token.contains("arn")) return invalid_argument("Invalid NextToken.");
              if (ctx.now_ms() - token.value("t", int64_t(0)) > 300000)
                return AwsError{"ExpiredNextTokenException", "The token has expired.", 400, true, {}};
              target = {{"StreamARN", token["arn"]}};
              after = token.value("after", "");
              filter = token.value("filter", json());
            } else if (!in.contains("StreamName") && !in.contains("StreamARN")) {
              return invalid_argument("Either NextToken or StreamName should be provided.");
            }
            if (filter.is_object()) {
              std::string type = filter["Type"];
              if (type == "AFTER_SHARD_ID" && !filter.contains("ShardId"))
                return invalid_argument("ShardId must be specified with ShardFilter type AFTER_SHARD_ID.");
              if ((type == "AT_TIMESTAMP" || type == "FROM_TIMESTAMP") && !filter.contains("Timestamp"))
                return invalid_argument("Timestamp must be specified with ShardFilter type " + type + ".");
            }
            auto found = k.resolve(ctx, target);
            if (!found) return found.error();
            const Stream& s = **found;
            std::shared_lock lock(s.mu);
            size_t limit = in.value("MaxResults", 1000);
            json shards = json::array();
            std::string last;
            bool more = false;
            for (auto& sh : s.shards) {
              if (!after.empty() && sh.id() <= after) continue;
              if (filter.is_object()) {
                auto ok = passes(s, sh, filter, ctx.now_ms());
                if (!ok) return ok.error();
                if (!*ok) continue;
              }
              if (shards.size() == limit) {
                more = true;
                break;
              }
              shards.push_back(shard_json(s, sh));
              last = sh.id();
            }
            json out = {{"Shards", shards}};
            if (more) {
              json token = {{"arn", s.arn()}, {"after", last}, {"t", ctx.now_ms()}};
              if (filter.is_object()) token["filter"] = filter;
              out["NextToken"] = base64_encode("shards:" + token.dump());
            }
            return out;
          }};
}

}  // namespace streamlab::kinesis
