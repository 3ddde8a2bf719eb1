// Group commit (spec/service.md): requests append their audit entries (and
// small document writes such as session logs) to a batch and wait until one
// transaction holding the whole batch has committed, so fsyncs are shared by
// every request in flight. When a batch fails, each request's part is retried
// alone, so one bad write cannot fail its neighbours.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.h"

namespace rebalance::server {

class AuditSink {
 public:
  explicit AuditSink(std::shared_ptr<store::Store> store);
  ~AuditSink();  // commits what is queued, then stops
  AuditSink(const AuditSink&) = delete;
  AuditSink& operator=(const AuditSink&) = delete;

  // Blocks until `entries` are durable. Throws store::StoreError when the
  // batch could not be committed.
  void record(std::vector<store::AuditEntry> entries);
  // Commits `documents` together with `entries`, atomically for this request.
  void record(std::vector<std::pair<store::DocKind, store::Document>> documents, std::vector<store::AuditEntry> entries);

 private:
  struct Pending {
    std::vector<std::pair<store::DocKind, store::Document>> documents;
    std::vector<store::AuditEntry> entries;
    bool done = false;
    bool failed = false;
    std::string error;
  };
  void run();

  std::shared_ptr<store::Store> store_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::deque<std::shared_ptr<Pending>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rebalance::server
