#include "emulators/sns/message_attributes.h"

#include <cstdio>
#include <cstdlib>

#include "emulators/sns/errors.h"
#include "server/core/encoding.h"

namespace streamlab::sns {
namespace {

bool name_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.';
}

Status check_name(const std::string& name) {
  if (name.size() > 256)
    return parameter_value_invalid("Length of message attribute name must be less than 256 bytes.");
  if (name.empty()) return parameter_value_invalid("Message attribute name can not be empty.");
  if (name.front() == '.')
    return parameter_value_invalid("Invalid message attribute name starting with character '.' was found.");
  if (name.back() == '.')
    return parameter_value_invalid("Invalid message attribute name ending with character '.' was found.");
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (!name_char_ok(char(c))) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "#x%X", unsigned(c));
      return parameter_value_invalid(std::string("Invalid non-alphanumeric character '") + hex +
                                     "' was found in the message attribute name. Can only include alphanumeric "
                                     "characters, hyphens, underscores, or dots.");
    }
    if (c == '.' && i > 0 && name[i - 1] == '.')
      return parameter_value_invalid("Message attribute name can not have successive '.' character.");
  }
  return Ok{};
}

// "String", "Number", "Binary", or one of them followed by ".custom" (String.Array included).
bool valid_type(const std::string& t) {
  for (const char* base : {"String", "Number", "Binary"}) {
    std::string b = base;
    if (t == b) return true;
    if (t.size() > b.size() + 1 && t.compare(0, b.size(), b) == 0 && t[b.size()] == '.') return true;
  }
  return false;
}

bool is_number_text(const std::string& v) {
  if (v.empty()) return false;
  char* end = nullptr;
  std::strtod(v.c_str(), &end);
  return end && *end == '\0';
}

}  // namespace

Result<MessageAttributes> parse_message_attributes(const json& input, int batch_position) {
  MessageAttributes out;
  if (!input.is_object()) return out;
  for (auto& [name, v] : input.items()) {
    if (auto s = check_name(name); !s) return s.error();
    std::string type = v.is_object() ? v.value("DataType", "") : "";
    if (!v.is_object() || !v.contains("DataType")) {
      std::string at = batch_position
                            ? "publishBatchRequestEntries." + std::to_string(batch_position) + ".member.messageAttributes."
                            : std::string("messageAttributes.");
      return missing_member(at + name + ".member.dataType");
    }
    if (!valid_type(type))
      return parameter_value_invalid("The message attribute '" + name +
                                     "' has an invalid message attribute type, the set of supported type prefixes is "
                                     "Binary, Number, and String.");
    bool binary = type.rfind("Binary", 0) == 0;
    bool has_string = v.contains("StringValue"), has_binary = v.contains("BinaryValue");
    std::string empty = "The message attribute '" + name +
                        "' must contain non-empty message attribute value for message attribute type '" + type + "'.";
    if (!has_string && !has_binary) return parameter_value_invalid(empty);
    if (binary != has_binary)
      return parameter_value_invalid("The message attribute '" + name + "' with type '" + type +
                                     "' must use field '" + (binary ? "Binary" : "String") + "'.");
    MessageAttribute a;
    a.data_type = type;
    a.binary = binary;
    if (binary) {
      auto raw = base64_decode(v.value("BinaryValue", ""));
      if (!raw || raw->empty()) return parameter_value_invalid(empty);
      a.value = std::move(*raw);
    } else {
      a.value = v.value("StringValue", "");
      if (a.value.empty()) return parameter_value_invalid(empty);
      if (type.rfind("Number", 0) == 0 && !is_number_text(a.value))
        return parameter_value_invalid("Could not cast message attribute '" + name + "' value to number.");
    }
    out.emplace(name, std::move(a));
  }
  return out;
}

size_t attributes_size(const MessageAttributes& attributes) {
  size_t n = 0;
  for (auto& [name, a] : attributes) n += name.size() + a.data_type.size() + a.value.size();
  return n;
}

json attributes_to_json(const MessageAttributes& attributes) {
  json out = json::object();
  for (auto& [name, a] : attributes)
    out[name] = {{"t", a.data_type}, {"v", a.binary ? base64_encode(a.value) : a.value}, {"b", a.binary}};
  return out;
}

MessageAttributes attributes_from_json(const json& j) {
  MessageAttributes out;
  if (!j.is_object()) return out;
  for (auto& [name, v] : j.items()) {
    MessageAttribute a;
    a.data_type = v.value("t", "");
    a.binary = v.value("b", false);
    std::string text = v.value("v", "");
    a.value = a.binary ? base64_decode(text).value_or("") : text;
    out.emplace(name, std::move(a));
  }
  return out;
}

}  // namespace streamlab::sns
