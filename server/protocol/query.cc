#include "server/protocol/query.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <vector>

#include "server/core/encoding.h"

namespace streamlab::protocol {
namespace {

std::string join(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  std::string r;
  r.reserve(prefix.size() + 1 + name.size());
  r.append(prefix).append(".").append(name);
  return r;
}

std::string wire_name(const Shape& s, std::string_view fallback) {
  return s.xml_name_.empty() ? std::string(fallback) : s.xml_name_;
}

bool has_prefix(const QueryParams& params, const std::string& prefix) {
  std::string p = prefix + ".";
  auto it = params.lower_bound(p);
  return it != params.end() && it->first.compare(0, p.size(), p) == 0;
}

// The N of every "<prefix>.N" or "<prefix>.N.…" parameter, in numeric order.
std::vector<std::string> indices(const QueryParams& params, const std::string& prefix) {
  std::string p = prefix + ".";
  std::vector<std::pair<unsigned long, std::string>> found;
  for (auto it = params.lower_bound(p); it != params.end() && it->first.compare(0, p.size(), p) == 0; ++it) {
    std::string_view rest = std::string_view(it->first).substr(p.size());
    std::string_view n = rest.substr(0, rest.find('.'));
    if (n.empty() || n.size() > 9 || !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    unsigned long v = std::stoul(std::string(n));
    if (found.empty() || found.back().first != v) found.emplace_back(v, std::string(n));
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<std::string> out;
  for (auto& [v, s] : found) out.push_back(s);
  return out;
}

AwsError bad_value(const std::string& key, const std::string& value, const char* why) {
  return {"InvalidParameterValue", "Value " + value + " for parameter " + key + " is invalid. Reason: " + why + ".",
          400, true, "InvalidParameterValue"};
}

// "2024-01-01T00:00:00Z" / "…00.123Z" / epoch seconds -> epoch seconds.
std::optional<double> parse_timestamp(const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (!v.empty() && end && *end == '\0') return d;
  std::tm tm{};
  const char* rest = strptime(v.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return std::nullopt;
  double frac = 0;
  if (*rest == '.') {
    frac = std::strtod(rest, &end);
    rest = end;
  }
  if (*rest != 'Z' && *rest != '\0') return std::nullopt;
  return double(timegm(&tm)) + frac;
}

Result<std::optional<json>> decode_value(const QueryParams& params, const std::string& key, const Shape& s);

Result<std::optional<json>> decode_structure(const QueryParams& params, const std::string& prefix, const Shape& s) {
  json out = json::object();
  for (auto& [name, member] : s.members_) {
    std::string key;
    if (member.type() == ShapeType::List && member.flattened_ && member.element_ && !member.element_->xml_name_.empty())
      key = join(prefix, member.element_->xml_name_);
    else
      key = join(prefix, wire_name(member, name));
    auto v = decode_value(params, key, member);
    if (!v) return v.error();
    if (*v) out[name] = std::move(**v);
  }
  return std::optional<json>(std::move(out));
}

Result<std::optional<json>> decode_value(const QueryParams& params, const std::string& key, const Shape& s) {
  auto exact = params.find(key);
  switch (s.type()) {
    case ShapeType::Structure:
      if (!has_prefix(params, key)) return std::optional<json>();
      return decode_structure(params, key, s);
    case ShapeType::List: {
      std::string element_prefix = s.flattened_ ? key : key + "." + wire_name(*s.element_, "member");
      std::vector<std::string> ns = indices(params, element_prefix);
      if (ns.empty())
        return exact != params.end() ? std::optional<json>(json::array()) : std::optional<json>();
      json out = json::array();
      for (auto& n : ns) {
        auto v = decode_value(params, element_prefix + "." + n, *s.element_);
        if (!v) return v.error();
        if (*v) out.push_back(std::move(**v));
      }
      return std::optional<json>(std::move(out));
    }
    case ShapeType::Map: {
      std::string entry_prefix = s.flattened_ ? key : key + ".entry";
      std::vector<std::string> ns = indices(params, entry_prefix);
      if (ns.empty()) return exact != params.end() ? std::optional<json>(json::object()) : std::optional<json>();
      std::string key_name = wire_name(*s.key_, "key");
      std::string value_name = wire_name(*s.element_, "value");
      json out = json::object();
      for (auto& n : ns) {
        auto k = params.find(entry_prefix + "." + n + "." + key_name);
        if (k == params.end()) continue;
        auto v = decode_value(params, entry_prefix + "." + n + "." + value_name, *s.element_);
        if (!v) return v.error();
        out[k->second] = *v ? std::move(**v) : json();
      }
      return std::optional<json>(std::move(out));
    }
    default:
      break;
  }
  if (exact == params.end()) return std::optional<json>();
  const std::string& v = exact->second;
  switch (s.type()) {
    case ShapeType::Integer:
    case ShapeType::Long: {
      char* end = nullptr;
      errno = 0;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || errno == ERANGE) return bad_value(key, v, "Must be an integer");
      return std::optional<json>(json(int64_t(n)));
    }
    case ShapeType::Double: {
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0') return bad_value(key, v, "Must be a number");
      return std::optional<json>(json(d));
    }
    case ShapeType::Boolean: {
      std::string low = v;
      for (auto& c : low) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (low != "true" && low != "false") return bad_value(key, v, "Must be true or false");
      return std::optional<json>(json(low == "true"));
    }
    case ShapeType::Timestamp: {
      auto t = parse_timestamp(v);
      if (!t) return bad_value(key, v, "Must be a timestamp");
      return std::optional<json>(json(*t));
    }
    default:  // String, Blob (base64 text, as in JSON)
      return std::optional<json>(json(v));
  }
}

// ---------------------------------------------------------------- XML

std::string iso8601(double epoch_seconds) {
  std::time_t t = std::time_t(std::floor(epoch_seconds));
  int ms = int(std::llround((epoch_seconds - double(t)) * 1000));
  if (ms >= 1000) ms = 999;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", ms);
  return buf;
}

void open_tag(std::string& out, std::string_view name) { out.append("<").append(name).append(">"); }
void close_tag(std::string& out, std::string_view name) { out.append("</").append(name).append(">"); }

void write_value(std::string& out, const json& v, const Shape* s, std::string_view name);

// A member of a structure, with the flattening rules for lists and maps.
void write_member(std::string& out, const json& v, const Shape* s, const std::string& name) {
  if (v.is_null()) return;
  std::string wname = s ? wire_name(*s, name) : name;
  bool list = s ? s->type() == ShapeType::List : v.is_array();
  bool map = s ? s->type() == ShapeType::Map : false;
  if (list && v.is_array()) {
    const Shape* e = s ? s->element_.get() : nullptr;
    if (!s || s->flattened_) {
      std::string ename = e && !e->xml_name_.empty() ? e->xml_name_ : wname;
      for (auto& x : v) write_value(out, x, e, ename);
    } else {
      open_tag(out, wname);
      for (auto& x : v) write_value(out, x, e, e ? wire_name(*e, "member") : "member");
      close_tag(out, wname);
    }
    return;
  }
  if (map && v.is_object()) {
    std::string kname = wire_name(*s->key_, "key");
    std::string vname = wire_name(*s->element_, "value");
    if (!s->flattened_) open_tag(out, wname);
    for (auto& [k, x] : v.items()) {
      open_tag(out, s->flattened_ ? wname : std::string("entry"));
      open_tag(out, kname);
      out += xml_escape(k);
      close_tag(out, kname);
      write_value(out, x, s->element_.get(), vname);
      close_tag(out, s->flattened_ ? wname : std::string("entry"));
    }
    if (!s->flattened_) close_tag(out, wname);
    return;
  }
  write_value(out, v, s, wname);
}

void write_fields(std::string& out, const json& v, const Shape* s) {
  if (s && !s->members_.empty()) {
    for (auto& [name, member] : s->members_) {
      auto it = v.find(name);
      if (it != v.end()) write_member(out, *it, &member, name);
    }
    return;
  }
  // No declared members: write the JSON as it is (lists flattened under their key).
  for (auto& [k, x] : v.items()) write_member(out, x, nullptr, k);
}

void write_value(std::string& out, const json& v, const Shape* s, std::string_view name) {
  if (v.is_null()) return;
  open_tag(out, name);
  if (v.is_object()) {
    write_fields(out, v, s);
  } else if (v.is_string()) {
    out += xml_escape(v.get_ref<const std::string&>());
  } else if (v.is_boolean()) {
    out += v.get<bool>() ? "true" : "false";
  } else if (v.is_number()) {
    if (s && s->type() == ShapeType::Timestamp) out += iso8601(v.get<double>());
    else out += v.dump();
  } else if (v.is_array()) {
    for (auto& x : v) write_value(out, x, s ? s->element_.get() : nullptr, "member");
  }
  close_tag(out, name);
}

const char* kXmlHeader = "<?xml version=\"1.0\"?>";

}  // namespace

bool is_form_content_type(std::string_view content_type) {
  std::string_view t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (t.size() != 33) return false;
  std::string low(t);
  for (auto& c : low) c = char(std::tolower(static_cast<unsigned char>(c)));
  return low == "application/x-www-form-urlencoded";
}

QueryParams parse_query_params(std::string_view form) {
  QueryParams params;
  while (!form.empty()) {
    size_t amp = form.find('&');
    std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = url_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1), true);
    params.insert_or_assign(std::move(name), std::move(value));
  }
  return params;
}

Result<json> decode_query_input(const QueryParams& params, const Shape& input) {
  auto v = decode_structure(params, "", input);
  if (!v) return v.error();
  return std::move(**v);
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#xD;"; break;
      default: out += c;
    }
  }
  return out;
}

