#include "server/routing/dispatcher.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "server/core/auth.h"
#include "server/core/encoding.h"
#include "server/protocol/event_stream.h"
#include "server/protocol/json_rpc.h"
#include "server/protocol/query.h"

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

// Plain application/json is the pre-JSON-1.x Coral form: AWS answers 200 with an envelope
// and never runs the operation.
Response coral_envelope(const std::string& body) {
  json parsed = json::parse(body, nullptr, false);
  bool object = !parsed.is_discarded() && parsed.is_object();
  json output = object ? json{{"__type", "com.amazon.coral.service#UnknownOperationException"}, {"message", nullptr}}
                       : json{{"__type", "com.amazon.coral.service#SerializationException"}, {"Message", nullptr}};
  Response r;
  r.set_header("Content-Type", "application/json");
  r.body = json{{"Output", output}, {"Version", "1.0"}}.dump();
  return r;
}

}  // namespace

namespace {
// Shapes are complete once their service is registered: work out what the checks may skip.
void finalize_shapes(ServiceDef* service) {
  for (auto& [name, action] : service->actions) action.input.finalize();
}
}  // namespace

void Dispatcher::add_json_service(ServiceDef* service) {
  finalize_shapes(service);
  services_.push_back(service);
  by_target_[service->target_prefix] = service;
}

void Dispatcher::add_query_service(ServiceDef* service) {
  finalize_shapes(service);
  if (std::find(services_.begin(), services_.end(), service) == services_.end()) services_.push_back(service);
  by_query_version_[service->query_version] = service;
  by_signing_name_[service->signing_name] = service;
}

bool Dispatcher::signed_for_query_service(const Request& request) const {
  auto caller = identify_caller(request);
  return caller && by_signing_name_.count(caller->service);
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
  if (request.method == "GET")
    for (auto& [prefix, route] : get_routes_)
      if (request.path.rfind(prefix, 0) == 0)
        if (auto r = route(request)) return reply(std::move(*r));
  // Query protocol: a form body with Action= (or a GET with it in the query string), no target.
  if (!request.has_header("x-amz-target") &&
      ((request.method == "POST" && protocol::is_form_content_type(request.header("content-type")) &&
        (request.body.find("Action=") != std::string::npos || signed_for_query_service(request))) ||
       (request.method == "GET" && request.query.find("Action=") != std::string::npos))) {
    handle_query(request, request_id, reply);
    return;
  }
  if (request.method != "POST") {
    reply(is_signed(request)
              ? xml_error("AccessDeniedException", "Unable to determine service/operation name to be authorized", 403)
              : xml_error("MissingAuthenticationTokenException", "Missing Authentication Token", 403));
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
    std::string_view content_type = request.header("content-type");
    if (content_type.substr(0, content_type.find(';')) == "application/json")
      return reply(coral_envelope(request.body));
    if (!is_signed(request))
      return reply(xml_error("MissingAuthenticationTokenException", "Missing Authentication Token", 403));
    if (content_type.empty() || target.empty() || operation.empty())
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
    if (action->stream_handler) {
      Result<EventStreamRun> run = action->stream_handler(ctx, *input);
      if (!run) return fail(run.error());
      Response r;
      r.set_header("Content-Type", "application/vnd.amazon.eventstream");
      r.on_stream = [run = std::move(*run), service, fmt = *format](std::shared_ptr<ResponseStream> stream) {
        auto sink = protocol::make_event_sink(std::move(stream), *service, fmt);
        // botocore insists on an initial-response event before any other.
        if (sink->send_event("initial-response", json::object())) run(sink);
      };
      return reply(std::move(r));
    }
    if (action->async_json_text_handler && *format == protocol::Format::json) {
      action->async_json_text_handler(ctx, *input, [reply, service](Result<std::string> out) mutable {
        reply(out ? protocol::encode_json_text(*service, std::move(*out))
                  : protocol::encode_error(*service, protocol::Format::json, out.error()));
      });
      return;
    }
    if (action->async_handler) {
      protocol::Format fmt = *format;
      action->async_handler(ctx, *input, [reply, service, fmt](Result<json> out) mutable {
        reply(out ? protocol::encode_output(*service, fmt, *out) : protocol::encode_error(*service, fmt, out.error()));
      });
      return;
    }
    if (action->json_text_handler && *format == protocol::Format::json) {
      Result<std::string> text = action->json_text_handler(ctx, *input);
      if (!text) return fail(text.error());
      return reply(protocol::encode_json_text(*service, std::move(*text)));
    }
    Result<json> out = action->handler(ctx, *input);
    if (!out) return fail(out.error());
    reply(protocol::encode_output(*service, *format, *out));
  } catch (const std::exception& e) {
    spdlog::error("{}.{} failed: {}", service->name, operation, e.what());
    fail(AwsError::internal(""));
  }
}

