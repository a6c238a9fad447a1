#include "emulators/sns/model.h"

namespace streamlab::sns {

std::string Topic::default_policy() const {
  json statement = {
      {"Sid", "__default_statement_ID"},
      {"Effect", "Allow"},
      {"Principal", {{"AWS", "*"}}},
      {"Action",
       {"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
        "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:Publish"}},
      {"Resource", arn},
      {"Condition", {{"StringEquals", {{"AWS:SourceOwner", account}}}}},
  };
  json policy = json::object();
  policy["Version"] = "2008-10-17";
  policy["Id"] = "__default_policy_ID";
  policy["Statement"] = json::array({statement});
  return policy.dump();
}

json Topic::to_json() const {
  json tag_list = json::array();
  for (auto& [k, v] : tags) tag_list.push_back({k, v});
  return {{"v", 1},
          {"account", account},
          {"region", region},
          {"name", name},
          {"fifo", fifo},
          {"created", created_ms},
          {"attributes", attributes},
          {"tags", tag_list},
          {"dpp", data_protection_policy}};
}

std::shared_ptr<Topic> Topic::from_json(const json& j) {
  auto t = std::make_shared<Topic>();
  t->account = j.value("account", "");
  t->region = j.value("region", "");
  t->name = j.value("name", "");
  t->arn = "arn:aws:sns:" + t->region + ":" + t->account + ":" + t->name;
  t->fifo = j.value("fifo", false);
  t->created_ms = j.value("created", int64_t(0));
  t->attributes = j.value("attributes", std::map<std::string, std::string>{});
  for (auto& kv : j.value("tags", json::array()))
    if (kv.is_array() && kv.size() == 2) t->tags.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
  t->data_protection_policy = j.value("dpp", "");
  return t;
}

json Subscription::to_json() const {
  return {{"v", 1},
          {"arn", arn},
          {"topic", topic_arn},
          {"owner", owner},
          {"protocol", protocol},
          {"endpoint", endpoint},
          {"attributes", attributes},
          {"pending", pending},
          {"authenticated", confirmation_authenticated},
          {"token", token},
          {"created", created_ms}};
}

std::shared_ptr<Subscription> Subscription::from_json(const json& j) {
  auto s = std::make_shared<Subscription>();
  s->arn = j.value("arn", "");
  s->topic_arn = j.value("topic", "");
  s->owner = j.value("owner", "");
  s->protocol = j.value("protocol", "");
  s->endpoint = j.value("endpoint", "");
  s->attributes = j.value("attributes", std::map<std::string, std::string>{});
  s->pending = j.value("pending", false);
  s->confirmation_authenticated = j.value("authenticated", false);
  s->token = j.value("token", "");
  s->created_ms = j.value("created", int64_t(0));
  if (auto policy = s->attribute("FilterPolicy"); !policy.empty()) {
    auto compiled = FilterPolicy::compile(policy, s->scope(), false);
    if (compiled) s->filter = *compiled;
  }
  return s;
}

bool known_protocol(const std::string& p) {
  static const char* kProtocols[] = {"http", "https", "email", "email-json", "sms",
                                     "sqs",  "application", "lambda", "firehose"};
  for (const char* k : kProtocols)
    if (p == k) return true;
  return false;
}

}  // namespace streamlab::sns
