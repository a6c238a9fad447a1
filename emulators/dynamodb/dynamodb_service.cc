// The DynamoDB action table: the whole supported surface on one screen.
#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/wire.h"

namespace streamlab::dynamodb {

ServiceDef make_service(DynamoDB& d) {
  ServiceDef s = dynamodb_wire_service("dynamodb", "DynamoDB_20120810");
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
  s.describe_state = [&d] { return d.describe_state(); };
  s.reset = [&d](const std::string& account) { return d.reset(account); };
  return s;
}

}  // namespace streamlab::dynamodb
