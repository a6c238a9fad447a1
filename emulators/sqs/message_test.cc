#include "emulators/sqs/message.h"

#include <gtest/gtest.h>

#include "emulators/sqs/receipt.h"
#include "server/core/encoding.h"

namespace streamlab::sqs {
namespace {

MessageAttributes parse(const json& j) {
  auto r = parse_message_attributes(j);
  EXPECT_TRUE(r) << (r ? "" : r.error().message);
  return r ? *r : MessageAttributes{};
}

std::string error_of(const json& j) {
  auto r = parse_message_attributes(j);
  return r ? "" : r.error().code + ": " + r.error().message;
}

}  // namespace

// The two published vectors (AWS docs / Java SDK) and the capture's value (WIRE.md §6.1).
TEST(MessageAttributesMd5, PublishedVectors) {
  EXPECT_EQ(md5_of_attributes(parse({{"SellerName", {{"DataType", "String"}, {"StringValue", "Example Store"}}}})),
            "cd28f3b68aeee4b2eac9c66f2f694b58");
  EXPECT_EQ(md5_of_attributes(parse({{"timestamp", {{"DataType", "Number"}, {"StringValue", "1493147359900"}}}})),
            "235c5c510d26fb653d073faed50ae77c");
}

TEST(MessageAttributesMd5, CaptureValueWithBinaryAndOrderIndependence) {
  json attrs = {{"num", {{"DataType", "Number"}, {"StringValue", "42"}}},
                {"bin", {{"DataType", "Binary"}, {"BinaryValue", "AAEC"}}},
                {"attr1", {{"DataType", "String"}, {"StringValue", "v1"}}}};
  EXPECT_EQ(md5_of_attributes(parse(attrs)), "daf2934cd1aa4497d7ced41c6c2088c5");
  EXPECT_EQ(md5_of_attributes({}), "");
  EXPECT_EQ(md5_hex("hello sqs"), "3b7bef57d06c0021d0aafe8f6d587241");
  EXPECT_EQ(md5_hex_of("hello sqs"), md5_hex("hello sqs"));
  EXPECT_EQ(md5_hex_of(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(MessageAttributes, CustomTypeSuffixIsPartOfTheDigest) {
  auto a = parse({{"n", {{"DataType", "Number.int"}, {"StringValue", "1"}}}});
  auto b = parse({{"n", {{"DataType", "Number"}, {"StringValue", "1"}}}});
  EXPECT_NE(md5_of_attributes(a), md5_of_attributes(b));
  EXPECT_EQ(attributes_size(a), 1 + 10 + 1);
}

TEST(MessageAttributes, RejectsWithAwsWording) {
  EXPECT_EQ(error_of({{"a", {{"DataType", "Strung"}, {"StringValue", "x"}}}}),
            "InvalidParameterValueException: The type of message (user) attribute 'a' is invalid. You must use only "
            "the following supported type prefixes: Binary, Number, String.");
  EXPECT_EQ(error_of({{"a", {{"DataType", "Number"}, {"StringValue", "abc"}}}}),
            "InvalidParameterValueException: Can't cast the value of message (user) attribute 'a' to a number.");
  EXPECT_EQ(error_of({{"a", {{"DataType", "String"}}}}),
            "InvalidParameterValueException: Message (user) attribute 'a' must contain a non-empty value of type "
            "'String'.");
  EXPECT_NE(error_of({{"AWS.x", {{"DataType", "String"}, {"StringValue", "x"}}}}).find("reserved"), std::string::npos);
  EXPECT_NE(error_of({{"bad name", {{"DataType", "String"}, {"StringValue", "x"}}}}), "");
  json eleven = json::object();
  for (int i = 0; i < 11; ++i) eleven["a" + std::to_string(i)] = {{"DataType", "String"}, {"StringValue", "x"}};
  EXPECT_EQ(error_of(eleven),
            "InvalidParameterValueException: Number of message attributes [11] exceeds the allowed maximum [10].");
}

TEST(MessageAttributes, FilterByNamesAndPrefixes) {
  auto attrs = parse({{"a.one", {{"DataType", "String"}, {"StringValue", "1"}}},
                      {"a.two", {{"DataType", "String"}, {"StringValue", "2"}}},
                      {"b", {{"DataType", "String"}, {"StringValue", "3"}}}});
  EXPECT_EQ(filter_attributes(attrs, json::array({"All"})).size(), 3u);
  EXPECT_EQ(filter_attributes(attrs, json::array({".*"})).size(), 3u);
  EXPECT_EQ(filter_attributes(attrs, json::array({"a.*"})).size(), 2u);
  EXPECT_EQ(filter_attributes(attrs, json::array({"b"})).size(), 1u);
  EXPECT_EQ(filter_attributes(attrs, json::array()).size(), 0u);
}

TEST(MessageText, AllowedCharacters) {
  EXPECT_TRUE(valid_message_text("hello\t\n\r world"));
  EXPECT_TRUE(valid_message_text("caf\xc3\xa9 \xf0\x9f\x98\x80"));  // é and an emoji
  EXPECT_FALSE(valid_message_text(std::string("a\x01b")));
  EXPECT_FALSE(valid_message_text("\xc3"));                  // truncated UTF-8
  EXPECT_FALSE(valid_message_text("\xed\xa0\x80"));          // a surrogate
  EXPECT_FALSE(valid_message_text("\xef\xbf\xbf"));          // U+FFFF
  EXPECT_FALSE(valid_message_text("\xc0\xaf"));              // overlong
}

// Long bodies are checked eight ASCII bytes at a time: a bad or multi-byte character must be found
// at every offset within and after such a block.
TEST(MessageText, EveryOffsetOfLongText) {
  const std::pair<char, bool> cases[] = {{'\x01', false}, {'\x1f', false}, {'\x7f', true}, {' ', true},
                                         {'\t', true},    {'\n', true},    {'\r', true},    {'\x00', false}};
  for (size_t at = 0; at < 40; ++at) {
    std::string base(40, 'x');
    for (auto [c, ok] : cases) {
      std::string t = base;
      t[at] = c;
      EXPECT_EQ(valid_message_text(t), ok) << "byte " << int(c) << " at " << at;
    }
    std::string utf8 = base.substr(0, at) + "\xc3\xa9" + base.substr(at);
    EXPECT_TRUE(valid_message_text(utf8)) << at;
    std::string bad = base.substr(0, at) + "\xed\xa0\x80" + base.substr(at);  // a surrogate
    EXPECT_FALSE(valid_message_text(bad)) << at;
  }
}

TEST(MessageRecord, RoundTrips) {
  MessageRecord m;
  m.sent_ms = 1700000000123;
  m.visible_at_ms = 1700000005123;
  m.message_id = "id";
  m.body = std::string("body\0with nul", 13);
  m.md5_body = md5_hex(m.body);
  m.group_id = "g";
  m.dedup_id = "d";
  m.sequence_number = "10000000000000000001";
  m.attributes = parse({{"bin", {{"DataType", "Binary"}, {"BinaryValue", "AAEC"}}},
                        {"s", {{"DataType", "String.x"}, {"StringValue", "v"}}}});
  auto back = MessageRecord::decode(m.encode());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->body, m.body);
  EXPECT_EQ(back->visible_at_ms, m.visible_at_ms);
  EXPECT_EQ(back->sequence_number, m.sequence_number);
  EXPECT_EQ(md5_of_attributes(back->attributes), md5_of_attributes(m.attributes));
  EXPECT_EQ(back->attributes.at("bin").value, std::string("\x00\x01\x02", 3));
  EXPECT_FALSE(MessageRecord::decode(m.encode().substr(0, 20)));

  DeliveryState s{1, 2, 3, 4, 5};
  auto sb = DeliveryState::decode(s.encode());
  ASSERT_TRUE(sb);
  EXPECT_EQ(sb->receive_count, 2u);
  EXPECT_EQ(sb->gen, 3u);
  EXPECT_EQ(sb->last_receive_ms, 5);
}

TEST(Receipt, SignedAndTamperEvident) {
  std::string secret(32, 'k');
  std::string h = encode_receipt({7, 42, 3}, secret);
  EXPECT_EQ(h.rfind("AQEB", 0), 0u);
  auto r = decode_receipt(h, secret);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->queue_id, 7u);
  EXPECT_EQ(r->seq, 42u);
  EXPECT_EQ(r->gen, 3u);
  EXPECT_FALSE(decode_receipt(h, std::string(32, 'x')));
  std::string tampered = h;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(decode_receipt(tampered, secret));
  EXPECT_FALSE(decode_receipt("garbage", secret));
}

// Handles issued by earlier builds (one-shot HMAC) must still verify: the MAC is HMAC-SHA256.
TEST(Receipt, MacIsHmacSha256) {
  for (std::string secret : {std::string(32, 'k'), std::string(100, 'z'), std::string("short")}) {
    std::string h = encode_receipt({9, 1234567, 77}, secret);
    auto raw = base64_decode(h);
    ASSERT_TRUE(raw);
    ASSERT_EQ(raw->size(), 23u + 16u);
    EXPECT_EQ(raw->substr(23), hmac_sha256_raw(secret, raw->substr(0, 23)).substr(0, 16));
    EXPECT_TRUE(decode_receipt(h, secret));
  }
}

}  // namespace streamlab::sqs
