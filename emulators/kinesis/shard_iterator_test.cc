#include "emulators/kinesis/shard_iterator.h"

#include <gtest/gtest.h>

#include "server/core/encoding.h"

namespace streamlab::kinesis {

TEST(ShardIterator, RoundTrip) {
  IteratorPosition p{77, 5, 123456, 1700000000000, "my-stream"};
  auto token = encode_iterator(p, "secret");
  auto back = decode_iterator(token, "secret");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->stream_id, 77u);
  EXPECT_EQ(back->shard_index, 5u);
  EXPECT_EQ(back->offset, 123456u);
  EXPECT_EQ(back->issued_ms, 1700000000000);
  EXPECT_EQ(back->stream_name, "my-stream");
}

TEST(ShardIterator, TamperingIsDetected) {
  auto token = encode_iterator({1, 0, 10, 5, "s"}, "secret");
  EXPECT_FALSE(decode_iterator(token, "other secret"));
  auto raw = *base64_decode(token);
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string bad = raw;
    bad[i] ^= 1;
    EXPECT_FALSE(decode_iterator(base64_encode(bad), "secret")) << "byte " << i;
  }
  EXPECT_FALSE(decode_iterator("not base64!", "secret"));
  EXPECT_FALSE(decode_iterator("", "secret"));
}

}  // namespace streamlab::kinesis
