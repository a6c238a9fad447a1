#include "server/protocol/cbor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace streamlab::protocol {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += char(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out += {digits[c >> 4], digits[c & 15]};
  return out;
}

// Items that are not maps are tested inside {"v": item}: a1 61 76 <item>.
const std::string kWrap = "a16176";

json value_of(const std::string& item_hex) {
  auto r = cbor_decode(unhex(kWrap + item_hex));
  EXPECT_TRUE(r.ok()) << item_hex << ": " << (r.ok() ? "" : r.error().message);
  if (!r.ok()) return json();
  return r.value()["v"];
}

bool rejects(const std::string& hex_bytes) {
  auto r = cbor_decode(unhex(hex_bytes));
  if (r.ok()) return false;
  EXPECT_EQ(r.error().code, "SerializationException");
  EXPECT_EQ(r.error().http_status, 400);
  EXPECT_FALSE(r.error().message.empty());
  return true;
}
bool rejects_item(const std::string& item_hex) { return rejects(kWrap + item_hex); }

// The hex of item v as the encoder writes it.
std::string encoded_item(const json& v, const WireHints& hints = {}) {
  std::string h = hex(cbor_encode(json{{"v", v}}, hints));
  EXPECT_EQ(h.substr(0, 6), kWrap);
  return h.substr(6);
}

