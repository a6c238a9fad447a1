#include "emulators/dynamodb/table.h"

namespace streamlab::dynamodb {
namespace {
json key_element_json(const KeyElement& k) { return {{"name", k.name}, {"type", type_name(k.type)}}; }
KeyElement key_element_from(const json& j) {
  KeyElement k;
  k.name = j.value("name", "");
  parse_type_name(j.value("type", "S"), k.type);
  return k;
}
json schema_json(const KeySchema& s) {
  json j = {{"hash", key_element_json(s.hash)}};
  if (s.range) j["range"] = key_element_json(*s.range);
  return j;
}
KeySchema schema_from(const json& j) {
  KeySchema s;
  s.hash = key_element_from(j.value("hash", json::object()));
  if (j.contains("range")) s.range = key_element_from(j["range"]);
  return s;
}
json throughput_state(const Throughput& t) {
  return {{"read", t.read}, {"write", t.write}, {"inc", t.last_increase_ms}, {"dec", t.last_decrease_ms},
          {"decs", t.decreases_today}};
}
Throughput throughput_from(const json& j) {
  Throughput t;
  t.read = j.value("read", int64_t(0));
  t.write = j.value("write", int64_t(0));
  t.last_increase_ms = j.value("inc", int64_t(0));
  t.last_decrease_ms = j.value("dec", int64_t(0));
  t.decreases_today = j.value("decs", 0);
  return t;
}
json index_state(const SecondaryIndex& x) {
  return {{"name", x.name},
          {"uid", x.uid},
          {"global", x.global},
          {"key", schema_json(x.key)},
          {"projection", {{"type", x.projection.type}, {"non_key", x.projection.non_key}}},
          {"throughput", throughput_state(x.throughput)},
          {"status", x.status},
          {"until", x.status_until_ms}};
}
SecondaryIndex index_from(const json& j) {
  SecondaryIndex x;
  x.name = j.value("name", "");
  x.uid = j.value("uid", uint64_t(0));
  x.global = j.value("global", false);
  x.key = schema_from(j.value("key", json::object()));
  auto p = j.value("projection", json::object());
  x.projection.type = p.value("type", "ALL");
  x.projection.non_key = p.value("non_key", std::vector<std::string>{});
  x.throughput = throughput_from(j.value("throughput", json::object()));
  x.status = j.value("status", "ACTIVE");
  x.status_until_ms = j.value("until", int64_t(0));
  return x;
}
}  // namespace

double epoch_seconds(int64_t ms) { return double(ms) / 1000.0; }

json KeySchema::to_json() const {
  json j = json::array({{{"AttributeName", hash.name}, {"KeyType", "HASH"}}});
  if (range) j.push_back({{"AttributeName", range->name}, {"KeyType", "RANGE"}});
  return j;
}

json Throughput::to_json(bool with_dates) const {
  json j = {{"NumberOfDecreasesToday", decreases_today}, {"ReadCapacityUnits", read}, {"WriteCapacityUnits", write}};
  if (with_dates && last_increase_ms) j["LastIncreaseDateTime"] = epoch_seconds(last_increase_ms);
  if (with_dates && last_decrease_ms) j["LastDecreaseDateTime"] = epoch_seconds(last_decrease_ms);
  return j;
}

json Projection::to_json() const {
  json j = {{"ProjectionType", type}};
  if (type == "INCLUDE") j["NonKeyAttributes"] = non_key;
  return j;
}

std::string SecondaryIndex::effective_status(int64_t now_ms) const {
  if (status == "CREATING" && now_ms >= status_until_ms) return "ACTIVE";
  if (status == "DELETING" && now_ms >= status_until_ms) return "DELETED";
  return status;
}

bool SecondaryIndex::projects(const std::string& attr, const KeySchema& table_key) const {
  if (projection.type == "ALL") return true;
  if (attr == key.hash.name || (key.range && attr == key.range->name)) return true;
  if (attr == table_key.hash.name || (table_key.range && attr == table_key.range->name)) return true;
  if (projection.type == "INCLUDE")
    for (auto& n : projection.non_key)
      if (n == attr) return true;
  return false;
}

std::string Table::effective_status(int64_t now_ms) const {
  std::lock_guard lock(status_mu_);
  if (now_ms < status_until_ms_) return status_;
  if (status_ == "DELETING") return "DELETED";
  return "ACTIVE";
}

void Table::set_status(std::string status, int64_t until_ms) {
  std::lock_guard lock(status_mu_);
  status_ = std::move(status);
  status_until_ms_ = until_ms;
}

const SecondaryIndex* Table::index(const std::string& index_name) const {
  for (auto& x : lsis)
    if (x.name == index_name) return &x;
  for (auto& x : gsis)
    if (x.name == index_name) return &x;
  return nullptr;
}

std::optional<AttrType> Table::attribute_type(const std::string& attr) const {
  for (auto& [n, t] : attribute_definitions)
    if (n == attr) return t;
  return std::nullopt;
}

json Table::to_json() const {
  json defs = json::array();
  for (auto& [n, t] : attribute_definitions) defs.push_back({{"name", n}, {"type", type_name(t)}});
  json lsi = json::array(), gsi = json::array();
  for (auto& x : lsis) lsi.push_back(index_state(x));
  for (auto& x : gsis) gsi.push_back(index_state(x));
  json j = {{"uid", uid},
            {"account", account},
            {"region", region},
            {"name", name},
            {"id", id},
            {"created", created_ms},
            {"status", ""},
            {"until", 0},
            {"defs", defs},
            {"key", schema_json(key)},
            {"billing", billing_mode},
            {"ppr_since", pay_per_request_since_ms},
            {"throughput", throughput_state(throughput)},
            {"lsis", lsi},
            {"gsis", gsi},
            {"ttl_attribute", ttl_attribute},
            {"ttl_enabled", ttl_enabled},
            {"tags", tags},
            {"class", table_class},
            {"deletion_protection", deletion_protection}};
  if (stream_uid) j["stream_uid"] = *stream_uid;
  if (sse) j["sse"] = *sse;
  std::lock_guard lock(status_mu_);
  j["status"] = status_;
  j["until"] = status_until_ms_;
  return j;
}

std::unique_ptr<Table> Table::from_json(const json& j) {
  auto t = std::make_unique<Table>();
  t->uid = j.value("uid", uint64_t(0));
  t->account = j.value("account", "");
  t->region = j.value("region", "");
  t->name = j.value("name", "");
  t->id = j.value("id", "");
  t->created_ms = j.value("created", int64_t(0));
  t->set_status(j.value("status", "ACTIVE"), j.value("until", int64_t(0)));
  for (auto& d : j.value("defs", json::array())) {
    AttrType type = AttrType::S;
    parse_type_name(d.value("type", "S"), type);
    t->attribute_definitions.emplace_back(d.value("name", ""), type);
  }
  t->key = schema_from(j.value("key", json::object()));
  t->billing_mode = j.value("billing", "PROVISIONED");
  t->pay_per_request_since_ms = j.value("ppr_since", int64_t(0));
  t->throughput = throughput_from(j.value("throughput", json::object()));
  for (auto& x : j.value("lsis", json::array())) t->lsis.push_back(index_from(x));
  for (auto& x : j.value("gsis", json::array())) t->gsis.push_back(index_from(x));
  t->ttl_attribute = j.value("ttl_attribute", "");
  t->ttl_enabled = j.value("ttl_enabled", false);
  t->tags = j.value("tags", std::map<std::string, std::string>{});
  t->table_class = j.value("class", "STANDARD");
  t->deletion_protection = j.value("deletion_protection", false);
  if (j.contains("stream_uid")) t->stream_uid = j["stream_uid"].get<uint64_t>();
  if (j.contains("sse")) t->sse = j["sse"];
  return t;
}

json Table::describe(int64_t now_ms) const {
  json defs = json::array();
  for (auto& [n, t] : attribute_definitions) defs.push_back({{"AttributeName", n}, {"AttributeType", type_name(t)}});
  bool ppr = billing_mode == "PAY_PER_REQUEST";
  json d = {{"AttributeDefinitions", defs},
            {"TableName", name},
            {"KeySchema", key.to_json()},
            {"TableStatus", effective_status(now_ms)},
            {"CreationDateTime", epoch_seconds(created_ms)},
            {"ProvisionedThroughput", throughput.to_json(true)},
            {"TableSizeBytes", counters.bytes.load()},
            {"ItemCount", counters.items.load()},
            {"TableArn", arn()},
            {"TableId", id},
            {"DeletionProtectionEnabled", deletion_protection}};
  if (ppr || pay_per_request_since_ms) {
    d["BillingModeSummary"] = {{"BillingMode", billing_mode}};
    if (pay_per_request_since_ms)
      d["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] = epoch_seconds(pay_per_request_since_ms);
  }
  if (table_class != "STANDARD") d["TableClassSummary"] = {{"TableClass", table_class}};
  auto index_json = [&](const SecondaryIndex& x) {
    json j = {{"IndexName", x.name},
              {"KeySchema", x.key.to_json()},
              {"Projection", x.projection.to_json()},
              {"IndexSizeBytes", x.counters->bytes.load()},
              {"ItemCount", x.counters->items.load()},
              {"IndexArn", arn() + "/index/" + x.name}};
    if (x.global) {
      std::string st = x.effective_status(now_ms);
      j["IndexStatus"] = st == "DELETED" ? "DELETING" : st;
      if (st == "CREATING") j["Backfilling"] = false;
      j["ProvisionedThroughput"] = x.throughput.to_json(true);
    }
    return j;
  };
  if (!lsis.empty()) {
    json a = json::array();
    for (auto& x : lsis) a.push_back(index_json(x));
    d["LocalSecondaryIndexes"] = a;
  }
  json g = json::array();
  for (auto& x : gsis)
    if (x.effective_status(now_ms) != "DELETED") g.push_back(index_json(x));
  if (!g.empty()) d["GlobalSecondaryIndexes"] = g;
  if (stream) {
    if (stream->enabled) d["StreamSpecification"] = {{"StreamEnabled", true}, {"StreamViewType", stream->view_type}};
    d["LatestStreamLabel"] = stream->label;
    d["LatestStreamArn"] = stream->arn();
  }
  if (sse) d["SSEDescription"] = *sse;
  return d;
}

}  // namespace streamlab::dynamodb
