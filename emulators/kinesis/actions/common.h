#pragma once
// Operations without an output shape return json() (null): an empty body, as AWS sends.
// Pieces shared by the Kinesis actions: member shapes from the service model, error
// constructors, and the JSON forms of shards and streams.
#include <string>

#include "emulators/kinesis/kinesis.h"
#include "server/core/action.h"

namespace streamlab::kinesis {

Shape stream_name_shape();
Shape stream_arn_shape();
Shape stream_id_shape();
Shape shard_id_shape();
Shape consumer_name_shape();
Shape consumer_arn_shape();
Shape resource_arn_shape();
Shape tag_map_shape();
Shape tag_key_list_shape();
Shape next_token_shape();
Shape sequence_number_shape();
Shape hash_key_shape();
Shape stream_mode_details_shape();

AwsError invalid_argument(std::string message);
AwsError resource_in_use(std::string message);
AwsError resource_not_found(std::string message);
AwsError limit_exceeded(std::string message);

double epoch_seconds(int64_t ms);
// A record as GetRecords and SubscribeToShard return it.
json record_json(const Stream& stream, uint32_t shard_index, const storage::LogRecord& record);
// The children of a closed shard, for the ChildShards member.
json child_shards_json(const Stream& stream, const Shard& parent);
json shard_json(const Stream& stream, const Shard& shard);
json stream_mode_json(const Stream& stream);
// (account, stream name) as the input names them, by StreamARN or StreamName.
std::pair<std::string, std::string> stream_named_in(const Context& ctx, const json& in);
// Metadata changes need ACTIVE: "... not ACTIVE, instead in state UPDATING".
Status require_active(const Stream& stream, int64_t now_ms);
// Data-plane calls need ACTIVE or UPDATING: "... not ACTIVE or UPDATING, instead in state CREATING".
Status require_writable(const Stream& stream, int64_t now_ms);
// Resolve and require an ACTIVE stream, for metadata updates.
Result<StreamPtr> active_stream(Kinesis& k, const Context& ctx, const json& in);
// SplitShard/MergeShards: the shard exists and is open, and the stream is PROVISIONED.
Status check_reshardable(const Stream& stream, const std::string& shard_id);
AwsError on_demand_reshard(const Stream& stream);
// Tag checks shared by AddTagsToStream, TagResource, CreateStream, RegisterStreamConsumer.
Status check_tags(const Stream& stream, const std::map<std::string, std::string>& add);
// Tag keys and values may hold Unicode letters, digits, white space and _ . / = + - % @.
Status check_tag_characters(const std::vector<std::string>& texts);

// Action factories, one per operation file.
Action add_tags_to_stream(Kinesis& k);
Action create_stream(Kinesis& k);
Action decrease_stream_retention_period(Kinesis& k);
Action delete_resource_policy(Kinesis& k);
Action delete_stream(Kinesis& k);
Action deregister_stream_consumer(Kinesis& k);
Action describe_account_settings(Kinesis& k);
Action describe_limits(Kinesis& k);
Action describe_stream(Kinesis& k);
Action describe_stream_consumer(Kinesis& k);
Action describe_stream_summary(Kinesis& k);
Action disable_enhanced_monitoring(Kinesis& k);
Action enable_enhanced_monitoring(Kinesis& k);
Action get_records(Kinesis& k);
Action get_resource_policy(Kinesis& k);
Action get_shard_iterator(Kinesis& k);
Action increase_stream_retention_period(Kinesis& k);
Action list_shards(Kinesis& k);
Action list_stream_consumers(Kinesis& k);
Action list_streams(Kinesis& k);
Action list_tags_for_resource(Kinesis& k);
Action list_tags_for_stream(Kinesis& k);
Action merge_shards(Kinesis& k);
Action put_record(Kinesis& k);
Action put_records(Kinesis& k);
Action put_resource_policy(Kinesis& k);
Action register_stream_consumer(Kinesis& k);
Action remove_tags_from_stream(Kinesis& k);
Action split_shard(Kinesis& k);
Action start_stream_encryption(Kinesis& k);
Action stop_stream_encryption(Kinesis& k);
Action subscribe_to_shard(Kinesis& k);
Action tag_resource(Kinesis& k);
Action untag_resource(Kinesis& k);
Action update_max_record_size(Kinesis& k);
Action update_shard_count(Kinesis& k);
Action update_stream_mode(Kinesis& k);
Action update_stream_warm_throughput(Kinesis& k);
Action update_account_settings(Kinesis& k);

}  // namespace streamlab::kinesis