void Dispatcher::handle_query(Request& request, const std::string& request_id, Responder& reply) const {
  protocol::QueryParams params = protocol::parse_query_params(request.method == "POST" ? request.body : request.query);
  const ServiceDef* service = nullptr;
  if (auto v = params.find("Version"); v != params.end()) {
    if (auto it = by_query_version_.find(v->second); it != by_query_version_.end()) service = it->second;
  }
  Result<Caller> caller = identify_caller(request);
  if (!service && caller) {
    if (auto it = by_signing_name_.find(caller->service); it != by_signing_name_.end()) service = it->second;
  }
  // Links a service hands out (SNS's SubscribeURL, UnsubscribeURL) arrive unsigned and without Version.
  if (!service && !caller)
    if (auto a = params.find("Action"); a != params.end())
      for (ServiceDef* s : services_)
        if (auto it = s->actions.find(a->second); !s->query_version.empty() && it != s->actions.end() &&
                                                   it->second.anonymous)
          service = s;
  auto fail = [&](const AwsError& e) { reply(protocol::encode_query_error(service, e, request_id)); };
  auto action_param = params.find("Action");
  std::string operation = action_param == params.end() ? std::string() : action_param->second;
  if (operation.empty())
    return fail({"MissingAction", "The request must contain the parameter Action.", 400, true, {}});
  const Action* action = nullptr;
  if (service) {
    if (auto it = service->actions.find(operation); it != service->actions.end()) action = &it->second;
  }
  if (!action || action->stream_handler)
    return fail({"InvalidAction", "The action " + operation + " is not valid for this endpoint.", 400, true, {}});
  if (!caller && !action->anonymous) return fail(caller.error());
  Result<json> input = protocol::decode_query_input(params, action->input);
  if (!input) return fail(input.error());
  if (Status s = action->input.check(*input); !s) return fail(s.error());

  Context ctx;
  ctx.request_id = request_id;
  ctx.account = caller ? caller->account : kDefaultAccount;
  ctx.region = caller ? caller->region : "";  // anonymous calls: the resource's ARN decides
  ctx.host = std::string(request.header("host"));
  if (ctx.host.empty()) ctx.host = std::string(request.header(":authority"));
  ctx.clock = &clock_;
  ctx.request = &request;

  try {
    if (action->async_handler) {
      action->async_handler(ctx, *input, [reply, service, operation, request_id](Result<json> out) mutable {
        reply(out ? protocol::encode_query_output(*service, operation, *out, request_id)
                  : protocol::encode_query_error(service, out.error(), request_id));
      });
      return;
    }
    Result<json> out = action->handler(ctx, *input);
    if (!out) return fail(out.error());
    reply(protocol::encode_query_output(*service, operation, *out, request_id));
  } catch (const std::exception& e) {
    spdlog::error("{}.{} failed: {}", service->name, operation, e.what());
    fail(AwsError::internal(""));
  }
}

}  // namespace streamlab::routing
