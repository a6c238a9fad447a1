#pragma once
// An HTTP/1.1 request parser that fills a streamlab Request directly: Beast's basic_parser does
// the parsing, and its callbacks write the method, target, fields and body straight into the
// Request, skipping Beast's own field container (which allocates per field and would then be
// copied once more). Include only from server/http/*.cc.
#include <boost/beast/http/basic_parser.hpp>

#include "server/core/request.h"

namespace streamlab::http {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  RequestParser(size_t max_header, size_t max_body);

  Request& request() { return request_; }
  unsigned version() const { return version_; }
  bool is_head() const { return head_; }
  // A client waiting for "100 Continue" before it sends the body (RFC 9110 section 10.1.1).
  bool expects_continue() const { return expect_continue_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target, int version,
                       error_code& ec) override;
  void on_response_impl(int, string_view, int, error_code&) override {}
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(boost::optional<std::uint64_t> const& content_length, error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  Request request_;
  unsigned version_ = 11;
  bool head_ = false;
  bool expect_continue_ = false;
};

}  // namespace streamlab::http
