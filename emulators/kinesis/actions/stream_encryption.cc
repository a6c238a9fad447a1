#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {
namespace {

// Encryption is recorded, not performed: records are stored as sent, reads report KMS.
Action set_encryption(Kinesis& k, bool start) {
  Shape input = structure_shape({
      {"StreamName", stream_name_shape()},
      {"EncryptionType", string_shape().one_of({"NONE", "KMS"}).required()},
      {"KeyId", string_shape().min(1).max(2048).required()},
      {"StreamARN", stream_arn_shape()},
      {"StreamId", stream_id_shape()},
  });
  return {input, [&k, start](const Context& ctx, json& in) -> Result<json> {
            auto found = active_stream(k, ctx, in);
            if (!found) return found.error();
            Stream& s = **found;
            std::unique_lock lock(s.mu);
            if (in["EncryptionType"] != "KMS")
              return invalid_argument("Encryption type NONE is not supported. Use KMS.");
            s.encryption = start ? "KMS" : "NONE";
            s.key_id = start ? in["KeyId"].get<std::string>() : "";
            k.begin_update(s);
            if (auto p = k.persist(s); !p) return p.error();
            return json();
          }};
}

}  // namespace

Action start_stream_encryption(Kinesis& k) { return set_encryption(k, true); }
Action stop_stream_encryption(Kinesis& k) { return set_encryption(k, false); }

}  // namespace streamlab::kinesis
