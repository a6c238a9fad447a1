#include "server/core/auth.h"

#include <optional>
#include <vector>

#include "server/core/encoding.h"

namespace streamlab {
namespace {

AwsError auth_error(std::string code, std::string message) {
  return AwsError{std::move(code), std::move(message), 400, true, {}};
}

// The value of a query parameter; nullopt when absent (present without a value gives "").
std::optional<std::string> query_param(std::string_view query, std::string_view name) {
  size_t pos = 0;
  while (pos < query.size()) {
    size_t amp = query.find('&', pos);
    std::string_view part = query.substr(pos, amp == std::string_view::npos ? std::string_view::npos : amp - pos);
    size_t eq = part.find('=');
    if (url_decode(part.substr(0, eq), true) == name)
      return eq == std::string_view::npos ? std::string() : url_decode(part.substr(eq + 1), true);
    if (amp == std::string_view::npos) break;
    pos = amp + 1;
  }
  return std::nullopt;
}

Caller from_credential(std::string_view credential) {
  // AKID/yyyymmdd/region/service/aws4_request
  std::string_view parts[4];
  size_t count = 0, pos = 0;
  while (true) {
    size_t slash = credential.find('/', pos);
    if (count < 4) parts[count] = credential.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    ++count;
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  Caller c;
  c.access_key = std::string(parts[0]);
  bool twelve_digits = c.access_key.size() == 12;
  for (char ch : c.access_key) twelve_digits &= ch >= '0' && ch <= '9';
  c.account = twelve_digits ? c.access_key : kDefaultAccount;
  c.region = count > 2 && !parts[2].empty() ? std::string(parts[2]) : kDefaultRegion;
  c.service = count > 3 ? std::string(parts[3]) : "";
  return c;
}

}  // namespace

bool is_signed(const Request& request) {
  return !request.header("authorization").empty() || query_param(request.query, "X-Amz-Algorithm").has_value();
}

Result<Caller> identify_caller(const Request& request) {
  std::string_view header = request.header("authorization");
  bool presigned = query_param(request.query, "X-Amz-Algorithm").has_value();
  if (!header.empty() && presigned)
    return auth_error("InvalidSignatureException",
                      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  if (header.empty() && !presigned)
    return AwsError{"MissingAuthenticationTokenException", "Missing Authentication Token", 400, true, {}};

  if (!header.empty()) {
    // AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...
    std::string_view credential, signed_headers, signature;
    std::string_view h = header;
    size_t pos = h.find(' ');
    while (pos != std::string_view::npos && pos < h.size()) {
      while (pos < h.size() && (h[pos] == ' ' || h[pos] == ',')) ++pos;
      // By hand: find_first_of calls memchr once per character scanned.
      size_t end = pos;
      while (end < h.size() && h[end] != ',' && h[end] != ' ') ++end;
      if (end == h.size()) end = std::string_view::npos;
      std::string_view part = h.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
      size_t eq = part.find('=');
      if (eq != std::string_view::npos) {
        std::string_view k = part.substr(0, eq), v = part.substr(eq + 1);
        if (k == "Credential") credential = v;
        else if (k == "SignedHeaders") signed_headers = v;
        else if (k == "Signature") signature = v;
      }
      pos = end;
    }
    std::string msg;
    if (credential.empty()) msg += "Authorization header requires 'Credential' parameter. ";
    if (signature.empty()) msg += "Authorization header requires 'Signature' parameter. ";
    if (signed_headers.empty()) msg += "Authorization header requires 'SignedHeaders' parameter. ";
    if (!request.has_header("x-amz-date") && !request.has_header("date"))
      msg += "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
    if (!msg.empty()) return auth_error("IncompleteSignatureException", msg + "Authorization=" + std::string(h));
    return from_credential(credential);
  }

  std::string msg;
  for (const char* p : {"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"})
    if (query_param(request.query, p).value_or("").empty()) msg += std::string("AWS query-string parameters must include '") + p + "'. ";
  if (!msg.empty()) return auth_error("IncompleteSignatureException", msg + "Re-examine the query-string parameters.");
  return from_credential(*query_param(request.query, "X-Amz-Credential"));
}

}  // namespace streamlab