Response encode_query_output(const ServiceDef& service, std::string_view action, const json& output,
                             const std::string& request_id) {
  std::string response_tag = std::string(action) + "Response";
  Response r;
  std::string& b = r.body;
  b.reserve(256);
  b += kXmlHeader;
  b.append("<").append(response_tag).append(" xmlns=\"").append(service.xml_namespace).append("\">");
  if (auto it = service.output_shapes.find(action); it != service.output_shapes.end()) {
    std::string result_tag = std::string(action) + "Result";
    if (output.is_object() && !output.empty()) {
      open_tag(b, result_tag);
      write_fields(b, output, &it->second);
      close_tag(b, result_tag);
    } else {
      b.append("<").append(result_tag).append("/>");
    }
  }
  b += "<ResponseMetadata><RequestId>";
  b += xml_escape(request_id);
  b += "</RequestId></ResponseMetadata>";
  close_tag(b, response_tag);
  r.set_header("Content-Type", "text/xml");
  if (service.finalize_response) service.finalize_response(r);
  return r;
}

Response encode_query_error(const ServiceDef* service, const AwsError& error, const std::string& request_id) {
  Response r;
  r.status = error.http_status;
  std::string& b = r.body;
  b += kXmlHeader;
  b += "<ErrorResponse";
  if (service && !service->xml_namespace.empty()) b += " xmlns=\"" + service->xml_namespace + "\"";
  b += "><Error><Type>";
  b += error.sender_fault ? "Sender" : "Receiver";
  b += "</Type><Code>";
  b += xml_escape(error.query_code.empty() ? error.code : error.query_code);
  b += "</Code><Message>";
  b += xml_escape(error.message);
  b += "</Message><Detail/></Error><RequestId>";
  b += xml_escape(request_id);
  b += "</RequestId></ErrorResponse>";
  r.set_header("Content-Type", "text/xml");
  if (service && service->finalize_response) service->finalize_response(r);
  return r;
}

}  // namespace streamlab::protocol
