#pragma once
// Every RocksDB key SNS writes, and its grammar. Integers are fixed-width big-endian. Persisted
// JSON values carry a "v" version member; never renumber it.
//
// meta family
//   topic_key     := "sns/topic/" account "/" region "/" name   -> topic JSON (Topic::to_json)
//   sub_key       := "sns/sub/" subscription_arn                -> subscription JSON
//   seq_key       := "sns/seq/" topic_arn                       -> u64: FIFO sequence numbers below it may
//                                                                  have been handed out (reserved in blocks)
//   "sns/signing-key"                                           -> PEM RSA private key
//   "sns/signing-cert"                                          -> PEM X.509 certificate (SigningCertURL)
// kv family
//   published_key := "sns/p/" id:u64                            -> an acknowledged publish not yet fanned
//                                                                  out (Published::encode): written before
//                                                                  Publish answers, deleted by the fan-out
//                                                                  in the batch that writes its outbox jobs
//   outbox_key    := "sns/o/" id:u64                            -> pending delivery JSON (delivery_queue.h):
//                                                                  written before Subscribe answers or by the
//                                                                  fan-out, deleted once delivered or
//                                                                  dead-lettered
//   dedup_key     := "sns/d/" topic_arn "/" dedup_id            -> FIFO deduplication: expires_ms:u64
//                                                                  sequence_len:u32 sequence message_id;
//                                                                  deleted once expired (5 minutes)
// One logical change is one WriteBatch: a topic's deletion removes the topic, its subscriptions and
// its deduplication state; a publish commits its record with its deduplication entry; a fan-out
// deletes its records and adds their outbox jobs together.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/storage/big_endian.h"

namespace streamlab::sns::keys {

inline constexpr std::string_view kTopicPrefix = "sns/topic/";
inline constexpr std::string_view kSubPrefix = "sns/sub/";
inline constexpr std::string_view kSeqPrefix = "sns/seq/";
inline constexpr std::string_view kOutboxPrefix = "sns/o/";
inline constexpr std::string_view kPublishedPrefix = "sns/p/";
inline constexpr std::string_view kDedupPrefix = "sns/d/";
inline constexpr std::string_view kSigningKey = "sns/signing-key";
inline constexpr std::string_view kSigningCert = "sns/signing-cert";

inline std::string topic(std::string_view account, std::string_view region, std::string_view name) {
  std::string k(kTopicPrefix);
  k.append(account).append("/").append(region).append("/").append(name);
  return k;
}
inline std::string subscription(std::string_view arn) { return std::string(kSubPrefix) + std::string(arn); }
inline std::string seq(std::string_view topic_arn) { return std::string(kSeqPrefix) + std::string(topic_arn); }
inline std::string outbox(uint64_t id) {
  std::string k(kOutboxPrefix);
  storage::put_u64(k, id);
  return k;
}
inline uint64_t outbox_id(std::string_view key) { return storage::get_u64(key, key.size() - 8); }
inline std::string published(uint64_t id) {
  std::string k(kPublishedPrefix);
  storage::put_u64(k, id);
  return k;
}
inline uint64_t published_id(std::string_view key) { return storage::get_u64(key, key.size() - 8); }
// ARNs hold no '/', so one topic's prefix never covers another's keys.
inline std::string dedup_prefix(std::string_view topic_arn) {
  return std::string(kDedupPrefix) + std::string(topic_arn) + "/";
}
inline std::string dedup(std::string_view topic_arn, std::string_view dedup_id) {
  return dedup_prefix(topic_arn) + std::string(dedup_id);
}

}  // namespace streamlab::sns::keys
