#pragma once
// Every RocksDB key the lab's own endpoints write, and its grammar.
//
// meta family
//   progress_key := "lab/progress/" account "/" module   -> JSON {"quiz": {score, of, best, at},
//                                                            "check": {passed, last, at, endpoint}}
//                   (one learner's course progress in one module; account is 12 digits, module
//                    "M" 1-3 digits; see server/course/progress.h). Kept across /_streamlab/reset,
//                    which clears resources, not a learner's record.
#include <string>
#include <string_view>

namespace streamlab::lab::keys {

inline constexpr std::string_view kProgressPrefix = "lab/progress/";

inline std::string progress(std::string_view account, std::string_view module) {
  std::string k(kProgressPrefix);
  k.append(account).append("/").append(module);
  return k;
}
inline std::string progress_prefix(std::string_view account) {
  std::string k(kProgressPrefix);
  k.append(account).append("/");
  return k;
}

}  // namespace streamlab::lab::keys
