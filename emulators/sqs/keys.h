#pragma once
// Every RocksDB key SQS writes, and its grammar. Integers are fixed-width big-endian, so a
// queue's messages sort by sequence number. Persisted values are versioned by their first byte;
// never renumber them.
//
// meta family
//   queue_key     := "sqs/queue/" account "/" region "/" name   -> queue JSON (Queue::to_json)
//   "sqs/next-queue-id"                                      -> u64, next queue id
//   "sqs/receipt-secret"                                     -> 32 random bytes (HMAC key of receipt handles)
//   seq_key       := "sqs/seq/" queue_id:u64                 -> u64: sequence numbers below it may have
//                                                               been used (reserved in blocks, never reused)
//   task_key      := "sqs/task/" task_id                     -> message move task JSON
// kv family
//   journal_key   := "sqs/j/" queue_id:u64 key:u64           -> journal entry (journal.h): one per change
//                                                               of the queue's messages; `key` comes from
//                                                               the queue's sequence counter, so entries sort
//                                                               in the order they were made
//   dedup_key     := "sqs/d/" queue_id:u64 scope_key         -> 0x01 expires_ms:u64 len:u32 message_id
//                                                               len:u32 sequence_number
//                    (FIFO deduplication; scope_key = dedup id, or group id "\0" dedup id per group)
//   Before the journal (read once at start-up, then moved into the journal and removed):
//   message_key   := "sqs/m/" queue_id:u64 seq:u64           -> message record (message.h), immutable
//   state_key     := "sqs/s/" queue_id:u64 seq:u64           -> delivery state (message.h); absent until
//                                                               the first receive
// One logical change is one WriteBatch: a send writes one journal entry with its records (+ dedup);
// a receive one entry with the states of every message it returns; a delete one entry naming the
// messages (and, now and then, a range delete of the journal below its oldest live record); a move
// to a dead-letter queue writes the removal in the source's journal and the record in the
// destination's in the same batch.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/storage/big_endian.h"

namespace streamlab::sqs::keys {

inline std::string queue(std::string_view account, std::string_view region, std::string_view name) {
  std::string k = "sqs/queue/";
  k.append(account).append("/").append(region).append("/").append(name);
  return k;
}
inline constexpr std::string_view kQueuePrefix = "sqs/queue/";
inline constexpr std::string_view kNextQueueId = "sqs/next-queue-id";
inline constexpr std::string_view kReceiptSecret = "sqs/receipt-secret";
inline constexpr std::string_view kTaskPrefix = "sqs/task/";

inline std::string with_queue(std::string_view prefix, uint64_t queue_id) {
  std::string k(prefix);
  storage::put_u64(k, queue_id);
  return k;
}
inline std::string seq(uint64_t queue_id) { return with_queue("sqs/seq/", queue_id); }
inline std::string task(std::string_view id) { return std::string(kTaskPrefix) + std::string(id); }

inline constexpr std::string_view kMessage = "sqs/m/";
inline constexpr std::string_view kState = "sqs/s/";
inline constexpr std::string_view kDedup = "sqs/d/";
inline constexpr std::string_view kJournal = "sqs/j/";

inline std::string message(uint64_t queue_id, uint64_t seq) {
  std::string k = with_queue(kMessage, queue_id);
  storage::put_u64(k, seq);
  return k;
}
inline std::string state(uint64_t queue_id, uint64_t seq) {
  std::string k = with_queue(kState, queue_id);
  storage::put_u64(k, seq);
  return k;
}
inline std::string journal(uint64_t queue_id, uint64_t key) {
  std::string k = with_queue(kJournal, queue_id);
  storage::put_u64(k, key);
  return k;
}
inline std::string dedup(uint64_t queue_id, std::string_view scope_key) {
  std::string k = with_queue(kDedup, queue_id);
  k.append(scope_key);
  return k;
}
// Sequence number of a message or state key, or the key of a journal entry.
inline uint64_t seq_of(std::string_view key) { return storage::get_u64(key, key.size() - 8); }

}  // namespace streamlab::sqs::keys
