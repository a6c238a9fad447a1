#include "emulators/kinesis/actions/resource_tags.h"

namespace streamlab::kinesis {
namespace {

Shape policy_input(bool with_policy) {
  std::vector<std::pair<std::string, Shape>> members = {{"ResourceARN", resource_arn_shape().required()},
                                                        {"StreamId", stream_id_shape()}};
  if (with_policy) members.push_back({"Policy", string_shape().required()});
  return structure_shape(std::move(members));
}

}  // namespace

// Resource policies are stored and handed back; nothing here evaluates IAM policies.
Action put_resource_policy(Kinesis& k) {
  return {policy_input(true), [&k](const Context& ctx, json& in) -> Result<json> {
            auto r = resolve_resource(k, ctx, in["ResourceARN"]);
            if (!r) return r.error();
            json parsed = json::parse(in["Policy"].get<std::string>(), nullptr, false);
            if (parsed.is_discarded() || !parsed.is_object())
              return invalid_argument("Policy is not a valid JSON document.");
            std::unique_lock lock(r->stream->mu);
            std::string* policy = policy_of(*r);
            if (!policy) return resource_not_found("Resource " + in["ResourceARN"].get<std::string>() + " not found.");
            *policy = in["Policy"];
            if (auto p = k.persist(*r->stream); !p) return p.error();
            return json();
          }};
}

Action get_resource_policy(Kinesis& k) {
  return {policy_input(false), [&k](const Context& ctx, json& in) -> Result<json> {
            auto r = resolve_resource(k, ctx, in["ResourceARN"]);
            if (!r) return r.error();
            std::shared_lock lock(r->stream->mu);
            std::string* policy = policy_of(*r);
            return json{{"Policy", policy && !policy->empty() ? *policy : "{}"}};
          }};
}

Action delete_resource_policy(Kinesis& k) {
  return {policy_input(false), [&k](const Context& ctx, json& in) -> Result<json> {
            auto r = resolve_resource(k, ctx, in["ResourceARN"]);
            if (!r) return r.error();
            std::unique_lock lock(r->stream->mu);
            std::string* policy = policy_of(*r);
            if (!policy || policy->empty())
              return resource_not_found("No resource policy found for resource ARN " +
                                        in["ResourceARN"].get<std::string>() + ".");
            policy->clear();
            if (auto p = k.persist(*r->stream); !p) return p.error();
            return json();
          }};
}

}  // namespace streamlab::kinesis
