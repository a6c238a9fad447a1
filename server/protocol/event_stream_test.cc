#include "server/protocol/event_stream.h"

#include <gtest/gtest.h>

#include "server/core/crc32.h"

namespace streamlab::protocol {

TEST(Crc32, KnownValues) {
  EXPECT_EQ(crc32(""), 0u);
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32("456789", crc32("123")), 0xCBF43926u);  // incremental
}

TEST(EventStream, FramesRoundTrip) {
  std::string m = encode_event_message({{":message-type", "event"}, {":event-type", "initial-response"}}, "{}");
  size_t used = 0;
  auto e = decode_event_message(m, used);
  ASSERT_TRUE(e);
  EXPECT_EQ(used, m.size());
  EXPECT_EQ(e->payload, "{}");
  ASSERT_EQ(e->headers.size(), 2u);
  EXPECT_EQ(e->headers[1].second, "initial-response");
}

TEST(EventStream, CorruptionIsDetected) {
  std::string m = encode_event_message({{":message-type", "event"}}, "payload");
  for (size_t i = 0; i < m.size(); ++i) {
    std::string bad = m;
    bad[i] ^= 0x20;
    size_t used = 0;
    EXPECT_FALSE(decode_event_message(bad, used)) << "byte " << i;
  }
  size_t used = 0;
  EXPECT_FALSE(decode_event_message(std::string_view(m).substr(0, m.size() - 1), used));
}

}  // namespace streamlab::protocol
