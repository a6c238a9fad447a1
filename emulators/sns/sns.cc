#include "emulators/sns/sns.h"

#include <algorithm>
#include <thread>

#include <spdlog/spdlog.h>

#include "emulators/sns/attributes.h"
#include "emulators/sns/envelope.h"
#include "emulators/sns/errors.h"
#include "emulators/sns/keys.h"
#include "server/core/auth.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sns {

using storage::Family;

namespace {

bool same_attributes(const std::map<std::string, std::string>& requested, const std::map<std::string, std::string>& have,
                     const std::map<std::string, std::string>& defaults = {}) {
  for (auto& [k, v] : requested) {
    auto it = have.find(k);
    std::string current = it != have.end() ? it->second : (defaults.count(k) ? defaults.at(k) : "");
    if (current != v) return false;
  }
  return true;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Sns::Sns(storage::Store& store, const Clock& clock, sqs::Sqs* sqs, SnsOptions options)
    : store_(store), clock_(clock), sqs_(sqs), options_(options), deliveries_(store, clock), fanout_(store) {
  deliveries_.set_handlers({[this](const DeliveryJob& j) { return attempt(j); },
                            [this](const DeliveryJob& j) { return next_delay(j); },
                            [this](const DeliveryJob& j, const AttemptResult& r) { give_up(j, r); }});
  fanout_.set_handler([this](std::vector<Published>& batch, storage::Batch& done) { return fan_out(batch, done); });
}

Sns::~Sns() {
  stop();
  if (signer_thread_.joinable()) signer_thread_.join();
}

Status Sns::load() {
  {
    std::unique_lock lock(mu_);
    std::string tb(keys::kTopicPrefix);
    store_.scan(Family::meta, tb, storage::prefix_end(tb), [&](std::string_view, std::string_view v) {
      json j = json::parse(v, nullptr, false);
      if (!j.is_discarded()) {
        TopicPtr t = Topic::from_json(j);
        if (auto seq = store_.get(Family::meta, keys::seq(t->arn)); seq && seq->size() == 8)
          t->next_seq = t->reserved_seq = storage::get_u64(*seq);
        topics_[t->arn] = t;
      }
      return true;
    });
    std::string sb(keys::kSubPrefix);
    store_.scan(Family::meta, sb, storage::prefix_end(sb), [&](std::string_view, std::string_view v) {
      json j = json::parse(v, nullptr, false);
      if (!j.is_discarded()) index_subscription(Subscription::from_json(j));
      return true;
    });
  }
  load_dedup();
  if (auto s = deliveries_.load(); !s) return s;
  if (auto s = fanout_.load(); !s) return s;
  // RSA key generation takes tens of milliseconds: keep it off the start-up path.
  std::packaged_task<std::shared_ptr<Signer>()> task([this]() -> std::shared_ptr<Signer> {
    auto s = Signer::load_or_create(store_);
    if (!s) {
      spdlog::error("sns: no signing key: {}", s.error().message);
      return nullptr;
    }
    return std::shared_ptr<Signer>(std::move(*s));
  });
  signer_ = task.get_future().share();
  signer_thread_ = std::thread(std::move(task));
  return Ok{};
}

void Sns::start() {
  stopping_ = false;
  deliveries_.start(options_.delivery_threads);
  fanout_.start();
}

void Sns::stop() {
  stopping_ = true;  // an attempt cut short is retried after the next start
  fanout_.stop();
  deliveries_.stop();
}

const Signer* Sns::signer() { return signer_.valid() ? signer_.get().get() : nullptr; }

void Sns::index_subscription(const SubscriptionPtr& s) {
  subs_[s->arn] = s;
  by_topic_[s->topic_arn].push_back(s);
  if (!s->token.empty()) tokens_[s->token] = s->arn;
}

void Sns::unindex_subscription(const Subscription& s) {
  auto& list = by_topic_[s.topic_arn];
  list.erase(std::remove_if(list.begin(), list.end(), [&](auto& p) { return p->arn == s.arn; }), list.end());
  if (list.empty()) by_topic_.erase(s.topic_arn);
  if (!s.token.empty()) tokens_.erase(s.token);
  subs_.erase(s.arn);
}

Status Sns::persist_topic(const Topic& t) {
  storage::Batch b;
  b.put(Family::meta, keys::topic(t.account, t.region, t.name), t.to_json().dump());
  return store_.commit(b);
}

Status Sns::persist_subscription(const Subscription& s) {
  storage::Batch b;
  b.put(Family::meta, keys::subscription(s.arn), s.to_json().dump());
  return store_.commit(b);
}

// ------------------------------------------------------------------ topics

Result<TopicPtr> Sns::topic(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return topic_not_found();
  return it->second;
}

Result<std::string> Sns::create_topic(const Context& ctx, const std::string& name,
                                      const std::map<std::string, std::string>& attributes, const Tags& tags,
                                      const std::string& data_protection_policy) {
  auto t = std::make_shared<Topic>();
  t->account = ctx.account;
  t->region = ctx.region;
  t->name = name;
  t->arn = "arn:aws:sns:" + ctx.region + ":" + ctx.account + ":" + name;
  t->fifo = ends_with(name, ".fifo");
  t->created_ms = clock_.now_ms();
  const std::string prefix = "Invalid parameter: Attributes Reason: ";
  for (auto& [k, v] : attributes) {
    if (k == "FifoTopic") continue;  // decided by the name (checked by the action)
    if (auto s = check_topic_attribute(*t, k, v, true, prefix); !s) return s.error();
    if (!v.empty()) t->attributes[k] = v;
  }
  t->tags = tags;
  t->data_protection_policy = data_protection_policy;

  std::unique_lock lock(mu_);
  if (auto it = topics_.find(t->arn); it != topics_.end()) {
    // Idempotent: the same name answers the same ARN unless attributes or tags differ.
    const Topic& have = *it->second;
    std::map<std::string, std::string> requested = attributes;
    requested.erase("FifoTopic");
    if (!same_attributes(requested, have.attributes))
      return invalid_parameter("Invalid parameter: Attributes Reason: Topic already exists with different attributes");
    for (auto& tag : tags)
      if (std::find(have.tags.begin(), have.tags.end(), tag) == have.tags.end())
        return invalid_parameter("Invalid parameter: Tags Reason: Topic already exists with different tags");
    return have.arn;
  }
  if (auto s = persist_topic(*t); !s) return s.error();
  topics_[t->arn] = t;
  return t->arn;
}

Status Sns::delete_topic(const std::string& arn) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return Ok{};  // AWS: deleting a topic that does not exist is not an error
  const Topic& t = *it->second;
  storage::Batch b;
  b.del(Family::meta, keys::topic(t.account, t.region, t.name));
  b.del(Family::meta, keys::seq(t.arn));
  std::string dedup = keys::dedup_prefix(t.arn);
  b.del_range(Family::kv, dedup, storage::prefix_end(dedup));
  std::vector<SubscriptionPtr> subs;
  if (auto s = by_topic_.find(arn); s != by_topic_.end()) subs = s->second;
  for (auto& s : subs) b.del(Family::meta, keys::subscription(s->arn));
  if (auto s = store_.commit(b); !s) return s;
  for (auto& s : subs) unindex_subscription(*s);
  topics_.erase(it);
  return Ok{};
}

std::vector<std::string> Sns::topic_arns(const std::string& account, const std::string& region) const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (auto& [arn, t] : topics_)
    if (t->account == account && t->region == region) out.push_back(arn);
  return out;
}