TEST(Cbor, RoundTripsEveryJsonType) {
  const json doc = {
      {"null", nullptr},
      {"true", true},
      {"false", false},
      {"ints",
       {0, 1, 23, 24, 255, 256, 65535, 65536, 4294967295ull, 4294967296ull,
        std::numeric_limits<int64_t>::max(), std::numeric_limits<uint64_t>::max(), -1, -24, -25, -256, -257,
        -65537, std::numeric_limits<int64_t>::min()}},
      {"floats", {1.5, -0.25, 0.1, 1e300, -4.1, 5.960464477539063e-8, 0.0}},
      {"strings",
       {"", "a", "h\xc3\xa9llo \xe6\xb0\xb4 \xf0\x90\x85\x91", std::string(300, 'x'),
        std::string(70000, 'y')}},
      {"empty_array", json::array()},
      {"empty_object", json::object()},
      {"nested", {{"a", {1, {2, {3, {{"b", {{"c", "d"}}}}}}}}, {"e", json::array({json::object()})}}},
  };
  auto r = cbor_decode(cbor_encode(doc, {}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value(), doc);
  EXPECT_EQ(r.value()["floats"][0].get<double>(), 1.5);
  EXPECT_TRUE(r.value()["ints"][11].is_number_unsigned());
  EXPECT_EQ(r.value()["ints"][11].get<uint64_t>(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(r.value()["ints"][18].get<int64_t>(), std::numeric_limits<int64_t>::min());
}

TEST(Cbor, EncoderWritesShortestHeadsAndDefiniteLengths) {
  EXPECT_EQ(hex(cbor_encode(json::object(), {})), "a0");
  EXPECT_EQ(encoded_item(0), "00");
  EXPECT_EQ(encoded_item(23), "17");
  EXPECT_EQ(encoded_item(24), "1818");
  EXPECT_EQ(encoded_item(1000), "1903e8");
  EXPECT_EQ(encoded_item(1000000), "1a000f4240");
  EXPECT_EQ(encoded_item(1000000000000), "1b000000e8d4a51000");
  EXPECT_EQ(encoded_item(std::numeric_limits<uint64_t>::max()), "1bffffffffffffffff");
  EXPECT_EQ(encoded_item(-1), "20");
  EXPECT_EQ(encoded_item(-100), "3863");
  EXPECT_EQ(encoded_item(-1000), "3903e7");
  EXPECT_EQ(encoded_item(std::numeric_limits<int64_t>::min()), "3b7fffffffffffffff");
  EXPECT_EQ(encoded_item(1.1), "fb3ff199999999999a");
  EXPECT_EQ(encoded_item(true), "f5");
  EXPECT_EQ(encoded_item(false), "f4");
  EXPECT_EQ(encoded_item(nullptr), "f6");
  EXPECT_EQ(encoded_item("IETF"), "6449455446");
  EXPECT_EQ(encoded_item("\xc3\xbc"), "62c3bc");
  EXPECT_EQ(encoded_item(std::string(24, 'a')).substr(0, 4), "7818");
  EXPECT_EQ(encoded_item(json::array({1, 2, 3})), "83010203");
  EXPECT_EQ(encoded_item(json::array({1, json::array({2, 3}), json::array({4, 5})})), "8301820203820405");
  EXPECT_EQ(encoded_item(json{{"a", 1}, {"b", {2, 3}}}), "a26161016162820203");
  EXPECT_EQ(encoded_item(json::binary({1, 2, 3, 4})), "4401020304");
}

TEST(Cbor, Rfc8949AppendixAIntegers) {
  EXPECT_EQ(value_of("00"), 0);
  EXPECT_EQ(value_of("01"), 1);
  EXPECT_EQ(value_of("0a"), 10);
  EXPECT_EQ(value_of("17"), 23);
  EXPECT_EQ(value_of("1818"), 24);
  EXPECT_EQ(value_of("1819"), 25);
  EXPECT_EQ(value_of("1864"), 100);
  EXPECT_EQ(value_of("1903e8"), 1000);
  EXPECT_EQ(value_of("1a000f4240"), 1000000);
  EXPECT_EQ(value_of("1b000000e8d4a51000"), 1000000000000);
  EXPECT_EQ(value_of("1bffffffffffffffff").get<uint64_t>(), 18446744073709551615ull);
  EXPECT_EQ(value_of("20"), -1);
  EXPECT_EQ(value_of("29"), -10);
  EXPECT_EQ(value_of("3863"), -100);
  EXPECT_EQ(value_of("3903e7"), -1000);
  EXPECT_EQ(value_of("3b7fffffffffffffff").get<int64_t>(), std::numeric_limits<int64_t>::min());
  // Below INT64_MIN: still a JSON number (a double), no undefined behaviour.
  json big_negative = value_of("3bffffffffffffffff");
  ASSERT_TRUE(big_negative.is_number_float());
  EXPECT_EQ(big_negative.get<double>(), -18446744073709551616.0);
  // Non-shortest heads are well-formed CBOR and accepted.
  EXPECT_EQ(value_of("1800"), 0);
  EXPECT_EQ(value_of("1b0000000000000001"), 1);
}

TEST(Cbor, Rfc8949AppendixAFloats) {
  EXPECT_EQ(value_of("f90000").get<double>(), 0.0);
  EXPECT_TRUE(std::signbit(value_of("f98000").get<double>()));
  EXPECT_EQ(value_of("f93c00").get<double>(), 1.0);
  EXPECT_EQ(value_of("fb3ff199999999999a").get<double>(), 1.1);
  EXPECT_EQ(value_of("f93e00").get<double>(), 1.5);
  EXPECT_EQ(value_of("f97bff").get<double>(), 65504.0);
  EXPECT_EQ(value_of("fa47c35000").get<double>(), 100000.0);
  EXPECT_EQ(value_of("fa7f7fffff").get<double>(), 3.4028234663852886e+38);
  EXPECT_EQ(value_of("fb7e37e43c8800759c").get<double>(), 1.0e+300);
  EXPECT_EQ(value_of("f90001").get<double>(), 5.960464477539063e-8);
  EXPECT_EQ(value_of("f90400").get<double>(), 0.00006103515625);
  EXPECT_EQ(value_of("f9c400").get<double>(), -4.0);
  EXPECT_EQ(value_of("fbc010666666666666").get<double>(), -4.1);
  EXPECT_TRUE(value_of("f93c00").is_number_float());
  // Infinity and NaN in every width are rejected.
  for (const char* bad : {"f97c00", "f97e00", "f9fc00", "fa7f800000", "fa7fc00000", "faff800000",
                          "fb7ff0000000000000", "fb7ff8000000000000", "fbfff0000000000000"}) {
    EXPECT_TRUE(rejects_item(bad)) << bad;
  }
}

TEST(Cbor, Rfc8949AppendixASimpleValues) {
  EXPECT_EQ(value_of("f4"), false);
  EXPECT_EQ(value_of("f5"), true);
  EXPECT_TRUE(value_of("f6").is_null());
  EXPECT_TRUE(value_of("f7").is_null());  // undefined -> null
  EXPECT_TRUE(rejects_item("f0"));        // simple(16)
  EXPECT_TRUE(rejects_item("f818"));      // simple(24)
  EXPECT_TRUE(rejects_item("f8ff"));      // simple(255)
  EXPECT_TRUE(rejects_item("f801"));      // two-byte form of a value below 32: not well-formed
}

TEST(Cbor, Rfc8949AppendixAStrings) {
  EXPECT_EQ(value_of("40"), "");
  EXPECT_EQ(value_of("4401020304"), "AQIDBA==");  // byte strings -> base64
  EXPECT_EQ(value_of("60"), "");
  EXPECT_EQ(value_of("6161"), "a");
  EXPECT_EQ(value_of("6449455446"), "IETF");
  EXPECT_EQ(value_of("62225c"), "\"\\");
  EXPECT_EQ(value_of("62c3bc"), "\xc3\xbc");
  EXPECT_EQ(value_of("63e6b0b4"), "\xe6\xb0\xb4");
  EXPECT_EQ(value_of("64f0908591"), "\xf0\x90\x85\x91");
  // Indefinite lengths, chunked.
  EXPECT_EQ(value_of("5f42010243030405ff"), "AQIDBAU=");
  EXPECT_EQ(value_of("5fff"), "");
  EXPECT_EQ(value_of("7f657374726561646d696e67ff"), "streaming");
  EXPECT_EQ(value_of("7f60ff"), "");
}

TEST(Cbor, Rfc8949AppendixAArraysAndMaps) {
  EXPECT_EQ(value_of("80"), json::array());
  EXPECT_EQ(value_of("83010203"), json::parse("[1,2,3]"));
  EXPECT_EQ(value_of("8301820203820405"), json::parse("[1,[2,3],[4,5]]"));
  json one_to_25 = json::array();
  for (int i = 1; i <= 25; ++i) one_to_25.push_back(i);
  EXPECT_EQ(value_of("98190102030405060708090a0b0c0d0e0f101112131415161718181819"), one_to_25);
  EXPECT_EQ(value_of("a0"), json::object());
  EXPECT_EQ(value_of("a26161016162820203"), json::parse(R"({"a":1,"b":[2,3]})"));
  EXPECT_EQ(value_of("826161a161626163"), json::parse(R"(["a",{"b":"c"}])"));
  EXPECT_EQ(value_of("a56161614161626142616361436164614461656145"),
            json::parse(R"({"a":"A","b":"B","c":"C","d":"D","e":"E"})"));
  // Indefinite lengths.
  EXPECT_EQ(value_of("9fff"), json::array());
  EXPECT_EQ(value_of("9f018202039f0405ffff"), json::parse("[1,[2,3],[4,5]]"));
  EXPECT_EQ(value_of("9f01820203820405ff"), json::parse("[1,[2,3],[4,5]]"));
  EXPECT_EQ(value_of("83018202039f0405ff"), json::parse("[1,[2,3],[4,5]]"));
  EXPECT_EQ(value_of("83019f0203ff820405"), json::parse("[1,[2,3],[4,5]]"));
  EXPECT_EQ(value_of("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff"), one_to_25);
  EXPECT_EQ(value_of("bf61610161629f0203ffff"), json::parse(R"({"a":1,"b":[2,3]})"));
  EXPECT_EQ(value_of("826161bf61626163ff"), json::parse(R"(["a",{"b":"c"}])"));
  EXPECT_EQ(value_of("bf6346756ef563416d7421ff"), json::parse(R"({"Fun":true,"Amt":-2})"));
  // Top-level indefinite map.
  auto r = cbor_decode(unhex("bf6346756ef5ff"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), json::parse(R"({"Fun":true})"));
  // {1: 2, 3: 4}: keys are not text strings.
  EXPECT_TRUE(rejects_item("a201020304"));
  EXPECT_TRUE(rejects("a201020304"));
}

TEST(Cbor, TagsAreDroppedExceptEpochTime) {
  EXPECT_EQ(value_of("c074323031332d30332d32315432303a30343a30305a"), "2013-03-21T20:04:00Z");
  EXPECT_EQ(value_of("d74401020304"), "AQIDBA==");
  EXPECT_EQ(value_of("d818456449455446"), "ZElFVEY=");
  EXPECT_EQ(value_of("d82076687474703a2f2f7777772e6578616d706c652e636f6d"), "http://www.example.com");
  EXPECT_EQ(value_of("c249010000000000000000"), "AQAAAAAAAAAA");  // bignum: its bytes
  EXPECT_EQ(value_of("d9d9f7a0"), json::object());                // self-described CBOR
  auto r = cbor_decode(unhex("d9d9f7a16161f5"));                  // ...also at the top level
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), json::parse(R"({"a":true})"));
  // A long chain of tags is a loop, not recursion.
  std::string chain;
  for (int i = 0; i < 100000; ++i) chain += "c6";
  EXPECT_EQ(value_of(chain + "07"), 7);
}

// AWS writes tag 1 + integer epoch MILLIS (not RFC 8949 seconds); actions see epoch seconds.
TEST(Cbor, Tag1IsAwsEpochMillis) {
  // What the Java SDK v2 sends for GetShardIterator AT_TIMESTAMP (tag 1, uint64 millis).
  json t = value_of("c11b000001a013accc38");  // 1787036486712 ms
  ASSERT_TRUE(t.is_number_float());
  EXPECT_EQ(t.get<double>(), 1787036486.712);
  // Whole seconds stay integers.
  json whole = value_of("c11b0000018bcfe56800");  // 1700000000000 ms
  ASSERT_TRUE(whole.is_number_integer());
  EXPECT_EQ(whole.get<int64_t>(), 1700000000);
  // RFC 8949 Appendix A's 1(1363896240) read the AWS way.
  EXPECT_EQ(value_of("c11a514b67b0").get<double>(), 1363896.24);
  // Float content and negative content are millis too.
  EXPECT_EQ(value_of("c1fb41d452d9ec200000").get<double>(), 1363896.2405);
  EXPECT_EQ(value_of("c13903e7").get<int64_t>(), -1);
  EXPECT_EQ(value_of("c13901f3").get<double>(), -0.5);
  // Tag 1 on something that is not a number: the tag is dropped.
  EXPECT_EQ(value_of("c16161"), "a");
  EXPECT_TRUE(rejects_item("c1f97c00"));
  // Without hints, an untagged number is just a number.
  EXPECT_EQ(value_of("1b0000018bcfe5687b").get<int64_t>(), 1700000000123);
}

TEST(Cbor, DecodeWithHintsReadsUntaggedTimestampMembersAsMillis) {
  WireHints hints;
  hints.timestamp_members = {"Timestamp", "Times"};
  // {"Timestamp": 1700000000123, "Other": 1700000000123, "Times": [1000, 1(2500)], "Tagged": 1(1500)}
  std::string doc =
      "a4"
      "6954696d657374616d70"
      "1b0000018bcfe5687b"
      "654f74686572"
      "1b0000018bcfe5687b"
      "6554696d6573"
      "82"
      "1903e8"
      "c1"
      "1909c4"
      "66546167676564"
      "c1"
      "1905dc";
  auto r = cbor_decode(unhex(doc), hints);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r.value()["Timestamp"].get<double>(), 1700000000.123);
  EXPECT_EQ(r.value()["Other"].get<int64_t>(), 1700000000123);
  EXPECT_EQ(r.value()["Times"], json::parse("[1, 2.5]"));  // tagged and hinted: converted once
  EXPECT_EQ(r.value()["Tagged"].get<double>(), 1.5);
  // Same bytes without hints: only the tagged ones are converted.
  auto plain = cbor_decode(unhex(doc));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.value()["Timestamp"].get<int64_t>(), 1700000000123);
  EXPECT_EQ(plain.value()["Times"], json::parse("[1000, 2.5]"));
}

