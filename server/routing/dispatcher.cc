#include "server/routing/dispatcher.h"

#include <spdlog/spdlog.h>

#include "server/core/auth.h"
#include "server/core/encoding.h"
#include "server/protocol/json_rpc.h"

namespace streamlab::routing {
namespace {

// Errors raised before any service is known are written in the Kinesis style (JSON 1.1
// short __type), which is also what botocore and the JS SDK parse for every JSON service.
const ServiceDef& generic_service() {
  static ServiceDef def = [] {
    ServiceDef d;
    d.name = "generic";
    d.json_version = JsonVersion::v1_1;
    return d;
  }();
  return def;
}

Response xml_error(const std::string& type, const std::string& message, int status) {
  Response r;
  r.status = status;
  r.body = message.empty() ? "<" + type + "/>\n"
                           : "<" + type + ">\n  <Message>" + message + "</Message>\n</" + type + ">\n";
  return r;
}

}  // namespace

void Dispatcher::add_json_service(ServiceDef* service) {
  services_.push_back(service);
  by_target_[service->target_prefix] = service;
}

void Dispatcher::handle(Request request, Responder respond) const {
  std::string request_id = uuid_v4();
  Responder reply = [respond = std::move(respond), request_id](Response r) mutable {
    r.set_header("x-amzn-RequestId", request_id);
    respond(std::move(r));
  };
  if (request.path.rfind("/_streamlab/", 0) == 0 && lab_) {
    reply(lab_(request));
    return;
  }
  if (request.method != "POST") {
    reply(xml_error("AccessDeniedException", "Unable to determine service/operation name to be authorized", 403));
    return;
  }
  handle_json_rpc(request, request_id, reply);
}

void Dispatcher::handle_json_rpc(Request& request, const std::string& request_id, Responder& reply) const {
  std::string_view target = request.header("x-amz-target");
  size_t dot = target.find('.');
  std::string_view prefix = target.substr(0, dot);
  std::string_view operation = dot == std::string_view::npos ? std::string_view() : target.substr(dot + 1);
  auto svc_it = by_target_.find(prefix);
  const ServiceDef* service = svc_it == by_target_.end() ? nullptr : svc_it->second;
  const Action* action = nullptr;
  if (service && !operation.empty()) {
    auto it = service->actions.find(operation);
    if (it != service->actions.end()) action = &it->second;
  }
  const ServiceDef& codec_service = service ? *service : generic_service();
  auto format = protocol::format_for_content_type(request.header("content-type"));

  if (!format) {
    if (target.empty() || operation.empty())
      return reply(xml_error("AccessDeniedException", "Unable to determine service/operation name to be authorized", 403));
    return reply(xml_error("UnknownOperationException", "", 404));
  }
  auto fail = [&](const AwsError& e) { reply(protocol::encode_error(codec_service, *format, e)); };
  if (request.body.empty()) {
    return fail(action ? AwsError::serialization("") : AwsError{"UnknownOperationException", "", 400, true, {}});
  }
  Result<json> input = protocol::decode_input(*format, request.body, codec_service.hints);
  if (!input) return fail(input.error());
  if (!action) return fail(AwsError{"UnknownOperationException", "", 400, true, {}});

  Result<Caller> caller = identify_caller(request);
  if (!caller) return fail(caller.error());

  if (Status s = action->input.check(*input); !s) return fail(s.error());

  Context ctx;
  ctx.request_id = request_id;
  ctx.account = caller->account;
  ctx.region = caller->region;
  ctx.host = std::string(request.header("host"));
  if (ctx.host.empty()) ctx.host = std::string(request.header(":authority"));
  ctx.clock = &clock_;
  ctx.request = &request;

  try {
    if (action->async_handler) {
      protocol::Format fmt = *format;
      action->async_handler(ctx, *input, [reply, service, fmt](Result<json> out) mutable {
        reply(out ? protocol::encode_output(*service, fmt, *out) : protocol::encode_error(*service, fmt, out.error()));
      });
      return;
    }
    Result<json> out = action->handler(ctx, *input);
    if (!out) return fail(out.error());
    reply(protocol::encode_output(*service, *format, *out));
  } catch (const std::exception& e) {
    spdlog::error("{}.{} failed: {}", service->name, operation, e.what());
    fail(AwsError::internal(""));
  }
}

}  // namespace streamlab::routing
