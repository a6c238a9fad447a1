#include "emulators/kinesis/sequence_number.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <tuple>

namespace streamlab::kinesis {

TEST(SequenceNumber, RoundTripsItsParts) {
  auto s = make_sequence_number(1700000000123, 77, 42, 987654321);
  EXPECT_EQ(s.size(), 56u);
  auto p = parse_sequence_number(s);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->timestamp_ms, 1700000000123);
  EXPECT_EQ(p->stream_id, 77u);
  EXPECT_EQ(p->shard_index, 42u);
  EXPECT_EQ(p->offset, 987654321u);
  auto max = parse_sequence_number(make_sequence_number(1700000000123, 1, 9999999, UINT64_MAX));
  ASSERT_TRUE(max);
  EXPECT_EQ(max->offset, UINT64_MAX);
}

TEST(SequenceNumber, DigitsAreTheDocumentedLayout) {
  const std::tuple<int64_t, uint64_t, uint32_t, uint64_t> cases[] = {
      {1700000000123, 77, 42, 0}, {0, 0, 0, 0}, {999999999999999, 12345678901234567ULL, 9999999, UINT64_MAX},
      {1, 10000000000000ULL, 1, 10}};
  for (auto [ts, stream, shard, offset] : cases) {
    char expected[80];
    std::snprintf(expected, sizeof expected, "4%015lld%013llu%07u%020llu", static_cast<long long>(ts),
                  static_cast<unsigned long long>(stream % 10000000000000ULL), shard,
                  static_cast<unsigned long long>(offset));
    EXPECT_EQ(make_sequence_number(ts, stream, shard, offset), expected);
  }
}

TEST(SequenceNumber, AppendsAfterWhatIsThere) {
  std::string out = "{\"SequenceNumber\":\"";
  append_sequence_number(out, 1700000000123, 77, 42, 5);
  EXPECT_EQ(out, "{\"SequenceNumber\":\"" + make_sequence_number(1700000000123, 77, 42, 5));
  append_sequence_number(out, -1, 1, 2, 3);  // wider than the layout: the printf form
  EXPECT_TRUE(out.ends_with(make_sequence_number(-1, 1, 2, 3)));
}

// The writer reuses digits across records with one timestamp: every number must still be
// exactly what make_sequence_number prints, when the timestamp changes, repeats or is out of layout.
TEST(SequenceNumber, WriterMatchesOneAtATime) {
  SequenceNumberWriter w(123456789, 3);
  std::string out = "x";
  std::string expected = "x";
  const int64_t times[] = {1700000000123, 1700000000123, 1700000000124, 1700000000123, 0, -5, 1700000000124};
  uint64_t offset = 99990;
  for (int64_t t : times) {
    for (int i = 0; i < 3; ++i, ++offset) {
      w.append(out, t, offset);
      expected += make_sequence_number(t, 123456789, 3, offset);
    }
  }
  EXPECT_EQ(out, expected);
  SequenceNumberWriter wide(1, 10000000);  // shard index wider than its field: printf's form
  std::string a;
  wide.append(a, 1700000000123, 7);
  EXPECT_EQ(a, make_sequence_number(1700000000123, 1, 10000000, 7));
}

TEST(SequenceNumber, IncreasesWithinAShardAndWithTime) {
  // Equal lengths: string order is integer order.
  auto a = make_sequence_number(1000, 1, 3, 7);
  auto b = make_sequence_number(1000, 1, 3, 8);
  auto c = make_sequence_number(1001, 1, 0, 0);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);  // a later arrival sorts after, whatever the shard
}

TEST(SequenceNumber, RejectsForeignNumbers) {
  EXPECT_FALSE(parse_sequence_number("0"));
  EXPECT_FALSE(parse_sequence_number("49546986683135544286507457936321625675700192471156785154"));
  EXPECT_FALSE(parse_sequence_number("12345"));
  EXPECT_FALSE(parse_sequence_number(std::string(56, '4') + "1"));
}

}  // namespace streamlab::kinesis
