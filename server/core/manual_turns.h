#pragma once
// For tests: stands in for an HTTP worker's loop (turn.h). Tasks posted on this thread wait until
// the test ends the turn, or drops them as a stopped loop would.
#include <vector>

#include "server/core/turn.h"

namespace streamlab {

class ManualTurns {
 public:
  ManualTurns() {
    set_turn_poster([this](TurnTask t) { tasks_.push_back(std::move(t)); });
  }
  ~ManualTurns() { set_turn_poster({}); }
  ManualTurns(const ManualTurns&) = delete;
  ManualTurns& operator=(const ManualTurns&) = delete;

  size_t waiting() const { return tasks_.size(); }
  void end_turn() {
    auto tasks = std::move(tasks_);
    tasks_.clear();
    for (auto& t : tasks) t();
  }
  void drop() { tasks_.clear(); }

 private:
  std::vector<TurnTask> tasks_;
};

}  // namespace streamlab
