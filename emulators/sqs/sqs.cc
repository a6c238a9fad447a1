#include "emulators/sqs/sqs.h"

#include <algorithm>
#include <regex>

#include "emulators/sqs/errors.h"
#include "emulators/sqs/keys.h"
#include "server/core/encoding.h"
#include "server/storage/big_endian.h"

namespace streamlab::sqs {

using storage::Family;

namespace {

bool is_query(const Context& ctx) {
  return ctx.request && ctx.request->header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

// The non-empty '/'-separated parts of a path, as views into it (resolve runs on every request).
std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool all_digits(std::string_view s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_queue_name(const std::string& name, bool fifo) {
  static const std::regex re("[A-Za-z0-9_-]{1,80}");
  std::string base = name;
  if (fifo) {
    if (name.size() < 6 || name.compare(name.size() - 5, 5, ".fifo") != 0) return false;
    base = name.substr(0, name.size() - 5) + "_fifo";  // the suffix counts towards the 80 characters
  }
  return std::regex_match(base, re);
}

AwsError redrive_problem(const std::string& value, const std::string& reason) {
  return invalid_parameter_value("Value " + value + " for parameter RedrivePolicy is invalid. Reason: " + reason);
}

}  // namespace

struct Sqs::Poll {
  QueuePtr queue;
  ReceiveRequest request;
  int64_t deadline_ms;
  ReceiveDone done;
  bool parked_before = false;
};

Sqs::Sqs(storage::Store& store, const Clock& clock, Scheduler* scheduler)
    : store_(store), clock_(clock), scheduler_(scheduler) {}

std::string Sqs::queue_url(const std::string& host, const std::string& account, const std::string& name) {
  return "http://" + (host.empty() ? std::string("localhost") : host) + "/" + account + "/" + name;
}

Status Sqs::load() {
  if (auto secret = store_.get(Family::meta, keys::kReceiptSecret)) {
    secret_ = *secret;
  } else {
    secret_ = random_bytes(32);
    storage::Batch b;
    b.put(Family::meta, keys::kReceiptSecret, secret_);
    if (auto s = store_.commit(b); !s) return s;
  }
  if (auto v = store_.get(Family::meta, keys::kNextQueueId); v && v->size() == 8) next_id_ = storage::get_u64(*v);
  std::vector<QueuePtr> loaded;
  {
    std::unique_lock lock(mu_);
    std::string prefix(keys::kQueuePrefix);
    store_.scan(Family::meta, prefix, storage::prefix_end(prefix), [&](std::string_view key, std::string_view value) {
      json j = json::parse(value, nullptr, false);
      if (j.is_discarded()) return true;
      QueuePtr q = Queue::from_json(j, store_, clock_, scheduler_, secret_);
      next_id_ = std::max(next_id_, q->id() + 1);
      queues_[std::string(key)] = q;
      loaded.push_back(q);
      return true;
    });
  }
  for (auto& q : loaded)
    if (auto s = q->load_messages(); !s) return s;
  std::vector<std::string> running;
  {
    std::lock_guard lock(tasks_mu_);
    std::string prefix(keys::kTaskPrefix);
    store_.scan(Family::meta, prefix, storage::prefix_end(prefix), [&](std::string_view, std::string_view value) {
      json j = json::parse(value, nullptr, false);
      if (j.is_discarded()) return true;
      MoveTask t = MoveTask::from_json(j);
      if (t.status == "RUNNING" || t.status == "CANCELLING") running.push_back(t.id);
      tasks_[t.id] = std::move(t);
      return true;
    });
  }
  for (auto& id : running) schedule_task(id);
  return Ok{};
}

QueuePtr Sqs::find(const std::string& account, const std::string& region, const std::string& name) {
  std::shared_lock lock(mu_);
  auto it = queues_.find(keys::queue(account, region, name));
  return it == queues_.end() ? nullptr : it->second;
}

QueuePtr Sqs::find_by_arn(const std::string& arn) {
  // arn:aws:sqs:REGION:ACCOUNT:NAME
  std::vector<std::string> parts;
  size_t pos = 0;
  for (int i = 0; i < 5; ++i) {
    size_t colon = arn.find(':', pos);
    if (colon == std::string::npos) return nullptr;
    parts.push_back(arn.substr(pos, colon - pos));
    pos = colon + 1;
  }
  if (parts[0] != "arn" || parts[2] != "sqs") return nullptr;
  return find(parts[4], parts[3], arn.substr(pos));
}

std::vector<QueuePtr> Sqs::list(const std::string& account, const std::string& region) {
  std::vector<QueuePtr> out;
  std::string prefix = keys::queue(account, region, "");
  std::shared_lock lock(mu_);
  for (auto it = queues_.lower_bound(prefix); it != queues_.end() && it->first.rfind(prefix, 0) == 0; ++it)
    out.push_back(it->second);
  return out;
}

Result<QueuePtr> Sqs::resolve(const Context& ctx, const json& input) {
  std::string_view url;
  if (auto it = input.find("QueueUrl"); it != input.end() && it->is_string()) url = it->get_ref<const std::string&>();
  if (url.empty() && ctx.request && path_segments(ctx.request->path).size() == 2) url = ctx.request->path;
  if (url.empty()) return missing_parameter("QueueUrl");
  std::string_view path = url;
  bool has_scheme = false;
  if (size_t p = url.find("://"); p != std::string_view::npos) {
    has_scheme = true;
    size_t slash = url.find('/', p + 3);
    path = slash == std::string_view::npos ? std::string_view() : url.substr(slash);
  }
  auto seg = path_segments(path);
  std::string_view account = ctx.account, region = ctx.region, name;
  if (seg.size() == 1 && !has_scheme && url.find('/') == std::string_view::npos) {
    name = seg[0];  // a bare queue name, as some clients send
  } else if (seg.size() == 2 && all_digits(seg[0], 12)) {
    account = seg[0];
    name = seg[1];
  } else if (seg.size() == 4 && seg[0] == "queue" && all_digits(seg[2], 12)) {  // /queue/<region>/<account>/<name>
    region = seg[1];
    account = seg[2];
    name = seg[3];
  } else {
    return invalid_address(std::string(url));
  }
  QueuePtr q;
  {
    std::shared_lock lock(mu_);
    auto it = queues_.find(keys::queue(account, region, name));
    if (it != queues_.end()) q = it->second;
  }
  if (!q) return queue_does_not_exist(is_query(ctx));
  return q;
}

Result<QueuePtr> Sqs::create(const Context& ctx, const std::string& name, const AttributeMap& attributes,
                             const std::map<std::string, std::string>& tags) {
  bool fifo = false;
  if (auto it = attributes.find("FifoQueue"); it != attributes.end()) {
    std::string v = it->second;
    for (auto& c : v) c = char(std::tolower(static_cast<unsigned char>(c)));
    fifo = v == "true";
  }
  if (!valid_queue_name(name, fifo))
    return invalid_parameter_value(fifo ? "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                                          "or underscores, must end with .fifo suffix and be 1 to 80 in length"
                                        : "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 "
                                          "in length");
  std::string key = keys::queue(ctx.account, ctx.region, name);
  if (QueuePtr existing = find(ctx.account, ctx.region, name)) {
    QueueConfig current = existing->config();
    if (auto diff = current.first_difference(attributes)) return queue_name_exists(*diff);
    return existing;
  }
  QueueConfig config(fifo);
  if (auto s = config.apply(attributes, true); !s) return s.error();
  std::string arn = "arn:aws:sqs:" + ctx.region + ":" + ctx.account + ":" + name;
  if (auto s = [&]() -> Status {
        auto rp = attributes.find("RedrivePolicy");
        if (rp == attributes.end() || rp->second.empty()) return Ok{};
        auto p = parse_redrive_policy(rp->second);
        QueuePtr target = find_by_arn(p->dead_letter_target_arn);
        if (!target) return redrive_problem(rp->second, "Dead letter target does not exist.");
        if (target->fifo() != fifo)
          return redrive_problem(rp->second, "Dead-letter queue must be same type of queue as the source.");
        if (!target->config().allows_source(arn))
          return redrive_problem(rp->second, "Queue " + arn + " is not allowed to use " +
                                                 p->dead_letter_target_arn + " as its dead-letter queue.");
        return Ok{};
      }();
      !s)
    return s.error();
  if (tags.size() > 50) return invalid_parameter_value("Too many tags added for queue " + name + ".");
  std::unique_lock lock(mu_);
  if (auto it = queues_.find(key); it != queues_.end()) return it->second;  // created meanwhile
  QueueIdentity id;
  {
    std::lock_guard id_lock(id_mu_);
    id.id = next_id_++;
  }
  id.account = ctx.account;
  id.region = ctx.region;
  id.name = name;
  id.fifo = fifo;
  id.created_s = ctx.now_ms() / 1000;
  auto q = std::make_shared<Queue>(id, config, store_, clock_, scheduler_, secret_);
  if (!tags.empty())
    if (auto s = q->tag(tags); !s) return s.error();
  storage::Batch b;
  std::string next;
  storage::put_u64(next, next_id_);
  b.put(Family::meta, keys::kNextQueueId, next);
  b.put(Family::meta, key, q->to_json().dump());
  if (auto s = store_.commit(b); !s) return s.error();
  queues_[key] = q;
  return q;
}

Status Sqs::remove(const QueuePtr& queue) {
  storage::Batch b;
  queue->close(b);
  if (auto s = store_.commit(b); !s) return s;
  std::unique_lock lock(mu_);
  auto it = queues_.find(queue->meta_key());
  if (it != queues_.end() && it->second == queue) queues_.erase(it);
  return Ok{};
}

Status Sqs::set_attributes(const QueuePtr& queue, const AttributeMap& attributes) {
  auto rp = attributes.find("RedrivePolicy");
  if (rp != attributes.end() && !rp->second.empty()) {
    auto p = parse_redrive_policy(rp->second);
    if (!p) return p.error();
    QueuePtr target = find_by_arn(p->dead_letter_target_arn);
    if (!target) return redrive_problem(rp->second, "Dead letter target does not exist.");
    if (target->fifo() != queue->fifo())
      return redrive_problem(rp->second, "Dead-letter queue must be same type of queue as the source.");
    if (!target->config().allows_source(queue->arn()))
      return redrive_problem(rp->second, "Queue " + queue->arn() + " is not allowed to use " +
                                             p->dead_letter_target_arn + " as its dead-letter queue.");
  }
  return queue->set_attributes(attributes);
}

QueuePtr Sqs::dead_letter_queue(const Queue& queue) {
  auto p = queue.redrive_policy();
  return p ? find_by_arn(p->dead_letter_target_arn) : nullptr;
}

std::vector<QueuePtr> Sqs::dead_letter_sources(const Queue& dead_letter) {
  std::vector<QueuePtr> out;
  std::string arn = dead_letter.arn();
  for (auto& q : list(dead_letter.identity().account, dead_letter.identity().region)) {
    auto p = q->redrive_policy();
    if (p && p->dead_letter_target_arn == arn) out.push_back(q);
  }
  return out;
}

// ---------------------------------------------------------------- long polls

void Sqs::receive(const QueuePtr& queue, ReceiveRequest request, int64_t wait_ms, ReceiveDone done) {
  auto poll = std::make_shared<Poll>(Poll{queue, std::move(request), clock_.now_ms() + wait_ms, std::move(done), false});
  attempt(poll);
}

void Sqs::attempt(const std::shared_ptr<Poll>& poll) {
  // The completion holds the HTTP exchange: hand it over exactly once, so timers still pending
  // for this poll keep nothing alive.
  auto finish = [&poll](Result<ReceiveResult> r) {
    ReceiveDone done = std::move(poll->done);
    done(std::move(r));
  };
  int64_t now = clock_.now_ms();
  std::shared_ptr<Waiter> waiter;
  if (scheduler_ && now < poll->deadline_ms) {
    // Woken by a message becoming visible, the deadline, or the queue's deletion: try again at
    // once, on the waking thread. Queues wake only after releasing their lock, and the completion
    // hands the answer to the HTTP connection's own executor, so this saves a thread hand-off
    // (a wake-up of an idle worker) on the way from a send to a parked receive.
    waiter = std::make_shared<Waiter>([this, poll] { attempt(poll); });
  }
  // A queue deleted while the poll was parked ends it with no messages (the request was valid).
  if (poll->parked_before && poll->queue->closed()) return finish(ReceiveResult{});
  auto out = poll->queue->receive(poll->request, dead_letter_queue(*poll->queue), waiter);
  if (!out) return finish(out.error());
  if (out->parked) {
    poll->parked_before = true;
    scheduler_->after(poll->deadline_ms - now, [waiter] { waiter->wake(); });
    return;
  }
  finish(std::move(*out));
}

// ---------------------------------------------------------------- move tasks

json MoveTask::to_json() const {
  json j = {{"id", id},         {"account", account},       {"region", region},
            {"source", source_arn}, {"destination", destination_arn}, {"status", status},
            {"failure", failure_reason}, {"started", started_ms}, {"moved", moved}, {"to_move", to_move}};
  if (max_per_second) j["rate"] = *max_per_second;
  return j;
}

MoveTask MoveTask::from_json(const json& j) {
  MoveTask t;
  t.id = j.value("id", "");
  t.account = j.value("account", "");
  t.region = j.value("region", "");
  t.source_arn = j.value("source", "");
  t.destination_arn = j.value("destination", "");
  t.status = j.value("status", "FAILED");
  t.failure_reason = j.value("failure", "");
  t.started_ms = j.value("started", int64_t(0));
  t.moved = j.value("moved", int64_t(0));
  t.to_move = j.value("to_move", int64_t(0));
  if (j.contains("rate")) t.max_per_second = j["rate"].get<int64_t>();
  return t;
}

std::string MoveTask::handle() const {
  return base64_encode(json({{"taskId", id}, {"sourceArn", source_arn}}).dump());
}

Status Sqs::persist_task(const MoveTask& task) {
  storage::Batch b;
  b.put(Family::meta, keys::task(task.id), task.to_json().dump());
  return store_.commit(b);
}

Result<MoveTask> Sqs::start_move_task(const Context& ctx, const QueuePtr& source, const QueuePtr& destination,
                                      std::optional<int64_t> max_per_second) {
  MoveTask t;
  {
    std::lock_guard lock(tasks_mu_);
    for (auto& [id, other] : tasks_)
      if (other.source_arn == source->arn() && (other.status == "RUNNING" || other.status == "CANCELLING"))
        return invalid_parameter_value(
            "There is already a task running. Only one active task is allowed for a source queue arn at a given "
            "time.");
    t.id = uuid_v4();
    t.account = ctx.account;
    t.region = ctx.region;
    t.source_arn = source->arn();
    t.destination_arn = destination ? destination->arn() : std::string();
    t.max_per_second = max_per_second;
    t.status = "RUNNING";
    t.started_ms = ctx.now_ms();
    t.to_move = int64_t(source->counts().visible);
    tasks_[t.id] = t;
  }
  if (auto s = persist_task(t); !s) return s.error();
  schedule_task(t.id);
  return t;
}

std::vector<MoveTask> Sqs::move_tasks(const std::string& source_arn) {
  std::vector<MoveTask> out;
  {
    std::lock_guard lock(tasks_mu_);
    for (auto& [id, t] : tasks_)
      if (t.source_arn == source_arn) out.push_back(t);
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.started_ms > b.started_ms; });
  return out;
}

Result<MoveTask> Sqs::cancel_move_task(const std::string& task_id) {
  MoveTask copy;
  {
    std::lock_guard lock(tasks_mu_);
    auto it = tasks_.find(task_id);
    if (it == tasks_.end()) return resource_not_found("Task does not exist.");
    if (it->second.status != "RUNNING") return invalid_parameter_value("Only active tasks can be cancelled.");
    // Without a scheduler no step will observe CANCELLING: cancel at once.
    it->second.status = scheduler_ ? "CANCELLING" : "CANCELLED";
    copy = it->second;
  }
  if (auto s = persist_task(copy); !s) return s.error();
  return copy;
}

bool Sqs::step_task(const std::string& task_id) {
  MoveTask t;
  {
    std::lock_guard lock(tasks_mu_);
    auto it = tasks_.find(task_id);
    if (it == tasks_.end()) return false;
    if (it->second.status == "CANCELLING") it->second.status = "CANCELLED";
    t = it->second;
  }
  if (t.status != "RUNNING") {
    (void)persist_task(t);
    return false;
  }
  QueuePtr source = find_by_arn(t.source_arn);
  QueuePtr destination = t.destination_arn.empty() ? nullptr : find_by_arn(t.destination_arn);
  size_t moved = 0;
  std::string failure;
  if (!source || (!t.destination_arn.empty() && !destination)) {
    failure = "AWS.SimpleQueueService.NonExistentQueue";
  } else {
    size_t per_step = t.max_per_second ? size_t(std::max<int64_t>(1, *t.max_per_second / 10)) : 1000;
    moved = source->move_out(per_step, [&](const MessageRecord& r) -> QueuePtr {
      return destination ? destination : find_by_arn(r.dlq_source_arn);
    });
  }
  {
    std::lock_guard lock(tasks_mu_);
    auto& live = tasks_[task_id];
    live.moved += int64_t(moved);
    if (!failure.empty()) {
      live.status = "FAILED";
      live.failure_reason = failure;
    } else if (moved == 0 && live.status == "RUNNING") {
      live.status = "COMPLETED";
    }
    t = live;
  }
  (void)persist_task(t);
  return t.status == "RUNNING" || t.status == "CANCELLING";
}

void Sqs::schedule_task(const std::string& task_id) {
  if (!scheduler_) return;
  int64_t delay = 0;
  {
    std::lock_guard lock(tasks_mu_);
    auto it = tasks_.find(task_id);
    if (it != tasks_.end() && it->second.max_per_second) delay = 100;  // rate-limited: steps of 1/10 s
  }
  scheduler_->after(delay, [this, task_id] {
    if (step_task(task_id)) schedule_task(task_id);
  });
}

void Sqs::run_move_tasks() {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(tasks_mu_);
    for (auto& [id, t] : tasks_)
      if (t.status == "RUNNING" || t.status == "CANCELLING") ids.push_back(id);
  }
  for (auto& id : ids) step_task(id);
}

// ---------------------------------------------------------------- lab hooks

json Sqs::describe_state() {
  json queues = json::array();
  std::vector<QueuePtr> all;
  {
    std::shared_lock lock(mu_);
    for (auto& [k, q] : queues_) all.push_back(q);
  }
  for (auto& q : all) {
    Counts c = q->counts();
    queues.push_back({{"Account", q->identity().account},
                      {"Region", q->identity().region},
                      {"QueueName", q->name()},
                      {"Fifo", q->fifo()},
                      {"ApproximateNumberOfMessages", c.visible},
                      {"ApproximateNumberOfMessagesNotVisible", c.not_visible},
                      {"ApproximateNumberOfMessagesDelayed", c.delayed}});
  }
  return {{"queues", queues}};
}

Status Sqs::reset(const std::string& account) {
  std::vector<QueuePtr> doomed;
  {
    std::shared_lock lock(mu_);
    for (auto& [k, q] : queues_)
      if (account.empty() || q->identity().account == account) doomed.push_back(q);
  }
  for (auto& q : doomed)
    if (auto s = remove(q); !s) return s;
  storage::Batch b;
  {
    std::lock_guard lock(tasks_mu_);
    for (auto it = tasks_.begin(); it != tasks_.end();) {
      if (account.empty() || it->second.account == account) {
        b.del(Family::meta, keys::task(it->first));
        it = tasks_.erase(it);
      } else {
        ++it;
      }
    }
  }
  return store_.commit(b);
}

void Sqs::maintain() {
  std::vector<QueuePtr> all;
  {
    std::shared_lock lock(mu_);
    for (auto& [k, q] : queues_) all.push_back(q);
  }
  for (auto& q : all) q->maintain();
}

}  // namespace streamlab::sqs
