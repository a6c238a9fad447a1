#include "emulators/sqs/actions/common.h"

namespace streamlab::sqs {

SqsAction delete_message_batch(Sqs& s) {
  Shape entry = structure_shape({{"Id", string_shape()}, {"ReceiptHandle", string_shape()}});
  Shape input = structure_shape({
      {"QueueUrl", string_shape()},
      {"Entries", list_shape(entry.xml_name("DeleteMessageBatchRequestEntry")).flattened()},
  });
  Shape output = structure_shape({
      {"Successful",
       list_shape(structure_shape({{"Id", string_shape()}}).xml_name("DeleteMessageBatchResultEntry")).flattened()},
      {"Failed", batch_error_list_shape()},
  });
  Action a{input, [&s](const Context& ctx, json& in) -> Result<json> {
             auto q = queue_of(s, ctx, in);
             if (!q) return q.error();
             if (auto r = check_batch(in, "DeleteMessageBatchRequestEntry"); !r) return r.error();
             json successful = json::array(), failed = json::array();
             std::vector<std::string> handles, ids;
             for (auto& e : in["Entries"]) {
               std::string handle = e.value("ReceiptHandle", "");
               if (handle.empty()) {
                 failed.push_back(batch_error(e["Id"], missing_parameter("ReceiptHandle")));
                 continue;
               }
               ids.push_back(e["Id"]);
               handles.push_back(handle);
             }
             auto results = (*q)->delete_messages(handles);
             for (size_t i = 0; i < results.size(); ++i) {
               if (results[i]) successful.push_back({{"Id", ids[i]}});
               else failed.push_back(batch_error(ids[i], results[i].error()));
             }
             return json{{"Successful", successful}, {"Failed", failed}};
           }};
  return {a, output};
}

}  // namespace streamlab::sqs