TEST(Cbor, BlobHintWritesByteStringsAtAnyDepth) {
  WireHints hints;
  hints.blob_members = {"Data"};
  const json doc = json::parse(R"({"Records":[{"Data":"AAEC","PartitionKey":"k"}]})");
  const std::string bytes = cbor_encode(doc, hints);
  // {"Records": [{"Data": h'000102', "PartitionKey": "k"}]}
  EXPECT_EQ(hex(bytes),
            "a1"
            "675265636f726473"
            "81"
            "a2"
            "6444617461"
            "43000102"
            "6c506172746974696f6e4b6579"
            "616b");
  auto r = cbor_decode(bytes);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), doc);  // byte strings decode back to base64
  // Without the hint the same member is a text string.
  EXPECT_EQ(hex(cbor_encode(json{{"Data", "AAEC"}}, {})), "a164446174616441414543");
  EXPECT_EQ(encoded_item("", hints), "60");
  EXPECT_EQ(hex(cbor_encode(json{{"Data", ""}}, hints)), "a1644461746140");
  // A list of blobs, and text that is not base64 after all (kept as text).
  EXPECT_EQ(hex(cbor_encode(json{{"Data", {"AAEC", "/w=="}}}, hints)), "a16444617461824300010241ff");
  EXPECT_EQ(hex(cbor_encode(json{{"Data", "not base64!"}}, hints)), "a164446174616b6e6f742062617365363421");
}

