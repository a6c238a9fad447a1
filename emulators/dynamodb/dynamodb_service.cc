// The DynamoDB action table: the whole supported surface on one screen.
#include "emulators/dynamodb/actions/common.h"
#include "server/core/crc32.h"

namespace streamlab::dynamodb {

ServiceDef make_service(DynamoDB& d) {
  ServiceDef s;
  s.name = "dynamodb";
  s.target_prefix = "DynamoDB_20120810";
  s.json_version = JsonVersion::v1_0;
  s.error_namespace = "com.amazonaws.dynamodb.v20120810#";
  s.actions = {
      {"BatchGetItem", batch_get_item(d)},
      {"BatchWriteItem", batch_write_item(d)},
      {"CreateTable", create_table(d)},
      {"DeleteItem", delete_item(d)},
      {"DeleteTable", delete_table(d)},
      {"DescribeEndpoints", describe_endpoints(d)},
      {"DescribeLimits", describe_limits(d)},
      {"DescribeTable", describe_table(d)},
      {"DescribeTimeToLive", describe_time_to_live(d)},
      {"GetItem", get_item(d)},
      {"ListTables", list_tables(d)},
      {"ListTagsOfResource", list_tags_of_resource(d)},
      {"PutItem", put_item(d)},
      {"Query", query(d)},
      {"Scan", scan(d)},
      {"TagResource", tag_resource(d)},
      {"TransactGetItems", transact_get_items(d)},
      {"TransactWriteItems", transact_write_items(d)},
      {"UntagResource", untag_resource(d)},
      {"UpdateItem", update_item(d)},
      {"UpdateTable", update_table(d)},
      {"UpdateTimeToLive", update_time_to_live(d)},
  };
  // boto3 checks this CRC-32 of the exact body bytes on every DynamoDB response.
  s.finalize_response = [](Response& r) { r.set_header("x-amz-crc32", std::to_string(crc32(r.body))); };
  s.describe_state = [&d] { return d.describe_state(); };
  s.reset = [&d](const std::string& account) { return d.reset(account); };
  return s;
}

}  // namespace streamlab::dynamodb
