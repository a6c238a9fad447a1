#include "emulators/sqs/journal.h"

#include "server/storage/big_endian.h"

namespace streamlab::sqs {

using storage::get_u32;
using storage::get_u64;
using storage::put_u32;
using storage::put_u64;

// len:u32 and the state as DeliveryState::encode lays it out, written in place (a receive of ten
// built ten temporary strings).
void JournalEntry::append_state(const DeliveryState& s) {
  put_u32(bytes_, kStateSize);
  bytes_ += char(1);
  put_u64(bytes_, uint64_t(s.visible_at_ms));
  put_u32(bytes_, s.receive_count);
  put_u32(bytes_, s.gen);
  put_u64(bytes_, uint64_t(s.first_receive_ms));
  put_u64(bytes_, uint64_t(s.last_receive_ms));
}

void JournalEntry::record(uint64_t seq, std::string_view record, const DeliveryState* state) {
  bytes_ += char(JournalKind::record);
  put_u64(bytes_, seq);
  put_u32(bytes_, uint32_t(record.size()));
  bytes_.append(record);
  if (state) append_state(*state);
  else put_u32(bytes_, 0);
  ++items_;
}

void JournalEntry::state(uint64_t seq, const DeliveryState& state) {
  bytes_ += char(JournalKind::state);
  put_u64(bytes_, seq);
  append_state(state);
  ++items_;
}

void JournalEntry::removed(uint64_t seq) {
  bytes_ += char(JournalKind::removed);
  put_u64(bytes_, seq);
  ++items_;
}

bool read_journal(std::string_view in, const std::function<void(const JournalItem&)>& visit) {
  if (in.empty() || in[0] != 1) return false;
  size_t at = 1;
  auto field = [&](std::string_view& out) {
    if (at + 4 > in.size()) return false;
    uint32_t n = get_u32(in, at);
    at += 4;
    if (n > in.size() - at) return false;
    out = in.substr(at, n);
    at += n;
    return true;
  };
  while (at < in.size()) {
    if (at + 9 > in.size()) return false;
    JournalItem item{JournalKind(uint8_t(in[at])), get_u64(in, at + 1), {}, {}};
    at += 9;
    switch (item.kind) {
      case JournalKind::record:
        if (!field(item.record) || !field(item.state)) return false;
        break;
      case JournalKind::state:
        if (!field(item.state)) return false;
        break;
      case JournalKind::removed:
        break;
      default:
        return false;
    }
    visit(item);
  }
  return true;
}

std::optional<std::string_view> journal_record(std::string_view entry, uint64_t seq) {
  std::optional<std::string_view> out;
  read_journal(entry, [&](const JournalItem& i) {
    if (i.kind == JournalKind::record && i.seq == seq) out = i.record;
  });
  return out;
}

}  // namespace streamlab::sqs
