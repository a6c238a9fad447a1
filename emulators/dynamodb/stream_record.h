#pragma once
// Stream records as stored in the partitioned log (one payload per item change) and as
// GetRecords shows them.
//
//   payload := version:u8 (=1) event:u8 view:u8 actor:u8 flags:u8 keys:item [new:item] [old:item]
//     event: 1 INSERT, 2 MODIFY, 3 REMOVE            (persisted: never renumber)
//     view:  0 KEYS_ONLY, 1 NEW_IMAGE, 2 OLD_IMAGE, 3 NEW_AND_OLD_IMAGES
//     actor: 0 a user request, 1 the TTL service
//     flags: bit 0 new image present, bit 1 old image present
//   items use the item_codec encoding.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "emulators/dynamodb/attribute_value.h"

namespace streamlab::dynamodb {

enum class StreamEvent : uint8_t { insert = 1, modify = 2, remove = 3 };

struct StreamRecord {
  StreamEvent event = StreamEvent::insert;
  std::string view_type;  // KEYS_ONLY, NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES
  bool by_ttl = false;
  Item keys;
  std::optional<Item> new_image, old_image;

  // Only the images the view type keeps.
  static StreamRecord make(StreamEvent event, const std::string& view_type, bool by_ttl, Item keys,
                           const std::optional<Item>& new_item, const std::optional<Item>& old_item);
  std::string encode() const;
  static std::optional<StreamRecord> decode(std::string_view payload);
  size_t size_bytes() const;
};

// The payload StreamRecord::make(...).encode() gives, written without copying either image:
// `new_encoded` is the new item already in item_codec form (a put encodes it for storage anyway).
std::string encode_change(StreamEvent event, const std::string& view_type, bool by_ttl, const Item& keys,
                          const std::string* new_encoded, const Item* old_item);

// The GetRecords form of a record at (shard, offset) written at `timestamp_ms`.
nlohmann::json record_json(const StreamRecord& r, const std::string& region, uint32_t shard_index, uint64_t offset,
                           int64_t timestamp_ms, uint64_t stream_uid);

}  // namespace streamlab::dynamodb