json Sns::topic_attributes(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return json();
  size_t confirmed = 0, pending = 0;
  if (auto s = by_topic_.find(arn); s != by_topic_.end())
    for (auto& sub : s->second) (sub->pending ? pending : confirmed)++;
  return topic_attributes_view(*it->second, confirmed, pending);
}

Status Sns::set_topic_attribute(const std::string& arn, const std::string& name, const std::string& value) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return topic_not_found();
  Topic& t = *it->second;
  if (auto s = check_topic_attribute(t, name, value, false, "Invalid parameter: "); !s) return s;
  std::string before = t.attribute(name);
  if (value.empty()) t.attributes.erase(name);
  else t.attributes[name] = value;
  if (auto s = persist_topic(t); !s) {
    t.attributes[name] = before;
    return s;
  }
  return Ok{};
}

Status Sns::add_permission(const std::string& arn, const std::string& label, const std::vector<std::string>& accounts,
                           const std::vector<std::string>& actions) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return topic_not_found();
  Topic& t = *it->second;
  json policy = json::parse(t.attribute("Policy", t.default_policy()), nullptr, false);
  if (policy.is_discarded() || !policy.is_object()) policy = json::parse(t.default_policy());
  json& statements = policy["Statement"];
  if (!statements.is_array()) statements = json::array();
  for (auto& st : statements)
    if (st.is_object() && st.value("Sid", "") == label) return invalid_parameter("Invalid parameter: Statement already exists");
  json principals = json::array(), verbs = json::array();
  for (auto& a : accounts) principals.push_back("arn:aws:iam::" + a + ":root");
  for (auto& a : actions) verbs.push_back("SNS:" + a);
  json st = json::object();
  st["Sid"] = label;
  st["Effect"] = "Allow";
  st["Principal"] = {{"AWS", principals.size() == 1 ? principals[0] : principals}};
  st["Action"] = verbs.size() == 1 ? verbs[0] : verbs;
  st["Resource"] = t.arn;
  statements.push_back(st);
  t.attributes["Policy"] = policy.dump();
  return persist_topic(t);
}