TEST(Cbor, TimestampHintWritesTag1EpochMillis) {
  WireHints hints;
  hints.timestamp_members = {"ApproximateArrivalTimestamp", "StreamCreationTimestamp"};
  const json doc = json::parse(
      R"({"Records":[{"ApproximateArrivalTimestamp":1700000000.123}],"StreamCreationTimestamp":1700000000})");
  const std::string h = hex(cbor_encode(doc, hints));
  EXPECT_NE(h.find("c11b0000018bcfe5687b"), std::string::npos) << h;  // 1(1700000000123)
  EXPECT_NE(h.find("c11b0000018bcfe56800"), std::string::npos) << h;  // 1(1700000000000)
  auto r = cbor_decode(unhex(h));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), doc);
  // Millisecond rounding, negatives, and values that are not numbers.
  EXPECT_EQ(hex(cbor_encode(json{{"StreamCreationTimestamp", 1.001}}, hints)).substr(50), "c11903e9");
  EXPECT_EQ(hex(cbor_encode(json{{"StreamCreationTimestamp", -1}}, hints)).substr(50), "c13903e7");
  EXPECT_EQ(hex(cbor_encode(json{{"StreamCreationTimestamp", "x"}}, hints)).substr(50), "6178");
  EXPECT_EQ(hex(cbor_encode(json{{"StreamCreationTimestamp", nullptr}}, hints)).substr(50), "f6");
  // Too large for millis: written as the plain number rather than overflowing.
  EXPECT_EQ(hex(cbor_encode(json{{"StreamCreationTimestamp", std::numeric_limits<uint64_t>::max()}}, hints))
                .substr(50),
            "1bffffffffffffffff");
  EXPECT_EQ(hex(cbor_encode(json{{"StreamCreationTimestamp", 1e300}}, hints)).substr(50),
            "fb7e37e43c8800759c");
  // Other numbers are untouched.
  EXPECT_EQ(encoded_item(1700000000, hints), "1a6553f100");
}

