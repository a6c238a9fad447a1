#include "emulators/dynamodb/stream_record.h"

#include <gtest/gtest.h>

#include "emulators/dynamodb/item_codec.h"

namespace streamlab::dynamodb {

// The write path's direct payload must be byte for byte what make() + encode() give, for every
// view type and event: GetRecords decodes both the same way.
TEST(StreamRecord, EncodeChangeMatchesMakeAndEncode) {
  Item keys{{"pk", AttributeValue::string("a")}};
  Item new_item{{"pk", AttributeValue::string("a")}, {"v", AttributeValue::string("new")}};
  Item old_item{{"pk", AttributeValue::string("a")}, {"v", AttributeValue::string("old")}};
  std::string new_encoded = encode_item(new_item);
  for (const char* view : {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"})
    for (auto event : {StreamEvent::insert, StreamEvent::modify, StreamEvent::remove})
      for (bool ttl : {false, true}) {
        bool has_new = event != StreamEvent::remove, has_old = event != StreamEvent::insert;
        std::string expected =
            StreamRecord::make(event, view, ttl, keys, has_new ? std::optional<Item>(new_item) : std::nullopt,
                               has_old ? std::optional<Item>(old_item) : std::nullopt)
                .encode();
        std::string direct =
            encode_change(event, view, ttl, keys, has_new ? &new_encoded : nullptr, has_old ? &old_item : nullptr);
        EXPECT_EQ(direct, expected) << view << " " << int(event) << " " << ttl;
        auto decoded = StreamRecord::decode(direct);
        ASSERT_TRUE(decoded);
        EXPECT_EQ(decoded->new_image.has_value(), has_new && std::string(view).find("NEW") != std::string::npos);
      }
}

}  // namespace streamlab::dynamodb
