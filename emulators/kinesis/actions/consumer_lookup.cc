#include "emulators/kinesis/actions/consumer_lookup.h"

namespace streamlab::kinesis {

Result<ConsumerRef> find_consumer(Kinesis& k, const Context& ctx, const json& in) {
  std::string stream_arn, name, consumer_arn;
  if (in.contains("ConsumerARN")) {
    consumer_arn = in["ConsumerARN"];
    size_t at = consumer_arn.find("/consumer/");
    std::string tail = consumer_arn.substr(at + 10);
    stream_arn = consumer_arn.substr(0, at);
    name = tail.substr(0, tail.rfind(':'));
  } else if (in.contains("StreamARN") && in.contains("ConsumerName")) {
    stream_arn = in["StreamARN"];
    name = in["ConsumerName"];
  } else {
    return invalid_argument("Either ConsumerARN or both ConsumerName and StreamARN must be provided.");
  }
  auto stream = k.resolve(ctx, json{{"StreamARN", stream_arn}});
  auto missing = [&] {
    return resource_not_found("Consumer " + (consumer_arn.empty() ? name : consumer_arn) + " under stream " +
                              stream_arn.substr(stream_arn.find(":stream/") + 8) + " under account " +
                              (stream ? (*stream)->account : ctx.account) + " not found.");
  };
  if (!stream) return missing();
  std::shared_lock lock((*stream)->mu);
  Consumer* c = (*stream)->consumer(name);
  if (!c || (!consumer_arn.empty() && c->arn != consumer_arn)) return missing();
  return ConsumerRef{*stream, name};
}

std::string consumer_status(const Kinesis& k, const Consumer& c, int64_t now_ms) {
  return now_ms < c.created_ms + k.options().create_delay_ms ? "CREATING" : "ACTIVE";
}

json consumer_json(const Kinesis& k, const Stream& s, const Consumer& c, int64_t now_ms, bool with_stream_arn) {
  json j = {{"ConsumerName", c.name},
            {"ConsumerARN", c.arn},
            {"ConsumerStatus", consumer_status(k, c, now_ms)},
            {"ConsumerCreationTimestamp", epoch_seconds(c.created_ms)}};
  if (with_stream_arn) j["StreamARN"] = s.arn();
  return j;
}

}  // namespace streamlab::kinesis
