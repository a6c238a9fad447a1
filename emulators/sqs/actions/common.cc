#include "emulators/sqs/actions/common.h"

#include <set>

#include "server/core/encoding.h"

namespace streamlab::sqs {
namespace {

Shape name_value_map(const char* wire_name, Shape value) {
  return map_shape(string_shape().xml_name("Name"), value.xml_name("Value")).flattened().xml_name(wire_name);
}

Shape message_attribute_value_shape() {
  return structure_shape({
      {"StringValue", string_shape()},
      {"BinaryValue", blob_shape()},
      {"StringListValues", list_shape(string_shape().xml_name("StringListValue")).flattened().xml_name("StringListValue")},
      {"BinaryListValues", list_shape(blob_shape().xml_name("BinaryListValue")).flattened().xml_name("BinaryListValue")},
      {"DataType", string_shape()},
  });
}

bool valid_entry_id(const std::string& id) {
  if (id.empty() || id.size() > 80) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

Status check_fifo_id(const json& e, const char* name) {
  auto it = e.find(name);
  if (it == e.end()) return Ok{};
  const std::string& v = it->get_ref<const std::string&>();
  bool ok = !v.empty() && v.size() <= 128;
  for (char c : v) ok = ok && c >= '!' && c <= '~';
  if (!ok)
    return invalid_parameter_value("Value " + v + " for parameter " + name + " is invalid. Reason: " + name +
                                   " can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  return Ok{};
}

}  // namespace

bool query_protocol(const Context& ctx) {
  return ctx.request && ctx.request->header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0;
}

Shape queue_attribute_map_shape() { return name_value_map("Attribute", string_shape()); }
Shape attribute_name_list_shape() { return list_shape(string_shape().xml_name("AttributeName")).flattened(); }
Shape tag_map_shape() {
  return map_shape(string_shape().xml_name("Key"), string_shape().xml_name("Value")).flattened().xml_name("Tag");
}
Shape message_attribute_map_shape() { return name_value_map("MessageAttribute", message_attribute_value_shape()); }
Shape message_system_attribute_map_shape() {
  return name_value_map("MessageSystemAttribute", message_attribute_value_shape());
}
Shape queue_url_list_shape() { return list_shape(string_shape().xml_name("QueueUrl")).flattened(); }
Shape batch_error_list_shape() {
  return list_shape(structure_shape({{"Id", string_shape()},
                                     {"SenderFault", boolean_shape()},
                                     {"Code", string_shape()},
                                     {"Message", string_shape()}})
                        .xml_name("BatchResultErrorEntry"))
      .flattened();
}

Result<std::string> required_string(const json& in, const char* name) {
  auto it = in.find(name);
  if (it == in.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return missing_parameter(name);
  return it->get<std::string>();
}

Result<QueuePtr> queue_of(Sqs& sqs, const Context& ctx, const json& in) { return sqs.resolve(ctx, in); }

Status check_batch(const json& in, const std::string& entry_type) {
  auto it = in.find("Entries");
  if (it == in.end() || !it->is_array() || it->empty()) return empty_batch(entry_type);
  if (it->size() > 10) return too_many_entries(it->size());
  // At most ten ids: compared pairwise, without copying them into a set.
  static const std::string kNone;
  std::vector<const std::string*> seen;
  seen.reserve(it->size());
  for (auto& e : *it) {
    const std::string* id = &kNone;
    if (e.is_object())
      if (auto f = e.find("Id"); f != e.end() && f->is_string()) id = &f->get_ref<const std::string&>();
    if (!valid_entry_id(*id)) return invalid_batch_entry_id();
    for (const std::string* other : seen)
      if (*other == *id) return batch_ids_not_distinct(*id);
    seen.push_back(id);
  }
  return Ok{};
}

Status check_range(const json& in, const char* name, int64_t min, int64_t max, const std::string& why) {
  auto it = in.find(name);
  if (it == in.end()) return Ok{};
  int64_t v = it->get<int64_t>();
  if (v < min || v > max)
    return invalid_parameter_value("Value " + std::to_string(v) + " for parameter " + name +
                                   " is invalid. Reason: " + why);
  return Ok{};
}

AttributeMap string_map(const json& obj) {
  AttributeMap out;
  if (obj.is_object())
    for (auto& [k, v] : obj.items()) out[k] = v.is_string() ? v.get<std::string>() : std::string();
  return out;
}

std::vector<std::string> string_list(const json& arr) {
  std::vector<std::string> out;
  if (arr.is_array())
    for (auto& v : arr)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Result<SendRequest> prepare_send(const Context& ctx, const Queue& queue, json& e, size_t* bytes) {
  SendRequest r;
  // Moved, not copied: nothing reads the body from the input after this.
  auto body = e.find("MessageBody");
  if (body == e.end() || !body->is_string() || body->get_ref<const std::string&>().empty())
    return missing_parameter("MessageBody");
  r.body = std::move(body->get_ref<std::string&>());
  if (!valid_message_text(r.body)) return invalid_message_contents();
  if (auto s = check_range(e, "DelaySeconds", 0, 900, "DelaySeconds must be >= 0 and <= 900."); !s) return s.error();
  if (auto d = e.find("DelaySeconds"); d != e.end()) r.delay_seconds = d->get<int64_t>();
  // Members read in place: json::value() copied each (and built its default) on every send.
  static const json kNone = json::object();
  auto member = [&e](const char* name) -> const json& {
    auto it = e.find(name);
    return it == e.end() ? kNone : *it;
  };
  auto attributes = parse_message_attributes(member("MessageAttributes"));
  if (!attributes) return attributes.error();
  r.attributes = std::move(*attributes);
  auto trace = parse_trace_header(member("MessageSystemAttributes"));
  if (!trace) return trace.error();
  r.trace_header = std::move(*trace);
  for (const char* name : {"MessageGroupId", "MessageDeduplicationId"})
    if (auto s = check_fifo_id(e, name); !s) return s.error();
  if (auto g = e.find("MessageGroupId"); g != e.end()) r.group_id = g->get<std::string>();
  if (auto d = e.find("MessageDeduplicationId"); d != e.end()) r.dedup_id = d->get<std::string>();
  r.sender_id = ctx.account;
  if (bytes) *bytes = r.body.size() + attributes_size(r.attributes);
  if (auto s = queue.check_send(r); !s) return s.error();
  return r;
}

Result<UrlPage> page_of_urls(const Context& ctx, const json& in, const std::vector<QueuePtr>& queues,
                             const std::string& name_prefix) {
  if (auto r = check_range(in, "MaxResults", 1, 1000, "MaxResults must be an integer between 1 and 1000."); !r)
    return r.error();
  std::string after;
  if (auto t = in.find("NextToken"); t != in.end()) {
    auto raw = base64_decode(t->get<std::string>());
    if (!raw || raw->empty()) return invalid_parameter_value("Invalid NextToken value.");
    after = *raw;
  }
  bool paged = in.contains("MaxResults");
  size_t limit = paged ? size_t(in["MaxResults"].get<int64_t>()) : 1000;
  UrlPage page;
  std::string last;
  for (auto& q : queues) {
    if (q->name().rfind(name_prefix, 0) != 0 || (!after.empty() && q->name() <= after)) continue;
    if (page.urls.size() == limit) {
      if (paged) page.next_token = base64_encode(last);
      break;
    }
    page.urls.push_back(url_of(ctx, *q));
    last = q->name();
  }
  return page;
}

std::string url_of(const Context& ctx, const Queue& queue) {
  return Sqs::queue_url(ctx.host, queue.identity().account, queue.name());
}

json batch_error(const std::string& id, const AwsError& error) {
  return {{"Id", id},
          {"SenderFault", error.sender_fault},
          {"Code", error.query_code.empty() ? error.code : error.query_code},
          {"Message", error.message}};
}

}  // namespace streamlab::sqs
