#include "emulators/kinesis/kinesis.h"

#include <algorithm>

#include "emulators/kinesis/sequence_number.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::kinesis {

using storage::Family;

Kinesis::Kinesis(storage::Store& store, storage::PartitionedLog& log, const Clock& clock, KinesisOptions options)
    : store_(store), log_(log), clock_(clock), options_(options) {}

std::string Kinesis::meta_key(const std::string& account, const std::string& region, const std::string& name) {
  // One allocation: every data-plane call looks its stream up by this key.
  std::string key;
  key.reserve(17 + account.size() + region.size() + name.size());
  key += "kinesis/stream/";
  key += account;
  key += '/';
  key += region;
  key += '/';
  key += name;
  return key;
}

AwsError Kinesis::not_found(const std::string& name, const std::string& account) {
  return {"ResourceNotFoundException", "Stream " + name + " under account " + account + " not found.", 400, true, {}};
}

Status Kinesis::load() {
  if (auto secret = store_.get(Family::meta, "kinesis/iterator-secret")) {
    iterator_secret_ = *secret;
  } else {
    iterator_secret_ = random_bytes(32);
    storage::Batch b;
    b.put(Family::meta, "kinesis/iterator-secret", iterator_secret_);
    if (auto s = store_.commit(b); !s) return s;
  }
  std::string prefix = "kinesis/stream/";
  std::unique_lock lock(mu_);
  store_.scan(Family::meta, prefix, storage::prefix_end(prefix), [&](std::string_view key, std::string_view value) {
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded()) return true;
    StreamPtr s(Stream::from_json(j).release());
    by_id_[s->id] = s;
    streams_[std::string(key)] = std::move(s);
    return true;
  });
  return Ok{};
}

void Kinesis::attach_scheduler(Scheduler& scheduler) {
  subscriptions_ = std::make_unique<Subscriptions>(*this, scheduler);
}

uint64_t Kinesis::offset_for_sequence(storage::TopicPartition tp, const SequenceParts& parts, const std::string& text,
                                      bool after, uint64_t end) {
  uint64_t o = parts.offset;
  if (o >= end) return end;
  // Numbers that name no record (a shard's StartingSequenceNumber, a continuation number)
  // start at the first record after them.
  auto ts = log_.timestamp_at(tp, o);
  if (!ts) return o;  // trimmed: reading resumes at the first live record
  // Sequence numbers all have the same length, so string order is numeric order.
  std::string actual = make_sequence_number(*ts, tp.topic, parts.shard_index, o);
  const std::string& given = text;
  if (actual == given) return std::min(o + (after ? 1 : 0), end);
  return actual > given ? o : std::min(o + 1, end);
}

Status Kinesis::persist(const Stream& stream) {
  storage::Batch b;
  b.put(Family::meta, meta_key(stream.account, stream.region, stream.name), stream.to_json().dump());
  return store_.commit(b);
}

void Kinesis::begin_update(Stream& stream) {
  stream.status = "UPDATING";
  stream.status_until_ms = clock_.now_ms() + options_.update_delay_ms;
}

void Kinesis::purge_if_deleted(const std::string& key) {
  auto it = streams_.find(key);
  if (it == streams_.end()) return;
  if (it->second->effective_status(clock_.now_ms()) == "DELETED") {
    by_id_.erase(it->second->id);
    streams_.erase(it);
  }
}

Result<StreamPtr> Kinesis::find(const std::string& account, const std::string& region, const std::string& name) {
  std::string key = meta_key(account, region, name);
  {
    std::shared_lock lock(mu_);
    auto it = streams_.find(key);
    if (it == streams_.end()) return not_found(name, account);
    if (it->second->effective_status(clock_.now_ms()) != "DELETED") return it->second;
  }
  std::unique_lock lock(mu_);
  purge_if_deleted(key);
  return not_found(name, account);
}

StreamPtr Kinesis::find_by_id(uint64_t id) {
  std::shared_lock lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end() || it->second->effective_status(clock_.now_ms()) == "DELETED") return nullptr;
  return it->second;
}

