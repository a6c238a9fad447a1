#include "emulators/sqs/queue.h"

#include <algorithm>
#include <unordered_set>

#include "emulators/sqs/errors.h"
#include "emulators/sqs/keys.h"
#include "emulators/sqs/receipt.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sqs {

using storage::Family;

namespace {
constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;
constexpr int64_t kMaxVisibilityMs = 12 * 3600 * 1000;
constexpr int64_t kPurgeIntervalMs = 60 * 1000;
constexpr uint64_t kSeqBlock = 1 << 20;
// Records kept in memory per queue (the newest sends while there is room): enough for a
// working set of in-flight and waiting messages without letting a backlog grow the heap.
constexpr size_t kCacheBytes = 4 << 20;
// The journal's garbage is range-deleted once the oldest referenced entry moved this many keys
// (a range tombstone now and then, not one per change: each makes reads consult it).
constexpr uint64_t kGcSpan = 4096;
// A record older than this many keys (a message nobody deletes) is written again at the end of
// the journal, so it does not hold back the collection of everything after it.
constexpr uint64_t kRewriteSpan = 1 << 16;
constexpr size_t kRewriteBatch = 256;
// Legacy records moved into the journal per WriteBatch at start-up.
constexpr size_t kMigrateBatch = 512;

size_t cached_size(const MessageRecord& r) { return sizeof(MessageRecord) + r.body.size() + attributes_size(r.attributes); }

std::string encode_dedup(int64_t expires_ms, const std::string& message_id, const std::string& sequence_number) {
  std::string v(1, char(1));
  storage::put_u64(v, uint64_t(expires_ms));
  storage::put_u32(v, uint32_t(message_id.size()));
  v += message_id;
  storage::put_u32(v, uint32_t(sequence_number.size()));
  v += sequence_number;
  return v;
}

void del_prefix(storage::Batch& b, std::string_view prefix, uint64_t queue_id) {
  std::string p = keys::with_queue(prefix, queue_id);
  b.del_range(Family::kv, p, storage::prefix_end(p));
}
}  // namespace

Queue::Queue(QueueIdentity identity, QueueConfig config, storage::Store& store, const Clock& clock,
             Scheduler* scheduler, const std::string& receipt_secret)
    : id_(std::move(identity)), store_(store), clock_(clock), scheduler_(scheduler), secret_(receipt_secret),
      config_(std::move(config)) {
  modified_s_ = id_.created_s;
  publish_send_settings();
}

void Queue::publish_send_settings() {
  send_delay_seconds_.store(config_.delay_seconds(), std::memory_order_relaxed);
  max_message_size_.store(config_.maximum_message_size(), std::memory_order_relaxed);
  content_based_dedup_.store(config_.content_based_deduplication(), std::memory_order_relaxed);
}

std::string Queue::arn() const { return "arn:aws:sqs:" + id_.region + ":" + id_.account + ":" + id_.name; }
std::string Queue::meta_key() const { return keys::queue(id_.account, id_.region, id_.name); }

json Queue::meta_json() const {
  return {{"id", id_.id},          {"account", id_.account},   {"region", id_.region},
          {"name", id_.name},      {"fifo", id_.fifo},         {"created", id_.created_s},
          {"modified", modified_s_}, {"attributes", config_.to_json()}, {"tags", tags_},
          {"last_purge_ms", last_purge_ms_}};
}

json Queue::to_json() const {
  std::lock_guard lock(mu_);
  return meta_json();
}

QueuePtr Queue::from_json(const json& j, storage::Store& store, const Clock& clock, Scheduler* scheduler,
                          const std::string& receipt_secret) {
  QueueIdentity id;
  id.id = j.value("id", uint64_t(0));
  id.account = j.value("account", "");
  id.region = j.value("region", "");
  id.name = j.value("name", "");
  id.fifo = j.value("fifo", false);
  id.created_s = j.value("created", int64_t(0));
  auto q = std::make_shared<Queue>(id, QueueConfig::from_json(j.value("attributes", json::object()), id.fifo), store,
                                   clock, scheduler, receipt_secret);
  q->modified_s_ = j.value("modified", id.created_s);
  q->last_purge_ms_ = j.value("last_purge_ms", int64_t(0));
  if (auto t = j.find("tags"); t != j.end() && t->is_object())
    for (auto& [k, v] : t->items())
      if (v.is_string()) q->tags_[k] = v.get<std::string>();
  return q;
}

void Queue::persist_to(storage::Batch& batch) const { batch.put(Family::meta, meta_key(), meta_json().dump()); }

Status Queue::persist() {
  std::lock_guard lock(mu_);
  storage::Batch b;
  persist_to(b);
  return store_.commit(b);
}

