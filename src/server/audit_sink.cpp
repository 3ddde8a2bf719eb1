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

void AuditSink::record(std::vector<store::AuditEntry> entries) {
  auto pending = std::make_shared<Pending>();
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
    std::vector<store::AuditEntry> all;
    for (const auto& p : batch) all.insert(all.end(), p->entries.begin(), p->entries.end());
    std::string error;
    try {
      store_->append_audit(all);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    for (const auto& p : batch) {
      p->done = true;
      p->failed = !error.empty();
      p->error = error;
    }
    done_.notify_all();
  }
}

}  // namespace rebalance::server
