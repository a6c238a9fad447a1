#include "emulators/dynamodb/key_codec.h"

#include <algorithm>
#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "emulators/dynamodb/item_codec.h"
#include "emulators/dynamodb/attribute_value.h"

namespace streamlab::dynamodb {
namespace {

std::string enc(const AttributeValue& v) {
  std::string out;
  encode_key_value(v, out);
  return out;
}
AttributeValue num(const std::string& s) { return AttributeValue::number(Decimal::parse(s).value()); }

TEST(KeyCodec, NumbersSortNumerically) {
  std::vector<std::string> ordered = {"-9.9999999999999999999999999999999999999e125", "-1e100", "-123456", "-1000",
                                      "-999.99", "-100", "-10.5", "-10", "-2", "-1.5", "-1.01", "-1", "-0.99",
                                      "-0.5", "-0.1", "-0.01", "-1e-130", "0", "1e-130", "0.01", "0.1", "0.5",
                                      "0.99", "1", "1.01", "1.5", "2", "10", "10.5", "100", "999.99", "1000",
                                      "123456", "1e100", "9.9999999999999999999999999999999999999e125"};
  for (size_t i = 0; i + 1 < ordered.size(); ++i)
    EXPECT_LT(enc(num(ordered[i])), enc(num(ordered[i + 1]))) << ordered[i] << " < " << ordered[i + 1];
}

TEST(KeyCodec, RandomNumbersMatchDecimalOrder) {
  std::mt19937 rng(7);
  std::vector<Decimal> values;
  for (int i = 0; i < 2000; ++i) {
    std::string s = (rng() % 2 ? "-" : "") + std::to_string(rng() % 100000) + "." + std::to_string(rng() % 1000) +
                    "e" + std::to_string(int(rng() % 40) - 20);
    values.push_back(Decimal::parse(s).value());
  }
  std::vector<size_t> by_decimal(values.size()), by_bytes(values.size());
  for (size_t i = 0; i < values.size(); ++i) by_decimal[i] = by_bytes[i] = i;
  std::stable_sort(by_decimal.begin(), by_decimal.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
  std::stable_sort(by_bytes.begin(), by_bytes.end(), [&](size_t a, size_t b) {
    return enc(AttributeValue::number(values[a])) < enc(AttributeValue::number(values[b]));
  });
  for (size_t i = 0; i < values.size(); ++i)
    EXPECT_EQ(values[by_decimal[i]].to_string(), values[by_bytes[i]].to_string());
}

TEST(KeyCodec, StringsAndBinariesSortByBytes) {
  std::vector<std::string> ordered = {"", std::string("\0", 1), std::string("\0\0", 2), std::string("\0a", 2), "A",
                                      "B", "a", "a\x01", "aa", "ab", "b", "\x7f", "\xc3\xa9", "\xff", "\xff\xff"};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(enc(AttributeValue::string(ordered[i])), enc(AttributeValue::string(ordered[i + 1]))) << i;
    EXPECT_LT(enc(AttributeValue::binary(ordered[i])), enc(AttributeValue::binary(ordered[i + 1]))) << i;
  }
}

TEST(KeyCodec, ConcatenatedKeysKeepRangeOrderWithinAHashKey) {
  // hash "a" with any range key sorts before hash "a\0" and "ab": keys are prefix-free.
  auto key = [](const std::string& h, const std::string& r) {
    return enc(AttributeValue::string(h)) + enc(num(r));
  };
  EXPECT_LT(key("a", "100"), key(std::string("a\0", 2), "-5"));
  EXPECT_LT(key("a", "1e100"), key("ab", "-1e100"));
  EXPECT_LT(key("a", "-1"), key("a", "0"));
  EXPECT_LT(key("a", "0"), key("a", "0.5"));
  EXPECT_LT(key("a", "9"), key("a", "10"));
}

TEST(KeyCodec, RoundTrips) {
  for (const char* n : {"0", "1", "-1", "0.001", "-123.456", "1e125", "-1e-130", "12345678901234567890123456789012345678"}) {
    std::string e = enc(num(n));
    size_t pos = 0;
    auto back = decode_key_value(AttrType::N, e, pos);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->scalar, num(n).scalar);
    EXPECT_EQ(pos, e.size());
  }
  for (std::string s : {std::string(""), std::string("abc"), std::string("a\0b", 3), std::string("\0", 1)}) {
    std::string e = enc(AttributeValue::string(s)) + "tail";
    size_t pos = 0;
    auto back = decode_key_value(AttrType::S, e, pos);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->scalar, s);
    EXPECT_EQ(e.substr(pos), "tail");
  }
}

TEST(ItemCodec, RoundTripsEveryType) {
  Item item;
  item["s"] = AttributeValue::string("hello");
  item["n"] = num("-12.5");
  item["b"] = AttributeValue::binary(std::string("\0\1\2", 3));
  item["t"] = AttributeValue::boolean_of(true);
  item["z"] = AttributeValue::null();
  AttributeValue ss;
  ss.type = AttrType::SS;
  ss.set = {"x", "y"};
  item["ss"] = ss;
  AttributeValue l;
  l.type = AttrType::L;
  l.list = {AttributeValue::string("a"), num("1")};
  AttributeValue m;
  m.type = AttrType::M;
  m.map["inner"] = l;
  item["m"] = m;
  std::string bytes = encode_item(item);
  auto back = decode_item(bytes);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), item.size());
  for (auto& [k, v] : item) EXPECT_TRUE(equals(v, back->at(k))) << k;
  EXPECT_FALSE(decode_item(bytes.substr(0, bytes.size() - 1)));
  // The direct-to-wire decoder agrees with the Item path.
  auto wire = decode_item_json(bytes);
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire, to_json(item));
  EXPECT_FALSE(decode_item_json(bytes.substr(0, bytes.size() - 1)));
  // So do the JSON text writers, from the stored bytes and from the Item.
  std::string text, from_item;
  ASSERT_TRUE(append_item_json(bytes, text));
  EXPECT_EQ(nlohmann::json::parse(text), to_json(item));
  append_json(item, from_item);
  EXPECT_EQ(nlohmann::json::parse(from_item), to_json(item));
}

TEST(ItemCodec, JsonTextEscapesStrings) {
  Item item;
  item["q\"uote"] = AttributeValue::string("line\nbreak \"quoted\" \\ tab\t \x01 é ☃");
  std::string text;
  ASSERT_TRUE(append_item_json(encode_item(item), text));
  EXPECT_EQ(nlohmann::json::parse(text), to_json(item));
}

}  // namespace
}  // namespace streamlab::dynamodb