Status Queue::load_messages() {
  int64_t t = now();
  std::map<uint64_t, Entry> loaded;
  uint64_t max_seq = 0, max_key = 0, min_key = UINT64_MAX;
  auto entry_of = [&](const MessageRecord& rec) {
    Entry e;
    e.sent_ms = rec.sent_ms;
    e.state.visible_at_ms = rec.visible_at_ms;
    if (id_.fifo) e.group = rec.group_id;
    return e;
  };
  // The journal, replayed in order: each item is a whole fact about one message.
  std::string jp = keys::with_queue(keys::kJournal, id_.id);
  store_.scan(Family::kv, jp, storage::prefix_end(jp), [&](std::string_view key, std::string_view value) {
    uint64_t k = keys::seq_of(key);
    max_key = std::max(max_key, k);
    min_key = std::min(min_key, k);
    read_journal(value, [&](const JournalItem& i) {
      switch (i.kind) {
        case JournalKind::record: {
          auto rec = MessageRecord::decode(i.record);
          if (!rec) return;
          Entry e = entry_of(*rec);
          if (!i.state.empty())
            if (auto st = DeliveryState::decode(i.state)) e.state = *st;
          e.record_key = k;
          loaded[i.seq] = std::move(e);
          max_seq = std::max(max_seq, i.seq);
          return;
        }
        case JournalKind::state:
          if (auto it = loaded.find(i.seq); it != loaded.end())
            if (auto st = DeliveryState::decode(i.state)) it->second.state = *st;
          return;
        case JournalKind::removed:
          loaded.erase(i.seq);
          return;
      }
    });
    return true;
  });
  // Messages written before the journal: records and states under their own keys.
  std::map<uint64_t, std::string> legacy;
  std::string mp = keys::with_queue(keys::kMessage, id_.id);
  store_.scan(Family::kv, mp, storage::prefix_end(mp), [&](std::string_view key, std::string_view value) {
    auto rec = MessageRecord::decode(value);
    if (!rec) return true;
    uint64_t seq = keys::seq_of(key);
    loaded[seq] = entry_of(*rec);
    legacy.emplace(seq, std::string(value));
    max_seq = std::max(max_seq, seq);
    return true;
  });
  storage::Batch cleanup;
  std::string sp = keys::with_queue(keys::kState, id_.id);
  store_.scan(Family::kv, sp, storage::prefix_end(sp), [&](std::string_view key, std::string_view value) {
    auto it = legacy.find(keys::seq_of(key));
    auto st = DeliveryState::decode(value);
    if (it == legacy.end() || !st) cleanup.del(Family::kv, key);  // the message is gone
    else loaded.at(it->first).state = *st;
    return true;
  });
  std::string dp = keys::with_queue(keys::kDedup, id_.id);
  store_.scan(Family::kv, dp, storage::prefix_end(dp), [&](std::string_view key, std::string_view value) {
    if (value.size() < 13 || value[0] != 1) return true;
    int64_t expires = int64_t(storage::get_u64(value, 1));
    uint32_t n = storage::get_u32(value, 9);
    if (expires <= t || 13 + n + 4 > value.size()) {
      cleanup.del(Family::kv, key);
      return true;
    }
    std::string message_id(value.substr(13, n));
    uint32_t m = storage::get_u32(value, 13 + n);
    std::string seqnum(value.substr(17 + n, m));
    dedup_[std::string(key.substr(dp.size()))] = Dedup{expires, std::move(message_id), std::move(seqnum)};
    return true;
  });
  uint64_t reserved = 0;
  if (auto v = store_.get(Family::meta, keys::seq(id_.id)); v && v->size() == 8) reserved = storage::get_u64(*v);
  next_seq_ = std::max({max_seq + 1, max_key + 1, reserved});
  reserved_ = reserved;
  // Entries below the oldest record still referenced hold nothing live.
  uint64_t low = max_key + 1;
  for (auto& [seq, e] : loaded)
    if (!legacy.count(seq)) low = std::min(low, e.record_key);
  if (min_key < low) cleanup.del_range(Family::kv, keys::journal(id_.id, 0), keys::journal(id_.id, low));
  if (cleanup.count() > 0)
    if (auto s = store_.commit(cleanup); !s) return s;
  {
    std::lock_guard refs(refs_mu_);
    for (auto& [seq, e] : loaded)
      if (!legacy.count(seq)) refs_[e.record_key]++;
  }
  if (!legacy.empty())
    if (auto s = migrate_legacy(loaded, legacy); !s) return s;
  std::lock_guard lock(mu_);
  gc_floor_ = low;
  for (auto& [seq, e] : loaded) index_insert(seq, std::move(e), t);
  return Ok{};
}

// Moves messages stored before the journal into it: each WriteBatch writes an entry with their
// records and states and removes their old keys, so a crash halfway leaves each message in
// exactly one place.
Status Queue::migrate_legacy(std::map<uint64_t, Entry>& loaded, std::map<uint64_t, std::string>& records) {
  auto it = records.begin();
  while (it != records.end()) {
    JournalEntry journal;
    std::vector<uint64_t> seqs;
    storage::Batch batch;
    size_t bytes = 0;
    for (; it != records.end() && seqs.size() < kMigrateBatch && bytes < (4u << 20); ++it) {
      Entry& e = loaded.at(it->first);
      journal.record(it->first, it->second, &e.state);
      batch.del(Family::kv, keys::message(id_.id, it->first));
      batch.del(Family::kv, keys::state(id_.id, it->first));
      bytes += it->second.size();
      seqs.push_back(it->first);
    }
    uint64_t key = allocate_record_key(uint32_t(seqs.size()));
    batch.put(Family::kv, keys::journal(id_.id, key), journal.bytes());
    if (auto s = store_.commit(batch); !s) return s;
    for (uint64_t seq : seqs) loaded.at(seq).record_key = key;
  }
  return Ok{};
}

uint64_t Queue::allocate_seq() {
  uint64_t s = next_seq_.fetch_add(1);
  if (s >= reserved_.load()) {
    // Reserve a block on disk first, so a number is never handed out twice, even after a crash
    // that lost every message carrying it.
    std::lock_guard lock(reserve_mu_);
    if (s >= reserved_.load()) {
      uint64_t r = s + kSeqBlock;
      storage::Batch b;
      std::string v;
      storage::put_u64(v, r);
      b.put(Family::meta, keys::seq(id_.id), v);
      (void)store_.commit(b);
      reserved_ = r;
    }
  }
  return s;
}

std::string Queue::sequence_number(uint64_t seq) const { return std::to_string(10000000000000000000ull + seq); }

std::string Queue::receipt_for(uint64_t seq, uint32_t gen) const {
  return encode_receipt({id_.id, seq, gen}, secret_);
}

// ---------------------------------------------------------------- journal

uint64_t Queue::allocate_record_key(uint32_t messages) {
  std::lock_guard lock(refs_mu_);
  uint64_t key = allocate_seq();
  refs_.try_emplace(refs_.end(), key, 0)->second += messages;  // a fresh key: the greatest, or nearly
  return key;
}

void Queue::release_records(const std::vector<uint64_t>& keys) {
  if (keys.empty()) return;
  std::lock_guard lock(refs_mu_);
  for (uint64_t k : keys) {
    auto it = refs_.find(k);
    if (it != refs_.end() && --it->second == 0) refs_.erase(it);
  }
}

