#pragma once
// Routing: which service and operation a request is for, and which protocol carries it
// (see shared/wire/WIRE.md "Routing on one port"). The dispatcher decodes the input,
// identifies the caller, checks the input shape, runs the action and encodes its answer.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/core/action.h"
#include "server/core/clock.h"
#include "server/core/request.h"

namespace streamlab::routing {

class Dispatcher {
 public:
  explicit Dispatcher(const Clock& clock) : clock_(clock) {}

  // Services addressed by X-Amz-Target (JSON 1.0/1.1, CBOR).
  void add_json_service(ServiceDef* service);
  // Services addressed by form bodies with Action= (query protocol), chosen by the Version
  // parameter or else the SigV4 signing name. A service may be added both ways (SQS).
  void add_query_service(ServiceDef* service);
  // Handler for paths under /_streamlab/ (the lab's own endpoints).
  void set_lab_handler(std::function<Response(const Request&)> handler) { lab_ = std::move(handler); }
  // GET paths a service serves itself (SNS's SigningCertURL); the handler declines with nullopt.
  void add_get_route(std::string path_prefix, std::function<std::optional<Response>(const Request&)> handler) {
    get_routes_.emplace_back(std::move(path_prefix), std::move(handler));
  }
  const std::vector<ServiceDef*>& services() const { return services_; }

  void handle(Request request, Responder respond) const;

 private:
  // A form body without Action= still belongs to SQS/SNS when signed for them.
  bool signed_for_query_service(const Request& request) const;
  void handle_json_rpc(Request& request, const std::string& request_id, Responder& respond) const;
  void handle_query(Request& request, const std::string& request_id, Responder& respond) const;

  const Clock& clock_;
  std::vector<ServiceDef*> services_;
  std::map<std::string, ServiceDef*, std::less<>> by_target_;
  std::map<std::string, ServiceDef*, std::less<>> by_query_version_;
  std::map<std::string, ServiceDef*, std::less<>> by_signing_name_;
  std::function<Response(const Request&)> lab_;
  std::vector<std::pair<std::string, std::function<std::optional<Response>(const Request&)>>> get_routes_;
};

}  // namespace streamlab::routing
