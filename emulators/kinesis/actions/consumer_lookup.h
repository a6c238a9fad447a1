#pragma once
// Consumers are addressed by ConsumerARN, or by StreamARN + ConsumerName.
#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

struct ConsumerRef {
  StreamPtr stream;
  std::string name;
};

Result<ConsumerRef> find_consumer(Kinesis& k, const Context& ctx, const json& in);
std::string consumer_status(const Kinesis& k, const Consumer& c, int64_t now_ms);
json consumer_json(const Kinesis& k, const Stream& s, const Consumer& c, int64_t now_ms, bool with_stream_arn);

}  // namespace streamlab::kinesis
