#include "server/http/request_parser.h"

#include <boost/beast/core/string.hpp>

#include "server/core/encoding.h"

namespace streamlab::http {

RequestParser::RequestParser(size_t max_header, size_t max_body) {
  header_limit(uint32_t(max_header));
  body_limit(max_body);
  eager(false);  // the first put() stops after the header, so its size is known (then eager)
  request_.headers.reserve(16);
}

void RequestParser::on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target,
                                    int version, error_code&) {
  request_.method.assign(method_str.data(), method_str.size());
  request_.target.assign(target.data(), target.size());
  std::string_view t(request_.target);
  size_t q = t.find('?');
  request_.path = url_decode(t.substr(0, q), false);
  if (q != std::string_view::npos) request_.query.assign(t.substr(q + 1));
  version_ = unsigned(version);
  head_ = method == boost::beast::http::verb::head;
}

void RequestParser::on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                                  error_code&) {
  // Expect is the transport's business: it is answered here and not shown to handlers.
  if (name == boost::beast::http::field::expect) {
    expect_continue_ = boost::beast::iequals(value, "100-continue");
    return;
  }
  auto& h = request_.headers.emplace_back();
  h.first.resize(name_string.size());
  for (size_t i = 0; i < name_string.size(); ++i) {
    char c = name_string[i];
    h.first[i] = c >= 'A' && c <= 'Z' ? char(c + 32) : c;
  }
  h.second.assign(value.data(), value.size());
}

void RequestParser::on_header_impl(error_code&) {}

void RequestParser::on_body_init_impl(boost::optional<std::uint64_t> const& content_length, error_code&) {
  if (content_length) request_.body.reserve(size_t(*content_length));  // bounded by body_limit already
}

std::size_t RequestParser::on_body_impl(string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view, error_code&) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code&) {
  request_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code&) {}

}  // namespace streamlab::http
