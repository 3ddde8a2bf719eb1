// Group commit (spec/service.md), shared by both stores. Callers hand in
// their small durable writes (documents, audit entries) and either wait
// (write) or name what to do once they are durable (write_async). One
// committer thread commits every write queued at that moment in one
// transaction, so one fsync serves them all. A group starts as soon as the
// previous one has committed, with no gather window: writes that arrive while
// a group commits queue up and form the next group, so the group grows with
// the load and a lone write waits for nothing but its own commit. An
// asynchronous write holds no thread while it waits: a server thread hands
// in a request's audit entries and goes on to the next request.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/store.h"

namespace rebalance::store::detail {

// One caller's writes, committed together or not at all. Borrowed: the
// caller's vectors outlive the commit.
struct Write {
  const std::vector<std::pair<DocKind, Document>>* documents = nullptr;
  const std::vector<AuditEntry>* entries = nullptr;
};

// Thrown by a backend when COMMIT itself failed: the transaction may or may
// not have become durable, so no write of the group may be tried again.
struct CommitUncertain : StoreError {
  using StoreError::StoreError;
};

class GroupCommit {
 public:
  // How a backend commits a group, in one transaction.
  // With `errors` null: all or nothing. A failing statement throws
  //   StoreError after rolling back (nothing of the group is written); a
  //   failing COMMIT throws CommitUncertain.
  // With `errors` (one empty string per write): each write within its own
  //   savepoint; a write whose statements fail is undone alone and its
  //   message stored in its slot, the others commit. Throws (StoreError or
  //   CommitUncertain) only when the transaction as a whole fails.
  using Commit = std::function<void(const std::vector<Write>& writes, std::vector<std::string>* errors)>;

  // Groups hold at most this many writes, and more documents' bytes than
  // kMaxGroupBytes only when a single write does.
  static constexpr size_t kMaxGroupWrites = 512;
  static constexpr size_t kMaxGroupBytes = size_t{8} << 20;

  // The committer thread starts with the first write.
  explicit GroupCommit(Commit commit) : commit_(std::move(commit)) {}
  // Commits what is queued (every asynchronous write gets its outcome), then
  // stops the committer thread.
  ~GroupCommit();
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Blocks until `write` is durable, sharing its transaction with the writes
  // of other threads queued at the same time. Throws StoreError when it is
  // not: its own statements failed (the other writes of its group commit
  // without it), or its group's transaction failed (every write of the group
  // fails, none is written twice). Each call has exactly one outcome.
  // REQUIRES: the caller holds none of the backend's connections.
  void write(Write write);

  // Queues `documents` and `entries` (kept here until committed) and
  // returns at once; `done` is called once, on the committer thread, with
  // the outcome: empty when durable, else why not (as write would throw).
  // `done` must be quick (hand the outcome to another thread) and must not
  // throw.
  void write_async(std::vector<std::pair<DocKind, Document>> documents, std::vector<AuditEntry> entries,
                   std::function<void(const std::string& error)> done);

  // Writes queued at this moment, the group being committed included.
  size_t queued();

 private:
  // The writes of a caller of write_async.
  struct Owned {
    std::vector<std::pair<DocKind, Document>> documents;
    std::vector<AuditEntry> entries;
  };
  // A queued write and what to call with its outcome. A blocking write is one
  // whose completion wakes its caller.
  struct Queued {
    Write write;
    std::shared_ptr<const Owned> owned;  // write_async: what `write` points into
    std::function<void(const std::string&)> done;
  };

  void enqueue(Queued q);
  void run();
  // Commits `group`; the error of each write, empty when durable. Never throws.
  std::vector<std::string> commit_group(const std::vector<Write>& group);

  Commit commit_;
  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<Queued> queue_;
  size_t committing_ = 0;  // writes of the group being committed
  bool stopping_ = false;
  std::thread committer_;
};

}  // namespace rebalance::store::detail
