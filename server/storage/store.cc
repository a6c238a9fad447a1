#include "server/storage/store.h"

#include <rocksdb/comparator.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <vector>

#include "server/core/turn.h"

namespace streamlab::storage {
namespace {
const char* kFamilyNames[] = {"meta", "log", "kv"};
rocksdb::Slice slice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view view(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

// Column family ids are fixed by creation order (default=0, meta=1, log=2, kv=3), so a Batch
// can be filled before it meets the Store: this handle carries only the id.
class FamilyId final : public rocksdb::ColumnFamilyHandle {
 public:
  FamilyId(uint32_t id, std::string name) : id_(id), name_(std::move(name)) {}
  const std::string& GetName() const override { return name_; }
  uint32_t GetID() const override { return id_; }
  rocksdb::Status GetDescriptor(rocksdb::ColumnFamilyDescriptor*) override {
    return rocksdb::Status::NotSupported();
  }
  const rocksdb::Comparator* GetComparator() const override { return rocksdb::BytewiseComparator(); }

 private:
  uint32_t id_;
  std::string name_;
};

FamilyId* family_id(Family f) {
  static FamilyId ids[] = {{1, "meta"}, {2, "log"}, {3, "kv"}};
  return &ids[size_t(f)];
}
}  // namespace

struct Batch::Impl {
  rocksdb::WriteBatch wb;
};

Batch::Batch() : impl_(std::make_unique<Impl>()) {}
Batch::~Batch() = default;
Batch::Batch(Batch&&) noexcept = default;
Batch& Batch::operator=(Batch&&) noexcept = default;

void Batch::put(Family f, std::string_view key, std::string_view value) {
  impl_->wb.Put(family_id(f), slice(key), slice(value));
}
void Batch::del(Family f, std::string_view key) { impl_->wb.Delete(family_id(f), slice(key)); }
void Batch::del_range(Family f, std::string_view begin, std::string_view end) {
  impl_->wb.DeleteRange(family_id(f), slice(begin), slice(end));
}
size_t Batch::count() const { return size_t(impl_->wb.Count()); }

struct Store::Impl {
  std::unique_ptr<rocksdb::Env> mem_env;
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // default, meta, log, kv
  rocksdb::WriteOptions write_options;
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles[size_t(f) + 1]; }
  ~Impl() {
    for (auto* h : handles)
      if (db && h) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
};

Store::Store(StoreOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::open(const StoreOptions& options) {
  std::unique_ptr<Store> store(new Store(options));
  auto& impl = *store->impl_;
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 3;
  db_options.max_total_wal_size = 256 << 20;
  std::string path = options.path;
  if (options.in_memory) {
    impl.mem_env.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    db_options.env = impl.mem_env.get();
    if (path.empty()) path = "/streamlab-in-memory";
  } else {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return AwsError::internal("cannot create data directory " + path + ": " + ec.message());
  }
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.write_buffer_size = 16 << 20;
  // In memory, flushed tables stay in this process's memory: snappy would spend CPU on every
  // flush (a third of a flush's cost for Kinesis payloads) to save memory nothing else competes for.
  if (options.in_memory) cf_options.compression = rocksdb::kNoCompression;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (const char* name : kFamilyNames) families.emplace_back(name, cf_options);
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, families, &impl.handles, &impl.db);
  if (!s.ok()) return AwsError::internal("cannot open database at " + path + ": " + s.ToString());
  for (size_t i = 1; i < impl.handles.size(); ++i) {
    if (impl.handles[i]->GetID() != family_id(Family(i - 1))->GetID())
      return AwsError::internal("unexpected column family ids in " + path);
  }
  impl.write_options.sync = options.durability == Durability::fsync;
  // In memory the WAL would live in the same process memory as the memtables it protects: no
  // start-up can ever replay it, so writing it only costs time (a quarter of a PutItem's commit).
  impl.write_options.disableWAL = options.in_memory;
  return store;
}

Status Store::commit(Batch& batch) {
  rocksdb::Status s = impl_->db->Write(impl_->write_options, &batch.impl_->wb);
  if (!s.ok()) return AwsError::internal("storage write failed: " + s.ToString());
  return Ok{};
}

namespace {
// The batches one thread handed to one Store during its current turn. The posted task holds the
// only strong reference: if the task is dropped unrun (the loop stopped), the thread's weak
// reference expires and the next batch opens a new turn.
struct TurnGroup {
  const Store* store = nullptr;
  std::vector<Batch> batches;
  std::vector<std::function<void(Status)>> done;
};
thread_local std::vector<std::weak_ptr<TurnGroup>> open_turns;

// This thread's open turn on `store` (forgetting dropped ones on the way), or null.
std::shared_ptr<TurnGroup> open_turn(const Store* store) {
  std::shared_ptr<TurnGroup> found;
  for (size_t i = 0; i < open_turns.size();) {
    auto g = open_turns[i].lock();
    if (!g || g->store == store) {  // a dropped turn, or the one asked for: no longer open after this
      open_turns[i] = std::move(open_turns.back());
      open_turns.pop_back();
      if (g) found = std::move(g);
      continue;
    }
    ++i;
  }
  return found;
}

// A WriteBatch's representation is an 8-byte sequence number, a 4-byte little-endian count, then
// its records (RocksDB's db/write_batch.cc); batches concatenate by appending records and adding
// counts, which is what RocksDB's own group commit does with the batches of a write group.
constexpr size_t kWriteBatchHeader = 12;
}  // namespace

Batch Batch::concatenate(std::vector<Batch>& batches) {
  if (batches.size() == 1) return std::move(batches.front());
  std::string rep(batches.front().impl_->wb.Data());
  uint32_t count = 0;
  for (size_t i = 0; i < batches.size(); ++i) {
    const rocksdb::WriteBatch& wb = batches[i].impl_->wb;
    if (i > 0) rep.append(wb.Data(), kWriteBatchHeader, std::string::npos);
    count += wb.Count();
  }
  for (int i = 0; i < 4; ++i) rep[8 + i] = char((count >> (8 * i)) & 0xFF);
  Batch merged;
  merged.impl_->wb = rocksdb::WriteBatch(std::move(rep));
  return merged;
}

void Store::commit_after_turn(Batch batch, std::function<void(Status)> done) {
  std::shared_ptr<TurnGroup> group = open_turn(this);
  bool fresh = !group;
  if (fresh) {
    group = std::make_shared<TurnGroup>();
    group->store = this;
  }
  group->batches.push_back(std::move(batch));
  group->done.push_back(std::move(done));
  open_turns.push_back(group);
  if (!fresh) return;  // its task is already posted
  auto flush = [this, group] {
    open_turn(this);  // later batches of this thread start a new turn
    Batch merged = Batch::concatenate(group->batches);
    Status s = commit(merged);
    // Every caller hears the outcome, even if an earlier one's completion throws.
    for (auto& d : group->done) {
      try {
        d(s);
      } catch (...) {
      }
    }
  };
  if (!post_after_turn(flush)) flush();  // no turn on this thread: commit now
}

std::optional<std::string> Store::get(Family f, std::string_view key) const {
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(f), slice(key), &value);
  if (!s.ok()) return std::nullopt;
  return value;
}

void Store::scan(Family f, std::string_view begin, std::string_view end,
                 const std::function<bool(std::string_view, std::string_view)>& visit) const {
  rocksdb::ReadOptions ro;
  rocksdb::Slice upper = slice(end);
  if (!end.empty()) ro.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(f)));
  for (it->Seek(slice(begin)); it->Valid(); it->Next()) {
    if (!visit(view(it->key()), view(it->value()))) break;
  }
}