Result<StreamPtr> Kinesis::resolve(const Context& ctx, const json& input) {
  if (auto arn = input.find("StreamARN"); arn != input.end()) {
    // arn:aws:kinesis:REGION:ACCOUNT:stream/NAME
    std::string a = arn->get<std::string>();
    std::vector<std::string> parts;
    size_t pos = 0;
    for (int i = 0; i < 5; ++i) {
      size_t colon = a.find(':', pos);
      if (colon == std::string::npos) break;
      parts.push_back(a.substr(pos, colon - pos));
      pos = colon + 1;
    }
    std::string resource = pos <= a.size() ? a.substr(pos) : "";
    if (parts.size() != 5 || parts[2] != "kinesis" || resource.rfind("stream/", 0) != 0)
      return AwsError{"InvalidArgumentException", "Invalid StreamARN: " + a, 400, true, {}};
    std::string name = resource.substr(7);
    if (auto n = input.find("StreamName"); n != input.end() && n->get<std::string>() != name)
      return AwsError{"InvalidArgumentException",
                      "StreamARN " + a + " and StreamName " + n->get<std::string>() + " do not match.", 400, true, {}};
    return find(parts[4], parts[3], name);
  }
  if (auto n = input.find("StreamName"); n != input.end()) return find(ctx.account, ctx.region, n->get<std::string>());
  // AWS's wording for this is not documented; the error type is InvalidArgumentException.
  return AwsError{"InvalidArgumentException", "Either StreamName or StreamARN must be provided.", 400, true, {}};
}

