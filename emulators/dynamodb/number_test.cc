#include "emulators/dynamodb/number.h"

#include <gtest/gtest.h>

namespace streamlab::dynamodb {
namespace {

std::string canon(const std::string& text) {
  auto d = Decimal::parse(text);
  return d ? d->to_string() : "ERROR: " + d.error().message;
}

TEST(Decimal, CanonicalForms) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"0", "0"},
      {"-0", "0"},
      {"+0.000", "0"},
      {"1", "1"},
      {"+1", "1"},
      {"001", "1"},
      {"1.0", "1"},
      {"1.50", "1.5"},
      {".5", "0.5"},
      {"5.", "5"},
      {"-1.23", "-1.23"},
      {"1e3", "1000"},
      {"1E3", "1000"},
      {"1.5e1", "15"},
      {"1e-3", "0.001"},
      {"-12.5e-2", "-0.125"},
      {"0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
      {"-00001.23456789012345678901234567890123456780000", "-1.2345678901234567890123456789012345678"},
      {"123.456e+2", "12345.6"},
  };
  for (auto& c : cases) EXPECT_EQ(canon(c.in), c.out) << c.in;
}

TEST(Decimal, LimitsAndErrors) {
  EXPECT_EQ(canon(""), "ERROR: The parameter cannot be converted to a numeric value");
  EXPECT_EQ(canon("b"), "ERROR: The parameter cannot be converted to a numeric value: b");
  EXPECT_EQ(canon("1e"), "ERROR: The parameter cannot be converted to a numeric value: 1e");
  EXPECT_EQ(canon("1.2.3"), "ERROR: The parameter cannot be converted to a numeric value: 1.2.3");
  EXPECT_EQ(canon(" 1"), "ERROR: The parameter cannot be converted to a numeric value:  1");
  EXPECT_EQ(canon("NaN"), "ERROR: The parameter cannot be converted to a numeric value: NaN");
  EXPECT_EQ(canon("Infinity"), "ERROR: The parameter cannot be converted to a numeric value: Infinity");
  EXPECT_EQ(canon("0x10"), "ERROR: The parameter cannot be converted to a numeric value: 0x10");
  EXPECT_EQ(canon("123456789012345678901234567890123456789"),
            "ERROR: Attempting to store more than 38 significant digits in a Number");
  EXPECT_EQ(canon("1e126"),
            "ERROR: Number overflow. Attempting to store a number with magnitude larger than supported range");
  EXPECT_EQ(canon("-1e126"),
            "ERROR: Number overflow. Attempting to store a number with magnitude larger than supported range");
  EXPECT_EQ(canon("1e-131"),
            "ERROR: Number underflow. Attempting to store a number with magnitude smaller than supported range");
  EXPECT_EQ(canon("9.9999999999999999999999999999999999999e125"),
            "99999999999999999999999999999999999999" + std::string(88, '0'));
  EXPECT_EQ(canon("1e-130"), "0." + std::string(129, '0') + "1");
  // Trailing zeros are not significant digits.
  EXPECT_EQ(canon("1" + std::string(100, '0')), "1" + std::string(100, '0'));
}

TEST(Decimal, CompareNumerically) {
  const char* ordered[] = {"-1e125", "-100", "-10.5", "-10", "-1", "-0.5", "-0.001", "0",
                           "0.001", "0.5", "1", "1.5", "2", "10", "10.01", "100", "1e125"};
  size_t n = sizeof(ordered) / sizeof(*ordered);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      int want = i < j ? -1 : i > j ? 1 : 0;
      EXPECT_EQ(Decimal::compare(Decimal::parse(ordered[i]).value(), Decimal::parse(ordered[j]).value()), want)
          << ordered[i] << " vs " << ordered[j];
    }
  EXPECT_TRUE(Decimal::parse("1.0").value() == Decimal::parse("1").value());
  EXPECT_TRUE(Decimal::parse("100").value() == Decimal::parse("1e2").value());
}

TEST(Decimal, Arithmetic) {
  struct Case {
    const char *a, *b, *sum, *diff;
  } cases[] = {
      {"1", "2", "3", "-1"},
      {"0.1", "0.2", "0.3", "-0.1"},
      {"5.3", "0.05", "5.35", "5.25"},
      {"5", "1.2", "6.2", "3.8"},
      {"-1", "1", "0", "-2"},
      {"999", "1", "1000", "998"},
      {"1e10", "1", "10000000001", "9999999999"},
      {"-0.5", "-0.25", "-0.75", "-0.25"},
      {"123456789", "-123456789", "0", "246913578"},
      {"0", "-7", "-7", "7"},
  };
  for (auto& c : cases) {
    Decimal a = Decimal::parse(c.a).value(), b = Decimal::parse(c.b).value();
    EXPECT_EQ((a + b).to_string(), c.sum) << c.a << " + " << c.b;
    EXPECT_EQ((a - b).to_string(), c.diff) << c.a << " - " << c.b;
  }
  Decimal big = Decimal::parse("99999999999999999999999999999999999999").value();
  EXPECT_FALSE((big + Decimal::parse("0.1").value()).check_limits());
}

TEST(Decimal, StorageSize) {
  // AWS counts about one byte per two significant digits plus one or two (dynalite's measurements).
  EXPECT_EQ(Decimal::parse("1e125").value().storage_size(), 2u);
  EXPECT_EQ(Decimal::parse("11111e121").value().storage_size(), 4u);
  EXPECT_EQ(Decimal::parse("111111e120").value().storage_size(), 4u);
  EXPECT_EQ(Decimal::parse("1111111e119").value().storage_size(), 5u);
  EXPECT_EQ(Decimal::parse(std::string(38, '1') + std::string(88, '0')).value().storage_size(), 20u);
}

TEST(Decimal, StorageSizeFromCanonicalTextMatchesTheParsedNumber) {
  std::vector<std::string> texts = {"0", "-0", "1", "-1", "10", "100", "1000", "0.1", "0.01", "0.001", "-0.05",
                                    "1.5", "12.5", "120.05", "1e125", "9.99e125", "1e-130", "-1.5e-129"};
  uint64_t x = 7;
  for (int i = 0; i < 5000; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    std::string mantissa = std::to_string(x >> (x % 40 + 20)) + "." + std::to_string((x >> 7) % 100000);
    long exponent = long((x >> 30) % 250) - 125;
    texts.push_back(std::string((x & 1) ? "-" : "") + mantissa + "e" + std::to_string(exponent));
  }
  size_t checked = 0;
  for (auto& t : texts) {
    auto d = Decimal::parse(t);
    if (!d) continue;  // out of range or too many digits
    std::string canonical = d->to_string();
    EXPECT_EQ(Decimal::canonical_storage_size(canonical), d->storage_size()) << canonical;
    ++checked;
  }
  EXPECT_GT(checked, 4000u);
}

}  // namespace
}  // namespace streamlab::dynamodb
