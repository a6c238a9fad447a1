#include "emulators/dynamodb/key_codec.h"

#include "server/storage/big_endian.h"

namespace streamlab::dynamodb {
namespace {
constexpr int kExpBias = 1000;

void encode_bytes(std::string_view b, std::string& out) {
  for (char c : b) {
    out += c;
    if (c == '\0') out += '\xff';
  }
  out += '\0';
  out += '\x01';
}

void encode_number(const Decimal& d, std::string& out) {
  if (d.is_zero()) {
    out += '\x01';
    return;
  }
  uint16_t exp = uint16_t(d.point() + kExpBias);
  if (d.negative()) {
    out += '\x00';
    exp = uint16_t(0xFFFF - exp);
  } else {
    out += '\x02';
  }
  out += char(exp >> 8);
  out += char(exp & 0xff);
  for (char c : d.digits()) out += char(d.negative() ? 10 - (c - '0') : (c - '0') + 1);
  out += d.negative() ? '\xff' : '\x00';
}
}  // namespace

void encode_key_value(const AttributeValue& v, std::string& out) {
  if (v.type == AttrType::N) encode_number(v.as_number(), out);
  else encode_bytes(v.scalar, out);
}

std::optional<AttributeValue> decode_key_value(AttrType type, std::string_view in, size_t& pos) {
  if (type == AttrType::N) {
    if (pos >= in.size()) return std::nullopt;
    char sign = in[pos++];
    if (sign == '\x01') return AttributeValue::number(Decimal());
    bool neg = sign == '\x00';
    if (pos + 2 > in.size()) return std::nullopt;
    uint16_t exp = uint16_t((uint8_t(in[pos]) << 8) | uint8_t(in[pos + 1]));
    pos += 2;
    if (neg) exp = uint16_t(0xFFFF - exp);
    std::string digits;
    while (pos < in.size() && in[pos] != (neg ? '\xff' : '\x00')) {
      int b = uint8_t(in[pos++]);
      digits += char('0' + (neg ? 10 - b : b - 1));
    }
    if (pos >= in.size()) return std::nullopt;
    ++pos;
    int point = int(exp) - kExpBias;
    // Rebuild the decimal as "[-]0.<digits>e<point>".
    auto d = Decimal::parse((neg ? "-0." : "0.") + digits + "e" + std::to_string(point));
    if (!d) return std::nullopt;
    return AttributeValue::number(*d);
  }
  std::string bytes;
  while (pos < in.size()) {
    char c = in[pos++];
    if (c != '\0') {
      bytes += c;
      continue;
    }
    if (pos >= in.size()) return std::nullopt;
    char next = in[pos++];
    if (next == '\x01') return AttributeValue::scalar_of(type, std::move(bytes));
    bytes += '\0';
  }
  return std::nullopt;
}

std::string item_prefix(uint64_t table_uid) {
  std::string k = "ddb/i/";
  storage::put_u64(k, table_uid);
  return k;
}

std::string index_prefix(uint64_t index_uid) {
  std::string k = "ddb/x/";
  storage::put_u64(k, index_uid);
  return k;
}

}  // namespace streamlab::dynamodb
