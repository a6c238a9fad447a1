#pragma once
// SigV4 as far as routing needs it: who is calling and where. The signature itself is not
// checked (yet); its presence is, as AWS requires.
#include <string>

#include "server/core/request.h"
#include "server/core/result.h"

namespace streamlab {

struct Caller {
  std::string access_key;
  std::string account;  // the access key when it is 12 digits, else 000000000000
  std::string region;   // from the credential scope
  std::string service;  // signing name from the credential scope
};

inline constexpr const char* kDefaultAccount = "000000000000";
inline constexpr const char* kDefaultRegion = "us-east-1";

// Reads the Authorization header or the presigned query (X-Amz-Credential...). Errors are
// MissingAuthenticationTokenException / IncompleteSignatureException / InvalidSignatureException.
Result<Caller> identify_caller(const Request& request);
// Whether the request carries any signature at all (header or presigned query).
bool is_signed(const Request& request);

}  // namespace streamlab
