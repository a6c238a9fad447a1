#include "emulators/sqs/message.h"

#include <cstdlib>

// MD5 through the low-level API: EVP_Digest looks the algorithm up on every call, which cost
// more than hashing a short body.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

#include "emulators/sqs/errors.h"
#include "server/core/encoding.h"
#include "server/core/swar.h"
#include "server/storage/big_endian.h"

namespace streamlab::sqs {
namespace {

using storage::get_u32;
using storage::get_u64;
using storage::put_u32;
using storage::put_u64;

void put_field(std::string& out, std::string_view v) {
  put_u32(out, uint32_t(v.size()));
  out.append(v);
}

struct Reader {
  std::string_view in;
  size_t at = 0;
  bool ok = true;
  uint64_t u64() {
    if (at + 8 > in.size()) { ok = false; return 0; }
    uint64_t v = get_u64(in, at);
    at += 8;
    return v;
  }
  uint32_t u32() {
    if (at + 4 > in.size()) { ok = false; return 0; }
    uint32_t v = get_u32(in, at);
    at += 4;
    return v;
  }
  uint8_t u8() {
    if (at + 1 > in.size()) { ok = false; return 0; }
    return uint8_t(in[at++]);
  }
  std::string field() {
    uint32_t n = u32();
    if (!ok || at + n > in.size()) { ok = false; return {}; }
    std::string v(in.substr(at, n));
    at += n;
    return v;
  }
};

bool is_number_text(const std::string& v) {
  if (v.empty()) return false;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return end && *end == '\0';
}

bool name_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

bool starts_with_ci(const std::string& s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

bool matches(const std::string& name, const json& requested) {
  if (!requested.is_array()) return false;
  for (auto& r : requested) {
    if (!r.is_string()) continue;
    const std::string& p = r.get_ref<const std::string&>();
    if (p == "All" || p == ".*" || p == name) return true;
    if (p.size() > 2 && p.compare(p.size() - 2, 2, ".*") == 0 && name.compare(0, p.size() - 1, p, 0, p.size() - 1) == 0)
      return true;
  }
  return false;
}

}  // namespace

std::string MessageRecord::encode() const {
  std::string out;
  out.reserve(64 + body.size() + message_id.size() + 96);
  out += char(1);
  put_u64(out, uint64_t(sent_ms));
  put_u64(out, uint64_t(visible_at_ms));
  for (const std::string* f : {&message_id, &body, &md5_body, &md5_attributes, &sender_id, &group_id, &dedup_id,
                               &sequence_number, &trace_header, &dlq_source_arn})
    put_field(out, *f);
  put_u32(out, uint32_t(attributes.size()));
  for (auto& [name, a] : attributes) {
    put_field(out, name);
    put_field(out, a.data_type);
    out += char(a.binary ? 2 : 1);
    put_field(out, a.value);
  }
  return out;
}

std::optional<MessageRecord> MessageRecord::decode(std::string_view bytes) {
  Reader r{bytes};
  if (r.u8() != 1) return std::nullopt;
  MessageRecord m;
  m.sent_ms = int64_t(r.u64());
  m.visible_at_ms = int64_t(r.u64());
  for (std::string* f : {&m.message_id, &m.body, &m.md5_body, &m.md5_attributes, &m.sender_id, &m.group_id,
                         &m.dedup_id, &m.sequence_number, &m.trace_header, &m.dlq_source_arn})
    *f = r.field();
  uint32_t n = r.u32();
  for (uint32_t i = 0; i < n && r.ok; ++i) {
    std::string name = r.field();
    MessageAttribute a;
    a.data_type = r.field();
    a.binary = r.u8() == 2;
    a.value = r.field();
    m.attributes.emplace(std::move(name), std::move(a));
  }
  if (!r.ok) return std::nullopt;
  return m;
}

std::string DeliveryState::encode() const {
  std::string out;
  out.reserve(33);
  out += char(1);
  put_u64(out, uint64_t(visible_at_ms));
  put_u32(out, receive_count);
  put_u32(out, gen);
  put_u64(out, uint64_t(first_receive_ms));
  put_u64(out, uint64_t(last_receive_ms));
  return out;
}

std::optional<DeliveryState> DeliveryState::decode(std::string_view bytes) {
  Reader r{bytes};
  if (r.u8() != 1) return std::nullopt;
  DeliveryState s;
  s.visible_at_ms = int64_t(r.u64());
  s.receive_count = r.u32();
  s.gen = r.u32();
  s.first_receive_ms = int64_t(r.u64());
  s.last_receive_ms = int64_t(r.u64());
  if (!r.ok) return std::nullopt;
  return s;
}

Result<MessageAttributes> parse_message_attributes(const json& input) {
  MessageAttributes out;
  if (!input.is_object()) return out;
  if (input.size() > 10)
    return invalid_parameter_value("Number of message attributes [" + std::to_string(input.size()) +
                                   "] exceeds the allowed maximum [10].");
  for (auto& [name, v] : input.items()) {
    if (name.empty()) return invalid_parameter_value("The request must contain non-empty message (user) attribute names.");
    if (name.size() > 256) return invalid_parameter_value("Message (user) attribute names must be shorter than 256 Bytes");
    for (char c : name)
      if (!name_char_ok(c))
        return invalid_parameter_value(
            "Message (user) attributes name can only contain upper and lower score characters, digits, periods, "
            "hyphens and underscores. ");
    if (starts_with_ci(name, "aws.") || starts_with_ci(name, "amazon.") || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string::npos)
      return invalid_parameter_value(
          "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for "
          "internal use. Additionally, they cannot start or end with '.'.");
    MessageAttribute a;
    if (v.is_object()) a.data_type = v.value("DataType", "");
    if (a.data_type.empty())
      return invalid_parameter_value("The message (user) attribute '" + name +
                                     "' must contain a non-empty message attribute type.");
    if (a.data_type.size() > 256)
      return invalid_parameter_value("Message (user) attribute types must be shorter than 256 Bytes");
    bool is_string = a.data_type.rfind("String", 0) == 0, is_number = a.data_type.rfind("Number", 0) == 0,
         is_binary = a.data_type.rfind("Binary", 0) == 0;
    size_t base = is_string ? 6 : is_number ? 6 : is_binary ? 6 : 0;
    if (!base || (a.data_type.size() > base && a.data_type[base] != '.'))
      return invalid_parameter_value("The type of message (user) attribute '" + name +
                                     "' is invalid. You must use only the following supported type prefixes: Binary, "
                                     "Number, String.");
    if (is_binary) {
      std::string text = v.value("BinaryValue", "");
      auto raw = base64_decode(text);
      if (text.empty() || !raw || raw->empty())
        return invalid_parameter_value("Message (user) attribute '" + name +
                                       "' must contain a non-empty value of type 'Binary'.");
      a.binary = true;
      a.value = std::move(*raw);
    } else {
      a.value = v.value("StringValue", "");
      if (a.value.empty())
        return invalid_parameter_value("Message (user) attribute '" + name + "' must contain a non-empty value of type '" +
                                       (is_number ? "Number" : "String") + "'.");
      if (!valid_message_text(a.value)) return invalid_parameter_value(invalid_message_contents().message);
      if (is_number && !is_number_text(a.value))
        return invalid_parameter_value("Can't cast the value of message (user) attribute '" + name +
                                       "' to a number.");
    }
    out.emplace(name, std::move(a));
  }
  return out;
}

Result<std::string> parse_trace_header(const json& input) {
  if (!input.is_object() || input.empty()) return std::string();
  for (auto& [name, v] : input.items()) {
    if (name != "AWSTraceHeader")
      return invalid_parameter_value("Message system attribute name '" + name + "' is invalid.");
    std::string type = v.is_object() ? v.value("DataType", "") : "";
    if (type != "String")
      return invalid_parameter_value("Message system attribute AWSTraceHeader must be of type String.");
    std::string value = v.value("StringValue", "");
    if (value.empty())
      return invalid_parameter_value("Message (system) attribute 'AWSTraceHeader' must contain a non-empty value.");
    return value;
  }
  return std::string();
}

MessageAttributes filter_attributes(const MessageAttributes& attributes, const json& requested_names) {
  MessageAttributes out;
  for (auto& [name, a] : attributes)
    if (matches(name, requested_names)) out.emplace(name, a);
  return out;
}

json attributes_json(const MessageAttributes& attributes, const json& requested_names, bool* any) {
  json out = json::object();
  for (auto& [name, a] : attributes) {
    if (!matches(name, requested_names)) continue;
    json v = {{"DataType", a.data_type}};
    if (a.binary) v["BinaryValue"] = base64_encode(a.value);
    else v["StringValue"] = a.value;
    out[name] = std::move(v);
  }
  if (any) *any = !out.empty();
  return out;
}

std::string md5_of_attributes(const MessageAttributes& attributes) {
  if (attributes.empty()) return {};
  std::string buf;
  for (auto& [name, a] : attributes) {
    put_field(buf, name);
    put_field(buf, a.data_type);
    buf += char(a.binary ? 2 : 1);
    put_field(buf, a.value);
  }
  return md5_hex_of(buf);
}

std::string md5_hex_of(std::string_view bytes) {
  unsigned char out[MD5_DIGEST_LENGTH];
  MD5(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

size_t attributes_size(const MessageAttributes& attributes) {
  size_t n = 0;
  for (auto& [name, a] : attributes) n += name.size() + a.data_type.size() + a.value.size();
  return n;
}

bool valid_message_text(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  for (size_t i = 0; i < n;) {
    // Eight plain ASCII characters at a time (every byte below 0x80 and none below 0x20): bodies
    // are mostly that, and a byte at a time was 11 instructions per byte of every send.
    if (i + 8 <= n) {
      uint64_t x = swar::load8(p + i);
      if (!swar::any_non_ascii(x) && !swar::any_below(x, 0x20)) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) return false;
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len;
    if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; len = 4; }
    else return false;
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    // Overlong forms, surrogates, U+FFFE/U+FFFF and beyond U+10FFFF are not allowed.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF) return false;
    i += len;
  }
  return true;
}

}  // namespace streamlab::sqs
