#pragma once
// The AWS query protocol (awsQuery: SQS from botocore, SNS everywhere): form-encoded requests
// (`Action=…&Version=…&Attribute.1.Name=…`) and XML answers. Written once for every query
// service; what a parameter is called on the wire comes from the action's shapes
// (Shape::xml_name / Shape::flattened, botocore's locationName / flattened):
//   structure member   <Prefix>.<Name>
//   flattened list     <Prefix>.<ElementName or Name>.N            (N from 1)
//   list               <Prefix>.<Name>.<ElementName or "member">.N
//   flattened map      <Prefix>.<Name>.N.<KeyName or "key">, .N.<ValueName or "value">
//   map                <Prefix>.<Name>.entry.N.<KeyName or "key">, …
// The XML answer mirrors the same names (WIRE.md §5.2).
#include <map>
#include <string>
#include <string_view>

#include "server/core/action.h"
#include "server/core/request.h"

namespace streamlab::protocol {

using QueryParams = std::map<std::string, std::string, std::less<>>;

// application/x-www-form-urlencoded, with or without a charset.
bool is_form_content_type(std::string_view content_type);
// Decodes `a=b&c=d` ('+' and %20 are spaces). A repeated name keeps its last value.
QueryParams parse_query_params(std::string_view form);
// The JSON an action expects, built from the parameters its input shape names. Parameters
// the shape does not name (Action, Version, unknown ones) are ignored, as AWS does.
Result<json> decode_query_input(const QueryParams& params, const Shape& input);

// <{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata>…
// The Result element is written when the service declares an output shape for the action.
Response encode_query_output(const ServiceDef& service, std::string_view action, const json& output,
                             const std::string& request_id);
// <ErrorResponse><Error><Type/><Code/><Message/><Detail/></Error><RequestId/></ErrorResponse>;
// the code is AwsError::query_code when set. `service` may be null (no service matched).
Response encode_query_error(const ServiceDef* service, const AwsError& error, const std::string& request_id);

// Escapes text for an XML element or attribute value (& < > " ' and CR, which XML parsers
// would otherwise turn into LF).
std::string xml_escape(std::string_view text);

}  // namespace streamlab::protocol
