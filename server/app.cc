#include "server/app.h"

#include <spdlog/spdlog.h>

#include "emulators/dynamodb/dynamodb.h"
#include "emulators/dynamodb_streams/streams.h"
#include "emulators/kinesis/kinesis.h"
#include "emulators/sns/sns.h"
#include "emulators/sqs/sqs.h"
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
  // Told of every append to the shared log (push delivery: SubscribeToShard, ...).
  std::vector<std::function<void(storage::TopicPartition)>> append_listeners;

  // Services.
  std::unique_ptr<kinesis::Kinesis> kinesis;
  ServiceDef kinesis_service;
  std::unique_ptr<sqs::Sqs> sqs;
  ServiceDef sqs_service;
  std::unique_ptr<sns::Sns> sns;
  ServiceDef sns_service;
  std::unique_ptr<dynamodb::DynamoDB> dynamodb;
  ServiceDef dynamodb_service;
  ServiceDef dynamodb_streams_service;

  Status build_services() {
    kinesis::KinesisOptions ko;
    ko.create_delay_ms = ko.update_delay_ms = ko.delete_delay_ms = options.state_delay_ms;
    ko.throttle = options.throttle;
    kinesis = std::make_unique<kinesis::Kinesis>(*store, *log, clock, ko);
    if (auto s = kinesis->load(); !s) return s;
    kinesis->attach_scheduler(*server);
    append_listeners.push_back([this](storage::TopicPartition tp) { kinesis->subscriptions()->on_append(tp); });
    kinesis_service = kinesis::make_service(*kinesis);
    dispatcher->add_json_service(&kinesis_service);
    maintenance.push_back([this] { kinesis->maintain(); });

    // SQS answers in both protocols: JSON 1.0 (AmazonSQS.*) and query (Version 2012-11-05).
    sqs = std::make_unique<sqs::Sqs>(*store, clock, server.get());
    if (auto s = sqs->load(); !s) return s;
    sqs_service = sqs::make_service(*sqs);
    dispatcher->add_json_service(&sqs_service);
    dispatcher->add_query_service(&sqs_service);
    maintenance.push_back([this] { sqs->maintain(); });

    // SNS delivers to SQS through the SQS model (no network hop) and to webhooks on its own threads.
    sns = std::make_unique<sns::Sns>(*store, clock, sqs.get());
    if (auto s = sns->load(); !s) return s;
    sns->start();
    sns_service = sns::make_service(*sns);
    dispatcher->add_query_service(&sns_service);
    dispatcher->add_get_route("/SimpleNotificationService-",
                              [this](const Request& r) { return sns->serve_certificate(r); });
    maintenance.push_back([this] { sns->maintain(); });

    // DynamoDB and its Streams share one model: each item change and its stream record commit together.
    dynamodb::DynamoOptions dop;
    dop.create_delay_ms = dop.update_delay_ms = dop.delete_delay_ms = options.state_delay_ms;
    dynamodb = std::make_unique<dynamodb::DynamoDB>(*store, *log, clock, dop);
    if (auto s = dynamodb->load(); !s) return s;
    dynamodb->start_background(*server);
    dynamodb_service = dynamodb::make_service(*dynamodb);
    dynamodb_streams_service = dynamodb_streams::make_service(*dynamodb);
    dispatcher->add_json_service(&dynamodb_service);
    dispatcher->add_json_service(&dynamodb_streams_service);
    maintenance.push_back([this] { dynamodb->maintain(); });
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
  m.log->set_append_listener([&m](storage::TopicPartition tp, uint64_t) {
    for (auto& listener : m.append_listeners) listener(tp);
  });
  m.lab = std::make_unique<lab::LabEndpoints>(m.dispatcher->services(), m.clock, m.store.get());
  m.dispatcher->set_lab_handler([lab = m.lab.get()](const Request& r) { return lab->handle(r); });
  auto port = m.server->listen();
  if (!port) return port.error();
  m.server->stop_on_signals();
  m.schedule_maintenance();
  return *port;
}

void App::run() {
  impl_->server->run();
  if (impl_->sns) impl_->sns->stop();
  impl_->store->flush();
  spdlog::info("stopped cleanly");
}

void App::stop() { impl_->server->stop(); }

}  // namespace streamlab
