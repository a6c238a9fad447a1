// Publish and its fan-out. Publish checks FIFO deduplication, picks the confirmed subscriptions
// whose filter policy the message passes, commits one record (published.h) and answers. The
// fan-out thread (fanout_queue.h) then builds what each subscription receives (the raw message or
// the envelope, signed once per distinct message text; the batch's signatures side by side on the
// fan-out thread's signing pool, signing_pool.h), delivers to SQS queue by queue in batches,
// and leaves webhooks and failed attempts in the outbox, in the WriteBatch that deletes the records.
#include <algorithm>
#include <optional>

#include <spdlog/spdlog.h>

#include "emulators/sns/envelope.h"
#include "emulators/sns/errors.h"
#include "emulators/sns/keys.h"
#include "emulators/sns/signing_pool.h"
#include "emulators/sns/sns.h"
#include "emulators/sqs/sqs.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sns {

namespace {

constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;
constexpr uint64_t kSequenceBlock = 1000;
constexpr uint64_t kSequenceBase = 10000000000000000000ULL;  // 20 digits, as AWS's

std::string encode_dedup(const Topic::Dedup& d) {
  std::string v;
  storage::put_u64(v, uint64_t(d.expires_ms));
  storage::put_u32(v, uint32_t(d.sequence_number.size()));
  v += d.sequence_number;
  v += d.message_id;
  return v;
}

std::optional<Topic::Dedup> decode_dedup(std::string_view v) {
  if (v.size() < 12) return std::nullopt;
  uint32_t n = storage::get_u32(v, 8);
  if (v.size() - 12 < n) return std::nullopt;
  return Topic::Dedup{int64_t(storage::get_u64(v, 0)), std::string(v.substr(12 + n)), std::string(v.substr(12, n))};
}

}  // namespace

// FIFO deduplication entries still inside their window, back into their topics (start-up).
void Sns::load_dedup() {
  int64_t now = clock_.now_ms();
  std::string begin(keys::kDedupPrefix);
  storage::Batch stale;  // expired while the server was down, or unreadable
  std::shared_lock lock(mu_);
  store_.scan(storage::Family::kv, begin, storage::prefix_end(begin), [&](std::string_view key, std::string_view v) {
    std::string_view rest = key.substr(begin.size());
    size_t slash = rest.find('/');
    auto d = decode_dedup(v);
    auto t = slash == std::string_view::npos ? topics_.end() : topics_.find(std::string(rest.substr(0, slash)));
    if (!d || d->expires_ms <= now || t == topics_.end()) {
      stale.del(storage::Family::kv, key);
      return true;
    }
    std::lock_guard fifo(t->second->publish_mu);
    t->second->dedup[std::string(rest.substr(slash + 1))] = *d;
    return true;
  });
  if (stale.count())
    if (auto s = store_.commit(stale); !s) spdlog::warn("sns: stale deduplication entries stay: {}", s.error().message);
}

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
  Published p;
  bool content_dedup = false;
  {
    std::shared_lock lock(mu_);  // topic attributes change under it
    content_dedup = topic->content_based_deduplication();
    p.signature_version = topic->signature_version();
  }
  if (topic->fifo && req.dedup_id.empty() && !content_dedup)
    return invalid_parameter(
        "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly");
  int64_t now = clock_.now_ms();
  if (topic->fifo) {
    // Deduplication is per topic, for 5 minutes; a duplicate is accepted and not delivered again.
    p.dedup_id = req.dedup_id.empty() ? sha256_hex(req.message) : req.dedup_id;
    if (auto d = topic->dedup.find(p.dedup_id); d != topic->dedup.end() && d->second.expires_ms > now)
      return PublishResult{d->second.message_id, d->second.sequence_number};
  }
  // The fan-out is behind by more than the queue may hold: the publisher backs off (SDKs retry
  // Throttled), rather than memory growing without bound.
  if (fanout_.backlog() >= options_.max_fanout_backlog) return sns_error("Throttled", "Rate exceeded", 429);

  {
    std::shared_lock lock(mu_);
    if (!topics_.count(topic->arn)) return topic_not_found();
    if (auto it = by_topic_.find(topic->arn); it != by_topic_.end()) {
      for (auto& s : it->second) {
        if (s->pending) continue;
        if (s->filter) {
          const std::string& content = req.per_protocol.empty() ? req.message
                                       : req.per_protocol.count(s->protocol) ? req.per_protocol.at(s->protocol)
                                                                             : req.per_protocol.at("default");
          if (!s->filter->matches(req.attributes, content)) continue;
        }
        p.subscriptions.push_back(s->arn);
      }
    }
  }

  p.topic_arn = topic->arn;
  p.message_id = uuid_v4();
  if (topic->fifo) {
    p.fifo = true;
    p.sequence_number = allocate_sequence(*topic);
    p.group_id = req.group_id;
  }
  p.host = ctx.host.empty() ? "localhost" : ctx.host;
  p.timestamp_ms = now;
  p.subject = std::move(req.subject);
  p.message = std::move(req.message);
  p.per_protocol = std::move(req.per_protocol);
  p.attributes = std::move(req.attributes);
  PublishResult out{p.message_id, p.sequence_number};

  storage::Batch batch;
  Topic::Dedup dedup{now + kDedupWindowMs, out.message_id, out.sequence_number};
  if (topic->fifo) batch.put(storage::Family::kv, keys::dedup(topic->arn, p.dedup_id), encode_dedup(dedup));
  std::string dedup_id = p.dedup_id;
  if (!p.subscriptions.empty()) {
    if (auto s = fanout_.append(std::move(p), batch); !s) return s.error();
  } else if (batch.count()) {
    if (auto s = store_.commit(batch); !s) return s.error();
  }
  if (topic->fifo) topic->dedup[dedup_id] = dedup;
  ++published_;
  return out;
}