TEST(Cbor, RejectsMalformedInput) {
  EXPECT_TRUE(rejects(""));
  // Truncated.
  EXPECT_TRUE(rejects("a1"));
  EXPECT_TRUE(rejects("a16161"));
  EXPECT_TRUE(rejects("a161"));
  EXPECT_TRUE(rejects("a1616119"));
  EXPECT_TRUE(rejects("a161611903"));
  EXPECT_TRUE(rejects("a1616162"));
  EXPECT_TRUE(rejects("bf6161f5"));
  EXPECT_TRUE(rejects("a161619f01"));
  EXPECT_TRUE(rejects("a161615f4101"));
  EXPECT_TRUE(rejects("a16161c1"));
  // Trailing bytes after the top-level item.
  EXPECT_TRUE(rejects("a000"));
  EXPECT_TRUE(rejects("a0a0"));
  EXPECT_TRUE(rejects("bfff00"));
  // Top level that is not a map.
  for (const char* top :
       {"00", "20", "80", "6161", "4100", "f5", "f6", "fb3ff199999999999a", "c100", "9fff"}) {
    EXPECT_TRUE(rejects(top)) << top;
  }
  // Invalid UTF-8 in text strings (values and keys, definite and chunked).
  for (const char* bad : {"61ff", "61c3", "62c328", "62c080", "63eda080", "64f4908080", "63e08080",
                          "64f8888080", "7f61c362bca0ff", "61fe"}) {
    EXPECT_TRUE(rejects_item(bad)) << bad;
  }
  EXPECT_TRUE(rejects("a162c328f5"));
  // Map keys that are not text strings.
  EXPECT_TRUE(rejects("a14161f5"));    // byte string key
  EXPECT_TRUE(rejects("a1f6f5"));      // null key
  EXPECT_TRUE(rejects("a180f5"));      // array key
  EXPECT_TRUE(rejects("a1c16161f5"));  // tagged key
  // Declared lengths beyond the input (must fail before allocating).
  for (const char* bad : {"5bffffffffffffffff", "7bffffffffffffffff", "5a7fffffff00", "7a0000000a6161",
                          "9bffffffffffffffff", "9a7fffffff", "bbffffffffffffffff", "ba7fffffff", "8201"}) {
    EXPECT_TRUE(rejects_item(bad)) << bad;
  }
  EXPECT_TRUE(rejects("bbffffffffffffffff"));
  // Reserved additional information and misplaced breaks / indefinite heads.
  for (const char* bad :
       {"1c", "3d", "5e", "7c", "9d", "be", "dc", "fc", "fd", "fe", "ff", "1f", "3f", "df00"}) {
    EXPECT_TRUE(rejects_item(bad)) << bad;
  }
  // Bad chunks in indefinite strings: wrong type, nested indefinite, non-string.
  for (const char* bad : {"5f6161ff", "7f4161ff", "5f5f4100ffff", "7f7fffff", "5f00ff"}) {
    EXPECT_TRUE(rejects_item(bad)) << bad;
  }
  // A break where a map value should be.
  EXPECT_TRUE(rejects("bf6161ff"));
}

