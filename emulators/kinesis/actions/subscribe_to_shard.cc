#include "emulators/kinesis/actions/consumer_lookup.h"

#include "emulators/kinesis/sequence_number.h"

namespace streamlab::kinesis {

Action subscribe_to_shard(Kinesis& k) {
  Shape position = structure_shape({
      {"Type", string_shape()
                   .one_of({"AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"})
                   .required()},
      {"SequenceNumber", sequence_number_shape()},
      {"Timestamp", timestamp_shape()},
  });
  Shape input = structure_shape({
      {"ConsumerARN", consumer_arn_shape().required()},
      {"StreamId", stream_id_shape()},
      {"ShardId", shard_id_shape().required()},
      {"StartingPosition", position.required()},
  });
  Action a;
  a.input = input;
  a.stream_handler = [&k](const Context& ctx, json& in) -> Result<EventStreamRun> {
    if (!k.subscriptions()) return AwsError::internal("SubscribeToShard is not available");
    auto ref = find_consumer(k, ctx, in);
    if (!ref) return ref.error();
    Stream& s = *ref->stream;
    std::shared_lock lock(s.mu);
    const Consumer* c = s.consumer(ref->name);
    if (!c) return resource_not_found("Consumer " + in["ConsumerARN"].get<std::string>() + " not found.");
    if (consumer_status(k, *c, ctx.now_ms()) != "ACTIVE")
      return resource_in_use("Consumer " + c->name + " with creation timestamp " + std::to_string(c->created_ms / 1000) +
                             " under stream: " + s.name + " , account " + s.account + " is not in ACTIVE status.");
    std::string shard_id = in["ShardId"];
    auto index = Stream::parse_shard_id(shard_id);
    const Shard* shard = index ? s.shard(*index) : nullptr;
    if (!shard)
      return resource_not_found("Shard " + shard_id + " in stream " + s.name + " under account " + s.account +
                                " does not exist");
    storage::TopicPartition tp{s.id, shard->index};
    uint64_t end = shard->open() ? k.log().head(tp) : shard->end_offset;
    const json& pos = in["StartingPosition"];
    std::string type = pos["Type"];
    uint64_t offset = 0;
    if (type == "AT_SEQUENCE_NUMBER" || type == "AFTER_SEQUENCE_NUMBER") {
      if (!pos.contains("SequenceNumber"))
        return invalid_argument("StartingPosition.SequenceNumber must be specified for type " + type + ".");
      std::string seq = pos["SequenceNumber"];
      auto parts = parse_sequence_number(seq);
      if (!parts || parts->shard_index != shard->index)
        return invalid_argument("StartingSequenceNumber " + seq + " used in SubscribeToShard on shard " + shard->id() +
                                " in stream " + s.name + " under account " + s.account + " is invalid.");
      offset = k.offset_for_sequence(tp, *parts, seq, type == "AFTER_SEQUENCE_NUMBER", end);
    } else if (type == "TRIM_HORIZON") {
      offset = k.log().first_live(tp);
    } else if (type == "LATEST") {
      offset = end;
    } else {
      if (!pos.contains("Timestamp"))
        return invalid_argument("StartingPosition.Timestamp must be specified for type AT_TIMESTAMP.");
      offset = std::min(k.log().offset_at_time(tp, int64_t(pos["Timestamp"].get<double>() * 1000)), end);
    }
    SubscriptionStart start{c->arn, s.id, shard->index, offset};
    if (auto free = k.subscriptions()->check_free(start); !free) return free.error();
    return EventStreamRun([&k, start](std::shared_ptr<EventSink> sink) { k.subscriptions()->run(start, sink); });
  };
  return a;
}

}  // namespace streamlab::kinesis
