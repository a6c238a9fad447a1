#include "emulators/sqs/actions/common.h"
#include "server/core/json_text.h"

namespace streamlab::sqs {
namespace {
struct BatchOutcome {
  std::vector<std::string> deleted;  // entry ids
  json failed = json::array();
};
}  // namespace

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
  auto run = [&s](const Context& ctx, json& in) -> Result<BatchOutcome> {
    auto q = queue_of(s, ctx, in);
    if (!q) return q.error();
    if (auto r = check_batch(in, "DeleteMessageBatchRequestEntry"); !r) return r.error();
    BatchOutcome out;
    std::vector<std::string> handles, ids;
    for (auto& e : in["Entries"]) {
      std::string handle;  // moved out of the input, which nothing reads afterwards
      if (auto h = e.find("ReceiptHandle"); h != e.end() && h->is_string()) handle = std::move(h->get_ref<std::string&>());
      if (handle.empty()) {
        out.failed.push_back(batch_error(e["Id"], missing_parameter("ReceiptHandle")));
        continue;
      }
      ids.push_back(e["Id"]);
      handles.push_back(std::move(handle));
    }
    auto results = (*q)->delete_messages(handles);
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i]) out.deleted.push_back(std::move(ids[i]));
      else out.failed.push_back(batch_error(ids[i], results[i].error()));
    }
    return out;
  };
  Action a{input, [run](const Context& ctx, json& in) -> Result<json> {
             auto r = run(ctx, in);
             if (!r) return r.error();
             json successful = json::array();
             for (auto& id : r->deleted) successful.push_back({{"Id", id}});
             return json{{"Successful", std::move(successful)}, {"Failed", std::move(r->failed)}};
           }};
  // The same document as text, members sorted as nlohmann writes them.
  a.json_text_handler = [run](const Context& ctx, json& in) -> Result<std::string> {
    auto r = run(ctx, in);
    if (!r) return r.error();
    std::string out = "{\"Failed\":" + r->failed.dump() + ",\"Successful\":[";
    for (size_t i = 0; i < r->deleted.size(); ++i) {
      out += i ? ",{\"Id\":" : "{\"Id\":";
      append_json_string(out, r->deleted[i]);
      out += '}';
    }
    out += "]}";
    return out;
  };
  return {a, output};
}

}  // namespace streamlab::sqs
