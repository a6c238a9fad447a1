#pragma once
// "After this turn": work an HTTP worker runs once it has handled the requests that arrived
// together (what one wake-up of its event loop found ready), so those requests can share one
// storage commit and one WAL write (Store::commit_after_turn). The worker names a poster for its
// thread; on threads without one (tests, the SNS fan-out) the work runs at once.
#include <functional>

namespace streamlab {

using TurnTask = std::function<void()>;
using TurnPoster = std::function<void(TurnTask)>;

// Names `poster` for the calling thread; an empty poster removes it. The poster must run each task
// later on this same thread (an event loop that this thread alone runs): what waits for the end of
// a turn is kept per thread.
void set_turn_poster(TurnPoster poster);
// Hands `task` to the calling thread's poster and returns true, or returns false when the thread
// has none (the caller then does the work itself).
bool post_after_turn(TurnTask task);

}  // namespace streamlab
