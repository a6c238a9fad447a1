#pragma once
// TagResource, UntagResource and ListTagsForResource address a stream or a consumer by ARN.
#include "emulators/kinesis/actions/common.h"

namespace streamlab::kinesis {

struct TaggedResource {
  StreamPtr stream;
  std::string consumer_name;  // empty for the stream itself
};

Result<TaggedResource> resolve_resource(Kinesis& k, const Context& ctx, const std::string& arn);
// The tag map / resource policy of the resource; call with the stream's lock held.
std::map<std::string, std::string>* tags_of(TaggedResource& r);
std::string* policy_of(TaggedResource& r);

}  // namespace streamlab::kinesis
