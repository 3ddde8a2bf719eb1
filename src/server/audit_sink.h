// Where requests write their audit entries (and small document writes such
// as session logs, which must be durable together with their audit entry).
// Each call goes straight to the store's group commit (Store::commit_batch,
// or commit_batch_async for a request that should not hold a thread while
// it waits; spec/service.md): calls from concurrent requests share one
// transaction and one flush to disk, a group starts as soon as the one
// before it has committed, and a request whose own writes fail fails alone.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace rebalance::server {

class AuditSink {
 public:
  explicit AuditSink(std::shared_ptr<store::Store> store) : store_(std::move(store)) {}

  // Blocks until `entries` are durable. Throws store::StoreError when they
  // are not.
  void record(const std::vector<store::AuditEntry>& entries) { store_->commit_batch({}, entries); }
  // Commits `documents` together with `entries`, atomically for this request.
  void record(const std::vector<std::pair<store::DocKind, store::Document>>& documents,
              const std::vector<store::AuditEntry>& entries) {
    store_->commit_batch(documents, entries);
  }
  // Queues `documents` and `entries` and returns at once; `done` gets the
  // outcome (empty: durable) on the committer's thread
  // (store::Store::commit_batch_async).
  void record_async(std::vector<std::pair<store::DocKind, store::Document>> documents,
                    std::vector<store::AuditEntry> entries, std::function<void(const std::string& error)> done) {
    store_->commit_batch_async(std::move(documents), std::move(entries), std::move(done));
  }

 private:
  std::shared_ptr<store::Store> store_;
};

}  // namespace rebalance::server
