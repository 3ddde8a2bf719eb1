// Group commit of audit entries (spec/service.md): requests append to a batch
// and wait until one transaction holding the whole batch has committed, so
// fsyncs are shared by every request in flight.
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

 private:
  struct Pending {
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
