// The publish record's binary form: every field round-trips, and damaged bytes are refused rather
// than read past their end.
#include "emulators/sns/published.h"

#include <gtest/gtest.h>

namespace streamlab::sns {
namespace {

Published sample() {
  Published p;
  p.topic_arn = "arn:aws:sns:us-east-1:000000000000:t.fifo";
  p.message_id = "7f1c…-id";
  p.sequence_number = "10000000000000000001";
  p.host = "localhost:4566";
  p.timestamp_ms = 1700000000123;
  p.fifo = true;
  p.signature_version = 2;
  p.subject = "s";
  p.message = std::string("body with \0 a NUL", 17);
  p.per_protocol = {{"default", "d"}, {"sqs", "q"}};
  p.attributes["b"] = {"Binary", std::string("\x00\xff", 2), true};
  p.attributes["n"] = {"Number", "42", false};
  p.group_id = "g";
  p.dedup_id = "d-1";
  p.subscriptions = {"arn:aws:sns:us-east-1:000000000000:t.fifo:1", "arn:aws:sns:us-east-1:000000000000:t.fifo:2"};
  return p;
}

TEST(Published, RoundTrips) {
  Published p = sample();
  auto back = Published::decode(p.encode(), 9);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 9u);
  EXPECT_EQ(back->topic_arn, p.topic_arn);
  EXPECT_EQ(back->message_id, p.message_id);
  EXPECT_EQ(back->sequence_number, p.sequence_number);
  EXPECT_EQ(back->host, p.host);
  EXPECT_EQ(back->timestamp_ms, p.timestamp_ms);
  EXPECT_TRUE(back->fifo);
  EXPECT_EQ(back->signature_version, 2);
  EXPECT_EQ(back->subject, "s");
  EXPECT_EQ(back->message, p.message);
  EXPECT_EQ(back->per_protocol, p.per_protocol);
  ASSERT_EQ(back->attributes.size(), 2u);
  EXPECT_EQ(back->attributes["b"].value, std::string("\x00\xff", 2));
  EXPECT_TRUE(back->attributes["b"].binary);
  EXPECT_EQ(back->attributes["n"].data_type, "Number");
  EXPECT_EQ(back->group_id, "g");
  EXPECT_EQ(back->dedup_id, "d-1");
  EXPECT_EQ(back->subscriptions, p.subscriptions);
  EXPECT_EQ(back->message_for("sqs"), "q");
  EXPECT_EQ(back->message_for("http"), "d");
}

TEST(Published, DamagedBytesAreRefused) {
  std::string bytes = sample().encode();
  for (size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(Published::decode(bytes.substr(0, n), 1)) << n;
  EXPECT_FALSE(Published::decode(bytes + "x", 1));
  std::string huge = bytes;
  huge[1] = '\xff';  // the first length claims 4 GiB
  EXPECT_FALSE(Published::decode(huge, 1));
  std::string other_version = bytes;
  other_version[0] = 2;
  EXPECT_FALSE(Published::decode(other_version, 1));
}

}  // namespace
}  // namespace streamlab::sns
