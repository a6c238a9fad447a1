#pragma once
// Cleartext HTTP/2 with prior knowledge (h2c) on nghttp2. The HTTP/1.1 session sniffs the
// connection preface and hands the socket over; requests reach the same RequestHandler.
// Only Asio's forward declarations here, so including this costs nothing.
#include <boost/asio/ts/netfwd.hpp>

#include <memory>
#include <string>

#include "server/http/connection.h"

namespace boost::asio::ip {
class tcp;
}

namespace streamlab::http {

using TcpSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp>;

// The exact bytes every h2c client sends first (RFC 9113 §3.4).
inline constexpr std::string_view kH2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// Serves HTTP/2 on `socket`, whose executor must run its handlers one at a time (a worker's
// io_context); `received` holds the bytes already read from it, starting with the preface.
// The session counts itself in shared->connections from here on and decrements it when it
// closes.
void serve_h2(TcpSocket&& socket, std::string received, std::shared_ptr<Shared> shared);

}  // namespace streamlab::http
