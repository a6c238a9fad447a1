#include "server/app.h"

#include <spdlog/spdlog.h>

#include "emulators/kinesis/kinesis.h"
#include "server/lab/lab_endpoints.h"
#include "server/routing/dispatcher.h"
#include "server/storage/partitioned_log.h"

namespace streamlab {

struct App::Impl {
  AppOptions options;
  SystemClock clock;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<storage::PartitionedLog> log;
  std::unique_ptr<routing::Dispatcher> dispatcher;
  std::unique_ptr<lab::LabEndpoints> lab;
  std::unique_ptr<http::HttpServer> server;
  std::vector<std::function<void()>> maintenance;  // run every 30 s

  // Services.
  std::unique_ptr<kinesis::Kinesis> kinesis;
  ServiceDef kinesis_service;

  Status build_services() {
    kinesis::KinesisOptions ko;
    ko.create_delay_ms = ko.update_delay_ms = ko.delete_delay_ms = options.state_delay_ms;
    ko.throttle = options.throttle;
    kinesis = std::make_unique<kinesis::Kinesis>(*store, *log, clock, ko);
    if (auto s = kinesis->load(); !s) return s;
    kinesis_service = kinesis::make_service(*kinesis);
    dispatcher->add_json_service(&kinesis_service);
    maintenance.push_back([this] { kinesis->maintain(); });
    return Ok{};
  }

  void schedule_maintenance() {
    server->after(30000, [this] {
      for (auto& task : maintenance) task();
      schedule_maintenance();
    });
  }
};

App::App(AppOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = std::move(options); }
App::~App() = default;

Result<uint16_t> App::start() {
  auto& m = *impl_;
  auto store = storage::Store::open(m.options.store);
  if (!store) return store.error();
  m.store = std::move(*store);
  m.log = std::make_unique<storage::PartitionedLog>(*m.store, m.clock);
  m.dispatcher = std::make_unique<routing::Dispatcher>(m.clock);
  m.server = std::make_unique<http::HttpServer>(
      m.options.http, [d = m.dispatcher.get()](Request req, Responder respond) { d->handle(std::move(req), std::move(respond)); });
  if (auto s = m.build_services(); !s) return s.error();
  m.lab = std::make_unique<lab::LabEndpoints>(m.dispatcher->services(), m.clock);
  m.dispatcher->set_lab_handler([lab = m.lab.get()](const Request& r) { return lab->handle(r); });
  auto port = m.server->listen();
  if (!port) return port.error();
  m.server->stop_on_signals();
  m.schedule_maintenance();
  return *port;
}

void App::run() {
  impl_->server->run();
  impl_->store->flush();
  spdlog::info("stopped cleanly");
}

void App::stop() { impl_->server->stop(); }

}  // namespace streamlab