Status Sns::remove_permission(const std::string& arn, const std::string& label) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return topic_not_found();
  Topic& t = *it->second;
  json policy = json::parse(t.attribute("Policy", t.default_policy()), nullptr, false);
  if (policy.is_discarded() || !policy.is_object() || !policy["Statement"].is_array()) return Ok{};
  json& statements = policy["Statement"];
  size_t before = statements.size();
  json kept = json::array();
  for (auto& st : statements)
    if (!(st.is_object() && st.value("Sid", "") == label)) kept.push_back(st);
  if (kept.size() == before) return Ok{};
  statements = kept;
  t.attributes["Policy"] = policy.dump();
  return persist_topic(t);
}

Status Sns::set_data_protection_policy(const std::string& arn, const std::string& policy) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return topic_not_found();
  it->second->data_protection_policy = policy;
  return persist_topic(*it->second);
}

Result<std::string> Sns::data_protection_policy(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return topic_not_found();
  return it->second->data_protection_policy;
}

Result<Tags> Sns::tags(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return resource_not_found("Resource does not exist");
  return it->second->tags;
}

Status Sns::tag(const std::string& arn, const Tags& tags) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return resource_not_found("Resource does not exist");
  Topic& t = *it->second;
  Tags merged = t.tags;
  for (auto& [k, v] : tags) {
    auto m = std::find_if(merged.begin(), merged.end(), [&](auto& p) { return p.first == k; });
    if (m != merged.end()) m->second = v;
    else merged.emplace_back(k, v);
  }
  if (merged.size() > 50) return sns_error("TagLimitExceeded", "Could not complete request: tag quota of per resource exceeded");
  t.tags = merged;
  return persist_topic(t);
}

Status Sns::untag(const std::string& arn, const std::vector<std::string>& keys) {
  std::unique_lock lock(mu_);
  auto it = topics_.find(arn);
  if (it == topics_.end()) return resource_not_found("Resource does not exist");
  Topic& t = *it->second;
  t.tags.erase(std::remove_if(t.tags.begin(), t.tags.end(),
                              [&](auto& p) { return std::find(keys.begin(), keys.end(), p.first) != keys.end(); }),
               t.tags.end());
  return persist_topic(t);
}

// ------------------------------------------------------------------ subscriptions

Result<SubscriptionPtr> Sns::subscription(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = subs_.find(arn);
  if (it == subs_.end()) return subscription_not_found();
  return it->second;
}

DeliveryJob Sns::confirmation_job(const Subscription& s, const std::string& type, const std::string& host) {
  Envelope e;
  e.type = type;
  e.message_id = uuid_v4();
  e.token = s.token;
  e.topic_arn = s.topic_arn;
  e.message = type == "SubscriptionConfirmation"
                  ? "You have chosen to subscribe to the topic " + s.topic_arn +
                        ".\nTo confirm the subscription, visit the SubscribeURL included in this message."
                  : "You have chosen to deactivate subscription " + s.arn +
                        ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in "
                        "this message.";
  e.subscribe_url = subscribe_url(host, s.topic_arn, s.token);
  e.timestamp = iso_timestamp(clock_.now_ms());
  int version = 1;
  if (auto t = topics_.find(s.topic_arn); t != topics_.end()) version = t->second->signature_version();
  if (const Signer* signer = this->signer()) {
    e.signature_version = std::to_string(version);
    e.signature = signer->sign(canonical_string(e), version);
    e.signing_cert_url = signing_cert_url(host, signer->certificate_file());
  }
  DeliveryJob job;
  job.subscription_arn = s.arn;
  job.topic_arn = s.topic_arn;
  job.protocol = s.protocol;
  job.endpoint = s.endpoint;
  job.kind = type;
  job.message_id = e.message_id;
  job.body = envelope_json(e);
  job.created_ms = job.next_ms = clock_.now_ms();
  return job;
}

