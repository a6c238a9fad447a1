#include "emulators/dynamodb/actions/read_common.h"

namespace streamlab::dynamodb {

Action query(DynamoDB& d) {
  auto members = read_members();
  members.push_back({"KeyConditions", map_shape(string_shape(), structure_shape({}))});
  members.push_back({"QueryFilter", map_shape(string_shape(), structure_shape({}))});
  members.push_back({"ScanIndexForward", boolean_shape()});
  members.push_back({"KeyConditionExpression", string_shape()});
  return {structure_shape(std::move(members)), [&d](const Context& ctx, json& in) -> Result<json> {
            if (auto s = check_table_name(in["TableName"]); !s) return s.error();
            if (auto s = reject_legacy(in, {"KeyConditions", "QueryFilter", "ConditionalOperator"}); !s)
              return s.error();
            auto ectx = expression_context(in, {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"},
                                           "ExpressionAttributeValues can only be specified when using expressions: "
                                           "KeyConditionExpression and FilterExpression are null");
            if (!ectx) return ectx.error();
            if (!in.contains("KeyConditionExpression"))
              return validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in "
                                "the request.");
            auto key_condition =
                parse_condition(in["KeyConditionExpression"].get<std::string>(), "KeyConditionExpression", *ectx);
            if (!key_condition) return key_condition.error();
            ReadOptions options;
            if (auto s = parse_read_options(in, *ectx, options); !s) return s.error();
            if (auto s = check_unused(*ectx); !s) return s.error();
            auto terms = key_terms(*key_condition);
            if (!terms) return terms.error();
            auto table = item_table(d, ctx, in);
            if (!table) return table.error();
            std::shared_lock table_lock((*table)->mu);
            const Table& t = **table;
            auto index = read_index(t, in, options, ctx.now_ms());
            if (!index) return index.error();
            auto range = query_range(t, *index, *terms);
            if (!range) return range.error();
            PageRequest rq;
            rq.table = &t;
            rq.index = *index;
            rq.lower = range->first;
            rq.upper = range->second;
            rq.forward = in.value("ScanIndexForward", true);
            if (in.contains("Limit")) rq.limit = in["Limit"].get<int64_t>();
            if (options.filter) rq.filter = &*options.filter;
            rq.raw = !options.filter && !options.projection && !*index;
            if (options.exclusive_start) {
              if (auto s = check_start_key(t, *index, *options.exclusive_start); !s) return s.error();
              const KeySchema& schema = read_schema(t, *index);
              for (auto& term : *terms)
                if (term.attribute == schema.hash.name &&
                    !equals(options.exclusive_start->at(schema.hash.name), term.values[0]))
                  return validation("The provided starting key is outside query boundaries based on provided "
                                    "conditions");
              rq.exclusive_start = options.exclusive_start;
            }
            PageResult page = read_page(d, rq);
            return page_json(t, *index, options, page, in);
          }};
}

}  // namespace streamlab::dynamodb
