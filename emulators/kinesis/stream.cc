#include "emulators/kinesis/stream.h"

#include <cstdio>

namespace streamlab::kinesis {

std::string Shard::shard_id(uint32_t index) {
  // "shardId-%012u" by hand: every PutRecords result names its shard.
  std::string out = "shardId-000000000000";
  for (size_t i = out.size(); index; index /= 10) out[--i] = char('0' + index % 10);
  return out;
}

std::string Stream::effective_status(int64_t now_ms) const {
  if (now_ms < status_until_ms) return status;
  return status == "DELETING" ? "DELETED" : "ACTIVE";
}

bool Stream::writable(int64_t now_ms) const {
  std::string s = effective_status(now_ms);
  return s == "ACTIVE" || s == "UPDATING";
}

const Shard* Stream::shard(uint32_t index) const {
  for (auto& s : shards)
    if (s.index == index) return &s;
  return nullptr;
}

std::optional<uint32_t> Stream::parse_shard_id(const std::string& shard_id) {
  // As AWS does: the part after the last '-' is the shard number ("shardId-000000000001",
  // "shard-1" and "1" name the same shard).
  size_t dash = shard_id.rfind('-');
  std::string digits = dash == std::string::npos ? shard_id : shard_id.substr(dash + 1);
  if (digits.empty() || digits.size() > 12) return std::nullopt;
  for (char c : digits)
    if (c < '0' || c > '9') return std::nullopt;
  uint64_t v = std::stoull(digits);
  if (v > 2147483647) return std::nullopt;
  return uint32_t(v);
}

const Shard* Stream::shard_by_id(const std::string& shard_id) const {
  auto index = parse_shard_id(shard_id);
  return index ? shard(*index) : nullptr;
}

const Shard* Stream::shard_for_hash(u128 hash) const {
  for (auto& s : shards)
    if (s.open() && s.start <= hash && hash <= s.end) return &s;
  return nullptr;
}

Consumer* Stream::consumer(const std::string& consumer_name) {
  for (auto& c : consumers)
    if (c.name == consumer_name) return &c;
  return nullptr;
}

size_t Stream::open_shard_count() const {
  size_t n = 0;
  for (auto& s : shards) n += s.open();
  return n;
}

ShardThroughput& Stream::throughput_of(uint32_t index, const ShardLimits& limits, int64_t now_ms) {
  std::lock_guard lock(throughput_mu);
  auto& slot = throughput[index];
  if (!slot) slot = std::make_unique<ShardThroughput>(limits, now_ms);
  return *slot;
}

json Stream::to_json() const {
  json shard_list = json::array();
  for (auto& s : shards) {
    json j = {{"index", s.index},       {"start", to_decimal(s.start)}, {"end", to_decimal(s.end)},
              {"created", s.created_ms}, {"end_offset", s.end_offset}};
    if (s.parent) j["parent"] = *s.parent;
    if (s.adjacent_parent) j["adjacent"] = *s.adjacent_parent;
    if (s.closed_ms) j["closed"] = *s.closed_ms;
    shard_list.push_back(std::move(j));
  }
  json consumer_list = json::array();
  for (auto& c : consumers) consumer_list.push_back({{"name", c.name}, {"arn", c.arn}, {"created", c.created_ms}, {"tags", c.tags}, {"policy", c.policy}});
  return {{"id", id},
          {"account", account},
          {"region", region},
          {"name", name},
          {"created", created_ms},
          {"status", status},
          {"status_until", status_until_ms},
          {"retention_hours", retention_hours},
          {"mode", mode},
          {"max_record_size_kib", max_record_size_kib},
          {"encryption", encryption},
          {"key_id", key_id},
          {"monitoring", monitoring},
          {"tags", tags},
          {"shards", shard_list},
          {"consumers", consumer_list},
          {"warm_throughput_mibps", warm_throughput_mibps},
          {"policy", policy}};
}

std::unique_ptr<Stream> Stream::from_json(const json& j) {
  auto s = std::make_unique<Stream>();
  s->id = j.at("id").get<uint64_t>();
  s->account = j.at("account");
  s->region = j.at("region");
  s->name = j.at("name");
  s->created_ms = j.at("created");
  s->status = j.at("status");
  s->status_until_ms = j.at("status_until");
  s->retention_hours = j.at("retention_hours");
  s->mode = j.at("mode");
  s->max_record_size_kib = j.value("max_record_size_kib", 1024);
  s->encryption = j.value("encryption", "NONE");
  s->key_id = j.value("key_id", "");
  s->monitoring = j.value("monitoring", std::vector<std::string>{});
  s->tags = j.value("tags", std::map<std::string, std::string>{});
  s->warm_throughput_mibps = j.value("warm_throughput_mibps", int64_t(0));
  s->policy = j.value("policy", "");
  for (auto& sj : j.at("shards")) {
    Shard sh;
    sh.index = sj.at("index");
    sh.start = *parse_decimal(sj.at("start").get<std::string>());
    sh.end = *parse_decimal(sj.at("end").get<std::string>());
    sh.created_ms = sj.at("created");
    sh.end_offset = sj.value("end_offset", uint64_t(0));
    if (sj.contains("parent")) sh.parent = sj["parent"].get<uint32_t>();
    if (sj.contains("adjacent")) sh.adjacent_parent = sj["adjacent"].get<uint32_t>();
    if (sj.contains("closed")) sh.closed_ms = sj["closed"].get<int64_t>();
    s->shards.push_back(sh);
  }
  for (auto& cj : j.value("consumers", json::array()))
    s->consumers.push_back({cj.at("name"), cj.at("arn"), cj.at("created"),
                            cj.value("tags", std::map<std::string, std::string>{}), cj.value("policy", "")});
  return s;
}

}  // namespace streamlab::kinesis
