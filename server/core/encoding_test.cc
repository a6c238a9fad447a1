#include "server/core/encoding.h"

#include <gtest/gtest.h>

#include <vector>

namespace streamlab {

// Every byte value in every position of a 3-byte group, against RFC 4648's test vectors and a
// bit-by-bit reference; append_base64 keeps what `out` held.
TEST(Encoding, Base64EncodesEveryByteInEveryPosition) {
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto reference = [&](const std::string& in) {
    std::string bits, out;
    for (unsigned char c : in)
      for (int b = 7; b >= 0; --b) bits += char('0' + ((c >> b) & 1));
    while (bits.size() % 6) bits += '0';
    for (size_t i = 0; i < bits.size(); i += 6) out += alphabet[std::stoi(bits.substr(i, 6), nullptr, 2)];
    while (out.size() % 4) out += '=';
    return out;
  };
  for (int v = 0; v < 256; ++v)
    for (size_t at = 0; at < 5; ++at) {
      std::string in(5, '\x5a');
      in[at] = char(v);
      EXPECT_EQ(base64_encode(in), reference(in)) << v << " at " << at;
      std::string out = "prefix:";
      append_base64(out, in.substr(0, at + 1));
      EXPECT_EQ(out, "prefix:" + reference(in.substr(0, at + 1)));
    }
}

TEST(Encoding, Base64RoundTripAndStrictness) {
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)})
    EXPECT_EQ(base64_decode(base64_encode(s)), s);
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_FALSE(base64_decode("aGVsbG8"));   // length
  EXPECT_FALSE(base64_decode("aGV*bG8="));  // character
  EXPECT_FALSE(base64_decode("aGVsbG9="));  // non-canonical last character
  EXPECT_FALSE(base64_decode("=AAA"));
  EXPECT_FALSE(base64_decode("AB=C"));
  EXPECT_FALSE(base64_decode("===="));
  EXPECT_EQ(base64_decode("////"), std::string("\xff\xff\xff"));
  EXPECT_EQ(base64_decode("AA=="), std::string(1, '\0'));
}

// AWS's wording for each way a text fails, and the one-pass check agreeing with the slow scan.
TEST(Encoding, Base64Problems) {
  EXPECT_EQ(base64_problem(""), "");
  EXPECT_EQ(base64_problem("aGVsbG8="), "");
  EXPECT_EQ(base64_problem("aGVsbG8"), "Base64 encoded length is expected a multiple of 4 bytes but found: 7");
  EXPECT_EQ(base64_problem("aGV*bG8="), "Invalid Base64 character: '*'");
  EXPECT_EQ(base64_problem("AB=C"), "Invalid Base64 character: '='");
  EXPECT_EQ(base64_problem("===="), "Invalid Base64 character: '='");
  EXPECT_EQ(base64_problem("A=B="), "Invalid Base64 character: '='");
  EXPECT_EQ(base64_problem("aGVsbG9="), "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(base64_problem("aGVsbA=="), "");
  EXPECT_EQ(base64_problem("aGVsbB=="), "Invalid last non-pad Base64 character dectected");
  EXPECT_EQ(base64_problem(std::string("AAA\x80")), "Invalid Base64 character: '\x80'");
}

TEST(Encoding, Digests) {
  EXPECT_EQ(md5_hex("hello sqs"), "3b7bef57d06c0021d0aafe8f6d587241");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Encoding, UrlDecode) {
  EXPECT_EQ(url_decode("a%3Ab+c", true), "a:b c");
  EXPECT_EQ(url_decode("a%3Ab+c", false), "a:b+c");
  EXPECT_EQ(url_decode("bad%zz%", true), "bad%zz%");
}

TEST(Encoding, UuidShape) {
  std::string u = uuid_v4();
  EXPECT_EQ(u.size(), 36u);
  EXPECT_EQ(u[14], '4');
}

}  // namespace streamlab
