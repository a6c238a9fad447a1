#pragma once
// HTTP/1.1 connections (keep-alive, limits, timeouts, streamed responses). A connection whose
// first bytes are the HTTP/2 preface is handed to serve_h2. Include only from server/http/*.cc.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

#include "server/http/connection.h"
#include "server/http/worker.h"

namespace streamlab::http {

using WorkerSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

// Serves `socket` on `worker` (the socket's executor must be the worker's io_context). The
// connection is already counted in shared->connections; it uncounts itself when it ends.
void serve_http1(WorkerSocket&& socket, Worker& worker, std::shared_ptr<Shared> shared);

}  // namespace streamlab::http
