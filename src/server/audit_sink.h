// Where requests write their audit entries (and small document writes such
// as session logs, which must be durable together with their audit entry).
// Each call goes straight to the store's group commit (Store::commit_batch,
// spec/service.md): calls from concurrent requests share one transaction and
// one flush to disk, a group starts as soon as the one before it has
// committed, and a request whose own writes fail fails alone.
#pragma once

#include <memory>
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

 private:
  std::shared_ptr<store::Store> store_;
};

}  // namespace rebalance::server