uint64_t Queue::journal_floor() {
  std::lock_guard lock(refs_mu_);
  // With nothing referenced, every key handed out so far is garbage; later records get higher keys.
  return refs_.empty() ? next_seq_.load() : refs_.begin()->first;
}

void Queue::append(storage::Batch& batch, const JournalEntry& journal) {
  if (!journal.empty()) batch.put(Family::kv, keys::journal(id_.id, allocate_seq()), journal.bytes());
}

void Queue::collect_journal(storage::Batch& batch) {
  uint64_t low = journal_floor();
  if (low < gc_floor_ + kGcSpan) return;
  batch.del_range(Family::kv, keys::journal(id_.id, gc_floor_), keys::journal(id_.id, low));
  gc_floor_ = low;
}

void Queue::rewrite_old_records(storage::Batch& batch, std::vector<uint64_t>& released) {
  uint64_t next = next_seq_.load();
  if (next - std::min(next, journal_floor()) < kRewriteSpan) return;
  uint64_t before = next - kRewriteSpan / 2;
  JournalEntry journal;
  std::vector<Entry*> moved;
  for (auto& [seq, e] : messages_) {
    if (moved.size() >= kRewriteBatch) break;
    if (e.record_key >= before) continue;
    auto rec = read_record(seq, e);
    if (!rec) continue;
    journal.record(seq, rec->encode(), &e.state);
    released.push_back(e.record_key);
    moved.push_back(&e);
  }
  if (moved.empty()) return;
  uint64_t key = allocate_record_key(uint32_t(moved.size()));
  for (Entry* e : moved) e->record_key = key;
  batch.put(Family::kv, keys::journal(id_.id, key), journal.bytes());
}

// ---------------------------------------------------------------- index (mu_ held)

// New messages carry the highest sequence number, sent time and visibility so far, so every
// insertion is hinted at the end: the trees then skip a descent that, in a queue holding
// hundreds of thousands of messages, is a chain of cache misses.
void Queue::index_insert(uint64_t seq, Entry entry, int64_t t) {
  Entry& e = messages_.insert_or_assign(messages_.end(), seq, std::move(entry))->second;
  if (e.cached) {
    size_t n = cached_size(*e.cached);
    if (cached_bytes_ + n > kCacheBytes) e.cached.reset();
    else cached_bytes_ += n;
  }
  expiry_.emplace_hint(expiry_.end(), e.sent_ms, seq);
  if (id_.fifo) groups_[e.group].seqs.insert(seq);
  if (e.state.visible_at_ms <= t) {
    e.ready = true;
    e.in_flight = false;
    ready_.emplace_hint(ready_.end(), seq);
  } else {
    e.ready = false;
    e.in_flight = e.state.receive_count > 0;
    if (e.in_flight) {
      ++in_flight_;
      if (id_.fifo) groups_[e.group].in_flight++;
    }
    timed_.emplace_hint(timed_.end(), e.state.visible_at_ms, seq);
  }
}

void Queue::index_erase(uint64_t seq) {
  auto it = messages_.find(seq);
  if (it == messages_.end()) return;
  Entry& e = it->second;
  if (e.ready) ready_.erase(seq);
  else timed_.erase({e.state.visible_at_ms, seq});
  expiry_.erase({e.sent_ms, seq});
  if (e.in_flight) --in_flight_;
  if (e.cached) cached_bytes_ -= cached_size(*e.cached);
  if (id_.fifo) {
    auto g = groups_.find(e.group);
    if (g != groups_.end()) {
      if (e.in_flight) g->second.in_flight--;
      g->second.seqs.erase(seq);
      if (g->second.seqs.empty()) groups_.erase(g);
    }
  }
  messages_.erase(it);
}

void Queue::set_in_flight(Entry& e, bool in_flight) {
  if (e.in_flight == in_flight) return;
  e.in_flight = in_flight;
  in_flight ? ++in_flight_ : --in_flight_;
  if (id_.fifo) groups_[e.group].in_flight += in_flight ? 1 : -1;
}

void Queue::make_ready(uint64_t seq, Entry& e, int64_t t) {
  if (!e.ready) {
    timed_.erase({e.state.visible_at_ms, seq});
    ready_.insert(seq);
    e.ready = true;
  }
  e.state.visible_at_ms = t;
}

void Queue::make_timed(uint64_t seq, Entry& e, int64_t visible_at) {
  if (e.ready) ready_.erase(seq);
  else timed_.erase({e.state.visible_at_ms, seq});
  e.ready = false;
  e.state.visible_at_ms = visible_at;
  timed_.emplace(visible_at, seq);
}

size_t Queue::promote(int64_t t) {
  size_t n = 0;
  while (!timed_.empty() && timed_.begin()->first <= t) {
    uint64_t seq = timed_.begin()->second;
    timed_.erase(timed_.begin());
    Entry& e = messages_.at(seq);
    set_in_flight(e, false);
    e.ready = true;
    ready_.insert(seq);
    ++n;
  }
  return n;
}

void Queue::expire(int64_t t, JournalEntry& journal, std::vector<uint64_t>& released) {
  int64_t cutoff = t - config_.retention_seconds() * 1000;
  while (!expiry_.empty() && expiry_.begin()->first <= cutoff) {
    uint64_t seq = expiry_.begin()->second;
    journal.removed(seq);
    released.push_back(messages_.at(seq).record_key);
    index_erase(seq);
  }
}

std::vector<uint64_t> Queue::pick(int max) {
  std::vector<uint64_t> out;
  if (!id_.fifo) {
    for (auto it = ready_.begin(); it != ready_.end() && int(out.size()) < max; ++it) out.push_back(*it);
    return out;
  }
  // FIFO: groups in the order of their oldest visible message; a group with a message in flight
  // is skipped, and within a group messages go in order up to the first one not yet visible.
  std::unordered_set<std::string> seen;
  for (auto it = ready_.begin(); it != ready_.end() && int(out.size()) < max; ++it) {
    const Entry& e = messages_.at(*it);
    if (!seen.insert(e.group).second) continue;
    const Group& g = groups_.at(e.group);
    if (g.in_flight > 0) continue;
    for (uint64_t s : g.seqs) {
      if (int(out.size()) >= max || !messages_.at(s).ready) break;
      out.push_back(s);
    }
  }
  return out;
}

