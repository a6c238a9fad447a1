#include "emulators/dynamodb/stream_record.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "emulators/dynamodb/item_codec.h"
#include "emulators/dynamodb/stream.h"

namespace streamlab::dynamodb {
namespace {
constexpr const char* kViews[] = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"};

uint8_t view_code(const std::string& v) {
  for (uint8_t i = 0; i < 4; ++i)
    if (v == kViews[i]) return i;
  return 0;
}
}  // namespace

StreamRecord StreamRecord::make(StreamEvent event, const std::string& view_type, bool by_ttl, Item keys,
                                const std::optional<Item>& new_item, const std::optional<Item>& old_item) {
  StreamRecord r;
  r.event = event;
  r.view_type = view_type;
  r.by_ttl = by_ttl;
  r.keys = std::move(keys);
  bool want_new = view_type == "NEW_IMAGE" || view_type == "NEW_AND_OLD_IMAGES";
  bool want_old = view_type == "OLD_IMAGE" || view_type == "NEW_AND_OLD_IMAGES";
  if (want_new && new_item) r.new_image = new_item;
  if (want_old && old_item) r.old_image = old_item;
  return r;
}

std::string StreamRecord::encode() const {
  std::string out;
  out += char(1);
  out += char(event);
  out += char(view_code(view_type));
  out += char(by_ttl ? 1 : 0);
  out += char((new_image ? 1 : 0) | (old_image ? 2 : 0));
  encode_item(keys, out);
  if (new_image) encode_item(*new_image, out);
  if (old_image) encode_item(*old_image, out);
  return out;
}

std::string encode_change(StreamEvent event, const std::string& view_type, bool by_ttl, const Item& keys,
                          const std::string* new_encoded, const Item* old_item) {
  uint8_t view = view_code(view_type);
  bool want_new = view == 1 || view == 3, want_old = view == 2 || view == 3;
  bool with_new = want_new && new_encoded, with_old = want_old && old_item;
  std::string out;
  out.reserve(16 + (with_new ? 2 * new_encoded->size() : 64));
  out += char(1);
  out += char(event);
  out += char(view);
  out += char(by_ttl ? 1 : 0);
  out += char((with_new ? 1 : 0) | (with_old ? 2 : 0));
  encode_item(keys, out);
  if (with_new) out += *new_encoded;
  if (with_old) encode_item(*old_item, out);
  return out;
}

std::optional<StreamRecord> StreamRecord::decode(std::string_view p) {
  if (p.size() < 5 || p[0] != 1) return std::nullopt;
  StreamRecord r;
  r.event = StreamEvent(uint8_t(p[1]));
  uint8_t view = uint8_t(p[2]);
  r.view_type = view < 4 ? kViews[view] : "KEYS_ONLY";
  r.by_ttl = p[3] != 0;
  uint8_t flags = uint8_t(p[4]);
  size_t pos = 5;
  auto keys = decode_item(p, pos);
  if (!keys) return std::nullopt;
  r.keys = std::move(*keys);
  if (flags & 1) {
    r.new_image = decode_item(p, pos);
    if (!r.new_image) return std::nullopt;
  }
  if (flags & 2) {
    r.old_image = decode_item(p, pos);
    if (!r.old_image) return std::nullopt;
  }
  return r;
}

size_t StreamRecord::size_bytes() const {
  size_t n = item_size(keys);
  if (new_image) n += item_size(*new_image);
  if (old_image) n += item_size(*old_image);
  return n;
}

nlohmann::json record_json(const StreamRecord& r, const std::string& region, uint32_t shard_index, uint64_t offset,
                           int64_t timestamp_ms, uint64_t stream_uid) {
  using json = nlohmann::json;
  static const char* names[] = {"", "INSERT", "MODIFY", "REMOVE"};
  // A stable 32-hex-digit id per record: the stream and the record's position.
  char id[40];
  std::snprintf(id, sizeof id, "%08llx%08x%016llx", static_cast<unsigned long long>(stream_uid & 0xffffffffull),
                shard_index, static_cast<unsigned long long>(offset));
  json d = {{"ApproximateCreationDateTime", timestamp_ms / 1000},
            {"Keys", to_json(r.keys)},
            {"SequenceNumber", make_sequence_number(shard_index, offset)},
            {"SizeBytes", r.size_bytes()},
            {"StreamViewType", r.view_type}};
  if (r.new_image) d["NewImage"] = to_json(*r.new_image);
  if (r.old_image) d["OldImage"] = to_json(*r.old_image);
  uint8_t e = uint8_t(r.event);
  json j = {{"eventID", id},
            {"eventName", e <= 3 ? names[e] : "MODIFY"},
            {"eventVersion", "1.1"},
            {"eventSource", "aws:dynamodb"},
            {"awsRegion", region},
            {"dynamodb", d}};
  // The Streams API names these members as its model does (Lambda events lower-case them).
  if (r.by_ttl) j["userIdentity"] = {{"Type", "Service"}, {"PrincipalId", "dynamodb.amazonaws.com"}};
  return j;
}

}  // namespace streamlab::dynamodb