Result<std::string> Sns::subscribe(const Context& ctx, const std::string& topic_arn, const std::string& protocol,
                                   const std::string& endpoint, const std::map<std::string, std::string>& attributes,
                                   bool return_arn) {
  const std::string prefix = "Invalid parameter: Attributes Reason: ";
  std::unique_lock lock(mu_);
  auto ti = topics_.find(topic_arn);
  if (ti == topics_.end()) return topic_not_found();
  const Topic& topic = *ti->second;
  if (topic.fifo && protocol != "sqs" && protocol != "lambda" && protocol != "firehose")
    return invalid_parameter("Invalid parameter: Invalid protocol type: " + protocol);
  if (protocol == "sqs" && ends_with(endpoint, ".fifo") && !topic.fifo)
    return invalid_parameter(
        "Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS "
        "topics");
  std::map<std::string, std::string> normalized;
  for (auto& [k, v] : attributes) {
    if (auto s = check_subscription_attribute(topic, protocol, endpoint, k, v, prefix); !s) return s.error();
    normalized[k] = normalized_subscription_attribute(k, v);
  }
  std::shared_ptr<const FilterPolicy> filter;
  if (auto fp = normalized.find("FilterPolicy"); fp != normalized.end() && !fp->second.empty()) {
    FilterScope scope = normalized["FilterPolicyScope"] == "MessageBody" ? FilterScope::MessageBody
                                                                         : FilterScope::MessageAttributes;
    auto compiled = FilterPolicy::compile(fp->second, scope, true);
    if (!compiled) return compiled.error();
    filter = *compiled;
  }
  if (normalized.count("FilterPolicyScope") && normalized["FilterPolicyScope"].empty()) normalized.erase("FilterPolicyScope");

  // Idempotent per (topic, protocol, endpoint) unless the attributes differ.
  if (auto existing = by_topic_.find(topic_arn); existing != by_topic_.end()) {
    for (auto& s : existing->second) {
      if (s->protocol != protocol || s->endpoint != endpoint) continue;
      if (!same_attributes(normalized, s->attributes, {{"RawMessageDelivery", "false"}}))
        return invalid_parameter(prefix + "Subscription already exists with different attributes");
      return s->pending && !return_arn ? std::string("pending confirmation") : s->arn;
    }
  }

  auto s = std::make_shared<Subscription>();
  s->arn = topic_arn + ":" + uuid_v4();
  s->topic_arn = topic_arn;
  s->owner = ctx.account;
  s->protocol = protocol;
  s->endpoint = endpoint;
  s->attributes = normalized;
  s->filter = filter;
  s->created_ms = clock_.now_ms();
  bool needs_confirmation = protocol == "http" || protocol == "https" || protocol == "email" || protocol == "email-json";
  s->pending = needs_confirmation;
  s->confirmation_authenticated = !needs_confirmation;
  if (needs_confirmation) s->token = hex_encode(random_bytes(144));
  if (auto st = persist_subscription(*s); !st) return st.error();
  index_subscription(s);

  std::string host = ctx.host.empty() ? "localhost" : ctx.host;
  if (protocol == "http" || protocol == "https") {
    DeliveryJob job = confirmation_job(*s, "SubscriptionConfirmation", host);
    lock.unlock();
    if (auto st = deliveries_.enqueue({std::move(job)}); !st) return st.error();
  } else if (protocol == "email" || protocol == "email-json") {
    spdlog::info("sns: email subscription {} to {} waits for confirmation: {}", s->arn, endpoint,
                 subscribe_url(host, topic_arn, s->token));
  } else if (protocol == "lambda") {
    spdlog::info("sns: lambda subscription {} stored; deliveries start once a Lambda service exists", s->arn);
  }
  return needs_confirmation && !return_arn ? std::string("pending confirmation") : s->arn;
}

