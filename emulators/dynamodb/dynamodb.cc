#include "emulators/dynamodb/dynamodb.h"

#include <algorithm>
#include <set>

#include <spdlog/spdlog.h>

#include "emulators/dynamodb/item_codec.h"
#include "emulators/dynamodb/key_codec.h"
#include "emulators/dynamodb/stream_record.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::dynamodb {

using storage::Family;

namespace {
bool has_key_attr(const Item& item, const KeyElement& k) {
  auto it = item.find(k.name);
  return it != item.end() && it->second.type == k.type;
}

bool items_equal(const Item& a, const Item& b) {
  if (a.size() != b.size()) return false;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
    if (ia->first != ib->first || !equals(ia->second, ib->second)) return false;
  return true;
}

Item key_of(const KeySchema& schema, const Item& item) {
  Item k;
  if (auto it = item.find(schema.hash.name); it != item.end()) k.insert(*it);
  if (schema.range)
    if (auto it = item.find(schema.range->name); it != item.end()) k.insert(*it);
  return k;
}

Item projected(const SecondaryIndex& x, const KeySchema& table_key, const Item& item) {
  if (x.projection.type == "ALL") return item;
  Item out;
  for (auto& [k, v] : item)
    if (x.projects(k, table_key)) out.emplace(k, v);
  return out;
}
}  // namespace

DynamoDB::DynamoDB(storage::Store& store, storage::PartitionedLog& log, const Clock& clock, DynamoOptions options)
    : store_(store), log_(log), clock_(clock), options_(options), items_(options.item_cache_bytes) {}
DynamoDB::~DynamoDB() = default;

std::string DynamoDB::meta_key(const std::string& account, const std::string& region, const std::string& name) {
  std::string key;
  key.reserve(12 + account.size() + region.size() + name.size());
  key.append("ddb/table/").append(account).append(1, '/').append(region).append(1, '/').append(name);
  return key;
}

std::string DynamoDB::stream_meta_key(uint64_t uid) {
  std::string k = "ddb/stream/";
  storage::put_u64(k, uid);
  return k;
}

AwsError DynamoDB::table_not_found(const std::string& name) {
  return {"ResourceNotFoundException", "Requested resource not found: Table: " + name + " not found", 400, true, {}};
}
AwsError DynamoDB::not_found() { return {"ResourceNotFoundException", "Requested resource not found", 400, true, {}}; }

Status DynamoDB::load() {
  if (auto secret = store_.get(Family::meta, "ddb/iterator-secret")) {
    iterator_secret_ = *secret;
  } else {
    iterator_secret_ = random_bytes(32);
    storage::Batch b;
    b.put(Family::meta, "ddb/iterator-secret", iterator_secret_);
    if (auto s = store_.commit(b); !s) return s;
  }
  if (auto v = store_.get(Family::meta, "ddb/next-uid"); v && v->size() == 8) next_uid_ = storage::get_u64(*v);
  std::unique_lock lock(mu_);
  std::unique_lock slock(streams_mu_);
  std::string sp = "ddb/stream/";
  store_.scan(Family::meta, sp, storage::prefix_end(sp), [&](std::string_view, std::string_view value) {
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded()) return true;
    auto s = std::make_shared<Stream>(Stream::from_json(j));
    next_uid_ = std::max(next_uid_, s->uid + 1);
    streams_[s->uid] = std::move(s);
    return true;
  });
  std::string tp = "ddb/table/";
  store_.scan(Family::meta, tp, storage::prefix_end(tp), [&](std::string_view key, std::string_view value) {
    json j = json::parse(value, nullptr, false);
    if (j.is_discarded()) return true;
    TablePtr t(Table::from_json(j).release());
    next_uid_ = std::max(next_uid_, t->uid + 1);
    for (auto& x : t->gsis) next_uid_ = std::max(next_uid_, x.uid + 1);
    for (auto& x : t->lsis) next_uid_ = std::max(next_uid_, x.uid + 1);
    if (t->stream_uid)
      if (auto it = streams_.find(*t->stream_uid); it != streams_.end()) t->stream = it->second;
    tables_[std::string(key)] = std::move(t);
    return true;
  });
  return Ok{};
}

