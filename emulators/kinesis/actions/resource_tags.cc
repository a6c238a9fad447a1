#include "emulators/kinesis/actions/resource_tags.h"

namespace streamlab::kinesis {

Result<TaggedResource> resolve_resource(Kinesis& k, const Context& ctx, const std::string& arn) {
  // arn:aws:kinesis:REGION:ACCOUNT:stream/NAME[/consumer/CONSUMER:EPOCH]
  size_t slash = arn.find(":stream/");
  if (slash == std::string::npos) return invalid_argument("Invalid ResourceARN: " + arn);
  std::string rest = arn.substr(slash + 8);
  size_t consumer = rest.find("/consumer/");
  TaggedResource r;
  std::string stream_arn = arn;
  if (consumer != std::string::npos) {
    std::string cname = rest.substr(consumer + 10);
    r.consumer_name = cname.substr(0, cname.rfind(':'));
    stream_arn = arn.substr(0, slash + 8) + rest.substr(0, consumer);
  }
  auto stream = k.resolve(ctx, json{{"StreamARN", stream_arn}});
  if (!stream) return stream.error();
  r.stream = *stream;
  if (!r.consumer_name.empty()) {
    std::shared_lock lock(r.stream->mu);
    Consumer* c = r.stream->consumer(r.consumer_name);
    if (!c || c->arn != arn) return resource_not_found("Consumer " + arn + " not found.");
  }
  return r;
}

std::map<std::string, std::string>* tags_of(TaggedResource& r) {
  if (r.consumer_name.empty()) return &r.stream->tags;
  Consumer* c = r.stream->consumer(r.consumer_name);
  return c ? &c->tags : nullptr;
}

std::string* policy_of(TaggedResource& r) {
  if (r.consumer_name.empty()) return &r.stream->policy;
  Consumer* c = r.stream->consumer(r.consumer_name);
  return c ? &c->policy : nullptr;
}

}  // namespace streamlab::kinesis
