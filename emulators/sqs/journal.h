#pragma once
// A queue's journal: every change to a queue's messages is one value appended under the next
// journal key (keys.h), so RocksDB inserts it at the end of the queue's key range instead of
// beside each message's own keys (a full memtable search per key, most of a delete before).
// A send batch is one entry holding its records, a receive one entry holding the new delivery
// states, a delete one entry listing the removed messages. Start-up replays the entries in key
// order; entries below the oldest record still referenced are garbage and go in one range delete.
//
// entry := 0x01 item*
// item  := 0x01 seq:u64 len:u32 record len:u32 state    message `seq` with its record (message.h)
//                                                          and, when len > 0, its delivery state
//        | 0x02 seq:u64 len:u32 state                    the delivery state of `seq` is now this
//        | 0x03 seq:u64                                  message `seq` is gone
// Each item is a whole fact (no deltas), so a later item of a message replaces what earlier ones
// said and a lost earlier entry (never acknowledged) leaves nothing inconsistent.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "emulators/sqs/message.h"

namespace streamlab::sqs {

enum class JournalKind : uint8_t { record = 1, state = 2, removed = 3 };

struct JournalItem {
  JournalKind kind;
  uint64_t seq;
  std::string_view record;  // record items
  std::string_view state;   // record (may be empty) and state items
};

class JournalEntry {
 public:
  JournalEntry() { bytes_ += char(1); }
  void record(uint64_t seq, std::string_view record, const DeliveryState* state);
  void state(uint64_t seq, const DeliveryState& state);
  void removed(uint64_t seq);
  bool empty() const { return items_ == 0; }
  size_t items() const { return items_; }
  const std::string& bytes() const { return bytes_; }

 private:
  static constexpr uint32_t kStateSize = 33;  // DeliveryState::encode
  void append_state(const DeliveryState& state);
  std::string bytes_;
  size_t items_ = 0;
};

// Calls `visit` for each item in order; false when the entry is malformed (items before the
// damage were visited).
bool read_journal(std::string_view entry, const std::function<void(const JournalItem&)>& visit);
// The record of message `seq` in an entry, if it holds one.
std::optional<std::string_view> journal_record(std::string_view entry, uint64_t seq);

}  // namespace streamlab::sqs
