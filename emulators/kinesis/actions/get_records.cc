#include "emulators/kinesis/actions/common.h"

#include <ctime>

#include "emulators/kinesis/sequence_number.h"
#include "emulators/kinesis/shard_iterator.h"
#include "server/core/encoding.h"

namespace streamlab::kinesis {
namespace {

constexpr size_t kMaxResponseBytes = 10u << 20;

// Java's Date.toString() in UTC, as AWS prints times in ExpiredIteratorException.
std::string java_date(int64_t ms) {
  std::time_t t = ms / 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

}  // namespace

Action get_records(Kinesis& k) {
  Shape input = structure_shape({
      {"ShardIterator", string_shape().min(1).max(512).required()},
      {"Limit", integer_shape().min(1).max(10000)},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k](const Context& ctx, json& in) -> Result<json> {
            auto pos = decode_iterator(in["ShardIterator"].get<std::string>(), k.iterator_secret());
            if (!pos) return invalid_argument("Invalid ShardIterator.");
            int64_t now = ctx.now_ms();
            if (now - pos->issued_ms > k.options().iterator_ttl_ms)
              return AwsError{"ExpiredIteratorException",
                              "Iterator expired. The iterator was created at time " + java_date(pos->issued_ms) +
                                  " while right now it is " + java_date(now) +
                                  " which is further in the future than the tolerated delay of " +
                                  std::to_string(k.options().iterator_ttl_ms) + " milliseconds.",
                              400, true, {}};
            StreamPtr stream = k.find_by_id(pos->stream_id);
            const Shard* shard = stream ? stream->shard(pos->shard_index) : nullptr;
            if (!shard)
              return resource_not_found("Shard " + Shard::shard_id(pos->shard_index) + " in stream " +
                                        pos->stream_name + " under account " + ctx.account + " does not exist");
            const Stream& s = *stream;
            std::shared_lock lock(s.mu);
            storage::TopicPartition tp{s.id, shard->index};
            if (k.options().throttle) {
              ShardThroughput& t = stream->throughput_of(shard->index, k.options().limits, now);
              if (!t.try_read(now))
                return AwsError{"ProvisionedThroughputExceededException",
                                "Rate exceeded for Shard - " + s.account + "/" + s.name + "/" + shard->id(),
                                400, true, {}};
            }
            storage::LogReadOptions ro;
            ro.from = pos->offset;
            ro.max_records = in.value("Limit", 10000);
            ro.max_bytes = kMaxResponseBytes;
            ro.min_timestamp_ms = now - int64_t(s.retention_hours) * 3600000;
            auto read = k.log().read(tp, ro);
            json records = json::array();
            uint64_t bytes = 0;
            for (auto& r : read.records) {
              bytes += r.payload.size();
              records.push_back(record_json(s, shard->index, r));
            }
            if (k.options().throttle) stream->throughput_of(shard->index, k.options().limits, now).charge_read(bytes);
            int64_t behind = 0;
            if (read.next_offset < read.head) {
              auto ts = k.log().timestamp_at(tp, read.next_offset);
              behind = ts ? std::max<int64_t>(0, now - *ts) : 0;
            }
            json out = {{"Records", records}, {"MillisBehindLatest", behind}};
            if (!shard->open() && read.next_offset >= shard->end_offset) {
              out["ChildShards"] = child_shards_json(s, *shard);
            } else {
              IteratorPosition next{s.id, shard->index, read.next_offset, now, s.name};
              out["NextShardIterator"] = encode_iterator(next, k.iterator_secret());
            }
            return out;
          }};
}

}  // namespace streamlab::kinesis
