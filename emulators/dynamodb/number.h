#pragma once
// DynamoDB numbers: exact decimals with up to 38 significant digits and a magnitude between
// 1E-130 and 9.99…E+125. Parsed the way AWS's Java service parses them (BigDecimal syntax),
// compared and summed exactly, printed in AWS's canonical plain notation ("1e3" -> "1000").
#include <string>
#include <string_view>

#include "server/core/result.h"

namespace streamlab::dynamodb {

class Decimal {
 public:
  Decimal() = default;  // zero

  // AWS's errors: "The parameter cannot be converted to a numeric value[: x]",
  // "Attempting to store more than 38 significant digits in a Number", "Number overflow. …",
  // "Number underflow. …" (as ValidationException messages, without any prefix).
  static Result<Decimal> parse(std::string_view text);
  // For canonical text produced by to_string(); never fails on such input.
  static Decimal from_canonical(std::string_view text);

  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  const std::string& digits() const { return digits_; }  // significant digits, no leading/trailing zeros
  // Position of the decimal point: value = 0.<digits> x 10^point.
  int point() const { return point_; }

  std::string to_string() const;
  // Checks AWS's range and precision (after arithmetic); same messages as parse().
  Status check_limits() const;
  // Bytes this number counts for in an item's size (AWS: about one byte per two digits, plus one).
  size_t storage_size() const;
  // The same, read off canonical text (to_string()'s output) without building a Decimal: item
  // sizes are taken several times per write.
  static size_t canonical_storage_size(std::string_view canonical);

  Decimal operator-() const;
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b) { return a + (-b); }
  // Numeric three-way comparison: -1, 0, 1.
  static int compare(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return compare(a, b) == 0; }
  friend bool operator<(const Decimal& a, const Decimal& b) { return compare(a, b) < 0; }

 private:
  void normalize();
  bool negative_ = false;
  std::string digits_;
  int point_ = 0;
};

}  // namespace streamlab::dynamodb