Result<std::string> Sns::confirm(const Context& ctx, const std::string& topic_arn, const std::string& token) {
  std::unique_lock lock(mu_);
  auto t = tokens_.find(token);
  if (t == tokens_.end()) return invalid_parameter("Invalid parameter: Token");
  auto it = subs_.find(t->second);
  if (it == subs_.end() || it->second->topic_arn != topic_arn) return invalid_parameter("Invalid parameter: Token");
  Subscription& s = *it->second;
  if (s.pending) {
    s.pending = false;
    s.confirmation_authenticated = ctx.request && is_signed(*ctx.request);
    if (auto st = persist_subscription(s); !st) return st.error();
  }
  return s.arn;
}

Status Sns::unsubscribe(const Context& ctx, const std::string& arn) {
  std::unique_lock lock(mu_);
  auto it = subs_.find(arn);
  if (it == subs_.end()) return Ok{};  // idempotent
  SubscriptionPtr s = it->second;
  storage::Batch b;
  b.del(Family::meta, keys::subscription(arn));
  if (auto st = store_.commit(b); !st) return st;
  // An unauthenticated unsubscribe (the UnsubscribeURL) is confirmed to HTTP/S endpoints.
  std::optional<DeliveryJob> notice;
  if ((s->protocol == "http" || s->protocol == "https") && !s->pending && ctx.request && !is_signed(*ctx.request)) {
    if (s->token.empty()) s->token = hex_encode(random_bytes(144));
    notice = confirmation_job(*s, "UnsubscribeConfirmation", ctx.host.empty() ? "localhost" : ctx.host);
  }
  unindex_subscription(*s);
  lock.unlock();
  if (notice) (void)deliveries_.enqueue({std::move(*notice)});
  return Ok{};
}

std::vector<SubscriptionPtr> Sns::subscriptions(const std::string& account, const std::string& region) const {
  std::shared_lock lock(mu_);
  std::vector<SubscriptionPtr> out;
  for (auto& [arn, s] : subs_) {
    auto a = parse_arn(s->topic_arn);
    if (a && a->region == region && (s->owner == account || a->account == account)) out.push_back(s);
  }
  return out;
}

std::vector<SubscriptionPtr> Sns::subscriptions_of(const std::string& topic_arn) const {
  std::shared_lock lock(mu_);
  auto it = by_topic_.find(topic_arn);
  if (it == by_topic_.end()) return {};
  std::vector<SubscriptionPtr> out = it->second;
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a->created_ms < b->created_ms; });
  return out;
}

json Sns::subscription_attributes(const std::string& arn) const {
  std::shared_lock lock(mu_);
  auto it = subs_.find(arn);
  if (it == subs_.end()) return json();
  auto t = topics_.find(it->second->topic_arn);
  return subscription_attributes_view(*it->second, t == topics_.end() ? nullptr : t->second.get());
}

Status Sns::set_subscription_attribute(const std::string& arn, const std::string& name, const std::string& value) {
  std::unique_lock lock(mu_);
  auto it = subs_.find(arn);
  if (it == subs_.end()) return subscription_not_found();
  Subscription& s = *it->second;
  auto ti = topics_.find(s.topic_arn);
  if (ti == topics_.end()) return subscription_not_found();
  if (auto st = check_subscription_attribute(*ti->second, s.protocol, s.endpoint, name, value, "Invalid parameter: ");
      !st)
    return st;
  std::shared_ptr<const FilterPolicy> filter = s.filter;
  if (name == "FilterPolicy" || name == "FilterPolicyScope") {
    std::string policy = name == "FilterPolicy" ? value : s.attribute("FilterPolicy");
    FilterScope scope = (name == "FilterPolicyScope" ? value : s.attribute("FilterPolicyScope")) == "MessageBody"
                            ? FilterScope::MessageBody
                            : FilterScope::MessageAttributes;
    filter = nullptr;
    if (!policy.empty()) {
      auto compiled = FilterPolicy::compile(policy, scope, false);
      if (!compiled) return compiled.error();
      filter = *compiled;
    }
  }
  std::string stored = normalized_subscription_attribute(name, value);
  auto before = s.attributes;
  if (stored.empty()) s.attributes.erase(name);
  else s.attributes[name] = stored;
  if (auto st = persist_subscription(s); !st) {
    s.attributes = before;
    return st;
  }
  s.filter = filter;
  return Ok{};
}

