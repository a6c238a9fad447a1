#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction change_message_visibility_batch(Sqs& s) {
  Shape entry = structure_shape({
      {"Id", string_shape()},
      {"ReceiptHandle", string_shape()},
      {"VisibilityTimeout", integer_shape()},
  });
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Entries", list_shape(entry.xml_name("ChangeMessageVisibilityBatchRequestEntry")).flattened()},
  });
  Shape output = structure_shape({
      {"Successful", list_shape(structure_shape({{"Id", string_shape()}})
                                    .xml_name("ChangeMessageVisibilityBatchResultEntry"))
                         .flattened()},
      {"Failed", batch_error_list_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (auto r = check_batch(in, "ChangeMessageVisibilityBatchRequestEntry"); !r) return r.error();
             json successful = json::array(), failed = json::array();
             std::vector<std::pair<std::string, int64_t>> changes;
             std::vector<std::string> ids;
             for (auto& e : in["Entries"]) {
               std::string handle = e.value("ReceiptHandle", "");
               Status ok = handle.empty() ? Status(missing_parameter("ReceiptHandle"))
                                          : check_range(e, "VisibilityTimeout", 0, 43200,
                                                        "Must be between 0 and 43200, if provided.");
               if (!ok) {
                 failed.push_back(batch_error(e["Id"], ok.error()));
                 continue;
               }
               ids.push_back(e["Id"]);
               changes.emplace_back(handle, e.value("VisibilityTimeout", int64_t(0)));
             }
             auto results = (*q)->change_visibility(changes);
             for (size_t i = 0; i < results.size(); ++i) {
               if (results[i]) successful.push_back({{"Id", ids[i]}});
               else failed.push_back(batch_error(ids[i], results[i].error()));
             }
             return json{{"Successful", successful}, {"Failed", failed}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
