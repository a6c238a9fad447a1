#include "server/core/turn.h"

namespace streamlab {
namespace {
thread_local TurnPoster turn_poster;
}

void set_turn_poster(TurnPoster poster) { turn_poster = std::move(poster); }

bool post_after_turn(TurnTask task) {
  if (!turn_poster) return false;
  turn_poster(std::move(task));
  return true;
}

}  // namespace streamlab
