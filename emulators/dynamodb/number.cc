#include "emulators/dynamodb/number.h"

#include <algorithm>
#include <climits>

namespace streamlab::dynamodb {
namespace {
AwsError not_numeric(std::string_view text) {
  if (text.empty()) return AwsError::validation("The parameter cannot be converted to a numeric value");
  return AwsError::validation("The parameter cannot be converted to a numeric value: " + std::string(text));
}

// Magnitude comparison of two non-zero normalized decimals.
int compare_magnitude(const Decimal& a, const Decimal& b) {
  if (a.point() != b.point()) return a.point() < b.point() ? -1 : 1;
  int c = a.digits().compare(b.digits());
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

// Digits of |x| aligned so that the last one has weight 10^low (low <= x's last digit weight).
std::string aligned(const Decimal& x, int low) {
  std::string s = x.digits();
  int last_weight = x.point() - int(s.size());
  s.append(size_t(last_weight - low), '0');
  return s;
}

std::string add_digits(std::string a, std::string b) {
  if (a.size() < b.size()) std::swap(a, b);
  b.insert(0, a.size() - b.size(), '0');
  std::string r(a.size() + 1, '0');
  int carry = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') + (b[i] - '0') + carry;
    r[i + 1] = char('0' + d % 10);
    carry = d / 10;
  }
  r[0] = char('0' + carry);
  return r;
}

// a - b where |a| >= |b| as digit strings of equal alignment.
std::string sub_digits(std::string a, std::string b) {
  b.insert(0, a.size() - b.size(), '0');
  std::string r(a.size(), '0');
  int borrow = 0;
  for (size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') - (b[i] - '0') - borrow;
    borrow = d < 0;
    r[i] = char('0' + (d + 10) % 10);
  }
  return r;
}
}  // namespace

void Decimal::normalize() {
  size_t lead = digits_.find_first_not_of('0');
  if (lead == std::string::npos) {
    digits_.clear();
    point_ = 0;
    negative_ = false;
    return;
  }
  digits_.erase(0, lead);
  point_ -= int(lead);
  digits_.erase(digits_.find_last_not_of('0') + 1);
}

Result<Decimal> Decimal::parse(std::string_view text) {
  // BigDecimal syntax: [+-] digits [. digits] [(e|E) [+-] digits], at least one mantissa digit.
  size_t i = 0, n = text.size();
  Decimal d;
  if (i < n && (text[i] == '+' || text[i] == '-')) d.negative_ = text[i++] == '-';
  bool any = false, dot = false;
  int int_digits = 0;
  for (; i < n; ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any = true;
      d.digits_ += c;
      if (!dot) ++int_digits;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (!any) return not_numeric(text);
  long long exp = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
    if (i == n) return not_numeric(text);
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      exp = exp * 10 + (text[i] - '0');
      if (exp > 100000000) exp = 100000000;  // far past any limit; avoids overflow
    }
    if (neg) exp = -exp;
  }
  if (i != n) return not_numeric(text);
  d.point_ = int(int_digits + exp);
  d.normalize();
  if (auto s = d.check_limits(); !s) return s.error();
  return d;
}

Decimal Decimal::from_canonical(std::string_view text) {
  auto r = parse(text);
  return r ? *r : Decimal();
}

Status Decimal::check_limits() const {
  if (is_zero()) return Ok{};
  int e = point_ - 1;  // scientific exponent
  if (e > 125)
    return AwsError::validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
  if (e < -130)
    return AwsError::validation(
        "Number underflow. Attempting to store a number with magnitude smaller than supported range");
  if (digits_.size() > 38)
    return AwsError::validation("Attempting to store more than 38 significant digits in a Number");
  return Ok{};
}

std::string Decimal::to_string() const {
  if (is_zero()) return "0";
  std::string s = negative_ ? "-" : "";
  int n = int(digits_.size());
  if (point_ <= 0) {
    s += "0.";
    s.append(size_t(-point_), '0');
    s += digits_;
  } else if (point_ >= n) {
    s += digits_;
    s.append(size_t(point_ - n), '0');
  } else {
    s.append(digits_, 0, size_t(point_));
    s += '.';
    s.append(digits_, size_t(point_), std::string::npos);
  }
  return s;
}

namespace {
// AWS's count for a number of `digits` significant digits whose first digit has exponent `e`.
size_t storage_bytes(size_t digits, int e) { return (digits + 1) / 2 + (e % 2 != 0 ? 1 : 2); }
}  // namespace

size_t Decimal::storage_size() const {
  if (is_zero()) return 1;
  return storage_bytes(digits_.size(), point_ - 1);
}

size_t Decimal::canonical_storage_size(std::string_view t) {
  if (!t.empty() && t[0] == '-') t.remove_prefix(1);
  size_t dot = t.find('.');
  std::string_view whole = t.substr(0, dot), fraction = dot == std::string_view::npos ? "" : t.substr(dot + 1);
  size_t digits;
  int point;
  if (whole == "0") {  // "0" or 0.<zeros><digits>
    if (fraction.empty()) return 1;
    size_t zeros = fraction.find_first_not_of('0');
    digits = fraction.size() - zeros;
    point = -int(zeros);
  } else {  // <digits>[<zeros>] or <digits>.<digits>
    point = int(whole.size());
    digits = fraction.empty() ? whole.find_last_not_of('0') + 1 : whole.size() + fraction.size();
  }
  return storage_bytes(digits, point - 1);
}

Decimal Decimal::operator-() const {
  Decimal r = *this;
  if (!r.is_zero()) r.negative_ = !r.negative_;
  return r;
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  int low = std::min(a.point_ - int(a.digits_.size()), b.point_ - int(b.digits_.size()));
  std::string x = aligned(a, low), y = aligned(b, low);
  Decimal r;
  if (a.negative_ == b.negative_) {
    r.digits_ = add_digits(x, y);
    r.negative_ = a.negative_;
  } else {
    int c = compare_magnitude(a, b);
    if (c == 0) return Decimal();
    const Decimal& big = c > 0 ? a : b;
    std::string& bx = c > 0 ? x : y;
    std::string& sx = c > 0 ? y : x;
    if (bx.size() < sx.size()) bx.insert(0, sx.size() - bx.size(), '0');
    r.digits_ = sub_digits(bx, sx);
    r.negative_ = big.negative_;
  }
  r.point_ = low + int(r.digits_.size());
  r.normalize();
  return r;
}

int Decimal::compare(const Decimal& a, const Decimal& b) {
  int sa = a.is_zero() ? 0 : a.negative_ ? -1 : 1;
  int sb = b.is_zero() ? 0 : b.negative_ ? -1 : 1;
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int m = compare_magnitude(a, b);
  return sa > 0 ? m : -m;
}

}  // namespace streamlab::dynamodb
