#pragma once
// One queue: its configuration and the in-memory index of its messages, rebuilt from RocksDB at
// start-up (keys.h). Bodies stay on disk; the index holds per message only what scheduling
// needs (~200 bytes). Every rule that depends on time reads the injected Clock, so visibility,
// delays, retention and deduplication windows are tested without sleeping.
//
// A message is in exactly one of: ready (visible now), timed (delayed, or in flight until its
// visibility timeout ends). Every mutation happens under the queue's mutex. A message enters the
// index only once it is on disk; what a request hands out (messages, receipt handles) is
// acknowledged only after its WriteBatch committed, which standard queues do after releasing the
// mutex (README, Durability).
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulators/sqs/attributes.h"
#include "emulators/sqs/journal.h"
#include "emulators/sqs/message.h"
#include "emulators/sqs/receipt.h"
#include "server/core/clock.h"
#include "server/core/scheduler.h"
#include "server/storage/store.h"

namespace streamlab::sqs {

class Queue;
using QueuePtr = std::shared_ptr<Queue>;

// A parked long poll, woken once: by a message becoming visible, its deadline, or the queue's
// deletion. Whoever wakes it first runs the callback; later wakes do nothing.
class Waiter {
 public:
  explicit Waiter(std::function<void()> on_wake) : on_wake_(std::move(on_wake)) {}
  void wake() {
    if (claimed_.exchange(true)) return;
    auto f = std::move(on_wake_);  // release what the callback holds once it has run
    f();
  }
  bool claimed() const { return claimed_.load(); }

 private:
  std::atomic<bool> claimed_{false};
  std::function<void()> on_wake_;
};

struct SendRequest {
  std::string body;
  MessageAttributes attributes;
  std::optional<int64_t> delay_seconds;  // standard queues; FIFO queues use the queue's
  std::string group_id;
  std::string dedup_id;  // FIFO; derived from the body when content-based deduplication is on
  std::string trace_header;
  std::string sender_id;
};

struct SendResult {
  std::string message_id;
  std::string md5_body;
  std::string md5_attributes;
  std::string sequence_number;
};

struct ReceiveRequest {
  int max = 1;
  std::optional<int64_t> visibility_timeout;  // seconds; the queue's when absent
  std::string attempt_id;                     // FIFO ReceiveRequestAttemptId
};

struct Delivery {
  MessageRecord record;
  DeliveryState state;
  std::string receipt_handle;
};

struct ReceiveResult {
  std::vector<Delivery> messages;
  bool parked = false;  // nothing to return; the waiter was registered
};

struct Counts {
  size_t visible = 0, not_visible = 0, delayed = 0;
};

struct QueueIdentity {
  uint64_t id = 0;
  std::string account, region, name;
  bool fifo = false;
  int64_t created_s = 0;
};

// A message's scheduling facts, as the index keeps them.
struct Entry {
  int64_t sent_ms = 0;
  DeliveryState state;
  bool in_flight = false;
  bool ready = false;
  std::string group;  // FIFO message group
  uint64_t record_key = 0;  // the journal entry that holds its record (journal.h)
  // The record as sent, kept while the queue's cache has room, so a receive of a fresh message
  // does not read it back from RocksDB.
  std::shared_ptr<const MessageRecord> cached;
  // The MAC of the receipt handle the last receive issued (when `issued` is set): a delete that
  // brings that handle back compares MACs instead of computing one. Only in memory; after a
  // restart, or for any other handle, the MAC is computed as before.
  ReceiptTag issued_tag{};
  bool issued = false;
};

// A message another queue committed into this one (dead-letter redrive, move tasks).
struct Adopted {
  uint64_t seq;
  Entry entry;
};

class Queue : public std::enable_shared_from_this<Queue> {
 public:
  Queue(QueueIdentity identity, QueueConfig config, storage::Store& store, const Clock& clock, Scheduler* scheduler,
        const std::string& receipt_secret);

  const QueueIdentity& identity() const { return id_; }
  uint64_t id() const { return id_.id; }
  const std::string& name() const { return id_.name; }
  bool fifo() const { return id_.fifo; }
  std::string arn() const;
  std::string meta_key() const;