std::shared_ptr<const MessageRecord> Queue::read_record(uint64_t seq, const Entry& e) {
  if (e.cached) return e.cached;
  auto bytes = store_.get(Family::kv, keys::journal(id_.id, e.record_key));
  if (!bytes) return nullptr;
  auto record = journal_record(*bytes, seq);
  if (!record) return nullptr;
  auto decoded = MessageRecord::decode(*record);
  if (!decoded) return nullptr;
  return std::make_shared<const MessageRecord>(std::move(*decoded));
}

void Queue::relocate(uint64_t seq, MessageRecord rec, Queue& target, bool as_dead_letter, storage::Batch& batch,
                     JournalEntry& journal, std::vector<uint64_t>& released, std::vector<Adopted>& out) {
  Entry old = messages_.at(seq);
  index_erase(seq);
  journal.removed(seq);
  released.push_back(old.record_key);
  uint64_t nseq = target.allocate_seq();
  int64_t t = now();
  rec.visible_at_ms = t;
  rec.dlq_source_arn = as_dead_letter ? arn() : std::string();
  rec.sequence_number = target.fifo() ? target.sequence_number(nseq) : std::string();
  Entry e;
  e.sent_ms = rec.sent_ms;  // retention keeps counting from the original send
  e.state.visible_at_ms = t;
  if (as_dead_letter) {
    e.state.receive_count = old.state.receive_count;
    e.state.first_receive_ms = old.state.first_receive_ms;
  }
  if (target.fifo()) e.group = rec.group_id;
  JournalEntry moved;
  moved.record(nseq, rec.encode(), e.state.receive_count > 0 ? &e.state : nullptr);
  e.record_key = target.allocate_record_key(1);
  batch.put(Family::kv, keys::journal(target.id(), e.record_key), moved.bytes());
  out.push_back({nseq, std::move(e)});
}

// ---------------------------------------------------------------- waiters (mu_ held)

Queue::Waiters Queue::take_waiters(size_t n) {
  Waiters out;
  while (out.size() < n && !waiters_.empty()) {
    auto w = std::move(waiters_.front());
    waiters_.pop_front();
    if (!w->claimed()) out.push_back(std::move(w));
  }
  return out;
}

void Queue::arm_wake_timer(int64_t t) {
  while (!waiters_.empty() && waiters_.front()->claimed()) waiters_.pop_front();
  if (!scheduler_ || waiters_.empty() || timed_.empty()) return;
  int64_t at = timed_.begin()->first;
  if (at >= wake_at_) return;
  wake_at_ = at;
  std::weak_ptr<Queue> self = weak_from_this();
  scheduler_->after(std::max<int64_t>(1, at - t), [self] {
    if (auto q = self.lock()) q->on_wake_timer();
  });
}

void Queue::on_wake_timer() {
  Waiters wake;
  {
    std::lock_guard lock(mu_);
    wake_at_ = INT64_MAX;
    int64_t t = now();
    wake = take_waiters(promote(t));
    arm_wake_timer(t);
  }
  for (auto& w : wake) w->wake();
}

// ---------------------------------------------------------------- configuration

QueueConfig Queue::config() const {
  std::lock_guard lock(mu_);
  return config_;
}

int64_t Queue::receive_wait_seconds() const {
  std::lock_guard lock(mu_);
  return config_.receive_wait_seconds();
}

std::optional<RedrivePolicy> Queue::redrive_policy() const {
  std::lock_guard lock(mu_);
  return config_.redrive_policy();
}

Status Queue::set_attributes(const AttributeMap& attributes) {
  std::lock_guard lock(mu_);
  QueueConfig next = config_;
  if (auto s = next.apply(attributes, false); !s) return s;
  config_ = std::move(next);
  publish_send_settings();
  modified_s_ = now() / 1000;
  storage::Batch b;
  persist_to(b);
  return store_.commit(b);
}

std::map<std::string, std::string> Queue::tags() const {
  std::lock_guard lock(mu_);
  return tags_;
}

Status Queue::tag(const std::map<std::string, std::string>& add) {
  std::lock_guard lock(mu_);
  auto next = tags_;
  for (auto& [k, v] : add) next[k] = v;
  if (next.size() > 50) return invalid_parameter_value("Too many tags added for queue " + id_.name + ".");
  tags_ = std::move(next);
  storage::Batch b;
  persist_to(b);
  return store_.commit(b);
}

Status Queue::untag(const std::vector<std::string>& keys) {
  std::lock_guard lock(mu_);
  for (auto& k : keys) tags_.erase(k);
  storage::Batch b;
  persist_to(b);
  return store_.commit(b);
}

Status Queue::add_permission(const std::string& label, const std::vector<std::string>& accounts,
                             const std::vector<std::string>& actions) {
  std::lock_guard lock(mu_);
  auto it = config_.values().find("Policy");
  json policy = it == config_.values().end() ? json() : json::parse(it->second, nullptr, false);
  if (!policy.is_object())
    policy = {{"Version", "2012-10-17"}, {"Id", arn() + "/SQSDefaultPolicy"}, {"Statement", json::array()}};
  if (!policy.contains("Statement") || !policy["Statement"].is_array()) policy["Statement"] = json::array();
  for (auto& s : policy["Statement"])
    if (s.is_object() && s.value("Sid", "") == label)
      return invalid_parameter_value("Value " + label + " for parameter Label is invalid. Reason: Already exists.");
  json principals = json::array(), acts = json::array();
  for (auto& a : accounts) principals.push_back("arn:aws:iam::" + a + ":root");
  for (auto& a : actions) acts.push_back("SQS:" + a);
  policy["Statement"].push_back({{"Sid", label},
                                 {"Effect", "Allow"},
                                 {"Principal", {{"AWS", principals.size() == 1 ? principals[0] : principals}}},
                                 {"Action", acts.size() == 1 ? acts[0] : acts},
                                 {"Resource", arn()}});
  config_.set_policy(policy.dump());
  storage::Batch b;
  persist_to(b);
  return store_.commit(b);
}