std::vector<StreamPtr> Kinesis::list(const std::string& account, const std::string& region) {
  std::vector<StreamPtr> out;
  std::string prefix = "kinesis/stream/" + account + "/" + region + "/";
  int64_t now = clock_.now_ms();
  std::shared_lock lock(mu_);
  for (auto it = streams_.lower_bound(prefix); it != streams_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    if (it->second->effective_status(now) != "DELETED") out.push_back(it->second);
  return out;
}

int Kinesis::open_shards(const std::string& account, const std::string& region) {
  int n = 0;
  for (auto& s : list(account, region)) {
    std::shared_lock lock(s->mu);
    n += int(s->open_shard_count());
  }
  return n;
}

int Kinesis::shard_limit(const std::string& region) const {
  if (options_.shard_limit > 0) return options_.shard_limit;
  // AWS's default quotas: 20,000 shards in the three largest regions, 1,000 elsewhere.
  return region == "us-east-1" || region == "us-west-2" || region == "eu-west-1" ? 20000 : 1000;
}

AwsError Kinesis::shard_limit_error(const std::string& account, const std::string& region, int open,
                                    int additional) const {
  return {"LimitExceededException",
          "This request would exceed the shard limit for the account " + account + " in " + region +
              ". Current shard count for the account: " + std::to_string(open) +
              ". Limit: " + std::to_string(shard_limit(region)) +
              ". Number of additional shards that would have resulted from this request: " + std::to_string(additional) +
              ". Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/"
              "aws_service_limits.html) for current limits and how to request higher limits.",
          400, true, {}};
}

int Kinesis::on_demand_streams(const std::string& account, const std::string& region) {
  int n = 0;
  for (auto& s : list(account, region)) {
    std::shared_lock lock(s->mu);
    n += s->mode == "ON_DEMAND";
  }
  return n;
}

Shard& Kinesis::new_shard(Stream& stream, u128 start, u128 end, std::optional<uint32_t> parent,
                          std::optional<uint32_t> adjacent) {
  Shard sh;
  sh.index = stream.next_shard_index();
  sh.start = start;
  sh.end = end;
  sh.parent = parent;
  sh.adjacent_parent = adjacent;
  sh.created_ms = clock_.now_ms();
  stream.shards.push_back(sh);
  return stream.shards.back();
}

void Kinesis::close_shard(Stream& stream, Shard& shard) {
  storage::TopicPartition tp{stream.id, shard.index};
  shard.end_offset = log_.head(tp);
  // Never earlier than the last record, so EndingSequenceNumber bounds every record's number.
  int64_t last = shard.end_offset > 0 ? log_.timestamp_at(tp, shard.end_offset - 1).value_or(0) : 0;
  shard.closed_ms = std::max(clock_.now_ms(), last);
}

Result<StreamPtr> Kinesis::create(const Context& ctx, const std::string& name, int shard_count,
                                  const std::string& mode, const std::map<std::string, std::string>& tags) {
  std::string key = meta_key(ctx.account, ctx.region, name);
  int open = open_shards(ctx.account, ctx.region);
  std::unique_lock lock(mu_);
  purge_if_deleted(key);
  if (streams_.count(key))
    return AwsError{"ResourceInUseException",
                    "Stream " + name + " under account " + ctx.account + " already exists.", 400, true, {}};
  if (open + shard_count > shard_limit(ctx.region))
    return shard_limit_error(ctx.account, ctx.region, open, shard_count);
  auto topic = log_.allocate_topic();
  if (!topic) return topic.error();
  auto stream = std::make_shared<Stream>();
  stream->id = *topic;
  int64_t now = clock_.now_ms();
  stream->account = ctx.account;
  stream->region = ctx.region;
  stream->name = name;
  stream->created_ms = now;
  stream->status = "CREATING";
  stream->status_until_ms = now + options_.create_delay_ms;
  stream->mode = mode;
  stream->tags = tags;
  for (int i = 0; i < shard_count; ++i)
    new_shard(*stream, uniform_start(i, shard_count),
              i + 1 == shard_count ? kMaxHashKey : uniform_start(i + 1, shard_count) - 1, std::nullopt, std::nullopt);
  storage::Batch b;
  b.put(Family::meta, key, stream->to_json().dump());
  if (auto s = store_.commit(b); !s) return s.error();
  streams_[key] = stream;
  by_id_[stream->id] = stream;
  return stream;
}

Status Kinesis::remove(const Context& ctx, const StreamPtr& stream, bool enforce_consumer_deletion) {
  std::unique_lock lock(stream->mu);
  if (!stream->consumers.empty() && !enforce_consumer_deletion)
    return AwsError{"ResourceInUseException",
                    "DeleteStream can't delete " + stream->arn() +
                        " because there are consumers associated with this data stream. To delete " + stream->name +
                        " anyway, set the EnforceConsumerDeletion parameter to true to force the deletion of all the "
                        "consumers that are associated with it.",
                    400, true, {}};
  storage::Batch b;
  b.del(Family::meta, meta_key(stream->account, stream->region, stream->name));
  storage::PartitionedLog::drop_topic(stream->id, b);
  if (auto s = store_.commit(b); !s) return s;
  stream->status = "DELETING";
  stream->status_until_ms = clock_.now_ms() + options_.delete_delay_ms;
  stream->consumers.clear();
  return Ok{};
}

Status Kinesis::split(Stream& stream, uint32_t shard_index, u128 new_start) {
  Shard* parent = nullptr;
  for (auto& s : stream.shards)
    if (s.index == shard_index) parent = &s;
  if (!parent || !parent->open()) return AwsError::internal("split of a closed shard");
  u128 start = parent->start, end = parent->end;
  close_shard(stream, *parent);
  new_shard(stream, start, new_start - 1, shard_index, std::nullopt);
  new_shard(stream, new_start, end, shard_index, std::nullopt);
  return Ok{};
}

Status Kinesis::merge(Stream& stream, uint32_t shard_index, uint32_t adjacent_index) {
  Shard *a = nullptr, *b = nullptr;
  for (auto& s : stream.shards) {
    if (s.index == shard_index) a = &s;
    if (s.index == adjacent_index) b = &s;
  }
  if (!a || !b || !a->open() || !b->open()) return AwsError::internal("merge of a closed shard");
  u128 start = std::min(a->start, b->start), end = std::max(a->end, b->end);
  close_shard(stream, *a);
  close_shard(stream, *b);
  new_shard(stream, start, end, shard_index, adjacent_index);
  return Ok{};
}

Status Kinesis::update_shard_count(Stream& stream, int target) {
  // As AWS does, reach a uniform layout through real splits and merges, so every new shard
  // has at most two parents and consumers that follow lineage keep per-key order.
  std::vector<u128> bounds;
  for (int j = 1; j < target; ++j) bounds.push_back(uniform_start(j, target));
  std::vector<uint32_t> open;
  for (auto& s : stream.shards)
    if (s.open()) open.push_back(s.index);
  for (uint32_t index : open) {
    uint32_t current = index;
    for (u128 b : bounds) {
      const Shard* cur = stream.shard(current);
      if (b > cur->start && b <= cur->end) {
        if (auto s = split(stream, current, b); !s) return s;
        current = stream.shards.back().index;  // the right-hand child continues
      }
    }
  }
  for (int j = 0; j < target; ++j) {
    u128 lo = j == 0 ? 0 : bounds[j - 1];
    std::vector<std::pair<u128, uint32_t>> pieces;
    for (auto& s : stream.shards)
      if (s.open() && s.start >= lo && (j + 1 == target || s.start < bounds[j])) pieces.emplace_back(s.start, s.index);
    std::sort(pieces.begin(), pieces.end());
    if (pieces.empty()) continue;
    uint32_t acc = pieces[0].second;
    for (size_t i = 1; i < pieces.size(); ++i) {
      if (auto s = merge(stream, acc, pieces[i].second); !s) return s;
      acc = stream.shards.back().index;
    }
  }
  return Ok{};
}

Kinesis::StoredRecord Kinesis::parse_payload(std::string_view payload) {
  StoredRecord r;
  if (payload.size() < 3) return r;
  r.encrypted = payload[0] & 1;
  size_t n = std::min<size_t>((uint8_t(payload[1]) << 8) | uint8_t(payload[2]), payload.size() - 3);
  r.partition_key = payload.substr(3, n);
  r.data = payload.substr(3 + n);
  return r;
}

std::vector<RecordOutcome> Kinesis::put(Stream& stream, std::vector<RecordInput>& records) {
  std::vector<RecordOutcome> out(records.size());
  std::shared_lock lock(stream.mu);
  int64_t now = clock_.now_ms();
  const char flags = stream.encryption == "KMS" ? 1 : 0;
  // One log append per shard touched, its records in request order; slot[i] is the append of
  // stream.shards[i] (-1: none yet) and members[k] the record indexes of append k.
  std::vector<storage::PartitionedLog::Append> appends;
  std::vector<std::vector<size_t>> members;
  std::vector<int> slot(stream.shards.size(), -1);
  for (size_t i = 0; i < records.size(); ++i) {
    RecordInput& r = records[i];
    u128 hash = r.explicit_hash_key ? *r.explicit_hash_key : hash_of_partition_key(r.partition_key());
    const Shard* shard = stream.shard_for_hash(hash);
    if (!shard) {
      out[i].error_code = "InternalFailure";
      out[i].error_message = "Internal service failure.";
      continue;
    }
    out[i].shard_index = shard->index;
    if (options_.throttle) {
      ShardThroughput& t = stream.throughput_of(shard->index, options_.limits, now);
      if (!t.try_write(now, r.size())) {
        out[i].error_code = "ProvisionedThroughputExceededException";
        out[i].error_message = "Rate exceeded for shard " + shard->id() + " in stream " + stream.name +
                               " under account " + stream.account + ".";
        continue;
      }
    }
    r.payload[0] = flags;
    int& k = slot[size_t(shard - stream.shards.data())];
    if (k < 0) {
      k = int(appends.size());
      appends.push_back({{stream.id, shard->index}, {}});
      appends.back().payloads.reserve(records.size());
      members.emplace_back().reserve(records.size());
    }
    appends[size_t(k)].payloads.push_back(r.payload);
    members[size_t(k)].push_back(i);
  }
  if (appends.empty()) return out;
  storage::Batch batch;
  auto results = log_.append(appends, batch);
  for (size_t k = 0; k < appends.size(); ++k) {
    for (size_t j = 0; j < members[k].size(); ++j) {
      RecordOutcome& o = out[members[k][j]];
      if (!results) {
        o.error_code = "InternalFailure";
        o.error_message = "Internal service failure.";
      } else {
        o.timestamp_ms = (*results)[k].timestamp_ms;
        o.offset = (*results)[k].first_offset + j;
      }
    }
  }
  return out;
}

std::string Kinesis::billing_commitment(const std::string& account, const std::string& region) {
  return store_.get(Family::meta, "kinesis/account/" + account + "/" + region).value_or("DISABLED");
}

Status Kinesis::set_billing_commitment(const std::string& account, const std::string& region,
                                       const std::string& status) {
  storage::Batch b;
  b.put(Family::meta, "kinesis/account/" + account + "/" + region, status);
  return store_.commit(b);
}

json Kinesis::describe_state() {
  json streams = json::array();
  std::vector<StreamPtr> all;
  {
    std::shared_lock lock(mu_);
    for (auto& [k, s] : streams_) all.push_back(s);
  }
  int64_t now = clock_.now_ms();
  for (auto& s : all) {
    std::shared_lock lock(s->mu);
    std::string status = s->effective_status(now);
    if (status == "DELETED") continue;
    json shards = json::array();
    for (auto& sh : s->shards) {
      storage::TopicPartition tp{s->id, sh.index};
      shards.push_back({{"ShardId", sh.id()},
                        {"Open", sh.open()},
                        {"Records", log_.head(tp) - log_.first_live(tp)}});
    }
    streams.push_back({{"Account", s->account}, {"Region", s->region}, {"StreamName", s->name},
                       {"StreamStatus", status}, {"RetentionPeriodHours", s->retention_hours},
                       {"Consumers", s->consumers.size()}, {"Shards", shards}});
  }
  return {{"streams", streams}, {"subscriptions", subscriptions_ ? subscriptions_->active() : 0}};
}

Status Kinesis::reset(const std::string& account) {
  std::unique_lock lock(mu_);
  storage::Batch b;
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (account.empty() || it->second->account == account) {
      b.del(Family::meta, it->first);
      storage::PartitionedLog::drop_topic(it->second->id, b);
      by_id_.erase(it->second->id);
      it = streams_.erase(it);
    } else {
      ++it;
    }
  }
  return store_.commit(b);
}

void Kinesis::maintain() {
  std::vector<StreamPtr> all;
  {
    std::unique_lock lock(mu_);
    for (auto it = streams_.begin(); it != streams_.end();) {
      auto next = std::next(it);
      purge_if_deleted(it->first);
      it = next;
    }
    for (auto& [k, s] : streams_) all.push_back(s);
  }
  int64_t now = clock_.now_ms();
  for (auto& s : all) {
    std::shared_lock lock(s->mu);
    int64_t cutoff = now - int64_t(s->retention_hours) * 3600 * 1000;
    for (auto& sh : s->shards) (void)log_.trim_before_time({s->id, sh.index}, cutoff);
  }
}

}  // namespace streamlab::kinesis