uint64_t DynamoDB::next_uid() {
  std::lock_guard lock(uid_mu_);
  uint64_t uid = next_uid_++;
  storage::Batch b;
  std::string v;
  storage::put_u64(v, next_uid_);
  b.put(Family::meta, "ddb/next-uid", v);
  (void)store_.commit(b);
  return uid;
}

void DynamoDB::purge_if_deleted(const std::string& key) {
  auto it = tables_.find(key);
  if (it != tables_.end() && it->second->effective_status(clock_.now_ms()) == "DELETED") tables_.erase(it);
}

Result<TablePtr> DynamoDB::find(const Context& ctx, const std::string& name, bool active) {
  std::string key, table;
  bool arn = name.rfind("arn:", 0) == 0;
  if (!arn) {
    key = meta_key(ctx.account, ctx.region, name);
  } else {
    // arn:aws:dynamodb:REGION:ACCOUNT:table/NAME
    std::vector<std::string> parts;
    size_t pos = 0;
    for (int i = 0; i < 5; ++i) {
      size_t colon = name.find(':', pos);
      if (colon == std::string::npos) break;
      parts.push_back(name.substr(pos, colon - pos));
      pos = colon + 1;
    }
    std::string resource = parts.size() == 5 ? name.substr(pos) : "";
    if (parts.size() != 5 || parts[2] != "dynamodb" || resource.rfind("table/", 0) != 0)
      return AwsError::validation("Invalid TableArn: Invalid ResourceArn provided as input " + name);
    table = resource.substr(6);
    key = meta_key(parts[4], parts[3], table);
  }
  std::shared_lock lock(mu_);
  auto it = tables_.find(key);
  int64_t now = clock_.now_ms();
  const std::string& shown = arn ? table : name;  // the name as messages quote it
  if (it == tables_.end()) return active ? not_found() : table_not_found(shown);
  std::string status = it->second->effective_status(now);
  if (status == "DELETED") return active ? not_found() : table_not_found(shown);
  if (active && (status == "CREATING" || status == "DELETING")) return not_found();
  return it->second;
}