void Store::scan_reverse(Family f, std::string_view begin, std::string_view end,
                         const std::function<bool(std::string_view, std::string_view)>& visit) const {
  rocksdb::ReadOptions ro;
  rocksdb::Slice lower = slice(begin);
  ro.iterate_lower_bound = &lower;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(f)));
  if (end.empty()) {
    it->SeekToLast();
  } else {
    it->SeekForPrev(slice(end));
    if (it->Valid() && view(it->key()) >= end) it->Prev();
  }
  for (; it->Valid(); it->Prev()) {
    if (!visit(view(it->key()), view(it->value()))) break;
  }
}

void Store::flush() {
  rocksdb::FlushOptions fo;
  impl_->db->Flush(fo, std::vector<rocksdb::ColumnFamilyHandle*>(impl_->handles.begin() + 1, impl_->handles.end()));
  impl_->db->FlushWAL(true);
}

void Store::compact_range(Family f, std::string_view begin, std::string_view end) {
  rocksdb::Slice b = slice(begin), e = slice(end);
  rocksdb::CompactRangeOptions co;
  impl_->db->CompactRange(co, impl_->cf(f), &b, &e);
}

std::string prefix_end(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char c = prefix.back();
    if (c != 0xff) {
      prefix.back() = char(c + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;  // empty: no upper bound
}

}  // namespace streamlab::storage
