// Fan-out for Publish: choose the subscriptions whose filter policy the message passes, build what each
// receives (the envelope or the raw message), deliver to SQS at once and commit the rest to the
// outbox, all before the publish is acknowledged.
#include <spdlog/spdlog.h>

#include "emulators/sns/envelope.h"
#include "emulators/sns/errors.h"
#include "emulators/sns/keys.h"
#include "emulators/sns/sns.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sns {

namespace {

constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;
constexpr uint64_t kSequenceBlock = 1000;
constexpr uint64_t kSequenceBase = 10000000000000000000ULL;  // 20 digits, as AWS's

const std::string& message_for(const PublishRequest& r, const std::string& protocol) {
  if (r.per_protocol.empty()) return r.message;
  auto it = r.per_protocol.find(protocol);
  if (it != r.per_protocol.end()) return it->second;
  return r.per_protocol.at("default");
}

}  // namespace

// What one matching subscription receives, copied out of the registry under its lock.
struct Sns::Target {
  std::string arn, protocol, endpoint;
  bool raw = false;
  const std::string* content = nullptr;
};

std::string Sns::allocate_sequence(Topic& t) {
  if (t.next_seq >= t.reserved_seq) {
    uint64_t reserve = t.next_seq + kSequenceBlock;
    storage::Batch b;
    std::string v;
    storage::put_u64(v, reserve);
    b.put(storage::Family::meta, keys::seq(t.arn), v);
    if (store_.commit(b)) t.reserved_seq = reserve;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(kSequenceBase + t.next_seq++));
  return buf;
}

Result<PublishResult> Sns::publish(const Context& ctx, const TopicPtr& topic, PublishRequest req) {
  std::unique_lock<std::mutex> fifo_lock;
  if (topic->fifo) fifo_lock = std::unique_lock<std::mutex>(topic->publish_mu);
  bool content_dedup = false;
  {
    std::shared_lock lock(mu_);  // topic attributes change under it
    content_dedup = topic->content_based_deduplication();
  }
  if (topic->fifo && req.dedup_id.empty() && !content_dedup)
    return invalid_parameter(
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly");
  int64_t now = clock_.now_ms();
  PublishResult out;
  out.message_id = uuid_v4();
  std::string dedup;
  if (topic->fifo) {
    // Deduplication is per topic, for 5 minutes; a duplicate is accepted and not delivered again.
    dedup = req.dedup_id.empty() ? sha256_hex(req.message) : req.dedup_id;
    if (auto d = topic->dedup.find(dedup); d != topic->dedup.end() && d->second.expires_ms > now)
      return PublishResult{d->second.message_id, d->second.sequence_number};
    out.sequence_number = allocate_sequence(*topic);
  }

  std::vector<Target> targets;
  int version = 1;
  {
    std::shared_lock lock(mu_);
    if (!topics_.count(topic->arn)) return topic_not_found();
    version = topic->signature_version();
    if (auto it = by_topic_.find(topic->arn); it != by_topic_.end()) {
      for (auto& s : it->second) {
        if (s->pending) continue;
        const std::string& content = message_for(req, s->protocol);
        if (s->filter && !s->filter->matches(req.attributes, content)) continue;
        targets.push_back({s->arn, s->protocol, s->endpoint, s->raw(), &content});
      }
    }
  }

  std::string host = ctx.host.empty() ? "localhost" : ctx.host;
  Envelope e;
  e.message_id = out.message_id;
  e.topic_arn = topic->arn;
  e.subject = req.subject;
  e.timestamp = iso_timestamp(now);
  e.sequence_number = out.sequence_number;
  // AWS sends message attributes only with plain messages, never with MessageStructure=json.
  static const MessageAttributes kNone;
  const MessageAttributes& delivered_attributes = req.per_protocol.empty() ? req.attributes : kNone;
  e.attributes = &delivered_attributes;
  e.signature_version = std::to_string(version);
  // One signature per distinct message text (they differ only with MessageStructure=json); FIFO
  // topics' notifications are not signed.
  std::map<const std::string*, std::string> signatures;
  const Signer* signer = nullptr;
  auto envelope_for = [&](const Target& t) {
    e.message = *t.content;
    e.signature.clear();
    if (!topic->fifo) {
      if (!signer) signer = this->signer();
      if (signer) {
        auto [it, fresh] = signatures.try_emplace(t.content);
        if (fresh) it->second = signer->sign(canonical_string(e), version);
        e.signature = it->second;
        e.signing_cert_url = signing_cert_url(host, signer->certificate_file());
      }
    }
    e.unsubscribe_url = unsubscribe_url(host, t.arn);
    return envelope_json(e);
  };

  std::vector<DeliveryJob> later;
  for (auto& t : targets) {
    bool sqs = t.protocol == "sqs", http = t.protocol == "http" || t.protocol == "https";
    if (!sqs && !http) {
      // Recorded, not delivered: email/email-json/sms go to the log; lambda waits for a Lambda service.
      spdlog::info("sns: {} subscription {} ({}) would receive message {}: {}", t.protocol, t.arn, t.endpoint,
                   out.message_id, t.content->substr(0, 200));
      continue;
    }
    DeliveryJob job;
    job.subscription_arn = t.arn;
    job.topic_arn = topic->arn;
    job.protocol = t.protocol;
    job.endpoint = t.endpoint;
    job.message_id = out.message_id;
    job.raw = t.raw;
    job.body = t.raw ? *t.content : envelope_for(t);
    if (t.raw && sqs) job.attributes = delivered_attributes;
    if (topic->fifo) {
      job.group_id = req.group_id;
      job.dedup_id = dedup;
    }
    job.created_ms = job.next_ms = now;
    if (sqs) {
      AttemptResult r = deliver_sqs(job);
      if (r.outcome == Outcome::Delivered) continue;
      ++job.attempts;
      job.last_error = r.error_message;
      std::optional<int64_t> delay = r.outcome == Outcome::Retry ? next_delay(job) : std::nullopt;
      if (!delay) {
        give_up(job, r);
        continue;
      }
      job.next_ms = now + *delay;
    }
    later.push_back(std::move(job));
  }
  if (auto s = deliveries_.enqueue(std::move(later)); !s) return s.error();
  if (topic->fifo) topic->dedup[dedup] = {now + kDedupWindowMs, out.message_id, out.sequence_number};
  ++published_;
  return out;
}

}  // namespace streamlab::sns