Status Queue::remove_permission(const std::string& label) {
  std::lock_guard lock(mu_);
  auto it = config_.values().find("Policy");
  json policy = it == config_.values().end() ? json() : json::parse(it->second, nullptr, false);
  bool found = false;
  json kept = json::array();
  if (policy.is_object() && policy.contains("Statement") && policy["Statement"].is_array()) {
    for (auto& s : policy["Statement"]) {
      if (s.is_object() && s.value("Sid", "") == label) found = true;
      else kept.push_back(s);
    }
  }
  if (!found) return invalid_parameter_value("Value " + label + " for parameter Label is invalid. Reason: can't find label.");
  policy["Statement"] = kept;
  config_.set_policy(kept.empty() ? std::string() : policy.dump());
  storage::Batch b;
  persist_to(b);
  return store_.commit(b);
}

int64_t Queue::last_modified_s() const {
  std::lock_guard lock(mu_);
  return modified_s_;
}

// ---------------------------------------------------------------- messages

Status Queue::check_send(const SendRequest& r) const {
  // Reads the atomic copies of the settings: every sender passes here, and taking the queue's
  // mutex for it made concurrent senders wait on each other.
  if (id_.fifo) {
    if (r.delay_seconds && *r.delay_seconds != 0)
      return not_valid_for_queue_type("DelaySeconds", std::to_string(*r.delay_seconds));
    if (r.group_id.empty()) return missing_parameter("MessageGroupId");
    if (r.dedup_id.empty() && !content_based_dedup_.load(std::memory_order_relaxed))
      return invalid_parameter_value(
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
          "explicitly");
  } else if (!r.dedup_id.empty()) {
    return not_valid_for_queue_type("MessageDeduplicationId", r.dedup_id);
  }
  size_t size = r.body.size() + attributes_size(r.attributes);
  int64_t max_size = max_message_size_.load(std::memory_order_relaxed);
  if (int64_t(size) > max_size)
    return invalid_parameter_value("One or more parameters are invalid. Reason: Message must be shorter than " +
                                   std::to_string(max_size) + " bytes.");
  return Ok{};
}

Result<Queue::PendingSend> Queue::begin_send(std::vector<SendRequest> requests, std::unique_lock<std::mutex>& lock) {
  PendingSend p;
  std::vector<SendResult>& out = p.out;
  std::vector<std::pair<uint64_t, Entry>>& added = p.added;
  std::vector<std::string>& new_dedup = p.new_dedup;
  storage::Batch& batch = p.batch;
  JournalEntry journal;
  // FIFO queues build and commit under the lock (order and deduplication depend on it).
  // Standard queues take it only to enter the index, after the commit: their records need
  // nothing the lock guards (sequence numbers and journal keys are allocated atomically, the
  // delay is an atomic copy), so concurrent senders neither wait on each other here nor sleep
  // on the mutex, and they share RocksDB's group commit. A message enters the index only once
  // it is on disk. Digests depend on the request alone: computed before any lock.
  out.resize(requests.size());
  added.reserve(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    out[i].md5_body = md5_hex_of(requests[i].body);
    out[i].md5_attributes = md5_of_attributes(requests[i].attributes);
  }
  if (id_.fifo) lock.lock();
  if (closed_) return queue_does_not_exist(false);
  int64_t t = p.t = now();
  const int64_t queue_delay = send_delay_seconds_.load(std::memory_order_relaxed);
  for (size_t i = 0; i < requests.size(); ++i) {
    SendRequest& r = requests[i];
    SendResult& res = out[i];
    std::string scope;
    if (id_.fifo) {
      if (r.dedup_id.empty()) r.dedup_id = sha256_hex(r.body);
      scope = config_.dedup_per_message_group() ? r.group_id + '\0' + r.dedup_id : r.dedup_id;
      auto d = dedup_.find(scope);
      if (d != dedup_.end() && d->second.expires_ms > t) {  // a duplicate: accepted, not enqueued
        res.message_id = d->second.message_id;
        res.sequence_number = d->second.sequence_number;
        continue;
      }
    }
    uint64_t seq = allocate_seq();
    MessageRecord rec;
    rec.sent_ms = t;
    int64_t delay = id_.fifo ? queue_delay : r.delay_seconds.value_or(queue_delay);
    rec.visible_at_ms = t + delay * 1000;
    rec.message_id = uuid_v4();
    rec.md5_body = res.md5_body;
    rec.md5_attributes = res.md5_attributes;
    rec.sender_id = r.sender_id;
    rec.group_id = r.group_id;
    rec.trace_header = r.trace_header;
    if (id_.fifo) {
      rec.dedup_id = r.dedup_id;
      rec.sequence_number = sequence_number(seq);
      dedup_[scope] = Dedup{t + kDedupWindowMs, rec.message_id, rec.sequence_number};
      new_dedup.push_back(scope);
      batch.put(Family::kv, keys::dedup(id_.id, scope),
                encode_dedup(t + kDedupWindowMs, rec.message_id, rec.sequence_number));
    }
    rec.body = std::move(r.body);
    rec.attributes = std::move(r.attributes);
    journal.record(seq, rec.encode(), nullptr);
    res.message_id = rec.message_id;
    res.sequence_number = rec.sequence_number;
    Entry e;
    e.sent_ms = t;
    e.state.visible_at_ms = rec.visible_at_ms;
    if (id_.fifo) e.group = rec.group_id;
    e.cached = std::make_shared<const MessageRecord>(std::move(rec));
    added.emplace_back(seq, std::move(e));
  }
  if (!added.empty()) {
    p.key = allocate_record_key(uint32_t(added.size()));
    for (auto& a : added) a.second.record_key = p.key;
    batch.put(Family::kv, keys::journal(id_.id, p.key), journal.bytes());
  }
  return p;
}

