#pragma once
// Subscription filter policies, compiled once when set and evaluated on every publish, as SNS
// evaluates them (it runs AWS's event-ruler): exact strings, numbers and literals, prefix, suffix,
// equals-ignore-case, anything-but (values, numbers, prefix), numeric ranges, exists, cidr, "$or",
// nested keys for the MessageBody scope; AND across keys, OR within a key's list.
//
// Malformed policies get AWS's exact messages, including the Jackson parser location event-ruler
// reports ("\n at [Source: (String)\"…\"; line: 1, column: 22]"): the compiler reads the policy
// token by token the way Jackson's streaming parser does, so the column is the one AWS prints.
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulators/sns/message_attributes.h"
#include "server/core/result.h"

namespace streamlab::sns {

enum class FilterScope { MessageAttributes, MessageBody };

class FilterPolicy {
 public:
  struct Pattern;
  using Field = std::pair<std::string, std::vector<Pattern>>;  // dotted path, alternatives (OR)
  using Branch = std::vector<Field>;                           // fields (AND)

  // Compiles the FilterPolicy attribute. Errors are InvalidParameter whose message starts with
  // "Invalid parameter: " (SetSubscriptionAttributes) or "Invalid parameter: Attributes Reason: "
  // (Subscribe). "{}" compiles to a policy that matches everything.
  static Result<std::shared_ptr<const FilterPolicy>> compile(std::string_view text, FilterScope scope,
                                                             bool in_subscribe);

  // Whether a message passes: its attributes (MessageAttributes scope) or its body, a JSON object
  // (MessageBody scope; anything else never matches a non-empty policy).
  bool matches(const MessageAttributes& attributes, std::string_view body) const;

  FilterScope scope() const { return scope_; }
  // Size facts of the compiled policy (tests).
  size_t branch_count() const { return branches_.size(); }

  ~FilterPolicy();
  FilterPolicy();

 private:
  FilterScope scope_ = FilterScope::MessageAttributes;
  std::vector<Branch> branches_;  // OR of $or branches; empty = match everything
  std::vector<std::string> paths_;  // every field path, for pruning the body walk
};

}  // namespace streamlab::sns
