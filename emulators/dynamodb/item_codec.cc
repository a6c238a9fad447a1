#include "emulators/dynamodb/item_codec.h"

#include <nlohmann/json.hpp>

#include "server/core/encoding.h"
#include "server/core/json_text.h"

namespace streamlab::dynamodb {
namespace {
void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += char((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += char(v);
}

bool get_varint(std::string_view in, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= in.size()) return false;
    uint8_t b = uint8_t(in[pos++]);
    v |= uint64_t(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

bool get_bytes(std::string_view in, size_t& pos, std::string& out) {
  uint64_t n;
  if (!get_varint(in, pos, n) || n > in.size() - pos) return false;
  out.assign(in.substr(pos, n));
  pos += n;
  return true;
}

// The bytes in place, for readers that only copy them onwards.
bool get_view(std::string_view in, size_t& pos, std::string_view& out) {
  uint64_t n;
  if (!get_varint(in, pos, n) || n > in.size() - pos) return false;
  out = in.substr(pos, n);
  pos += n;
  return true;
}

void put_bytes(std::string& out, std::string_view b) {
  put_varint(out, b.size());
  out.append(b);
}

void encode_value(const AttributeValue& v, std::string& out) {
  out += char(v.type);
  switch (v.type) {
    case AttrType::S:
    case AttrType::N:
    case AttrType::B: put_bytes(out, v.scalar); break;
    case AttrType::BOOL: out += char(v.boolean ? 1 : 0); break;
    case AttrType::NUL: break;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS:
      put_varint(out, v.set.size());
      for (auto& m : v.set) put_bytes(out, m);
      break;
    case AttrType::L:
      put_varint(out, v.list.size());
      for (auto& e : v.list) encode_value(e, out);
      break;
    case AttrType::M: encode_item(v.map, out); break;
  }
}

bool decode_value(std::string_view in, size_t& pos, AttributeValue& v, int depth) {
  if (pos >= in.size() || depth > 64) return false;
  uint8_t tag = uint8_t(in[pos++]);
  if (tag > uint8_t(AttrType::BS)) return false;
  v.type = AttrType(tag);
  uint64_t n;
  switch (v.type) {
    case AttrType::S:
    case AttrType::N:
    case AttrType::B: return get_bytes(in, pos, v.scalar);
    case AttrType::BOOL:
      if (pos >= in.size()) return false;
      v.boolean = in[pos++] != 0;
      return true;
    case AttrType::NUL: return true;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS:
      if (!get_varint(in, pos, n) || n > in.size()) return false;
      v.set.resize(n);
      for (auto& m : v.set)
        if (!get_bytes(in, pos, m)) return false;
      return true;
    case AttrType::L:
      if (!get_varint(in, pos, n) || n > in.size()) return false;
      v.list.resize(n);
      for (auto& e : v.list)
        if (!decode_value(in, pos, e, depth + 1)) return false;
      return true;
    case AttrType::M: {
      auto m = decode_item(in, pos);
      if (!m) return false;
      v.map = std::move(*m);
      return true;
    }
  }
  return false;
}
bool decode_json(std::string_view in, size_t& pos, nlohmann::json& out, int depth);
bool text_value(std::string_view in, size_t& pos, std::string& out, int depth);

bool text_item(std::string_view in, size_t& pos, std::string& out, int depth) {
  uint64_t n;
  if (!get_varint(in, pos, n) || n > in.size() || depth > 64) return false;
  out += '{';
  std::string_view name;
  for (uint64_t i = 0; i < n; ++i) {
    if (!get_view(in, pos, name)) return false;
    if (i) out += ',';
    append_json_string(out, name);
    out += ':';
    if (!text_value(in, pos, out, depth + 1)) return false;
  }
  out += '}';
  return true;
}

bool text_value(std::string_view in, size_t& pos, std::string& out, int depth) {
  if (pos >= in.size()) return false;
  uint8_t tag = uint8_t(in[pos++]);
  if (tag > uint8_t(AttrType::BS)) return false;
  AttrType type = AttrType(tag);
  out += "{\"";
  out += type_name(type);
  out += "\":";
  std::string_view s;
  uint64_t n;
  switch (type) {
    case AttrType::S:
    case AttrType::N:
      if (!get_view(in, pos, s)) return false;
      append_json_string(out, s);
      break;
    case AttrType::B:
      if (!get_view(in, pos, s)) return false;
      append_json_string(out, base64_encode(s));
      break;
    case AttrType::BOOL:
      if (pos >= in.size()) return false;
      out += in[pos++] != 0 ? "true" : "false";
      break;
    case AttrType::NUL: out += "true"; break;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS:
      if (!get_varint(in, pos, n) || n > in.size()) return false;
      out += '[';
      for (uint64_t i = 0; i < n; ++i) {
        if (!get_view(in, pos, s)) return false;
        if (i) out += ',';
        if (type == AttrType::BS) append_json_string(out, base64_encode(s));
        else append_json_string(out, s);
      }
      out += ']';
      break;
    case AttrType::L:
      if (!get_varint(in, pos, n) || n > in.size()) return false;
      out += '[';
      for (uint64_t i = 0; i < n; ++i) {
        if (i) out += ',';
        if (!text_value(in, pos, out, depth + 1)) return false;
      }
      out += ']';
      break;
    case AttrType::M:
      if (!text_item(in, pos, out, depth + 1)) return false;
      break;
  }
  out += '}';
  return true;
}

bool decode_item_json_at(std::string_view in, size_t& pos, nlohmann::json& out, int depth) {
  uint64_t n;
  if (!get_varint(in, pos, n) || n > in.size() || depth > 64) return false;
  out = nlohmann::json::object();
  std::string name;
  for (uint64_t i = 0; i < n; ++i) {
    if (!get_bytes(in, pos, name)) return false;
    if (!decode_json(in, pos, out[name], depth + 1)) return false;
  }
  return true;
}

bool decode_json(std::string_view in, size_t& pos, nlohmann::json& out, int depth) {
  using json = nlohmann::json;
  if (pos >= in.size()) return false;
  uint8_t tag = uint8_t(in[pos++]);
  if (tag > uint8_t(AttrType::BS)) return false;
  AttrType type = AttrType(tag);
  const char* name = type_name(type);
  json& body = (out = json::object())[name];
  std::string s;
  uint64_t n;
  switch (type) {
    case AttrType::S:
    case AttrType::N:
      if (!get_bytes(in, pos, s)) return false;
      body = std::move(s);
      return true;
    case AttrType::B:
      if (!get_bytes(in, pos, s)) return false;
      body = base64_encode(s);
      return true;
    case AttrType::BOOL:
      if (pos >= in.size()) return false;
      body = in[pos++] != 0;
      return true;
    case AttrType::NUL: body = true; return true;
    case AttrType::SS:
    case AttrType::NS:
    case AttrType::BS:
      if (!get_varint(in, pos, n) || n > in.size()) return false;
      body = json::array();
      for (uint64_t i = 0; i < n; ++i) {
        if (!get_bytes(in, pos, s)) return false;
        body.push_back(type == AttrType::BS ? base64_encode(s) : s);
      }
      return true;
    case AttrType::L:
      if (!get_varint(in, pos, n) || n > in.size()) return false;
      body = json::array();
      for (uint64_t i = 0; i < n; ++i)
        if (!decode_json(in, pos, body.emplace_back(), depth + 1)) return false;
      return true;
    case AttrType::M: return decode_item_json_at(in, pos, body, depth + 1);
  }
  return false;
}
}  // namespace

void encode_item(const Item& item, std::string& out) {
  put_varint(out, item.size());
  for (auto& [name, v] : item) {
    put_bytes(out, name);
    encode_value(v, out);
  }
}

std::string encode_item(const Item& item) {
  std::string out;
  encode_item(item, out);
  return out;
}

std::optional<Item> decode_item(std::string_view in, size_t& pos) {
  uint64_t n;
  if (!get_varint(in, pos, n) || n > in.size()) return std::nullopt;
  Item item;
  for (uint64_t i = 0; i < n; ++i) {
    std::string name;
    if (!get_bytes(in, pos, name)) return std::nullopt;
    AttributeValue v;
    if (!decode_value(in, pos, v, 0)) return std::nullopt;
    item.emplace_hint(item.end(), std::move(name), std::move(v));
  }
  return item;
}

std::optional<Item> decode_item(std::string_view in) {
  size_t pos = 0;
  return decode_item(in, pos);
}

bool append_item_json(std::string_view in, std::string& out) {
  size_t pos = 0;
  return text_item(in, pos, out, 0);
}

std::optional<nlohmann::json> decode_item_json(std::string_view in) {
  size_t pos = 0;
  nlohmann::json out;
  if (!decode_item_json_at(in, pos, out, 0)) return std::nullopt;
  return out;
}

}  // namespace streamlab::dynamodb
