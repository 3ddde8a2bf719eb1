#include "server/audit_sink.h"

#include <chrono>

namespace rebalance::server {

namespace {
constexpr size_t kMaxBatch = 512;
constexpr auto kGather = std::chrono::milliseconds(2);
}  // namespace

AuditSink::AuditSink(std::shared_ptr<store::Store> store) : store_(std::move(store)), thread_([this] { run(); }) {}

AuditSink::~AuditSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AuditSink::record(std::vector<store::AuditEntry> entries) { record({}, std::move(entries)); }

void AuditSink::record(std::vector<std::pair<store::DocKind, store::Document>> documents,
                       std::vector<store::AuditEntry> entries) {
  auto pending = std::make_shared<Pending>();
  pending->documents = std::move(documents);
  pending->entries = std::move(entries);
  std::unique_lock lock(mutex_);
  queue_.push_back(pending);
  wake_.notify_one();
  done_.wait(lock, [&] { return pending->done; });
  if (pending->failed) throw store::StoreError(pending->error);
}

void AuditSink::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty() && stopping_) return;
    // Let concurrent requests join the batch for a moment.
    wake_.wait_for(lock, kGather, [&] { return queue_.size() >= kMaxBatch || stopping_; });
    std::vector<std::shared_ptr<Pending>> batch(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    std::vector<std::pair<store::DocKind, store::Document>> documents;
    std::vector<store::AuditEntry> entries;
    for (const auto& p : batch) {
      documents.insert(documents.end(), p->documents.begin(), p->documents.end());
      entries.insert(entries.end(), p->entries.begin(), p->entries.end());
    }
    std::string error;
    try {
      store_->commit_batch(documents, entries);
    } catch (const std::exception& e) {
      error = e.what();
    }
    // A failed batch: each request's part alone, so only the bad one fails.
    std::vector<std::string> errors(batch.size(), error);
    if (!error.empty() && batch.size() > 1)
      for (size_t i = 0; i < batch.size(); ++i) {
        try {
          store_->commit_batch(batch[i]->documents, batch[i]->entries);
          errors[i].clear();
        } catch (const std::exception& e) {
          errors[i] = e.what();
        }
      }
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->done = true;
      batch[i]->failed = !errors[i].empty();
      batch[i]->error = errors[i];
    }
    done_.notify_all();
  }
}

}  // namespace rebalance::server
