#pragma once
// Pieces shared by the DynamoDB actions: member shapes from the service model, AWS's error
// constructors, key and item checks against a table's schema, expression parameters and
// consumed capacity.
#include <initializer_list>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/dynamodb/dynamodb.h"
#include "emulators/dynamodb/expression.h"
#include "server/core/action.h"

namespace streamlab::dynamodb {

Shape table_name_shape();  // TableName (a name or a table ARN)
Shape index_name_shape();
Shape attribute_value_shape();
Shape attribute_map_shape();  // Item, Key, ExclusiveStartKey
Shape expression_names_shape();
Shape return_consumed_capacity_shape();
Shape return_item_collection_metrics_shape();
Shape return_values_shape();
Shape return_values_on_failure_shape();
Shape key_schema_shape();
Shape attribute_definitions_shape();
Shape projection_shape();
Shape provisioned_throughput_shape();
Shape stream_specification_shape();
Shape tags_shape();
Shape resource_arn_shape();

AwsError validation(std::string message);
AwsError resource_in_use(std::string message);
AwsError limit_exceeded(std::string message);
AwsError conditional_failed(const std::optional<Item>& item);  // Item when ReturnValuesOnConditionCheckFailure=ALL_OLD

// "1 validation error detected: Value 'a;' at 'tableName' failed to satisfy constraint: …" for
// names (ARNs pass through).
Status check_table_name(const std::string& name, const std::string& member = "tableName", bool allow_arn = true);
// Finds the table of an item operation ("Requested resource not found" unless ACTIVE/UPDATING).
Result<TablePtr> item_table(DynamoDB& ddb, const Context& ctx, const json& in);

// Shared locks on the tables of a multi-table request, each taken once, held to the end.
class TableLocks {
 public:
  void add(const TablePtr& table) {
    if (held_.insert(table.get()).second) locks_.emplace_back(table->mu);
  }

 private:
  std::set<const Table*> held_;
  std::vector<std::shared_lock<std::shared_mutex>> locks_;
};

// Parses an attribute map (Key, Item) with AWS's AttributeValue errors.
Result<Item> parse_attributes(const json& in, const char* member);
// A Key against the schema: "The provided key element does not match the schema", empty keys, sizes.
Status check_key(const Table& table, const Item& key);
// An item to write: missing keys, key types, key sizes, index key types, item size.
Status check_item(const Table& table, const Item& item, bool update = false);
Item key_of(const Table& table, const Item& item);

// ExpressionAttributeNames/Values with their checks ("ExpressionAttributeNames must not be empty", …).
// `used_expressions` lists the expression members present; when none is, AWS refuses the maps.
Result<ExpressionContext> expression_context(const json& in, std::initializer_list<const char*> expressions,
                                             std::string_view values_without_expressions_message);

// A string member's value, or `fallback` when absent (the shape check has made it a string):
// json::value() would copy both.
std::string_view string_member(const json& in, const char* name, std::string_view fallback);

// What PutItem, UpdateItem, DeleteItem and transaction members share, parsed and checked in
// AWS's order (legacy parameters already rewritten, see legacy.h): table name, Item or Key, expression attributes,
// UpdateExpression (with_update), ConditionExpression, then unused names and values.
struct WriteRequest {
  Item attributes;  // the Item (PutItem, Put) or the Key
  ExpressionContext expressions;
  std::optional<UpdateExpression> update;
  std::optional<Condition> condition;
};
Result<WriteRequest> parse_write_request(const json& in, const char* attributes_member, bool with_update,
                                         std::string_view values_without_expressions_message);
// One item's conditional write under its lock: the ConditionExpression against the old item,
// then `change`. The caller holds the table's lock; the result carries old_item and decision.
Result<ItemWrite> write_one(DynamoDB& ddb, const TablePtr& table, Item key, const WriteRequest& request,
                            bool old_on_failure, Decide change);

// Consumed capacity as AWS reports it for ReturnConsumedCapacity TOTAL or INDEXES.
json consumed_capacity(const Table& table, double units, const json& in, bool read);
double write_units(const std::optional<Item>& a, const std::optional<Item>& b);
double read_units(size_t bytes, bool consistent);
// ItemCollectionMetrics for tables with local secondary indexes.
std::optional<json> item_collection_metrics(DynamoDB& ddb, const Table& table, const Item& key, const json& in);

// Action factories, one per operation file.
Action batch_get_item(DynamoDB& d);
Action batch_write_item(DynamoDB& d);
Action create_table(DynamoDB& d);
Action delete_item(DynamoDB& d);
Action delete_table(DynamoDB& d);
Action describe_endpoints(DynamoDB& d);
Action describe_limits(DynamoDB& d);
Action describe_table(DynamoDB& d);
Action describe_time_to_live(DynamoDB& d);
Action get_item(DynamoDB& d);
Action list_tables(DynamoDB& d);
Action list_tags_of_resource(DynamoDB& d);
Action put_item(DynamoDB& d);
Action query(DynamoDB& d);
Action scan(DynamoDB& d);
Action tag_resource(DynamoDB& d);
Action transact_get_items(DynamoDB& d);
Action transact_write_items(DynamoDB& d);
Action untag_resource(DynamoDB& d);
Action update_item(DynamoDB& d);
Action update_table(DynamoDB& d);
Action update_time_to_live(DynamoDB& d);

}  // namespace streamlab::dynamodb