std::vector<TablePtr> DynamoDB::list(const std::string& account, const std::string& region) {
  std::vector<TablePtr> out;
  std::string prefix = "ddb/table/" + account + "/" + region + "/";
  int64_t now = clock_.now_ms();
  std::shared_lock lock(mu_);
  for (auto it = tables_.lower_bound(prefix); it != tables_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    if (it->second->effective_status(now) != "DELETED") out.push_back(it->second);
  return out;
}

void DynamoDB::persist_stream(const Stream& stream, storage::Batch& batch) {
  batch.put(Family::meta, stream_meta_key(stream.uid), stream.to_json().dump());
}

Status DynamoDB::persist(const Table& table) {
  storage::Batch b;
  b.put(Family::meta, meta_key(table.account, table.region, table.name), table.to_json().dump());
  return store_.commit(b);
}

void DynamoDB::begin_update(Table& table) {
  table.set_status("UPDATING", clock_.now_ms() + options_.update_delay_ms);
}

Result<TablePtr> DynamoDB::create(const Context& ctx, std::unique_ptr<Table> owned, const std::string& view) {
  TablePtr table(owned.release());
  std::string key = meta_key(ctx.account, ctx.region, table->name);
  int64_t now = clock_.now_ms();
  table->account = ctx.account;
  table->region = ctx.region;
  table->uid = next_uid();
  for (auto& x : table->lsis) x.uid = next_uid();
  for (auto& x : table->gsis) x.uid = next_uid();
  table->id = uuid_v4();
  table->created_ms = now;
  table->set_status("CREATING", now + options_.create_delay_ms);
  table->counted = true;  // a new table is empty
  std::unique_lock lock(mu_);
  purge_if_deleted(key);
  if (tables_.count(key))
    return AwsError{"ResourceInUseException", "Table already exists: " + table->name, 400, true, {}};
  if (!view.empty())
    if (auto s = enable_stream(*table, view); !s) return s.error();
  if (auto s = persist(*table); !s) return s.error();
  tables_[key] = table;
  return table;
}

Status DynamoDB::remove(const TablePtr& table) {
  std::unique_lock lock(table->mu);
  storage::Batch b;
  b.del(Family::meta, meta_key(table->account, table->region, table->name));
  std::string items = item_prefix(table->uid);
  b.del_range(Family::kv, items, storage::prefix_end(items));
  for (auto* list : {&table->lsis, &table->gsis})
    for (auto& x : *list) {
      std::string p = index_prefix(x.uid);
      b.del_range(Family::kv, p, storage::prefix_end(p));
    }
  std::unique_lock slock(streams_mu_);
  if (table->stream_enabled()) {
    Stream& s = *table->stream;
    if (StreamShard* open = s.open_shard()) {
      open->end_offset = log_.head({s.topic(), open->index});
      open->closed_ms = clock_.now_ms();
    }
    s.enabled = false;
    s.disabled_ms = clock_.now_ms();
    persist_stream(s, b);
  }
  if (auto s = store_.commit(b); !s) return s;
  table->set_status("DELETING", clock_.now_ms() + options_.delete_delay_ms);
  return Ok{};
}

Status DynamoDB::enable_stream(Table& table, const std::string& view_type) {
  auto stream = std::make_shared<Stream>();
  int64_t now = clock_.now_ms();
  auto topic = log_.allocate_topic();
  if (!topic) return topic.error();
  stream->log_topic = *topic;
  stream->uid = next_uid();
  stream->table_uid = table.uid;
  stream->account = table.account;
  stream->region = table.region;
  stream->table_name = table.name;
  stream->view_type = view_type;
  stream->key_schema = table.key.to_json();
  stream->created_ms = now;
  // A new stream gets a new label (and ARN), even when re-enabled within the same millisecond.
  int64_t label_ms = now;
  std::unique_lock slock(streams_mu_);
  for (auto& [uid, s] : streams_)
    if (s->table_name == table.name && s->account == table.account && s->region == table.region &&
        s->label >= stream_label(label_ms))
      label_ms = std::max(label_ms, s->created_ms + 1);
  stream->label = stream_label(label_ms);
  StreamShard shard;
  shard.index = 0;
  shard.created_ms = now;
  stream->shards.push_back(shard);
  storage::Batch b;
  persist_stream(*stream, b);
  table.stream = stream;
  table.stream_uid = stream->uid;
  b.put(Family::meta, meta_key(table.account, table.region, table.name), table.to_json().dump());
  if (auto s = store_.commit(b); !s) return s;
  streams_[stream->uid] = stream;
  return Ok{};
}

Status DynamoDB::disable_stream(Table& table) {
  if (!table.stream_enabled()) return Ok{};
  std::unique_lock slock(streams_mu_);
  Stream& s = *table.stream;
  int64_t now = clock_.now_ms();
  if (StreamShard* open = s.open_shard()) {
    open->end_offset = log_.head({s.topic(), open->index});
    open->closed_ms = now;
  }
  s.enabled = false;
  s.disabled_ms = now;
  storage::Batch b;
  persist_stream(s, b);
  b.put(Family::meta, meta_key(table.account, table.region, table.name), table.to_json().dump());
  return store_.commit(b);
}

std::string DynamoDB::primary_key(const KeySchema& schema, const Item& item) {
  std::string out;
  encode_key_value(item.at(schema.hash.name), out);
  if (schema.range) encode_key_value(item.at(schema.range->name), out);
  return out;
}

std::optional<Item> DynamoDB::decode_primary_key(const KeySchema& schema, std::string_view in, size_t& pos) {
  Item key;
  auto h = decode_key_value(schema.hash.type, in, pos);
  if (!h) return std::nullopt;
  key.emplace(schema.hash.name, std::move(*h));
  if (schema.range) {
    auto r = decode_key_value(schema.range->type, in, pos);
    if (!r) return std::nullopt;
    key.emplace(schema.range->name, std::move(*r));
  }
  return key;
}

std::string DynamoDB::item_key(const Table& table, const Item& item) const {
  return item_prefix(table.uid) + primary_key(table.key, item);
}

std::optional<std::string> DynamoDB::get_raw(const Table& table, const Item& key) {
  std::string k = item_key(table, key);
  size_t stripe = ItemCache::stripe_of(k);
  std::lock_guard lock(items_.lock(stripe));
  if (auto* cached = items_.find(stripe, k)) return *cached;
  auto stored = store_.get(Family::kv, k);
  items_.remember(stripe, k, stored);
  return stored;
}

std::optional<Item> DynamoDB::get(const Table& table, const Item& key) {
  auto v = get_raw(table, key);
  if (!v) return std::nullopt;
  return decode_item(*v);
}

void DynamoDB::index_changes(const Table& table, const std::string& pk, const Item* old_item, const Item* new_item,
                             storage::Batch& batch) {
  if (table.lsis.empty() && table.gsis.empty()) return;
  int64_t now = clock_.now_ms();
  auto entry = [&](const SecondaryIndex& x, const Item* item) -> std::optional<std::string> {
    if (!item || !has_key_attr(*item, x.key.hash) || (x.key.range && !has_key_attr(*item, *x.key.range)))
      return std::nullopt;
    std::string k = index_prefix(x.uid);
    encode_key_value(item->at(x.key.hash.name), k);
    if (x.key.range) encode_key_value(item->at(x.key.range->name), k);
    k += pk;
    return k;
  };
  for (auto* list : {&table.lsis, &table.gsis})
    for (auto& x : *list) {
      if (x.effective_status(now) == "DELETED") continue;
      auto old_key = entry(x, old_item), new_key = entry(x, new_item);
      if (old_key && old_key != new_key) batch.del(Family::kv, *old_key);
      if (new_key && (old_key != new_key || !items_equal(*old_item, *new_item))) batch.put(Family::kv, *new_key, "");
      int64_t old_bytes = old_key ? int64_t(item_size(projected(x, table.key, *old_item))) : 0;
      int64_t new_bytes = new_key ? int64_t(item_size(projected(x, table.key, *new_item))) : 0;
      x.counters->items += int64_t(new_key.has_value()) - int64_t(old_key.has_value());
      x.counters->bytes += new_bytes - old_bytes;
    }
}

Status DynamoDB::write(std::vector<ItemWrite>& writes, bool all_or_nothing, Actor actor, bool tables_locked) {
  struct Slot {
    std::string pk, key;
    size_t stripe;
    bool changed = false;
    std::optional<std::string> stored;  // what the commit leaves in storage
  };
  std::vector<Slot> slots(writes.size());
  std::vector<Table*> tables;
  std::vector<size_t> stripes;
  for (size_t i = 0; i < writes.size(); ++i) {
    slots[i].pk = primary_key(writes[i].table->key, writes[i].key);
    slots[i].key = item_prefix(writes[i].table->uid) + slots[i].pk;
    slots[i].stripe = ItemCache::stripe_of(slots[i].key);
    tables.push_back(writes[i].table.get());
    stripes.push_back(slots[i].stripe);
  }
  // Fixed lock order (tables by address, then stripes by number): no deadlocks between writers.
  std::sort(tables.begin(), tables.end());
  tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
  std::sort(stripes.begin(), stripes.end());
  stripes.erase(std::unique(stripes.begin(), stripes.end()), stripes.end());
  std::vector<std::shared_lock<std::shared_mutex>> table_locks;
  if (!tables_locked)
    for (Table* t : tables) table_locks.emplace_back(t->mu);
  int64_t now = clock_.now_ms();
  for (Table* t : tables) {
    std::string st = t->effective_status(now);
    if (st == "DELETING" || st == "DELETED") return not_found();
  }
  std::vector<std::unique_lock<std::mutex>> stripe_locks;
  for (size_t s : stripes) stripe_locks.emplace_back(items_.lock(s));

  std::optional<AwsError> first_error;
  for (size_t i = 0; i < writes.size(); ++i) {
    ItemWrite& w = writes[i];
    const std::optional<std::string>* stored = items_.find(slots[i].stripe, slots[i].key);
    std::optional<std::string> fetched;
    if (!stored) {
      fetched = store_.get(Family::kv, slots[i].key);
      stored = &fetched;
    }
    if (*stored) {
      w.old_item = decode_item(**stored);
      if (!w.old_item) return AwsError::internal("corrupt item in storage");
    }
    if (stored == &fetched) items_.remember(slots[i].stripe, slots[i].key, std::move(fetched));
    auto d = w.decide(w.old_item);
    if (!d) {
      w.error = d.error();
      if (!first_error) first_error = d.error();
    } else {
      w.decision = std::move(*d);
    }
  }
  if (first_error && (all_or_nothing || writes.size() == 1)) return *first_error;

  storage::Batch batch;
  std::vector<std::string> payloads;  // reserved before the first record: the log's string_views stay valid
  std::map<Stream*, std::vector<std::string_view>> by_stream;
  for (size_t i = 0; i < writes.size(); ++i) {
    ItemWrite& w = writes[i];
    if (w.error || w.decision.op == WriteOp::None) continue;
    const Item* new_item = nullptr;
    const Item* old_item = w.old_item ? &*w.old_item : nullptr;
    if (w.decision.op == WriteOp::Put) {
      slots[i].stored = encode_item(w.decision.item);
      batch.put(Family::kv, slots[i].key, *slots[i].stored);
      new_item = &w.decision.item;
      slots[i].changed = true;
    } else if (old_item) {
      batch.del(Family::kv, slots[i].key);
      slots[i].changed = true;
    } else {
      continue;  // deleting nothing changes nothing
    }
    Table& t = *w.table;
    index_changes(t, slots[i].pk, old_item, new_item, batch);
    if (t.counted) {
      t.counters.items += int64_t(new_item != nullptr) - int64_t(old_item != nullptr);
      t.counters.bytes += int64_t(new_item ? item_size(*new_item) : 0) - int64_t(old_item ? item_size(*old_item) : 0);
    }
    if (!t.stream_enabled()) continue;
    StreamEvent event;
    if (old_item && new_item) {
      if (items_equal(*old_item, *new_item)) continue;  // nothing changed: no MODIFY
      event = StreamEvent::modify;
    } else {
      event = new_item ? StreamEvent::insert : StreamEvent::remove;
    }
    if (payloads.empty()) payloads.reserve(writes.size());
    payloads.push_back(encode_change(event, t.stream->view_type, actor == Actor::ttl_service,
                                     key_of(t.key, new_item ? *new_item : *old_item),
                                     new_item ? &*slots[i].stored : nullptr, old_item));
    by_stream[t.stream.get()].push_back(payloads.back());
  }
  // The cached copies follow the commit, still under the stripe locks; after a failed commit
  // nothing changed, but forgetting is the answer that cannot be wrong.
  auto settle = [&](bool committed) {
    for (auto& slot : slots) {
      if (!slot.changed) continue;
      if (committed) items_.remember(slot.stripe, slot.key, std::move(slot.stored));
      else items_.forget(slot.stripe, slot.key);
    }
  };
  if (by_stream.empty()) {
    if (batch.count() == 0) return Ok{};
    Status s = store_.commit(batch);
    settle(bool(s));
    return s;
  }
  std::vector<storage::PartitionedLog::Append> appends;
  for (auto& [stream, views] : by_stream) {
    StreamShard* shard = stream->open_shard();
    if (!shard) return AwsError::internal("stream without an open shard");
    appends.push_back({{stream->topic(), shard->index}, std::move(views)});
  }
  auto r = log_.append(appends, batch);
  settle(bool(r));
  if (!r) return r.error();
  return Ok{};
}

void DynamoDB::ensure_counted(Table& table) {
  if (table.counted) return;
  std::unique_lock lock(table.mu);
  if (table.counted) return;
  int64_t items = 0, bytes = 0;
  std::map<const SecondaryIndex*, std::pair<int64_t, int64_t>> idx;
  std::string p = item_prefix(table.uid);
  int64_t now = clock_.now_ms();
  store_.scan(Family::kv, p, storage::prefix_end(p), [&](std::string_view, std::string_view value) {
    auto item = decode_item(value);
    if (!item) return true;
    ++items;
    bytes += int64_t(item_size(*item));
    for (auto* list : {&table.lsis, &table.gsis})
      for (auto& x : *list) {
        if (x.effective_status(now) == "DELETED" || !has_key_attr(*item, x.key.hash) ||
            (x.key.range && !has_key_attr(*item, *x.key.range)))
          continue;
        auto& c = idx[&x];
        ++c.first;
        c.second += int64_t(item_size(projected(x, table.key, *item)));
      }
    return true;
  });
  table.counters.items = items;
  table.counters.bytes = bytes;
  for (auto* list : {&table.lsis, &table.gsis})
    for (auto& x : *list) {
      x.counters->items = idx[&x].first;
      x.counters->bytes = idx[&x].second;
    }
  table.counted = true;
}

Status DynamoDB::backfill_index(Table& table, const SecondaryIndex& index) {
  std::string p = item_prefix(table.uid);
  storage::Batch batch;
  Status result = Ok{};
  store_.scan(Family::kv, p, storage::prefix_end(p), [&](std::string_view key, std::string_view value) {
    auto item = decode_item(value);
    if (!item || !has_key_attr(*item, index.key.hash) || (index.key.range && !has_key_attr(*item, *index.key.range)))
      return true;
    std::string k = index_prefix(index.uid);
    encode_key_value(item->at(index.key.hash.name), k);
    if (index.key.range) encode_key_value(item->at(index.key.range->name), k);
    k.append(key.substr(p.size()));
    batch.put(Family::kv, k, "");
    index.counters->items += 1;
    index.counters->bytes += int64_t(item_size(projected(index, table.key, *item)));
    if (batch.count() >= 10000) {
      if (auto s = store_.commit(batch); !s) {
        result = s;
        return false;
      }
      batch = storage::Batch();
    }
    return true;
  });
  if (!result) return result;
  return batch.count() ? store_.commit(batch) : Status(Ok{});
}

std::shared_ptr<Stream> DynamoDB::find_stream(const std::string& arn) {
  std::shared_lock lock(streams_mu_);
  for (auto& [uid, s] : streams_)
    if (s->arn() == arn) return s;
  return nullptr;
}

std::vector<std::shared_ptr<Stream>> DynamoDB::list_streams(const std::string& account, const std::string& region) {
  std::vector<std::shared_ptr<Stream>> out;
  std::shared_lock lock(streams_mu_);
  for (auto& [uid, s] : streams_)
    if (s->account == account && s->region == region) out.push_back(s);
  return out;
}

std::optional<bool> DynamoDB::check_token(const std::string& account, const std::string& token,
                                          const std::string& fingerprint) {
  std::lock_guard lock(tokens_mu_);
  auto it = tokens_.find(account + "/" + token);
  if (it == tokens_.end() || it->second.second < clock_.now_ms()) return std::nullopt;
  return it->second.first == fingerprint;
}

void DynamoDB::record_token(const std::string& account, const std::string& token, const std::string& fingerprint) {
  std::lock_guard lock(tokens_mu_);
  tokens_[account + "/" + token] = {fingerprint, clock_.now_ms() + options_.idempotency_ms};
}

json DynamoDB::describe_state() {
  json tables = json::array();
  std::vector<TablePtr> all;
  {
    std::shared_lock lock(mu_);
    for (auto& [k, t] : tables_) all.push_back(t);
  }
  int64_t now = clock_.now_ms();
  for (auto& t : all) {
    std::string status = t->effective_status(now);
    if (status == "DELETED") continue;
    ensure_counted(*t);
    std::shared_lock lock(t->mu);
    json j = {{"Account", t->account}, {"Region", t->region}, {"TableName", t->name},
              {"TableStatus", status}, {"ItemCount", t->counters.items.load()}};
    if (t->stream_enabled()) j["StreamArn"] = t->stream->arn();
    tables.push_back(j);
  }
  return {{"tables", tables}};
}

Status DynamoDB::reset(const std::string& account) {
  std::vector<TablePtr> doomed;
  {
    std::unique_lock lock(mu_);
    for (auto it = tables_.begin(); it != tables_.end();) {
      if (account.empty() || it->second->account == account) {
        doomed.push_back(it->second);
        it = tables_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& t : doomed)
    if (auto s = remove(t); !s) return s;
  storage::Batch b;
  {
    std::unique_lock lock(streams_mu_);
    for (auto it = streams_.begin(); it != streams_.end();) {
      if (account.empty() || it->second->account == account) {
        b.del(Family::meta, stream_meta_key(it->first));
        storage::PartitionedLog::drop_topic(it->second->topic(), b);
        it = streams_.erase(it);
      } else {
        ++it;
      }
    }
  }
  {
    std::lock_guard lock(tokens_mu_);
    tokens_.clear();
  }
  return store_.commit(b);
}

void DynamoDB::maintain() {
  std::vector<TablePtr> tables;
  {
    std::unique_lock lock(mu_);
    for (auto it = tables_.begin(); it != tables_.end();) {
      auto next = std::next(it);
      purge_if_deleted(it->first);
      it = next;
    }
    for (auto& [k, t] : tables_) tables.push_back(t);
  }
  int64_t now = clock_.now_ms();
  // Roll open shards over into children, as AWS does every few hours.
  for (auto& t : tables) {
    std::unique_lock lock(t->mu);
    if (!t->stream_enabled()) continue;
    std::unique_lock slock(streams_mu_);
    Stream& s = *t->stream;
    StreamShard* open = s.open_shard();
    if (!open || now - open->created_ms < options_.shard_rollover_ms) continue;
    open->end_offset = log_.head({s.topic(), open->index});
    open->closed_ms = now;
    StreamShard child;
    child.index = open->index + 1;
    child.parent = open->index;
    child.created_ms = now;
    s.shards.push_back(child);
    storage::Batch b;
    persist_stream(s, b);
    // The rotation shows at once; if it is not stored, the next start-up still has the old shard open.
    if (auto st = store_.commit(b); !st) spdlog::warn("dynamodb: stream shard rotation not stored: {}", st.error().message);
  }
  // Retention: records older than 24 hours go, and so do streams disabled that long ago.
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::shared_lock lock(streams_mu_);
    for (auto& [uid, s] : streams_) streams.push_back(s);
  }
  int64_t cutoff = now - options_.stream_retention_ms;
  for (auto& s : streams) {
    bool expired;
    std::vector<uint32_t> indexes;
    {
      std::shared_lock lock(streams_mu_);
      expired = !s->enabled && s->disabled_ms && *s->disabled_ms < cutoff;
      for (auto& sh : s->shards) indexes.push_back(sh.index);
    }
    if (expired) {
      storage::Batch b;
      b.del(Family::meta, stream_meta_key(s->uid));
      storage::PartitionedLog::drop_topic(s->topic(), b);
      if (store_.commit(b)) {
        std::unique_lock lock(streams_mu_);
        streams_.erase(s->uid);
      }
      continue;
    }
    for (uint32_t i : indexes) (void)log_.trim_before_time({s->topic(), i}, cutoff);
  }
  std::lock_guard lock(tokens_mu_);
  for (auto it = tokens_.begin(); it != tokens_.end();)
    it = it->second.second < now ? tokens_.erase(it) : std::next(it);
}

size_t DynamoDB::sweep_expired() {
  std::vector<TablePtr> tables;
  {
    std::shared_lock lock(mu_);
    for (auto& [k, t] : tables_)
      if (t->effective_status(clock_.now_ms()) == "ACTIVE") tables.push_back(t);
  }
  size_t removed = 0;
  for (auto& t : tables) {
    std::string attr;
    {
      std::shared_lock lock(t->mu);
      if (!t->ttl_enabled) continue;
      attr = t->ttl_attribute;
    }
    int64_t now_s = clock_.now_ms() / 1000;
    // AWS: an expiry is a Number of epoch seconds; values over five years in the past are ignored.
    auto expired = [&](const std::optional<Item>& item) {
      if (!item) return false;
      auto it = item->find(attr);
      if (it == item->end() || it->second.type != AttrType::N) return false;
      Decimal when = it->second.as_number(), now = Decimal::parse(std::to_string(now_s)).value();
      Decimal floor = Decimal::parse(std::to_string(now_s - 5LL * 365 * 24 * 3600)).value();
      return Decimal::compare(when, now) < 0 && Decimal::compare(when, floor) >= 0;
    };
    std::vector<Item> keys;
    std::string p = item_prefix(t->uid);
    store_.scan(Family::kv, p, storage::prefix_end(p), [&](std::string_view, std::string_view value) {
      auto item = decode_item(value);
      if (expired(item)) keys.push_back(key_of(t->key, *item));
      return keys.size() < 10000;
    });
    for (auto& k : keys) {
      std::vector<ItemWrite> w(1);
      w[0].table = t;
      w[0].key = k;
      w[0].decide = [&](const std::optional<Item>& old) -> Result<Decision> {
        Decision d;
        if (expired(old)) d.op = WriteOp::Delete;
        return d;
      };
      if (write(w, true, Actor::ttl_service) && w[0].decision.op == WriteOp::Delete) ++removed;
    }
  }
  return removed;
}

void DynamoDB::schedule_sweep(Scheduler& scheduler) {
  scheduler.after(options_.ttl_sweep_ms, [this, &scheduler] {
    try {
      sweep_expired();
    } catch (const std::exception& e) {
      spdlog::error("dynamodb ttl sweep failed: {}", e.what());
    }
    schedule_sweep(scheduler);
  });
}

void DynamoDB::start_background(Scheduler& scheduler) { schedule_sweep(scheduler); }

}  // namespace streamlab::dynamodb
