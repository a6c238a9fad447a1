#pragma once
// The JSON-RPC family of AWS protocols: awsJson1_0, awsJson1_1 and their CBOR variant
// (application/x-amz-cbor-1.1, used by the Java SDK for Kinesis). Decoding gives actions
// plain JSON; encoding turns JSON output or an AwsError into the wire form.
#include <optional>
#include <string_view>

#include "server/core/action.h"
#include "server/core/request.h"

namespace streamlab::protocol {

enum class Format { json, cbor };

// JSON for application/x-amz-json-1.x, CBOR for application/x-amz-cbor-1.1; nullopt otherwise.
std::optional<Format> format_for_content_type(std::string_view content_type);

Result<json> decode_input(Format format, std::string_view body, const WireHints& hints);
Response encode_output(const ServiceDef& service, Format format, const json& output);
// A body the action already wrote as JSON text.
Response encode_json_text(const ServiceDef& service, std::string body);
Response encode_error(const ServiceDef& service, Format format, const AwsError& error);
// The __type value of an error as this service writes it.
std::string error_type(const ServiceDef& service, const AwsError& error);

}  // namespace streamlab::protocol
