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
//   message_key   := "sqs/m/" queue_id:u64 seq:u64           -> message record (message.h), immutable
//   state_key     := "sqs/s/" queue_id:u64 seq:u64           -> delivery state (message.h); absent until
//                                                               the first receive
//   dedup_key     := "sqs/d/" queue_id:u64 scope_key         -> 0x01 expires_ms:u64 len:u32 message_id
//                                                               len:u32 sequence_number
//                    (FIFO deduplication; scope_key = dedup id, or group id "\0" dedup id per group)
// One logical change is one WriteBatch: a send writes message (+ dedup); a receive writes the
// states of every message it returns; a delete removes message + state; a move to a
// dead-letter queue removes the source keys and writes the destination's in the same batch.
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
inline std::string dedup(uint64_t queue_id, std::string_view scope_key) {
  std::string k = with_queue(kDedup, queue_id);
  k.append(scope_key);
  return k;
}
// Sequence number of a message or state key.
inline uint64_t seq_of(std::string_view key) { return storage::get_u64(key, key.size() - 8); }

}  // namespace streamlab::sqs::keys
