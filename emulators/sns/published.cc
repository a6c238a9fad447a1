#include "emulators/sns/published.h"

#include "server/storage/big_endian.h"

namespace streamlab::sns {
namespace {

constexpr char kVersion = 1;

void put_str(std::string& out, std::string_view s) {
  storage::put_u32(out, uint32_t(s.size()));
  out.append(s);
}

// Reads what put_str wrote; every read is bounds-checked, a short value fails the whole decode.
struct Reader {
  std::string_view in;
  size_t at = 0;
  bool ok = true;

  uint32_t u32() {
    if (!ok || in.size() - at < 4) return ok = false, 0;
    uint32_t v = storage::get_u32(in, at);
    at += 4;
    return v;
  }
  uint64_t u64() {
    if (!ok || in.size() - at < 8) return ok = false, 0;
    uint64_t v = storage::get_u64(in, at);
    at += 8;
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    if (!ok || in.size() - at < n) return ok = false, std::string();
    std::string s(in.substr(at, n));
    at += n;
    return s;
  }
};

}  // namespace

const std::string& Published::message_for(const std::string& protocol) const {
  if (per_protocol.empty()) return message;
  if (auto it = per_protocol.find(protocol); it != per_protocol.end()) return it->second;
  if (auto it = per_protocol.find("default"); it != per_protocol.end()) return it->second;
  return message;
}

std::string Published::encode() const {
  std::string out;
  out.reserve(256 + message.size() + subscriptions.size() * 96);
  out += kVersion;
  put_str(out, topic_arn);
  put_str(out, message_id);
  put_str(out, sequence_number);
  put_str(out, host);
  storage::put_u64(out, uint64_t(timestamp_ms));
  out += char(fifo ? 1 : 0);
  out += char(signature_version);
  put_str(out, subject);
  put_str(out, message);
  storage::put_u32(out, uint32_t(per_protocol.size()));
  for (auto& [protocol, text] : per_protocol) {
    put_str(out, protocol);
    put_str(out, text);
  }
  storage::put_u32(out, uint32_t(attributes.size()));
  for (auto& [name, a] : attributes) {
    put_str(out, name);
    put_str(out, a.data_type);
    put_str(out, a.value);
    out += char(a.binary ? 1 : 0);
  }
  put_str(out, group_id);
  put_str(out, dedup_id);
  storage::put_u32(out, uint32_t(subscriptions.size()));
  for (auto& s : subscriptions) put_str(out, s);
  return out;
}

std::optional<Published> Published::decode(std::string_view bytes, uint64_t id) {
  if (bytes.empty() || bytes[0] != kVersion) return std::nullopt;
  Reader r{bytes, 1};
  Published p;
  p.id = id;
  p.topic_arn = r.str();
  p.message_id = r.str();
  p.sequence_number = r.str();
  p.host = r.str();
  p.timestamp_ms = int64_t(r.u64());
  if (r.ok && r.at + 2 <= bytes.size()) {
    p.fifo = bytes[r.at] != 0;
    p.signature_version = bytes[r.at + 1];
    r.at += 2;
  } else {
    r.ok = false;
  }
  p.subject = r.str();
  p.message = r.str();
  for (uint32_t n = r.u32(); r.ok && n > 0; --n) {
    std::string protocol = r.str();
    p.per_protocol[protocol] = r.str();
  }
  for (uint32_t n = r.u32(); r.ok && n > 0; --n) {
    std::string name = r.str();
    MessageAttribute a;
    a.data_type = r.str();
    a.value = r.str();
    if (r.ok && r.at < bytes.size()) a.binary = bytes[r.at++] != 0;
    else r.ok = false;
    p.attributes.emplace(std::move(name), std::move(a));
  }
  p.group_id = r.str();
  p.dedup_id = r.str();
  for (uint32_t n = r.u32(); r.ok && n > 0; --n) p.subscriptions.push_back(r.str());
  if (!r.ok || r.at != bytes.size()) return std::nullopt;
  return p;
}

}  // namespace streamlab::sns
