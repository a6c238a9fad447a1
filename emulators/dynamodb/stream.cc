#include "emulators/dynamodb/stream.h"

#include <cstdio>
#include <ctime>

namespace streamlab::dynamodb {

using json = nlohmann::json;

std::string StreamShard::id() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "shardId-%020lld-%08x", static_cast<long long>(created_ms), index);
  return buf;
}

std::optional<uint32_t> StreamShard::parse_id(const std::string& shard_id) {
  // shardId-<20 digits>-<8 hex>
  if (shard_id.size() != 8 + 20 + 1 + 8 || shard_id.rfind("shardId-", 0) != 0 || shard_id[28] != '-')
    return std::nullopt;
  uint32_t v = 0;
  for (size_t i = 29; i < shard_id.size(); ++i) {
    char c = shard_id[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + uint32_t(d);
  }
  return v;
}

StreamShard* Stream::open_shard() {
  for (auto it = shards.rbegin(); it != shards.rend(); ++it)
    if (it->open()) return &*it;
  return nullptr;
}

const StreamShard* Stream::shard(uint32_t index) const {
  for (auto& s : shards)
    if (s.index == index) return &s;
  return nullptr;
}

json Stream::to_json() const {
  json shards_json = json::array();
  for (auto& s : shards) {
    json j = {{"index", s.index}, {"created", s.created_ms}, {"start", s.start_offset}, {"end", s.end_offset}};
    if (s.parent) j["parent"] = *s.parent;
    if (s.closed_ms) j["closed"] = *s.closed_ms;
    shards_json.push_back(j);
  }
  json j = {{"uid", uid},       {"topic", log_topic},  {"table_uid", table_uid},   {"account", account}, {"region", region},
            {"table", table_name}, {"label", label},        {"view", view_type},  {"key_schema", key_schema},
            {"created", created_ms}, {"enabled", enabled}, {"shards", shards_json}};
  if (disabled_ms) j["disabled"] = *disabled_ms;
  return j;
}

Stream Stream::from_json(const json& j) {
  Stream s;
  s.uid = j.value("uid", uint64_t(0));
  s.log_topic = j.value("topic", uint64_t(0));
  s.table_uid = j.value("table_uid", uint64_t(0));
  s.account = j.value("account", "");
  s.region = j.value("region", "");
  s.table_name = j.value("table", "");
  s.label = j.value("label", "");
  s.view_type = j.value("view", "");
  s.key_schema = j.value("key_schema", json::array());
  s.created_ms = j.value("created", int64_t(0));
  s.enabled = j.value("enabled", false);
  if (j.contains("disabled")) s.disabled_ms = j["disabled"].get<int64_t>();
  for (auto& sj : j.value("shards", json::array())) {
    StreamShard sh;
    sh.index = sj.value("index", 0u);
    sh.created_ms = sj.value("created", int64_t(0));
    sh.start_offset = sj.value("start", uint64_t(0));
    sh.end_offset = sj.value("end", uint64_t(0));
    if (sj.contains("parent")) sh.parent = sj["parent"].get<uint32_t>();
    if (sj.contains("closed")) sh.closed_ms = sj["closed"].get<int64_t>();
    s.shards.push_back(sh);
  }
  return s;
}

std::string make_sequence_number(uint32_t shard_index, uint64_t offset) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "1%010u%020llu", shard_index, static_cast<unsigned long long>(offset));
  return buf;
}

std::optional<SequencePosition> parse_sequence_number(const std::string& text) {
  if (text.size() != 31 || text[0] != '1') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  SequencePosition p;
  unsigned long long index = std::stoull(text.substr(1, 10));
  if (index > 0xffffffffull) return std::nullopt;
  p.shard_index = uint32_t(index);
  p.offset = std::stoull(text.substr(11));
  return p;
}

std::string stream_label(int64_t ms) {
  std::time_t secs = std::time_t(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return buf;
}

}  // namespace streamlab::dynamodb
