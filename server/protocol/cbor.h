#pragma once
// CBOR (RFC 8949) codec for AWS's legacy CBOR protocol, `Content-Type: application/x-amz-cbor-1.1`,
// which the AWS SDK for Java (v1 and v2) uses for Kinesis by default.
//
// What AWS does with timestamps (not what RFC 8949 says):
// - The SDK writes a timestamp as tag 1 followed by an INTEGER of epoch MILLISECONDS
//   (aws-sdk-java-v2 SdkCborGenerator.writeValue(Instant): writeTag(1); writeNumber(instant.toEpochMilli());
//   SDK v1's SdkCborGenerator does the same with Date.getTime()). RFC 8949 §3.4.2 says tag 1 holds seconds;
//   AWS deliberately breaks that (aws/aws-sdk-java-v2#4661, still open; LocalStack PRs #11071, #11133).
// - AwsCborProtocolFactory.getDefaultTimestampFormats(): PAYLOAD -> UNIX_TIMESTAMP_MILLIS.
// - The SDK reads responses through Jackson's CBOR parser, which skips tags, then parses the number's text
// with
//   Long.parseLong (DateUtils.parseUnixTimestampMillisInstant). So a response timestamp MUST be an integer of
//   millis; tagged or untagged both work for the SDK, a float (e.g. "1.722052630682E12") fails with
//   "Unable to parse date" (localstack#3134, localstack#11271). Real Kinesis answers tag 1 + integer millis.
// - Blobs: the SDK writes byte strings and reads a byte string as raw bytes (falling back to base64 text).
// So: the encoder writes timestamps as tag 1 + integer epoch millis; the decoder reads the content of tag 1
// (integer or float) as epoch millis, and, when given hints, an untagged number in a timestamp member too.
// Either way the actions see epoch seconds (millis / 1000, fractional when needed), as with the JSON
// protocol.
#include <string>
#include <string_view>

#include "server/core/action.h"
#include "server/core/result.h"

namespace streamlab::protocol {

// Decodes one CBOR data item, which must be a map, into the JSON the actions see: byte strings become base64
// text, tag 1 content (epoch millis) becomes epoch seconds, other tags are dropped, undefined becomes null.
// Malformed input (truncated, trailing bytes, bad UTF-8, nesting deeper than 64, non-text map keys, NaN/Inf,
// lengths beyond the input, a top level that is not a map) gives AwsError::serialization, never a throw.
Result<json> cbor_decode(std::string_view bytes);
// The same, and a member named in hints.timestamp_members holding an untagged number (or an array of them) is
// read as epoch millis too, as the SDK's own unmarshaller does.
Result<json> cbor_decode(std::string_view bytes, const WireHints& hints);

// Encodes JSON as CBOR with definite lengths and shortest integer heads; doubles as float64. A member named
// in hints.blob_members holding base64 text (or an array of such) is written as a byte string, at any depth;
// a member in hints.timestamp_members holding a number of epoch seconds (or an array of them) is written as
// tag 1 + integer epoch millis, as AWS does.
std::string cbor_encode(const json& value, const WireHints& hints);

}  // namespace streamlab::protocol