  // Persistent metadata (meta family); `from_json` gives identity + config + tags.
  json to_json() const;
  static QueuePtr from_json(const json& j, storage::Store& store, const Clock& clock, Scheduler* scheduler,
                            const std::string& receipt_secret);
  // Rebuilds the message index from the kv family (start-up).
  Status load_messages();
  // Writes the metadata now (after a configuration change).
  Status persist();

  // Configuration.
  QueueConfig config() const;
  int64_t receive_wait_seconds() const;  // without copying the configuration
  Status set_attributes(const AttributeMap& attributes);
  std::optional<RedrivePolicy> redrive_policy() const;
  std::map<std::string, std::string> tags() const;
  Status tag(const std::map<std::string, std::string>& add);
  Status untag(const std::vector<std::string>& keys);
  Status add_permission(const std::string& label, const std::vector<std::string>& accounts,
                        const std::vector<std::string>& actions);
  Status remove_permission(const std::string& label);
  int64_t last_modified_s() const;

  // Messages.
  Status check_send(const SendRequest& request) const;  // FIFO/standard parameter rules
  Result<std::vector<SendResult>> send(std::vector<SendRequest> requests);
  // send(), answered through `done` once the commit it shares with the other requests of this
  // thread's turn is on disk (Store::commit_after_turn); FIFO queues answer at once. The caller
  // keeps the queue alive until `done` runs.
  using SendDone = std::function<void(Result<std::vector<SendResult>>)>;
  void send_after_turn(std::vector<SendRequest> requests, SendDone done);
  // Takes up to `max` messages; those past the redrive limit go to `dead_letter` instead. With
  // nothing to return and a `park` waiter, registers it (atomically with the attempt).
  Result<ReceiveResult> receive(const ReceiveRequest& request, const QueuePtr& dead_letter,
                                const std::shared_ptr<Waiter>& park);
  std::vector<Status> delete_messages(const std::vector<std::string>& receipt_handles);
  std::vector<Status> change_visibility(const std::vector<std::pair<std::string, int64_t>>& changes);
  Status purge();
  Counts counts();
  // Moves up to `max` visible messages to the queue `target` names for each (null: skip it);
  // returns how many moved. Used by message move tasks.
  size_t move_out(size_t max, const std::function<QueuePtr(const MessageRecord&)>& target);
  // Adds messages another queue already committed here.
  void adopt(std::vector<Adopted> messages);
  // Marks the queue deleted, wakes its waiters, and adds the removal of its keys to `batch`.
  void close(storage::Batch& batch);
  bool closed() const;
  // Removes messages past retention and expired deduplication entries.
  void maintain();

  uint64_t allocate_seq();
  std::string sequence_number(uint64_t seq) const;

 private:
  using Waiters = std::vector<std::shared_ptr<Waiter>>;
  struct Dedup {
    int64_t expires_ms;
    std::string message_id;
    std::string sequence_number;
  };
  struct Attempt {
    int64_t expires_ms;
    std::vector<std::pair<uint64_t, uint32_t>> messages;  // seq, gen
  };
  struct Group {
    std::set<uint64_t> seqs;
    int in_flight = 0;
  };