Result<std::vector<SendResult>> Queue::finish_send(PendingSend& p, const Status& committed,
                                                   std::unique_lock<std::mutex>& lock) {
  if (!lock.owns_lock()) lock.lock();
  if (!committed) {
    for (auto& k : p.new_dedup) dedup_.erase(k);
    if (p.key) release_records(std::vector<uint64_t>(p.added.size(), p.key));
    return committed.error();
  }
  Waiters wake;
  if (!closed_) {
    size_t now_ready = 0;
    for (auto& [seq, e] : p.added) {
      now_ready += e.state.visible_at_ms <= p.t;
      index_insert(seq, std::move(e), now());
    }
    wake = take_waiters(now_ready);
    arm_wake_timer(now());
  }
  lock.unlock();
  for (auto& w : wake) w->wake();
  return std::move(p.out);
}

Result<std::vector<SendResult>> Queue::send(std::vector<SendRequest> requests) {
  std::unique_lock lock(mu_, std::defer_lock);
  auto p = begin_send(std::move(requests), lock);
  if (!p) return p.error();
  Status committed = p->batch.count() > 0 ? store_.commit(p->batch) : Status(Ok{});
  return finish_send(*p, committed, lock);
}

void Queue::send_after_turn(std::vector<SendRequest> requests, SendDone done) {
  // FIFO sends commit under the queue's lock, which cannot be held across turns.
  if (id_.fifo) return done(send(std::move(requests)));
  std::unique_lock lock(mu_, std::defer_lock);
  auto p = begin_send(std::move(requests), lock);
  if (!p) return done(p.error());
  storage::Batch batch = std::move(p->batch);
  auto pending = std::make_shared<PendingSend>(std::move(*p));
  store_.commit_after_turn(std::move(batch), [this, pending, done = std::move(done)](Status committed) {
    std::unique_lock lock(mu_, std::defer_lock);
    done(finish_send(*pending, committed, lock));
  });
}

std::optional<ReceiveResult> Queue::replay_attempt(const ReceiveRequest& r, int64_t vt_ms, JournalEntry& journal) {
  int64_t t = now();
  auto it = attempts_.find(r.attempt_id);
  if (it == attempts_.end()) return std::nullopt;
  bool valid = it->second.expires_ms > t;
  for (auto& [seq, gen] : it->second.messages) {
    auto m = messages_.find(seq);
    valid = valid && m != messages_.end() && m->second.state.gen == gen && m->second.in_flight;
  }
  if (!valid) {
    attempts_.erase(it);
    return std::nullopt;
  }
  // The same messages and receipt handles again, with their visibility timeout restarted.
  ReceiveResult out;
  for (auto& [seq, gen] : it->second.messages) {
    Entry& e = messages_.at(seq);
    auto rec = read_record(seq, e);
    if (!rec) continue;
    if (vt_ms > 0) make_timed(seq, e, t + vt_ms);
    e.state.last_receive_ms = t;
    journal.state(seq, e.state);
    out.messages.emplace_back(*rec, e.state, receipt_for(seq, gen));
  }
  return out;
}

Result<ReceiveResult> Queue::receive(const ReceiveRequest& r, const QueuePtr& dead_letter,
                                     const std::shared_ptr<Waiter>& park) {
  ReceiveResult out;
  std::vector<Adopted> moved;
  Waiters wake;
  storage::Batch batch;
  JournalEntry journal;
  std::vector<uint64_t> released;
  std::vector<std::pair<uint64_t, uint32_t>> to_sign;  // (seq, gen) of out.messages, signed unlocked
  {
    std::unique_lock lock(mu_);
    if (closed_) return queue_does_not_exist(false);
    int64_t t = now();
    size_t became_ready = promote(t);
    expire(t, journal, released);
    int64_t vt_ms = r.visibility_timeout.value_or(config_.visibility_timeout()) * 1000;
    std::optional<ReceiveResult> replay;
    if (id_.fifo && !r.attempt_id.empty()) replay = replay_attempt(r, vt_ms, journal);
    if (replay) {
      out = std::move(*replay);
    } else {
      const auto& redrive = config_.redrive_policy();
      bool can_move = redrive && dead_letter && dead_letter.get() != this && !dead_letter->closed();
      std::vector<uint64_t> picked = pick(r.max);
      out.messages.reserve(picked.size());
      to_sign.reserve(picked.size());
      for (uint64_t seq : picked) {
        Entry& e = messages_.at(seq);
        auto rec = read_record(seq, e);
        if (!rec) {  // removed underneath (a purge raced a redrive into this queue)
          released.push_back(e.record_key);
          index_erase(seq);
          continue;
        }
        if (can_move && int(e.state.receive_count) >= redrive->max_receive_count) {
          relocate(seq, MessageRecord(*rec), *dead_letter, true, batch, journal, released, moved);
          continue;
        }
        e.state.receive_count++;
        e.state.gen++;
        if (!e.state.first_receive_ms) e.state.first_receive_ms = t;
        e.state.last_receive_ms = t;
        if (vt_ms > 0) {
          make_timed(seq, e, t + vt_ms);
          set_in_flight(e, true);
        } else {
          e.state.visible_at_ms = t;
        }
        journal.state(seq, e.state);
        out.messages.emplace_back(*rec, e.state, std::string());  // the one copy of the record
        to_sign.emplace_back(seq, e.state.gen);
      }
      if (id_.fifo && !r.attempt_id.empty() && !out.messages.empty())
        attempts_[r.attempt_id] = Attempt{t + kDedupWindowMs, to_sign};
    }
    // Standard queues commit the new delivery states after releasing the lock, so concurrent
    // consumers share RocksDB's group commit. The messages are already in flight in the index,
    // so no one else can receive them meanwhile, and nothing is handed out before the commit
    // lands; a crash before it leaves them as they were, which at-least-once allows. A receive
    // with visibility timeout 0 leaves its messages visible, so it commits under the lock to
    // keep each message's states on disk in order.
    bool commit_locked = id_.fifo || vt_ms == 0;
    append(batch, journal);
    if (commit_locked && batch.count() > 0)
      if (auto s = store_.commit(batch); !s) {
        release_records(released);
        return s.error();
      }
    if (out.messages.empty() && park) {
      waiters_.push_back(park);
      out.parked = true;
    }
    wake = take_waiters(became_ready);
    arm_wake_timer(t);
    if (!commit_locked && batch.count() > 0) {
      lock.unlock();
      if (auto s = store_.commit(batch); !s) {
        release_records(released);
        for (auto& w : wake) w->wake();  // they were taken: let them look again
        return s.error();
      }
    }
  }
  release_records(released);
  // Signed outside the lock; the MACs are then remembered for the deletes that bring them back,
  // unless the message was received again meanwhile.
  std::vector<ReceiptTag> tags(to_sign.size());
  for (size_t i = 0; i < to_sign.size(); ++i)
    out.messages[i].receipt_handle = encode_receipt({id_.id, to_sign[i].first, to_sign[i].second}, secret_, &tags[i]);
  if (!to_sign.empty()) {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < to_sign.size(); ++i)
      if (auto it = messages_.find(to_sign[i].first); it != messages_.end() && it->second.state.gen == to_sign[i].second) {
        it->second.issued_tag = tags[i];
        it->second.issued = true;
      }
  }
  if (!moved.empty()) dead_letter->adopt(std::move(moved));
  for (auto& w : wake) w->wake();
  return out;
}

