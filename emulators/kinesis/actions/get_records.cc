#include "emulators/kinesis/actions/common.h"

#include <charconv>
#include <cstdio>
#include <ctime>
#include <optional>

#include "emulators/kinesis/sequence_number.h"
#include "emulators/kinesis/shard_iterator.h"
#include "server/core/encoding.h"
#include "server/core/json_text.h"

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

// One GetRecords answer before it is written out, so JSON (written directly, the hot path)
// and CBOR (through nlohmann::json) share everything but the serialising.
struct Page {
  StreamPtr stream;
  uint32_t shard_index = 0;
  std::vector<storage::LogRecord> records;
  int64_t behind = 0;
  std::optional<json> child_shards;  // set at the end of a closed shard
  std::string next_iterator;         // empty when child_shards is set
};

Result<Page> read_page(Kinesis& k, const Context& ctx, const json& in) {
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
    return resource_not_found("Shard " + Shard::shard_id(pos->shard_index) + " in stream " + pos->stream_name +
                              " under account " + ctx.account + " does not exist");
  const Stream& s = *stream;
  std::shared_lock lock(s.mu);
  storage::TopicPartition tp{s.id, shard->index};
  if (k.options().throttle && !stream->throughput_of(shard->index, k.options().limits, now).try_read(now))
    return AwsError{"ProvisionedThroughputExceededException",
                    "Rate exceeded for Shard - " + s.account + "/" + s.name + "/" + shard->id(), 400, true, {}};
  storage::LogReadOptions ro;
  ro.from = pos->offset;
  ro.max_records = in.value("Limit", 10000);
  ro.max_bytes = kMaxResponseBytes;
  ro.min_timestamp_ms = now - int64_t(s.retention_hours) * 3600000;
  auto read = k.log().read(tp, ro);
  Page page;
  page.stream = stream;
  page.shard_index = shard->index;
  uint64_t bytes = 0;
  for (auto& r : read.records) bytes += r.payload.size();
  if (k.options().throttle) stream->throughput_of(shard->index, k.options().limits, now).charge_read(bytes);
  if (read.next_offset < read.head) {
    auto ts = k.log().timestamp_at(tp, read.next_offset);
    page.behind = ts ? std::max<int64_t>(0, now - *ts) : 0;
  }
  if (!shard->open() && read.next_offset >= shard->end_offset) {
    page.child_shards = child_shards_json(s, *shard);
  } else {
    page.next_iterator =
        encode_iterator({s.id, shard->index, read.next_offset, now, s.name}, k.iterator_secret());
  }
  page.records = std::move(read.records);
  return page;
}

json page_json(const Page& page) {
  json records = json::array();
  for (auto& r : page.records) records.push_back(record_json(*page.stream, page.shard_index, r));
  json out = {{"Records", std::move(records)}, {"MillisBehindLatest", page.behind}};
  if (page.child_shards) out["ChildShards"] = *page.child_shards;
  else out["NextShardIterator"] = page.next_iterator;
  return out;
}

// Epoch seconds with milliseconds ("%lld.%03lld"), without snprintf's cost per record.
std::string_view epoch_seconds_text(int64_t ms, char (&buf)[32]) {
  if (ms < 0) {
    int n = std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ms / 1000),
                          static_cast<long long>(ms % 1000));
    return {buf, size_t(n)};
  }
  auto [end, ec] = std::to_chars(buf, buf + 24, ms / 1000);
  int64_t frac = ms % 1000;
  *end++ = '.';
  *end++ = char('0' + frac / 100);
  *end++ = char('0' + frac / 10 % 10);
  *end++ = char('0' + frac % 10);
  return {buf, size_t(end - buf)};
}

// The same document as page_json, written straight into a string.
std::string page_text(const Page& page) {
  std::string out;
  out.reserve(64 + page.records.size() * 256);
  out += "{\"Records\":[";
  char time_buf[32];
  SequenceNumberWriter sequence(page.stream->id, page.shard_index);
  for (size_t i = 0; i < page.records.size(); ++i) {
    const storage::LogRecord& r = page.records[i];
    auto stored = Kinesis::parse_payload(r.payload);
    if (i) out += ',';
    out += "{\"SequenceNumber\":\"";
    sequence.append(out, r.timestamp_ms, r.offset);
    out += "\",\"ApproximateArrivalTimestamp\":";
    out += epoch_seconds_text(r.timestamp_ms, time_buf);
    out += ",\"Data\":\"";
    append_base64(out, stored.data);
    out += "\",\"PartitionKey\":";
    append_json_string(out, stored.partition_key);
    out += stored.encrypted ? ",\"EncryptionType\":\"KMS\"}" : ",\"EncryptionType\":\"NONE\"}";
  }
  out += "],\"MillisBehindLatest\":";
  out += std::to_string(page.behind);
  if (page.child_shards) {
    out += ",\"ChildShards\":";
    out += page.child_shards->dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    out += ",\"NextShardIterator\":";
    append_json_string(out, page.next_iterator);
  }
  out += '}';
  return out;
}

}  // namespace

Action get_records(Kinesis& k) {
  Action a;
  a.input = structure_shape({
      {"ShardIterator", string_shape().min(1).max(512).required()},
      {"Limit", integer_shape().min(1).max(10000)},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  a.handler = [&k](const Context& ctx, json& in) -> Result<json> {
    auto page = read_page(k, ctx, in);
    if (!page) return page.error();
    return page_json(*page);
  };
  a.json_text_handler = [&k](const Context& ctx, json& in) -> Result<std::string> {
    auto page = read_page(k, ctx, in);
    if (!page) return page.error();
    return page_text(*page);
  };
  return a;
}

}  // namespace streamlab::kinesis
