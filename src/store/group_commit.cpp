#include "store/detail/group_commit.h"

namespace rebalance::store::detail {

namespace {

// A failure's message; never empty, since an empty error means durable.
std::string reason(const std::exception& e) {
  const std::string what = e.what();
  return what.empty() ? "the commit failed" : what;
}

size_t bytes_of(const Write& w) {
  size_t n = 0;
  if (w.documents != nullptr)
    for (const auto& [kind, d] : *w.documents) n += d.input.size() + d.output.size();
  return n;
}

}  // namespace

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_.notify_one();
  if (committer_.joinable()) committer_.join();
}

void GroupCommit::enqueue(Queued q) {
  std::lock_guard lock(mutex_);
  if (!committer_.joinable()) committer_ = std::thread([this] { run(); });
  queue_.push_back(std::move(q));
  // The committer is idle only when the queue was empty; otherwise it takes
  // this write with the next group without being told.
  if (queue_.size() == 1 && committing_ == 0) work_.notify_one();
}

void GroupCommit::write(Write write) {
  // The promise is shared with the completion, so it outlives set_value even
  // when this caller has already woken and returned.
  auto outcome = std::make_shared<std::promise<std::string>>();
  std::future<std::string> result = outcome->get_future();
  enqueue({write, nullptr, [outcome](const std::string& error) { outcome->set_value(error); }});
  if (std::string error = result.get(); !error.empty()) throw StoreError(error);
}

void GroupCommit::write_async(std::vector<std::pair<DocKind, Document>> documents, std::vector<AuditEntry> entries,
                              std::function<void(const std::string& error)> done) {
  auto owned = std::make_shared<const Owned>(Owned{std::move(documents), std::move(entries)});
  const Write write{&owned->documents, &owned->entries};
  enqueue({write, std::move(owned), std::move(done)});
}

void GroupCommit::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to commit
    // Everything queued joins, up to the limits.
    std::vector<Queued> members;
    std::vector<Write> group;
    size_t bytes = 0;
    while (!queue_.empty()) {
      const size_t b = bytes_of(queue_.front().write);
      if (!members.empty() && (members.size() == kMaxGroupWrites || bytes + b > kMaxGroupBytes)) break;
      bytes += b;
      group.push_back(queue_.front().write);
      members.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    committing_ = members.size();
    // Writes queued from here on form the next group.
    lock.unlock();
    std::vector<std::string> errors = commit_group(group);
    // Nothing of this group is queued any more by the time its first caller
    // learns the outcome.
    lock.lock();
    committing_ = 0;
    lock.unlock();
    for (size_t i = 0; i < members.size(); ++i) {
      try {
        members[i].done(errors[i]);
      } catch (...) {
        // A completion must not throw; one that does loses only its own answer.
      }
    }
    lock.lock();
  }
}

size_t GroupCommit::queued() {
  std::lock_guard lock(mutex_);
  return queue_.size() + committing_;
}

std::vector<std::string> GroupCommit::commit_group(const std::vector<Write>& group) {
  std::vector<std::string> errors(group.size());
  try {
    commit_(group, nullptr);
    return errors;
  } catch (const CommitUncertain& e) {
    for (auto& error : errors) error = reason(e);
    return errors;
  } catch (const std::exception& e) {
    if (group.size() == 1) {
      errors[0] = reason(e);
      return errors;
    }
  }
  // A statement failed and the transaction was rolled back: nothing of the
  // group is written, so it is committed again with each write in its own
  // savepoint, and only the writes that fail again are refused.
  try {
    commit_(group, &errors);
  } catch (const std::exception& e) {
    for (auto& error : errors)
      if (error.empty()) error = reason(e);
  }
  return errors;
}

}  // namespace rebalance::store::detail
