#include <list>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "record/record.h"

namespace rebalance::record {
namespace {

// What identifies the row a record was decoded from, besides its id: a row
// restored from another database under the same id is decoded anew. Only
// the head of a row (store::Store::document_head): a stored version never
// changes, so its bytes need not be read to find its record.
struct RowKey {
  std::string client_id;
  int64_t created_at = 0;
  std::string kb_version;
  bool operator==(const RowKey&) const = default;
};

RowKey key_of(const store::Document& row) { return {row.client_id, row.created_at, row.kb_version}; }

// Values kept by row, at most `capacity`, the least recently used leaving
// first. Not locked: the cache's mutex guards it.
template <class V>
class Lru {
 public:
  explicit Lru(size_t capacity) : capacity_(capacity) {}

  std::optional<V> find(const store::Document& row) {
    const auto it = by_id_.find(row.id);
    if (it == by_id_.end() || !(it->second->key == key_of(row))) return std::nullopt;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->value;
  }

  void put(const store::Document& row, V value) {
    if (row.id.empty() || capacity_ == 0) return;
    if (const auto it = by_id_.find(row.id); it != by_id_.end()) {
      order_.erase(it->second);
      by_id_.erase(it);
    }
    order_.push_front(Entry{row.id, key_of(row), std::move(value)});
    by_id_[row.id] = order_.begin();
    while (order_.size() > capacity_) {
      by_id_.erase(order_.back().id);
      order_.pop_back();
    }
  }

  void forget_client(const std::string& client_id) {
    for (auto it = order_.begin(); it != order_.end();) {
      if (it->key.client_id == client_id) {
        by_id_.erase(it->id);
        it = order_.erase(it);
      } else {
        ++it;
      }
    }
  }

  size_t size() const { return order_.size(); }

 private:
  struct Entry {
    std::string id;
    RowKey key;
    V value;
  };
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> by_id_;
};

struct Kept {
  std::shared_ptr<const ProgramRecord> record;
  std::shared_ptr<Renderings> renderings;
};

}  // namespace

struct ProgramCache::State {
  mutable std::mutex mutex;
  Lru<Kept> records;
  Lru<std::shared_ptr<const std::vector<track::PlannedSession>>> plans;

  State(size_t capacity, size_t plan_capacity) : records(capacity), plans(plan_capacity) {}
};

ProgramCache::ProgramCache(size_t capacity, size_t plan_capacity)
    : state_(std::make_unique<State>(capacity, plan_capacity)) {}
ProgramCache::~ProgramCache() = default;

std::shared_ptr<const std::string> Renderings::get(size_t slot, const std::function<std::string()>& make) {
  std::lock_guard lock(mutex_);  // readers of one version wait for one rendering, not one each
  auto& text = texts_.at(slot);
  if (!text) text = std::make_shared<const std::string>(make());
  return text;
}

std::optional<ProgramCache::Answer> ProgramCache::kept(const store::Document& head) {
  std::lock_guard lock(state_->mutex);
  if (auto kept = state_->records.find(head)) return Answer{std::move(kept->record), std::move(kept->renderings), {}};
  return std::nullopt;
}

ProgramCache::Answer ProgramCache::decode(const store::Document& row) {
  {
    std::lock_guard lock(state_->mutex);
    if (auto kept = state_->records.find(row)) return {std::move(kept->record), std::move(kept->renderings), {}};
  }
  // Decoded outside the lock: a large program must not hold up other readers.
  auto decoded = decode_program_record(row);
  if (!decoded.value) return {nullptr, nullptr, std::move(decoded.problems)};
  Answer answer{std::make_shared<const ProgramRecord>(std::move(*decoded.value)), std::make_shared<Renderings>(), {}};
  std::lock_guard lock(state_->mutex);
  state_->records.put(row, Kept{answer.record, answer.renderings});
  return answer;
}

ProgramCache::Plan ProgramCache::planned(const store::Document& row) {
  {
    std::lock_guard lock(state_->mutex);
    if (auto kept = state_->plans.find(row)) return {std::move(*kept), {}};
    if (auto kept = state_->records.find(row)) {
      auto sessions = std::make_shared<const std::vector<track::PlannedSession>>(planned_sessions(kept->record->program));
      state_->plans.put(row, sessions);
      return {std::move(sessions), {}};
    }
  }
  // Decoded without keeping the record: a list of every client would
  // otherwise push out the versions being read.
  auto decoded = decode_program_record(row);
  if (!decoded.value) return {nullptr, std::move(decoded.problems)};
  auto sessions = std::make_shared<const std::vector<track::PlannedSession>>(planned_sessions(decoded.value->program));
  std::lock_guard lock(state_->mutex);
  state_->plans.put(row, sessions);
  return {std::move(sessions), {}};
}

void ProgramCache::keep(const store::Document& row, ProgramRecord record) {
  auto kept = Kept{std::make_shared<const ProgramRecord>(std::move(record)), std::make_shared<Renderings>()};
  std::lock_guard lock(state_->mutex);
  state_->records.put(row, std::move(kept));
}

void ProgramCache::forget_client(const std::string& client_id) {
  std::lock_guard lock(state_->mutex);
  state_->records.forget_client(client_id);
  state_->plans.forget_client(client_id);
}

size_t ProgramCache::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->records.size();
}

size_t ProgramCache::plans_kept() const {
  std::lock_guard lock(state_->mutex);
  return state_->plans.size();
}

}  // namespace rebalance::record
