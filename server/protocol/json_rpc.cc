#include "server/protocol/json_rpc.h"

#include "server/protocol/cbor.h"
#include "server/protocol/json_reader.h"

namespace streamlab::protocol {
namespace {
std::string_view media_type(std::string_view content_type) {
  size_t semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  return t;
}

const char* json_content_type(const ServiceDef& s) {
  return s.json_version == JsonVersion::v1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

std::optional<Format> format_for_content_type(std::string_view content_type) {
  std::string_view t = media_type(content_type);
  if (t == "application/x-amz-json-1.0" || t == "application/x-amz-json-1.1") return Format::json;
  if (t == "application/x-amz-cbor-1.1") return Format::cbor;
  return std::nullopt;
}

Result<json> decode_input(Format format, std::string_view body, const WireHints& hints) {
  if (format == Format::cbor) return cbor_decode(body, hints);
  if (auto quick = quick_parse_json(body)) {
    if (!quick->is_object()) return AwsError::serialization("");
    return std::move(*quick);
  }
  json input = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded() || !input.is_object()) return AwsError::serialization("");
  return input;
}

std::string error_type(const ServiceDef& service, const AwsError& error) {
  return service.json_version == JsonVersion::v1_0 && !service.error_namespace.empty()
             ? service.error_namespace + error.code
             : error.code;
}

Response encode_output(const ServiceDef& service, Format format, const json& output) {
  Response r;
  if (output.is_null()) {
    // Operations without an output shape: AWS answers with an empty body.
    r.set_header("Content-Type", format == Format::cbor ? "application/x-amz-cbor-1.1" : json_content_type(service));
  } else if (format == Format::cbor) {
    r.set_header("Content-Type", "application/x-amz-cbor-1.1");
    r.body = cbor_encode(output, service.hints);
  } else {
    r.set_header("Content-Type", json_content_type(service));
    r.body = dump(output);
  }
  if (service.finalize_response) service.finalize_response(r);
  return r;
}

Response encode_json_text(const ServiceDef& service, std::string body) {
  Response r;
  r.set_header("Content-Type", json_content_type(service));
  r.body = std::move(body);
  if (service.finalize_response) service.finalize_response(r);
  return r;
}

Response encode_error(const ServiceDef& service, Format format, const AwsError& error) {
  json body = {{"__type", error_type(service, error)}};
  // AWS's Java services word a SerializationException's text as "Message".
  if (!error.message.empty()) body[error.code == "SerializationException" ? "Message" : "message"] = error.message;
  if (!error.details_json.empty()) {
    json details = json::parse(error.details_json, nullptr, /*allow_exceptions=*/false);
    if (details.is_object())
      for (auto& [k, v] : details.items()) body[k] = v;
  }
  Response r = encode_output(service, format, body);
  r.status = error.http_status;
  if (!error.query_code.empty())
    r.set_header("x-amzn-query-error", error.query_code + (error.sender_fault ? ";Sender" : ";Receiver"));
  return r;
}

}  // namespace streamlab::protocol
