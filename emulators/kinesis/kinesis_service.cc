// The Kinesis action table: the whole supported surface on one screen.
#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

ServiceDef make_service(Kinesis& k) {
  ServiceDef d;
  d.name = "kinesis";
  d.target_prefix = "Kinesis_20131202";
  d.json_version = JsonVersion::v1_1;
  d.hints.blob_members = {"Data"};
  d.hints.timestamp_members = {"ApproximateArrivalTimestamp", "StreamCreationTimestamp",
                               "ConsumerCreationTimestamp", "Timestamp"};
  d.actions = {
      {"AddTagsToStream", add_tags_to_stream(k)},
      {"CreateStream", create_stream(k)},
      {"DecreaseStreamRetentionPeriod", decrease_stream_retention_period(k)},
      {"DeleteResourcePolicy", delete_resource_policy(k)},
      {"DeleteStream", delete_stream(k)},
      {"DeregisterStreamConsumer", deregister_stream_consumer(k)},
      {"DescribeAccountSettings", describe_account_settings(k)},
      {"DescribeLimits", describe_limits(k)},
      {"DescribeStream", describe_stream(k)},
      {"DescribeStreamConsumer", describe_stream_consumer(k)},
      {"DescribeStreamSummary", describe_stream_summary(k)},
      {"DisableEnhancedMonitoring", disable_enhanced_monitoring(k)},
      {"EnableEnhancedMonitoring", enable_enhanced_monitoring(k)},
      {"GetRecords", get_records(k)},
      {"GetResourcePolicy", get_resource_policy(k)},
      {"GetShardIterator", get_shard_iterator(k)},
      {"IncreaseStreamRetentionPeriod", increase_stream_retention_period(k)},
      {"ListShards", list_shards(k)},
      {"ListStreamConsumers", list_stream_consumers(k)},
      {"ListStreams", list_streams(k)},
      {"ListTagsForResource", list_tags_for_resource(k)},
      {"ListTagsForStream", list_tags_for_stream(k)},
      {"MergeShards", merge_shards(k)},
      {"PutRecord", put_record(k)},
      {"PutRecords", put_records(k)},
      {"PutResourcePolicy", put_resource_policy(k)},
      {"RegisterStreamConsumer", register_stream_consumer(k)},
      {"RemoveTagsFromStream", remove_tags_from_stream(k)},
      {"SplitShard", split_shard(k)},
      {"StartStreamEncryption", start_stream_encryption(k)},
      {"StopStreamEncryption", stop_stream_encryption(k)},
      {"SubscribeToShard", subscribe_to_shard(k)},
      {"TagResource", tag_resource(k)},
      {"UntagResource", untag_resource(k)},
      {"UpdateAccountSettings", update_account_settings(k)},
      {"UpdateMaxRecordSize", update_max_record_size(k)},
      {"UpdateShardCount", update_shard_count(k)},
      {"UpdateStreamMode", update_stream_mode(k)},
      {"UpdateStreamWarmThroughput", update_stream_warm_throughput(k)},
  };
  d.describe_state = [&k] { return k.describe_state(); };
  d.reset = [&k](const std::string& account) { return k.reset(account); };
  return d;
}

}  // namespace streamlab::kinesis
