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

void GroupCommit::write(Write write) {
  Waiter self;
  self.write = write;
  std::unique_lock lock(mutex_);
  queue_.push_back(&self);
  self.wake.wait(lock, [&] { return self.done || queue_.front() == &self; });
  if (self.done) {
    if (!self.error.empty()) throw StoreError(self.error);
    return;
  }

  // The leader: everything queued behind it joins, up to the limits.
  std::vector<Waiter*> members;
  std::vector<Write> group;
  size_t bytes = 0;
  for (Waiter* w : queue_) {
    const size_t b = bytes_of(w->write);
    if (!members.empty() && (members.size() == kMaxGroupWrites || bytes + b > kMaxGroupBytes)) break;
    members.push_back(w);
    group.push_back(w->write);
    bytes += b;
  }
  // Writes queued from here on wait for this group to finish, then form the next.
  lock.unlock();
  std::vector<std::string> errors = commit_group(group);
  lock.lock();
  for (size_t i = 0; i < members.size(); ++i) {
    Waiter* w = queue_.front();
    queue_.pop_front();
    w->error = std::move(errors[i]);
    w->done = true;
    if (w != &self) w->wake.notify_one();
  }
  if (!queue_.empty()) queue_.front()->wake.notify_one();  // the next leader
  if (!self.error.empty()) throw StoreError(self.error);
}

size_t GroupCommit::queued() {
  std::lock_guard lock(mutex_);
  return queue_.size();
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