json nested_arrays(int levels) {
  json v = 0;
  for (int i = 0; i < levels; ++i) v = json::array({v});
  return v;
}

TEST(Cbor, NestingDeeperThan64IsRejected) {
  // The top-level map is level 1; 63 arrays inside it make 64 levels.
  auto ok = cbor_decode(cbor_encode(json{{"v", nested_arrays(63)}}, {}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok.value()["v"], nested_arrays(63));
  EXPECT_FALSE(cbor_decode(cbor_encode(json{{"v", nested_arrays(64)}}, {})).ok());
  // Deep maps, and a very deep indefinite input that would blow the stack without the limit.
  json maps = 1;
  for (int i = 0; i < 64; ++i) maps = json{{"m", maps}};  // 64 levels
  EXPECT_TRUE(cbor_decode(cbor_encode(maps, {})).ok());
  EXPECT_FALSE(cbor_decode(cbor_encode(json{{"m", maps}}, {})).ok());
  std::string deep = unhex(kWrap) + std::string(1000000, char(0x9f));
  EXPECT_TRUE(rejects(hex(deep)));
}

// Truncation at every length and flips of every byte: errors, never a crash, hang or exception.
TEST(Cbor, FuzzTruncationsAndByteFlips) {
  WireHints hints;
  hints.blob_members = {"Data"};
  hints.timestamp_members = {"ApproximateArrivalTimestamp"};
  const json doc = json::parse(R"({
    "Records": [
      {"Data": "AAECAwQFBgc=", "PartitionKey": "k\u00e9y", "SequenceNumber": "49590338271490256608559692538361571095921575989136588898",
       "ApproximateArrivalTimestamp": 1700000000.123, "EncryptionType": null},
      {"Data": "", "PartitionKey": "p", "ApproximateArrivalTimestamp": 1700000001}
    ],
    "NextShardIterator": "AAAAAAAAAAG", "MillisBehindLatest": 0, "Ratio": -1.25, "Flag": true,
    "Nested": {"a": [1, [2, [3, {"b": -70000}]]], "big": 18446744073709551615, "neg": -9223372036854775808}
  })");
  std::vector<std::string> inputs = {
      cbor_encode(doc, hints),
      unhex("bf6346756ef563416d7421645265637381bf6444617461"
            "5f42010243030405ff"
            "6154c11b0000018bcfe5687b"
            "61737f657374726561646d696e67ff6166f97bff6167f7ffff"),
  };
  for (const std::string& valid : inputs) {
    auto whole = cbor_decode(valid, hints);
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    for (size_t len = 0; len < valid.size(); ++len) {
      auto r = cbor_decode(std::string_view(valid).substr(0, len), hints);
      EXPECT_FALSE(r.ok()) << "truncated at " << len;
    }
    for (size_t i = 0; i < valid.size(); ++i) {
      for (int mask = 1; mask < 256; ++mask) {
        std::string mutated = valid;
        mutated[i] = char(uint8_t(mutated[i]) ^ mask);
        auto r = cbor_decode(mutated, hints);
        if (!r.ok()) {
          EXPECT_EQ(r.error().code, "SerializationException");
        }
        auto r2 = cbor_decode(mutated);
        (void)r2;
      }
    }
  }
  // Random garbage after a map head.
  std::mt19937 rng(8949);
  for (int n = 0; n < 20000; ++n) {
    std::string junk(1 + rng() % 40, '\0');
    for (char& c : junk) c = char(rng());
    junk[0] = char(0xa0 | (rng() % 4));
    auto r = cbor_decode(junk, hints);
    if (r.ok()) {
      EXPECT_TRUE(r.value().is_object());
    }
  }
}

}  // namespace
}  // namespace streamlab::protocol