// ------------------------------------------------------------------ certificate, lab hooks

std::optional<Response> Sns::serve_certificate(const Request& request) {
  const Signer* s = signer();
  if (!s || request.path != "/" + s->certificate_file()) return std::nullopt;
  Response r;
  r.set_header("Content-Type", "application/x-x509-ca-cert");
  r.body = s->certificate_pem();
  return r;
}

json Sns::describe_state() const {
  std::shared_lock lock(mu_);
  json topics = json::array();
  for (auto& [arn, t] : topics_) {
    size_t n = 0;
    if (auto s = by_topic_.find(arn); s != by_topic_.end()) n = s->second.size();
    topics.push_back({{"arn", arn}, {"fifo", t->fifo}, {"subscriptions", n}});
  }
  return {{"topics", topics},
          {"subscriptions", subs_.size()},
          {"pending_deliveries", deliveries_.pending()},
          {"publishes_waiting_for_fanout", fanout_.backlog()},
          {"published", published_.load()},
          {"delivered_to_sqs", delivered_sqs_.load()}};
}

Status Sns::reset(const std::string& account) {
  std::vector<std::string> doomed;
  {
    std::shared_lock lock(mu_);
    for (auto& [arn, t] : topics_)
      if (account.empty() || t->account == account) doomed.push_back(arn);
  }
  for (auto& arn : doomed)
    if (auto s = delete_topic(arn); !s) return s;
  {
    // Subscriptions whose topic is gone already (or owned by the account elsewhere).
    std::unique_lock lock(mu_);
    std::vector<SubscriptionPtr> orphans;
    for (auto& [arn, s] : subs_)
      if (!topics_.count(s->topic_arn) && (account.empty() || s->owner == account)) orphans.push_back(s);
    storage::Batch b;
    for (auto& s : orphans) b.del(Family::meta, keys::subscription(s->arn));
    if (b.count())
      if (auto st = store_.commit(b); !st) return st;
    for (auto& s : orphans) unindex_subscription(*s);
  }
  deliveries_.drop_if([&](const DeliveryJob& j) {
    auto a = parse_arn(j.topic_arn);
    return account.empty() || (a && a->account == account);
  });
  fanout_.drop_if([&](const Published& p) {
    auto a = parse_arn(p.topic_arn);
    return account.empty() || (a && a->account == account);
  });
  return Ok{};
}

void Sns::maintain() {
  int64_t now = clock_.now_ms();
  expire_unconfirmed(now);
  std::vector<TopicPtr> fifo;
  {
    std::shared_lock lock(mu_);
    for (auto& [arn, t] : topics_)
      if (t->fifo) fifo.push_back(t);
  }
  for (auto& t : fifo) {
    storage::Batch b;
    std::lock_guard lock(t->publish_mu);
    for (auto it = t->dedup.begin(); it != t->dedup.end();) {
      if (it->second.expires_ms > now) {
        ++it;
        continue;
      }
      b.del(Family::kv, keys::dedup(t->arn, it->first));
      it = t->dedup.erase(it);
    }
    if (b.count())
      if (auto s = store_.commit(b); !s) spdlog::warn("sns: expired deduplication entries stay: {}", s.error().message);
  }
}

// Subscriptions never confirmed go away after options_.unconfirmed_expiry_ms, as on AWS; their
// token stops confirming anything.
void Sns::expire_unconfirmed(int64_t now) {
  std::unique_lock lock(mu_);
  std::vector<SubscriptionPtr> expired;
  for (auto& [arn, s] : subs_)
    if (s->pending && s->created_ms + options_.unconfirmed_expiry_ms <= now) expired.push_back(s);
  if (expired.empty()) return;
  storage::Batch b;
  for (auto& s : expired) b.del(Family::meta, keys::subscription(s->arn));
  if (auto st = store_.commit(b); !st) {
    spdlog::warn("sns: expired subscriptions stay: {}", st.error().message);
    return;
  }
  for (auto& s : expired) {
    spdlog::info("sns: subscription {} was not confirmed within {} h: deleted", s->arn,
                 options_.unconfirmed_expiry_ms / 3600000);
    unindex_subscription(*s);
  }
}

}  // namespace streamlab::sns
