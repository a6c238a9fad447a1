#include "emulators/sns/actions/common.h"

#include <set>

namespace streamlab::sns {
namespace {

bool valid_entry_id(const std::string& id) {
  if (id.empty() || id.size() > 80) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

}  // namespace

SnsAction publish_batch(Sns& s) {
  Shape entry = structure_shape({
      {"Id", string_shape()},
      {"Message", string_shape()},
      {"Subject", string_shape()},
      {"MessageStructure", string_shape()},
      {"MessageAttributes", message_attribute_map_shape()},
      {"MessageDeduplicationId", string_shape()},
      {"MessageGroupId", string_shape()},
  });
  Shape input = structure_shape({{"TopicArn", string_shape()}, {"PublishBatchRequestEntries", list_shape(entry)}});
  Shape output = structure_shape({
      {"Successful", list_shape(structure_shape(
                         {{"Id", string_shape()}, {"MessageId", string_shape()}, {"SequenceNumber", string_shape()}}))},
      {"Failed", list_shape(structure_shape({{"Id", string_shape()},
                                             {"Code", string_shape()},
                                             {"Message", string_shape()},
                                             {"SenderFault", boolean_shape()}}))},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto topic = topic_of(s, ctx, in);
             if (!topic) return topic.error();
             json entries = in.value("PublishBatchRequestEntries", json::array());
             if (entries.empty())
               return sns_error("EmptyBatchRequest", "The batch request doesn't contain any entries.");
             if (entries.size() > 10)
               return sns_error("TooManyEntriesInBatchRequest",
                                "The batch request contains more entries than permissible.");
             std::set<std::string> ids;
             size_t total = 0;
             for (auto& e : entries) {
               std::string id = e.value("Id", "");
               if (!valid_entry_id(id))
                 return sns_error("InvalidBatchEntryId",
                                  "The Id of a batch entry in a batch request doesn't abide by the specification.");
               if (!ids.insert(id).second)
                 return sns_error("BatchEntryIdsNotDistinct", "Two or more batch entries in the request have the same Id.");
               total += e.value("Message", "").size();
             }
             if (total > 256 * 1024)
               return sns_error("BatchRequestTooLong", "The length of all the messages put together is more than the limit.");
             json ok = json::array(), failed = json::array();
             int position = 0;
             for (auto& e : entries) {
               ++position;
               std::string id = e.value("Id", "");
               auto request = parse_publish(e, **topic, position);
               if (!request) {
                 failed.push_back({{"Id", id},
                                   {"Code", request.error().code},
                                   {"Message", request.error().message},
                                   {"SenderFault", request.error().sender_fault}});
                 continue;
               }
               auto out = s.publish(ctx, *topic, std::move(*request));
               if (!out) {
                 failed.push_back({{"Id", id},
                                   {"Code", out.error().code},
                                   {"Message", out.error().message},
                                   {"SenderFault", out.error().sender_fault}});
                 continue;
               }
               json r = {{"Id", id}, {"MessageId", out->message_id}};
               if (!out->sequence_number.empty()) r["SequenceNumber"] = out->sequence_number;
               ok.push_back(r);
             }
             return json{{"Successful", ok}, {"Failed", failed}};
           }};
  return {a, output};
}

}  // namespace streamlab::sns
