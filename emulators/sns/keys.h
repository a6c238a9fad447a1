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
//   outbox_key    := "sns/o/" id:u64                            -> pending delivery JSON (delivery.h):
//                                                                  written before Publish/Subscribe answer,
//                                                                  deleted once delivered or dead-lettered
// One logical change is one WriteBatch: a topic's deletion removes the topic and its subscriptions;
// a publish commits all of its pending deliveries together.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/storage/big_endian.h"

namespace streamlab::sns::keys {

inline constexpr std::string_view kTopicPrefix = "sns/topic/";
inline constexpr std::string_view kSubPrefix = "sns/sub/";
inline constexpr std::string_view kSeqPrefix = "sns/seq/";
inline constexpr std::string_view kOutboxPrefix = "sns/o/";
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

}  // namespace streamlab::sns::keys
