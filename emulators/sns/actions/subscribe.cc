#include "emulators/sns/actions/common.h"

#include "emulators/sns/attributes.h"

namespace streamlab::sns {
namespace {

// What an endpoint must look like for its protocol (AWS's wording).
Status check_endpoint(const std::string& protocol, const std::string& endpoint) {
  if (protocol == "http" || protocol == "https") {
    if (endpoint.rfind(protocol + "://", 0) != 0)
      return invalid_parameter("Invalid parameter: Endpoint must match the specified protocol");
  } else if (protocol == "sqs") {
    auto a = parse_arn(endpoint);
    if (!a || a->service != "sqs") return invalid_parameter("Invalid parameter: SQS endpoint ARN");
  } else if (protocol == "lambda") {
    auto a = parse_arn(endpoint);
    if (!a || a->service != "lambda") return invalid_parameter("Invalid parameter: Lambda endpoint ARN");
  } else if (protocol == "firehose") {
    auto a = parse_arn(endpoint);
    if (!a || a->service != "firehose") return invalid_parameter("Invalid parameter: Firehose endpoint ARN");
  } else if (protocol == "email" || protocol == "email-json") {
    if (endpoint.find('@') == std::string::npos) return invalid_parameter("Invalid parameter: Email address");
  } else if (protocol == "sms") {
    bool e164 = endpoint.size() > 1 && endpoint.size() <= 16 && endpoint[0] == '+';
    for (size_t i = 1; e164 && i < endpoint.size(); ++i) e164 = std::isdigit(static_cast<unsigned char>(endpoint[i]));
    if (!e164) return invalid_parameter("Invalid SMS endpoint: " + endpoint);
  } else if (protocol == "application") {
    return not_emulated("Subscribe with protocol application (mobile push)");
  }
  return Ok{};
}

}  // namespace

SnsAction subscribe(Sns& s) {
  Shape input = structure_shape({
      {"TopicArn", string_shape()},
      {"Protocol", string_shape()},
      {"Endpoint", string_shape()},
      {"Attributes", attribute_map_shape()},
      {"ReturnSubscriptionArn", boolean_shape()},
  });
  Shape output = structure_shape({{"SubscriptionArn", string_shape()}});
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto protocol = required(in, "Protocol", "protocol");
             if (!protocol) return protocol.error();
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             if (!known_protocol(*protocol))
               return invalid_parameter("Invalid parameter: Amazon SNS does not support this protocol string: " +
                                        *protocol);
             std::string endpoint = in.value("Endpoint", "");
             if (endpoint.empty()) return invalid_parameter("Invalid parameter: Endpoint");
             if (auto st = check_endpoint(*protocol, endpoint); !st) return st.error();
             auto arn = s.subscribe(ctx, (*topic)->arn, *protocol, endpoint,
                                    string_map(in.value("Attributes", json::object())),
                                    in.value("ReturnSubscriptionArn", false));
             if (!arn) return arn.error();
             return json{{"SubscriptionArn", *arn}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
