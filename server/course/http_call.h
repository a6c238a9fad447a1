#pragma once
// What the learner CLI needs of HTTP: one blocking, deadline-bound HTTP/1.1 request to the
// streamlab endpoint (plain http; an https endpoint is real AWS, never a streamlab server),
// signed with SigV4 so the server files progress under the caller's account like any AWS call.
#include <string>
#include <string_view>

#include "server/core/result.h"

namespace streamlab::course {

struct Endpoint {
  std::string url;     // as given, without a trailing slash
  std::string scheme;  // "http" or "https"
  std::string host;
  int port = 0;
};
Result<Endpoint> parse_endpoint(std::string_view url);

struct Credentials {
  std::string access_key, secret_key, region;
};
// As the AWS CLI finds them: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the shared
// credentials file's profile (AWS_PROFILE, else default); else "test"/"test" (what the course
// uses offline). Region: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1.
Credentials find_credentials();

// Whether something accepts TCP connections there (within timeout_ms).
bool reachable(const Endpoint& e, int timeout_ms);

struct HttpReply {
  int status = 0;
  std::string body;
};
// An unsigned request when creds is null.
Result<HttpReply> http_call(const Endpoint& e, std::string_view method, std::string_view path, std::string_view body,
                            const Credentials* creds, int timeout_ms);

// The Authorization header value SigV4 gives this request (exposed for tests).
std::string sigv4_authorization(const Credentials& c, std::string_view method, std::string_view path,
                                std::string_view host_header, std::string_view amz_date, std::string_view body);

}  // namespace streamlab::course
