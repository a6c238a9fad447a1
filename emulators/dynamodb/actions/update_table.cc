#include "emulators/dynamodb/actions/common.h"
#include "emulators/dynamodb/actions/table_input.h"

namespace streamlab::dynamodb {
namespace {
constexpr const char* kInvalid = "One or more parameter values were invalid: ";

Status update_throughput(Throughput& t, const json& p, int64_t now, const std::string& what) {
  Throughput want = throughput_from(p);
  if (want.read == t.read && want.write == t.write)
    return validation("The provisioned throughput for the " + what + " will not change. The requested value equals "
                      "the current value. Current ReadCapacityUnits provisioned for the " + what + ": " +
                      std::to_string(t.read) + ". Requested ReadCapacityUnits: " + std::to_string(want.read) +
                      ". Current WriteCapacityUnits provisioned for the " + what + ": " + std::to_string(t.write) +
                      ". Requested WriteCapacityUnits: " + std::to_string(want.write) +
                      ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher "
                      "limits.");
  if (want.read > t.read || want.write > t.write) t.last_increase_ms = now;
  if (want.read < t.read || want.write < t.write) {
    t.last_decrease_ms = now;
    ++t.decreases_today;
  }
  t.read = want.read;
  t.write = want.write;
  return Ok{};
}

Status update_indexes(DynamoDB& d, Table& t, const json& updates, const json& in, int64_t now) {
  auto defs = parse_definitions(in);
  if (!defs) return defs.error();
  for (auto& u : updates) {
    if (u.size() != 1)
      return validation(std::string(kInvalid) + "One of GlobalSecondaryIndexUpdate.Update, "
                        "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");
    if (auto c = u.find("Create"); c != u.end()) {
      // New key attributes come with AttributeDefinitions; the table's own still apply.
      auto all = t.attribute_definitions;
      for (auto& def : *defs) {
        auto known = t.attribute_type(def.first);
        if (known && *known != def.second)
          return validation(std::string(kInvalid) + "Cannot change the type of an existing attribute: " + def.first);
        if (!known) all.push_back(def);
      }
      auto x = parse_index(*c, all, true, t.billing_mode);
      if (!x) return x.error();
      if (t.index(x->name))
        return validation(std::string(kInvalid) + "Global Secondary Index already exists: " + x->name);
      if (t.gsis.size() >= 20)
        return limit_exceeded("Subscriber limit exceeded: Only 20 global secondary indexes are allowed per table");
      x->uid = d.next_uid();
      x->status = "CREATING";
      x->status_until_ms = now + d.options().create_delay_ms;
      t.attribute_definitions = all;
      if (auto s = d.backfill_index(t, *x); !s) return s;
      t.gsis.push_back(*x);
    } else if (auto del = u.find("Delete"); del != u.end()) {
      std::string name = del->value("IndexName", "");
      auto it = std::find_if(t.gsis.begin(), t.gsis.end(), [&](auto& x) { return x.name == name; });
      if (it == t.gsis.end() || it->effective_status(now) == "DELETED")
        return AwsError{"ResourceNotFoundException", "Requested resource not found: Index: " + name + " not found",
                        400, true, {}};
      it->status = "DELETING";
      it->status_until_ms = now + d.options().delete_delay_ms;
    } else if (auto up = u.find("Update"); up != u.end()) {
      std::string name = up->value("IndexName", "");
      auto it = std::find_if(t.gsis.begin(), t.gsis.end(), [&](auto& x) { return x.name == name; });
      if (it == t.gsis.end())
        return AwsError{"ResourceNotFoundException", "Requested resource not found: Index: " + name + " not found",
                        400, true, {}};
      if (auto s = update_throughput(it->throughput, up->value("ProvisionedThroughput", json::object()), now,
                                     "index");
          !s)
        return s;
    }
  }
  return Ok{};
}
}  // namespace

Action update_table(DynamoDB& d) {
  Shape gsi_update = structure_shape({
      {"Update", structure_shape({{"IndexName", index_name_shape().required()},
                                  {"ProvisionedThroughput", provisioned_throughput_shape()}})},
      {"Create", structure_shape({{"IndexName", index_name_shape().required()},
                                  {"KeySchema", key_schema_shape().required()},
                                  {"Projection", projection_shape().required()},
                                  {"ProvisionedThroughput", provisioned_throughput_shape()}})},
      {"Delete", structure_shape({{"IndexName", index_name_shape().required()}})},
  });
  Shape input = structure_shape({
      {"AttributeDefinitions", attribute_definitions_shape()},
      {"TableName", table_name_shape().required()},
      {"BillingMode", string_shape().one_of({"PROVISIONED", "PAY_PER_REQUEST"})},
      {"ProvisionedThroughput", provisioned_throughput_shape()},
      {"GlobalSecondaryIndexUpdates", list_shape(gsi_update)},
      {"StreamSpecification", stream_specification_shape()},
      {"SSESpecification", structure_shape({{"Enabled", boolean_shape()}, {"SSEType", string_shape()},
                                            {"KMSMasterKeyId", string_shape()}})},
      {"TableClass", string_shape().one_of({"STANDARD", "STANDARD_INFREQUENT_ACCESS"})},
      {"DeletionProtectionEnabled", boolean_shape()},
  });
  return {input, [&d](const Context& ctx, json& in) -> Result<json> {
            std::string name = in["TableName"];
            if (auto s = check_table_name(name); !s) return s.error();
            bool any = false;
            for (const char* m : {"ProvisionedThroughput", "BillingMode", "StreamSpecification",
                                  "GlobalSecondaryIndexUpdates", "SSESpecification", "TableClass",
                                  "DeletionProtectionEnabled"})
              any |= in.contains(m);
            if (!any)
              return validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                                "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
            auto table = d.find(ctx, name, false);
            if (!table) return table.error();
            Table& t = **table;
            d.ensure_counted(t);
            std::unique_lock lock(t.mu);
            int64_t now = ctx.now_ms();
            std::string status = t.effective_status(now);
            if (status != "ACTIVE")
              return resource_in_use("Attempt to change a resource which is still in use: Table is being " +
                                     std::string(status == "CREATING" ? "created" : status == "UPDATING" ? "updated"
                                                                                                         : "deleted") +
                                     ": " + t.name);
            bool metadata_only = !in.contains("ProvisionedThroughput") && !in.contains("BillingMode") &&
                                 !in.contains("GlobalSecondaryIndexUpdates");
            std::string billing = in.value("BillingMode", t.billing_mode);
            if (billing == "PAY_PER_REQUEST" && in.contains("ProvisionedThroughput"))
              return validation(std::string(kInvalid) + "Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                                "specified when BillingMode is PAY_PER_REQUEST");
            if (billing == "PROVISIONED" && t.billing_mode == "PAY_PER_REQUEST" && !in.contains("ProvisionedThroughput"))
              return validation(std::string(kInvalid) + "ProvisionedThroughput must be specified when BillingMode is "
                                "PROVISIONED");
            if (billing != t.billing_mode) {
              t.billing_mode = billing;
              if (billing == "PAY_PER_REQUEST") {
                t.pay_per_request_since_ms = now;
                t.throughput.read = t.throughput.write = 0;
              }
            }
            if (auto p = in.find("ProvisionedThroughput"); p != in.end())
              if (auto s = update_throughput(t.throughput, *p, now, "table"); !s) return s.error();
            if (auto g = in.find("GlobalSecondaryIndexUpdates"); g != in.end())
              if (auto s = update_indexes(d, t, *g, in, now); !s) return s.error();
            if (auto spec = in.find("StreamSpecification"); spec != in.end()) {
              bool enable = spec->value("StreamEnabled", false);
              if (enable && !spec->contains("StreamViewType"))
                return validation(std::string(kInvalid) + "You must specify a StreamViewType when enabling a stream");
              if (enable && t.stream_enabled())
                return validation("Table already has an enabled stream: TableName: " + t.name);
              if (!enable && !t.stream_enabled())
                return validation("Table already has no stream enabled: TableName: " + t.name);
              auto s = enable ? d.enable_stream(t, (*spec)["StreamViewType"]) : d.disable_stream(t);
              if (!s) return s.error();
            }
            if (auto c = in.find("TableClass"); c != in.end()) t.table_class = *c;
            if (auto p = in.find("DeletionProtectionEnabled"); p != in.end()) t.deletion_protection = *p;
            if (auto sse = in.find("SSESpecification"); sse != in.end())
              t.sse = sse->value("Enabled", false)
                          ? std::optional<json>(json{{"Status", "ENABLED"}, {"SSEType", sse->value("SSEType", "KMS")}})
                          : std::nullopt;
            if (!metadata_only) d.begin_update(t);
            if (auto s = d.persist(t); !s) return s.error();
            return json{{"TableDescription", t.describe(now)}};
          }};
}

}  // namespace streamlab::dynamodb