std::vector<Status> Queue::delete_messages(const std::vector<std::string>& handles) {
  std::vector<Status> out;
  Waiters wake;
  storage::Batch batch;
  JournalEntry journal;
  std::vector<uint64_t> released;
  // Handles are parsed before taking the lock, which other consumers are waiting for. Their MAC
  // is checked under it: against the one the last receive of the message issued (a comparison),
  // or else computed (a stale, forged or pre-restart handle: not the common case).
  std::vector<std::optional<ParsedReceipt>> parsed;
  parsed.reserve(handles.size());
  out.reserve(handles.size());
  released.reserve(handles.size());
  for (auto& h : handles) parsed.push_back(parse_receipt(h));
  {
    std::lock_guard lock(mu_);
    int64_t t = now();
    size_t became_ready = promote(t);
    for (size_t i = 0; i < handles.size(); ++i) {
      const std::string& h = handles[i];
      const Receipt* rc = parsed[i] ? &parsed[i]->receipt : nullptr;
      if (!rc || rc->queue_id != id_.id) {
        out.push_back(receipt_handle_invalid(h));
        continue;
      }
      auto it = messages_.find(rc->seq);
      bool issued = it != messages_.end() && it->second.issued && it->second.state.gen == rc->gen &&
                    same_tag(it->second.issued_tag, parsed[i]->tag);
      if (!issued && !receipt_tag_valid(*rc, parsed[i]->tag, secret_)) {
        out.push_back(receipt_handle_invalid(h));
        continue;
      }
      if (it == messages_.end()) {  // deleted already: AWS accepts it again
        out.push_back(Ok{});
        continue;
      }
      Entry& e = it->second;
      // Stale once the message was received again; on FIFO queues also once its visibility ended.
      if (rc->gen != e.state.gen || (id_.fifo && !e.in_flight)) {
        out.push_back(receipt_handle_expired(h));
        continue;
      }
      std::string group = e.group;
      bool was_in_flight = e.in_flight;
      journal.removed(rc->seq);
      released.push_back(e.record_key);
      index_erase(rc->seq);
      if (id_.fifo && was_in_flight) {
        auto g = groups_.find(group);
        if (g != groups_.end() && g->second.in_flight == 0 && messages_.at(*g->second.seqs.begin()).ready)
          ++became_ready;  // the group is unblocked
      }
      out.push_back(Ok{});
    }
    wake = take_waiters(became_ready);
    arm_wake_timer(t);
    // One journal entry for the whole batch, appended at the end of the queue's keys: a
    // tombstone per key landed beside its live key instead, a full memtable search each.
    append(batch, journal);
    collect_journal(batch);
  }
  // Committed after the lock is released: the messages already left the index, so no receive can
  // hand them out meanwhile, and concurrent deleters share RocksDB's group commit. Until the
  // commit lands the delete is not acknowledged; a crash before it brings them back (their
  // records stay referenced until then, so no collection takes them).
  if (batch.count() > 0)
    if (auto s = store_.commit(batch); !s)
      for (auto& o : out)
        if (o) o = s.error();
  release_records(released);
  for (auto& w : wake) w->wake();
  return out;
}

std::vector<Status> Queue::change_visibility(const std::vector<std::pair<std::string, int64_t>>& changes) {
  std::vector<Status> out;
  Waiters wake;
  std::vector<std::optional<Receipt>> receipts;
  for (auto& change : changes) receipts.push_back(decode_receipt(change.first, secret_));
  {
    std::lock_guard lock(mu_);
    int64_t t = now();
    storage::Batch batch;
    JournalEntry journal;
    size_t became_ready = promote(t);
    for (size_t i = 0; i < changes.size(); ++i) {
      const auto& [h, seconds] = changes[i];
      const auto& rc = receipts[i];
      if (!rc || rc->queue_id != id_.id) {
        out.push_back(receipt_handle_invalid(h));
        continue;
      }
      auto it = messages_.find(rc->seq);
      if (it == messages_.end()) {
        out.push_back(not_available_for_visibility(h));
        continue;
      }
      Entry& e = it->second;
      if (rc->gen != e.state.gen) {
        out.push_back(receipt_handle_expired(h));
        continue;
      }
      if (!e.in_flight) {
        out.push_back(message_not_inflight());
        continue;
      }
      // The 12-hour limit counts from the receive, not from this change.
      if (t + seconds * 1000 - e.state.last_receive_ms > kMaxVisibilityMs) {
        out.push_back(invalid_parameter_value("Value " + std::to_string(seconds) +
                                              " for parameter VisibilityTimeout is invalid. Reason: Total "
                                              "VisibilityTimeout for the message is beyond the limit [43200 seconds]"));
        continue;
      }
      if (seconds == 0) {
        make_ready(rc->seq, e, t);
        set_in_flight(e, false);
        ++became_ready;
      } else {
        make_timed(rc->seq, e, t + seconds * 1000);
      }
      journal.state(rc->seq, e.state);
      out.push_back(Ok{});
    }
    append(batch, journal);
    if (batch.count() > 0)
      if (auto s = store_.commit(batch); !s)
        for (auto& o : out)
          if (o) o = s.error();
    wake = take_waiters(became_ready);
    arm_wake_timer(t);
  }
  for (auto& w : wake) w->wake();
  return out;
}

