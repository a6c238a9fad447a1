// Mobile push (platform applications and endpoints) and SMS (sandbox, opt-outs, attributes) are
// out of scope: each of their operations answers a clear InvalidParameter naming itself, so a
// learner knows at once that the lab, not their code, stops there.
#include "emulators/sns/actions/common.h"

namespace streamlab::sns {

std::vector<std::pair<std::string, SnsAction>> not_emulated_actions() {
  static const char* kOperations[] = {
      "CheckIfPhoneNumberIsOptedOut",  "CreatePlatformApplication",   "CreatePlatformEndpoint",
      "CreateSMSSandboxPhoneNumber",   "DeleteEndpoint",              "DeletePlatformApplication",
      "DeleteSMSSandboxPhoneNumber",   "GetEndpointAttributes",       "GetPlatformApplicationAttributes",
      "GetSMSAttributes",              "GetSMSSandboxAccountStatus",  "ListEndpointsByPlatformApplication",
      "ListOriginationNumbers",        "ListPhoneNumbersOptedOut",    "ListPlatformApplications",
      "ListSMSSandboxPhoneNumbers",    "OptInPhoneNumber",            "SetEndpointAttributes",
      "SetPlatformApplicationAttributes", "SetSMSAttributes",         "VerifySMSSandboxPhoneNumber",
  };
  std::vector<std::pair<std::string, SnsAction>> out;
  for (const char* op : kOperations) {
    std::string name = op;
    Action a{structure_shape({}), [name](const Context&, json&) -> Result<json> { return not_emulated(name); }};
    out.emplace_back(name, SnsAction{a, structure_shape({}), true});
  }
  return out;
}

}  // namespace streamlab::sns