namespace {

// What one subscription of a batch is, copied out of the registry under its lock.
struct Recipient {
  std::string protocol, endpoint;
  bool raw = false;
};

// One message's envelope, signed once per distinct text (they differ only with MessageStructure=json).
struct SignedText {
  const std::string* text;
  Envelope envelope;    // until the parts are built
  EnvelopeParts parts;  // everything but the UnsubscribeURL
};

}  // namespace

Status Sns::fan_out(std::vector<Published>& batch, storage::Batch& done) {
  // Who the subscriptions are, once per batch; one deleted since the publish receives nothing.
  std::unordered_map<std::string, std::optional<Recipient>> recipients;
  {
    std::shared_lock lock(mu_);
    for (auto& p : batch)
      for (auto& arn : p.subscriptions) {
        auto [it, fresh] = recipients.try_emplace(arn);
        if (!fresh) continue;
        if (auto s = subs_.find(arn); s != subs_.end())
          it->second = Recipient{s->second->protocol, s->second->endpoint, s->second->raw()};
      }
  }
  auto delivered = [](const std::optional<Recipient>& r) {
    return r && (r->protocol == "sqs" || r->protocol == "http" || r->protocol == "https");
  };

  // The envelopes first, for the whole batch: their signatures (~70 us each) are made side by side
  // on the signing pool; delivery below then keeps the publish order.
  static const MessageAttributes kNone;
  std::vector<std::vector<SignedText>> envelopes(batch.size());
  std::vector<std::pair<size_t, size_t>> to_sign;  // (record, envelope)
  const Signer* signer = nullptr;
  for (size_t i = 0; i < batch.size(); ++i) {
    Published& p = batch[i];
    for (auto& arn : p.subscriptions) {
      const std::optional<Recipient>& r = recipients[arn];
      if (!delivered(r) || r->raw) continue;
      const std::string& text = p.message_for(r->protocol);
      auto& mine = envelopes[i];
      if (std::any_of(mine.begin(), mine.end(), [&](auto& s) { return s.text == &text; })) continue;
      Envelope e;
      e.message_id = p.message_id;
      e.topic_arn = p.topic_arn;
      e.subject = p.subject;
      e.timestamp = iso_timestamp(p.timestamp_ms);
      e.sequence_number = p.sequence_number;
      // AWS sends message attributes only with plain messages, never with MessageStructure=json.
      e.attributes = p.per_protocol.empty() ? &p.attributes : &kNone;
      e.signature_version = std::to_string(p.signature_version);
      e.message = text;
      if (!p.fifo && !signer) signer = this->signer();
      if (!p.fifo && signer) {  // FIFO topics' notifications are not signed
        e.signing_cert_url = signing_cert_url(p.host, signer->certificate_file());
        to_sign.emplace_back(i, mine.size());
        mine.push_back({&text, std::move(e), {}});
      } else {
        mine.push_back({&text, {}, envelope_parts(e)});
      }
    }
  }
  SigningPool::run_here(to_sign.size(), [&](size_t k) {
    auto [i, j] = to_sign[k];
    SignedText& s = envelopes[i][j];
    s.envelope.signature = signer->sign(canonical_string(s.envelope), batch[i].signature_version);
    s.parts = envelope_parts(s.envelope);
    s.envelope = {};
  });

  struct SqsDelivery {
    DeliveryJob job;
    sqs::SendRequest request;
  };
  std::map<std::string, std::vector<SqsDelivery>> by_queue;  // queue ARN -> deliveries, in publish order
  std::vector<DeliveryJob> later;
  for (size_t i = 0; i < batch.size(); ++i) {
    Published& p = batch[i];
    auto envelope_for = [&](const std::string& text, const std::string& subscription_arn) {
      auto it = std::find_if(envelopes[i].begin(), envelopes[i].end(), [&](auto& s) { return s.text == &text; });
      return envelope_json(it->parts, unsubscribe_url(p.host, subscription_arn));
    };

    for (auto& arn : p.subscriptions) {
      const std::optional<Recipient>& r = recipients[arn];
      if (!r) continue;
      const std::string& text = p.message_for(r->protocol);
      bool sqs = r->protocol == "sqs", http = r->protocol == "http" || r->protocol == "https";
      if (!sqs && !http) {
        // Recorded, not delivered: email/email-json/sms go to the log; lambda waits for a Lambda service.
        spdlog::info("sns: {} subscription {} ({}) would receive message {}: {}", r->protocol, arn, r->endpoint,
                     p.message_id, text.substr(0, 200));
        continue;
      }
      DeliveryJob job;
      job.subscription_arn = arn;
      job.topic_arn = p.topic_arn;
      job.protocol = r->protocol;
      job.endpoint = r->endpoint;
      job.message_id = p.message_id;
      job.raw = r->raw;
      job.body = r->raw ? text : envelope_for(text, arn);
      if (r->raw && sqs && p.per_protocol.empty()) job.attributes = p.attributes;
      if (p.fifo) {
        job.group_id = p.group_id;
        job.dedup_id = p.dedup_id;
      }
      job.created_ms = job.next_ms = clock_.now_ms();
      if (http) {
        later.push_back(std::move(job));
        continue;
      }
      by_queue[r->endpoint].push_back({std::move(job), {}});
    }
  }

  // SQS: one send per queue for the whole batch (one RocksDB commit on the SQS side).
  auto retry_later = [&](DeliveryJob job, const AttemptResult& r) {
    ++job.attempts;
    job.last_error = r.error_message;
    std::optional<int64_t> delay = r.outcome == Outcome::Retry ? next_delay(job) : std::nullopt;
    if (!delay) return give_up(job, r);
    job.next_ms = clock_.now_ms() + *delay;
    later.push_back(std::move(job));
  };
  for (auto& [queue_arn, deliveries] : by_queue) {
    sqs::QueuePtr q = sqs_ ? sqs_->find_by_arn(queue_arn) : nullptr;
    std::vector<DeliveryJob*> sending;
    std::vector<sqs::SendRequest> requests;
    for (auto& d : deliveries) {
      if (!q) {
        retry_later(std::move(d.job), missing_queue());
        continue;
      }
      if (auto failed = sqs_request(d.job, *q, d.request)) {
        retry_later(std::move(d.job), *failed);
        continue;
      }
      sending.push_back(&d.job);
      requests.push_back(std::move(d.request));
    }
    if (requests.empty()) continue;
    if (auto sent = q->send(std::move(requests)); !sent) {
      for (auto* job : sending) retry_later(std::move(*job), {Outcome::Retry, sent.error().code, sent.error().message});
      continue;
    }
    delivered_sqs_ += sending.size();
  }
  return deliveries_.enqueue(std::move(later), done);
}

}  // namespace streamlab::sns
