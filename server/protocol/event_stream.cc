#include "server/protocol/event_stream.h"

#include "server/core/crc32.h"
#include "server/protocol/cbor.h"
#include "server/storage/big_endian.h"

namespace streamlab::protocol {
namespace {

void put_u16(std::string& out, uint16_t v) {
  out += char(v >> 8);
  out += char(v & 0xff);
}

class ResponseEventSink final : public EventSink {
 public:
  ResponseEventSink(std::shared_ptr<ResponseStream> stream, const ServiceDef& service, Format format)
      : stream_(std::move(stream)), service_(service), format_(format) {}

  bool send_event(const std::string& event_type, const json& payload) override {
    return stream_->write(encode_event_message(
        {{":message-type", "event"}, {":event-type", event_type}, {":content-type", content_type()}},
        body(payload)));
  }

  void send_error(const AwsError& error) override {
    json payload = {{"message", error.message}};
    stream_->write(encode_event_message(
        {{":message-type", "exception"}, {":exception-type", error.code}, {":content-type", content_type()}},
        body(payload)));
    stream_->finish();
  }

  void end() override { stream_->finish(); }
  bool closed() const override { return stream_->closed(); }
  size_t buffered_bytes() const override { return stream_->buffered_bytes(); }
  void on_close(std::function<void()> callback) override { stream_->on_close(std::move(callback)); }

 private:
  std::string content_type() const {
    if (format_ == Format::cbor) return "application/x-amz-cbor-1.1";
    return service_.json_version == JsonVersion::v1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";
  }
  std::string body(const json& payload) const {
    return format_ == Format::cbor ? cbor_encode(payload, service_.hints)
                                   : payload.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  std::shared_ptr<ResponseStream> stream_;
  const ServiceDef& service_;
  Format format_;
};

}  // namespace

std::string encode_event_message(const EventHeaders& headers, std::string_view payload) {
  std::string h;
  for (auto& [name, value] : headers) {
    h += char(name.size());
    h += name;
    h += char(7);  // string
    put_u16(h, uint16_t(value.size()));
    h += value;
  }
  std::string m;
  uint32_t total = uint32_t(12 + h.size() + payload.size() + 4);
  storage::put_u32(m, total);
  storage::put_u32(m, uint32_t(h.size()));
  storage::put_u32(m, crc32(m));
  m += h;
  m.append(payload);
  storage::put_u32(m, crc32(m));
  return m;
}

std::optional<DecodedEvent> decode_event_message(std::string_view bytes, size_t& consumed) {
  if (bytes.size() < 16) return std::nullopt;
  uint32_t total = storage::get_u32(bytes, 0), hlen = storage::get_u32(bytes, 4);
  if (total < 16 || bytes.size() < total || hlen > total - 16) return std::nullopt;
  if (crc32(bytes.substr(0, 8)) != storage::get_u32(bytes, 8)) return std::nullopt;
  if (crc32(bytes.substr(0, total - 4)) != storage::get_u32(bytes, total - 4)) return std::nullopt;
  DecodedEvent e;
  size_t p = 12, end = 12 + hlen;
  while (p < end) {
    size_t nlen = uint8_t(bytes[p++]);
    if (p + nlen + 3 > end) return std::nullopt;
    std::string name(bytes.substr(p, nlen));
    p += nlen;
    if (bytes[p++] != 7) return std::nullopt;
    size_t vlen = (uint8_t(bytes[p]) << 8) | uint8_t(bytes[p + 1]);
    p += 2;
    if (p + vlen > end) return std::nullopt;
    e.headers.emplace_back(std::move(name), std::string(bytes.substr(p, vlen)));
    p += vlen;
  }
  e.payload = std::string(bytes.substr(end, total - 4 - end));
  consumed = total;
  return e;
}

std::shared_ptr<EventSink> make_event_sink(std::shared_ptr<ResponseStream> stream, const ServiceDef& service,
                                           Format format) {
  return std::make_shared<ResponseEventSink>(std::move(stream), service, format);
}

}  // namespace streamlab::protocol
