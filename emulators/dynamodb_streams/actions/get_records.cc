#include <ctime>

#include "emulators/dynamodb/stream_record.h"
#include "emulators/dynamodb_streams/actions/common.h"
#include "emulators/dynamodb_streams/shard_iterator.h"

namespace streamlab::dynamodb_streams {
namespace {
std::string utc_time(int64_t ms) {
  std::time_t secs = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}
}  // namespace

Action get_records(DynamoDB& d) {
  Shape input = structure_shape({
      {"ShardIterator", string_shape().min(1).max(2048).required()},
      {"Limit", integer_shape().min(1).max(1000)},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string token = in["ShardIterator"];
            auto pos = decode_iterator(token, d.iterator_secret());
            if (!pos) return AwsError::validation("Invalid ShardIterator");
            int64_t ttl = d.options().iterator_ttl_ms;
            if (ctx.now_ms() - pos->issued_ms > ttl)
              return AwsError{"ExpiredIteratorException",
                              "Iterator expired. The iterator was created at time " + utc_time(pos->issued_ms) +
                                  " while right now it is " + utc_time(ctx.now_ms()) +
                                  " which is further in the future than the tolerated delay of " + std::to_string(ttl) +
                                  " milliseconds.",
                              400, true, {}};
            std::string arn = token.substr(0, token.find('|'));
            auto found = find_stream(d, arn);
            if (!found || (*found)->uid != pos->stream_uid) return AwsError::validation("Invalid ShardIterator");
            const Stream& s = **found;
            uint64_t first, end;
            bool open;
            {
              std::shared_lock lock(d.streams_mutex());
              const StreamShard* shard = s.shard(pos->shard_index);
              if (!shard) return AwsError::validation("Invalid ShardIterator");
              std::tie(first, end) = shard_bounds(d, s, *shard);
              open = shard->open();
            }
            if (pos->offset < first)
              return AwsError{"TrimmedDataAccessException",
                              "The data you are trying to access has been trimmed", 400, true, {}};
            storage::LogReadOptions ro;
            ro.from = pos->offset;
            ro.max_records = size_t(in.value("Limit", 1000));
            ro.max_bytes = 1024 * 1024;
            auto read = d.log().read({s.topic(), pos->shard_index}, ro);
            json records = json::array();
            uint64_t next = pos->offset;
            for (auto& r : read.records) {
              if (r.offset >= end) break;
              if (auto rec = dynamodb::StreamRecord::decode(r.payload))
                records.push_back(dynamodb::record_json(*rec, s.region, pos->shard_index, r.offset, r.timestamp_ms, s.uid));
              next = r.offset + 1;
            }
            json out = {{"Records", records}};
            // A closed shard read to its end has no next iterator: readers move on to its children.
            if (open || next < end) {
              IteratorPosition p{s.uid, pos->shard_index, next, ctx.now_ms()};
              out["NextShardIterator"] = encode_iterator(s.arn(), p, d.iterator_secret());
            }
            return out;
          }};
}

}  // namespace streamlab::dynamodb_streams
