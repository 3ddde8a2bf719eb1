#include <list>
#include <mutex>
#include <unordered_map>

#include "record/record.h"

namespace rebalance::record {
namespace {

// What identifies the row a record was decoded from, besides its id: a row
// restored from another database under the same id is decoded anew.
struct RowKey {
  std::string client_id;
  int64_t created_at = 0;
  std::string kb_version;
  size_t input_size = 0, output_size = 0;
  bool operator==(const RowKey&) const = default;
};

RowKey key_of(const store::Document& row) {
  return {row.client_id, row.created_at, row.kb_version, row.input.size(), row.output.size()};
}

}  // namespace

struct ProgramCache::State {
  struct Entry {
    std::string id;
    RowKey key;
    std::shared_ptr<const ProgramRecord> record;
    std::shared_ptr<Renderings> renderings;
  };
  mutable std::mutex mutex;
  size_t capacity;
  std::list<Entry> order;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_id;

  explicit State(size_t c) : capacity(c) {}

  std::optional<Answer> find(const store::Document& row) {
    std::lock_guard lock(mutex);
    const auto it = by_id.find(row.id);
    if (it == by_id.end() || !(it->second->key == key_of(row))) return std::nullopt;
    order.splice(order.begin(), order, it->second);
    return Answer{it->second->record, it->second->renderings, {}};
  }

  void put(const store::Document& row, std::shared_ptr<const ProgramRecord> record,
           std::shared_ptr<Renderings> renderings) {
    if (row.id.empty() || capacity == 0) return;
    std::lock_guard lock(mutex);
    if (const auto it = by_id.find(row.id); it != by_id.end()) {
      order.erase(it->second);
      by_id.erase(it);
    }
    order.push_front(Entry{row.id, key_of(row), std::move(record), std::move(renderings)});
    by_id[row.id] = order.begin();
    while (order.size() > capacity) {
      by_id.erase(order.back().id);
      order.pop_back();
    }
  }
};

ProgramCache::ProgramCache(size_t capacity) : state_(std::make_unique<State>(capacity)) {}
ProgramCache::~ProgramCache() = default;

std::shared_ptr<const std::string> Renderings::get(size_t slot, const std::function<std::string()>& make) {
  std::lock_guard lock(mutex_);  // readers of one version wait for one rendering, not one each
  auto& text = texts_.at(slot);
  if (!text) text = std::make_shared<const std::string>(make());
  return text;
}

ProgramCache::Answer ProgramCache::decode(const store::Document& row) {
  if (auto kept = state_->find(row)) return std::move(*kept);
  // Decoded outside the lock: a large program must not hold up other readers.
  auto decoded = decode_program_record(row);
  if (!decoded.value) return {nullptr, nullptr, std::move(decoded.problems)};
  Answer answer{std::make_shared<const ProgramRecord>(std::move(*decoded.value)), std::make_shared<Renderings>(), {}};
  state_->put(row, answer.record, answer.renderings);
  return answer;
}

void ProgramCache::keep(const store::Document& row, ProgramRecord record) {
  state_->put(row, std::make_shared<const ProgramRecord>(std::move(record)), std::make_shared<Renderings>());
}

void ProgramCache::forget_client(const std::string& client_id) {
  std::lock_guard lock(state_->mutex);
  for (auto it = state_->order.begin(); it != state_->order.end();) {
    if (it->key.client_id == client_id) {
      state_->by_id.erase(it->id);
      it = state_->order.erase(it);
    } else {
      ++it;
    }
  }
}

size_t ProgramCache::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->order.size();
}

}  // namespace rebalance::record