  int64_t now() const { return clock_.now_ms(); }
  json meta_json() const;  // mu_ held
  // A send between building its records (and batch) and entering them in the index.
  struct PendingSend {
    std::vector<SendResult> out;
    std::vector<std::pair<uint64_t, Entry>> added;
    std::vector<std::string> new_dedup;
    storage::Batch batch;
    uint64_t key = 0;  // the journal entry of the records, 0 when none
    int64_t t = 0;
  };
  // FIFO queues return holding `lock` (on mu_); standard queues never take it here.
  Result<PendingSend> begin_send(std::vector<SendRequest> requests, std::unique_lock<std::mutex>& lock);
  // Takes `lock` if not held; undoes the send when the commit failed, else indexes the records.
  Result<std::vector<SendResult>> finish_send(PendingSend& p, const Status& committed,
                                              std::unique_lock<std::mutex>& lock);
  // Index maintenance (mu_ held).
  void index_insert(uint64_t seq, Entry entry, int64_t now);
  void index_erase(uint64_t seq);
  void set_in_flight(Entry& e, bool in_flight);
  void make_ready(uint64_t seq, Entry& e, int64_t now);
  void make_timed(uint64_t seq, Entry& e, int64_t visible_at);
  size_t promote(int64_t now);  // returns how many messages became visible
  void expire(int64_t now, JournalEntry& journal, std::vector<uint64_t>& released);
  std::vector<uint64_t> pick(int max);
  std::shared_ptr<const MessageRecord> read_record(uint64_t seq, const Entry& e);
  // Moves one message to `target` as part of `batch`; `as_dead_letter` stamps the source ARN
  // and keeps the receive count, otherwise both are cleared.
  void relocate(uint64_t seq, MessageRecord record, Queue& target, bool as_dead_letter, storage::Batch& batch,
                JournalEntry& journal, std::vector<uint64_t>& released, std::vector<Adopted>& out);
  std::optional<ReceiveResult> replay_attempt(const ReceiveRequest& r, int64_t vt_ms, JournalEntry& journal);
  // Journal (journal.h). A record's entry is referenced (refs_) from the moment its key is
  // allocated until the removal of its last message committed, so the garbage collection, which
  // range-deletes the entries below the oldest referenced one, never takes a record still needed.
  uint64_t allocate_record_key(uint32_t messages);
  void release_records(const std::vector<uint64_t>& keys);
  uint64_t journal_floor();
  void append(storage::Batch& batch, const JournalEntry& journal);  // under the next key
  void collect_journal(storage::Batch& batch);                        // mu_ held
  void rewrite_old_records(storage::Batch& batch, std::vector<uint64_t>& released);  // mu_ held
  Status migrate_legacy(std::map<uint64_t, Entry>& loaded, std::map<uint64_t, std::string>& records);
  Waiters take_waiters(size_t n);
  void arm_wake_timer(int64_t now);
  void on_wake_timer();
  void persist_to(storage::Batch& batch) const;
  std::string receipt_for(uint64_t seq, uint32_t gen) const;

  QueueIdentity id_;
  storage::Store& store_;
  const Clock& clock_;
  Scheduler* scheduler_;
  const std::string& secret_;

  mutable std::mutex mu_;
  QueueConfig config_;
  // Copies of what every send reads, kept in step with config_ (under mu_) so a send reads
  // them without the mutex.
  void publish_send_settings();
  std::atomic<int64_t> send_delay_seconds_{0};
  std::atomic<int64_t> max_message_size_{0};
  std::atomic<bool> content_based_dedup_{false};
  std::map<std::string, std::string> tags_;
  int64_t modified_s_ = 0;
  int64_t last_purge_ms_ = 0;
  std::atomic<bool> closed_{false};

  std::map<uint64_t, Entry> messages_;
  std::set<uint64_t> ready_;
  std::set<std::pair<int64_t, uint64_t>> timed_;   // (visible_at_ms, seq)
  std::set<std::pair<int64_t, uint64_t>> expiry_;  // (sent_ms, seq), for retention
  size_t in_flight_ = 0;
  size_t cached_bytes_ = 0;  // records held in entries' `cached`
  std::unordered_map<std::string, Group> groups_;
  std::unordered_map<std::string, Dedup> dedup_;
  std::unordered_map<std::string, Attempt> attempts_;
  std::deque<std::shared_ptr<Waiter>> waiters_;
  int64_t wake_at_ = INT64_MAX;

  uint64_t gc_floor_ = 0;  // journal keys below it were range-deleted (mu_)
  std::mutex refs_mu_;
  std::map<uint64_t, uint32_t> refs_;  // journal key -> messages whose record it holds

  std::atomic<uint64_t> next_seq_{1};
  std::atomic<uint64_t> reserved_{0};
  std::mutex reserve_mu_;
};

}  // namespace streamlab::sqs