Status Queue::purge() {
  std::lock_guard lock(mu_);
  int64_t t = now();
  if (last_purge_ms_ && t - last_purge_ms_ < kPurgeIntervalMs) return purge_in_progress(id_.name);
  storage::Batch batch;
  del_prefix(batch, keys::kJournal, id_.id);
  int64_t previous = last_purge_ms_;
  last_purge_ms_ = t;
  persist_to(batch);
  if (auto s = store_.commit(batch); !s) {
    last_purge_ms_ = previous;
    return s;
  }
  std::vector<uint64_t> released;
  for (auto& [seq, e] : messages_) released.push_back(e.record_key);
  release_records(released);
  messages_.clear();
  ready_.clear();
  timed_.clear();
  expiry_.clear();
  groups_.clear();
  attempts_.clear();
  in_flight_ = 0;
  cached_bytes_ = 0;
  return Ok{};
}

Counts Queue::counts() {
  Waiters wake;
  Counts c;
  {
    std::lock_guard lock(mu_);
    int64_t t = now();
    storage::Batch batch;
    JournalEntry journal;
    std::vector<uint64_t> released;
    wake = take_waiters(promote(t));
    expire(t, journal, released);
    append(batch, journal);
    if (batch.count() > 0) (void)store_.commit(batch);
    release_records(released);
    c.visible = ready_.size();
    c.not_visible = in_flight_;
    c.delayed = timed_.size() - in_flight_;
  }
  for (auto& w : wake) w->wake();
  return c;
}

size_t Queue::move_out(size_t max, const std::function<QueuePtr(const MessageRecord&)>& target_of) {
  std::map<Queue*, std::pair<QueuePtr, std::vector<Adopted>>> moved;
  size_t n = 0;
  {
    std::lock_guard lock(mu_);
    if (closed_) return 0;
    int64_t t = now();
    storage::Batch batch;
    JournalEntry journal;
    std::vector<uint64_t> released;
    promote(t);
    expire(t, journal, released);
    for (uint64_t seq : pick(int(max))) {
      auto rec = read_record(seq, messages_.at(seq));
      if (!rec) {
        released.push_back(messages_.at(seq).record_key);
        index_erase(seq);
        continue;
      }
      QueuePtr target = target_of(*rec);
      if (!target || target.get() == this || target->closed()) continue;
      auto& slot = moved[target.get()];
      slot.first = target;
      relocate(seq, MessageRecord(*rec), *target, false, batch, journal, released, slot.second);
      ++n;
    }
    append(batch, journal);
    Status committed = batch.count() > 0 ? store_.commit(batch) : Status(Ok{});
    release_records(released);
    if (!committed) return 0;
  }
  for (auto& [ptr, slot] : moved) slot.first->adopt(std::move(slot.second));
  return n;
}

void Queue::adopt(std::vector<Adopted> messages) {
  Waiters wake;
  {
    std::lock_guard lock(mu_);
    int64_t t = now();
    size_t ready = 0;
    for (auto& m : messages) {
      ready += m.entry.state.visible_at_ms <= t;
      index_insert(m.seq, std::move(m.entry), t);
    }
    wake = take_waiters(ready);
    arm_wake_timer(t);
  }
  for (auto& w : wake) w->wake();
}

void Queue::close(storage::Batch& batch) {
  Waiters wake;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    batch.del(Family::meta, meta_key());
    batch.del(Family::meta, keys::seq(id_.id));
    del_prefix(batch, keys::kJournal, id_.id);
    del_prefix(batch, keys::kMessage, id_.id);  // none left after start-up; harmless
    del_prefix(batch, keys::kState, id_.id);
    del_prefix(batch, keys::kDedup, id_.id);
    wake = take_waiters(waiters_.size());
    messages_.clear();
    ready_.clear();
    timed_.clear();
    expiry_.clear();
    groups_.clear();
    in_flight_ = 0;
    cached_bytes_ = 0;
  }
  for (auto& w : wake) w->wake();
}

bool Queue::closed() const { return closed_; }

void Queue::maintain() {
  Waiters wake;
  {
    std::lock_guard lock(mu_);
    int64_t t = now();
    storage::Batch batch;
    JournalEntry journal;
    std::vector<uint64_t> released;
    wake = take_waiters(promote(t));
    expire(t, journal, released);
    append(batch, journal);
    rewrite_old_records(batch, released);
    collect_journal(batch);
    for (auto it = dedup_.begin(); it != dedup_.end();) {
      if (it->second.expires_ms <= t) {
        batch.del(Family::kv, keys::dedup(id_.id, it->first));
        it = dedup_.erase(it);
      } else {
        ++it;
      }
    }
    std::erase_if(attempts_, [&](auto& a) { return a.second.expires_ms <= t; });
    if (batch.count() > 0) (void)store_.commit(batch);
    release_records(released);
  }
  for (auto& w : wake) w->wake();
}

}  // namespace streamlab::sqs
