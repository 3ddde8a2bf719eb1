// The group commit's contract, on a recording backend: writes that queue
// while a group commits form the next group with no gather window, a failing
// write fails alone, an uncertain commit fails its whole group without a
// retry, and every call has exactly one outcome.
#include "store/detail/group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace rebalance::store::detail {
namespace {

// One caller's writes: a single log whose id names it ("bad..." fails).
struct Caller {
  std::vector<std::pair<DocKind, Document>> documents;
  std::vector<AuditEntry> entries;
  explicit Caller(const std::string& id, size_t bytes = 0) {
    Document d;
    d.id = id;
    d.input = std::string(bytes, 'x');
    documents.push_back({DocKind::kLog, d});
    entries.push_back(AuditEntry{0, 0, "u", "create", "log", id, "c"});
  }
  Write write() const { return {&documents, &entries}; }
};

std::string id_of(const Write& w) { return w.documents->front().second.id; }

// A backend that records each transaction it is asked for: the ids of the
// group, and whether it was the savepoint-per-write retry.
struct Recorder {
  struct Transaction {
    std::vector<std::string> ids;
    bool isolated = false;
  };
  std::mutex mutex;
  std::vector<Transaction> transactions;
  bool uncertain_commit = false;  // every COMMIT fails with an unknown outcome
  std::set<std::string> durable;

  void commit(const std::vector<Write>& writes, std::vector<std::string>* errors) {
    // A commit takes a moment (an fsync would), so that writes meet in groups.
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::lock_guard lock(mutex);
    Transaction t;
    t.isolated = errors != nullptr;
    for (const auto& w : writes) t.ids.push_back(id_of(w));
    transactions.push_back(t);
    if (uncertain_commit) throw CommitUncertain("connection lost during COMMIT");
    for (size_t i = 0; i < writes.size(); ++i) {
      if (t.ids[i].rfind("bad", 0) != 0) continue;
      if (errors == nullptr) throw StoreError("FOREIGN KEY constraint failed");
      (*errors)[i] = "FOREIGN KEY constraint failed";
    }
    for (size_t i = 0; i < writes.size(); ++i)
      if (errors == nullptr || (*errors)[i].empty()) durable.insert(t.ids[i]);
  }
};

GroupCommit::Commit to(Recorder& r) {
  return [&r](const std::vector<Write>& writes, std::vector<std::string>* errors) { r.commit(writes, errors); };
}

// Waits (a few seconds at most) until `condition` holds.
template <typename Condition>
bool eventually(Condition condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Holds the commit of the write "l_first" until opened, and tells when the
// committer has reached it.
class Gate {
 public:
  void hold_if_first(const std::vector<Write>& writes) {
    if (id_of(writes.front()) != "l_first") return;
    std::unique_lock lock(mutex_);
    entered_ = true;
    changed_.wait(lock, [&] { return open_; });
  }
  bool entered() {
    std::lock_guard lock(mutex_);
    return entered_;
  }
  void open() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool entered_ = false, open_ = false;
};

TEST(GroupCommit, ALoneWriteCommitsAtOnceInItsOwnTransaction) {
  Recorder recorder;
  GroupCommit group(to(recorder));
  const Caller one("l_1");
  const auto started = std::chrono::steady_clock::now();
  group.write(one.write());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  ASSERT_EQ(recorder.transactions.size(), 1u);
  EXPECT_EQ(recorder.transactions[0].ids, std::vector<std::string>{"l_1"});
  EXPECT_EQ(group.queued(), 0u);
}

// While one group commits (its fsync, say), the writes that arrive queue;
// the moment it is done, the next group takes every one of them.
TEST(GroupCommit, WritesQueuedDuringACommitFormTheNextGroup) {
  Gate gate;
  Recorder recorder;
  GroupCommit* group_ptr = nullptr;
  GroupCommit group([&](const std::vector<Write>& writes, std::vector<std::string>* errors) {
    gate.hold_if_first(writes);
    recorder.commit(writes, errors);
  });
  group_ptr = &group;

  const Caller first("l_first");
  std::thread leader([&] { group.write(first.write()); });
  // The committer holds the first write (not merely queued: the writes below
  // must queue behind a group being committed).
  ASSERT_TRUE(eventually([&] { return gate.entered(); }));
  std::vector<Caller> callers;
  for (int i = 0; i < 10; ++i) callers.emplace_back("l_" + std::to_string(i));
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) threads.emplace_back([&, i] { group.write(callers[static_cast<size_t>(i)].write()); });
  ASSERT_TRUE(eventually([&] { return group_ptr->queued() == 11; }));
  gate.open();
  leader.join();
  for (auto& t : threads) t.join();

  ASSERT_EQ(recorder.transactions.size(), 2u) << "one commit for the first write, one for the ten queued behind it";
  EXPECT_EQ(recorder.transactions[0].ids.size(), 1u);
  EXPECT_EQ(recorder.transactions[1].ids.size(), 10u);
  EXPECT_EQ(recorder.durable.size(), 11u);
  EXPECT_EQ(group.queued(), 0u);
}

TEST(GroupCommit, AFailingWriteFailsAloneAndTheRestOfItsGroupCommitsOnce) {
  Gate gate;
  Recorder recorder;
  GroupCommit* group_ptr = nullptr;
  GroupCommit group([&](const std::vector<Write>& writes, std::vector<std::string>* errors) {
    gate.hold_if_first(writes);
    recorder.commit(writes, errors);
  });
  group_ptr = &group;
  const Caller first("l_first");
  std::thread leader([&] { group.write(first.write()); });
  // The committer holds the first write (not merely queued: the writes below
  // must queue behind a group being committed).
  ASSERT_TRUE(eventually([&] { return gate.entered(); }));

  std::vector<Caller> callers;
  for (int i = 0; i < 6; ++i) callers.emplace_back((i % 3 == 1 ? "bad_" : "l_") + std::to_string(i));
  std::vector<std::string> outcomes(callers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < callers.size(); ++i) {
    threads.emplace_back([&, i] {
      try {
        group.write(callers[i].write());
        outcomes[i] = "durable";
      } catch (const StoreError& e) {
        outcomes[i] = e.what();
      }
    });
  }
  ASSERT_TRUE(eventually([&] { return group_ptr->queued() == 7; }));
  gate.open();
  leader.join();
  for (auto& t : threads) t.join();

  for (size_t i = 0; i < callers.size(); ++i) {
    const std::string& id = callers[i].documents.front().second.id;
    if (id.rfind("bad", 0) == 0) {
      EXPECT_EQ(outcomes[i], "FOREIGN KEY constraint failed") << id;
      EXPECT_FALSE(recorder.durable.contains(id)) << id;
    } else {
      EXPECT_EQ(outcomes[i], "durable") << id;
      EXPECT_TRUE(recorder.durable.contains(id)) << id;
    }
  }
  // The group of six: rolled back whole, then committed once with a
  // savepoint per write.
  ASSERT_EQ(recorder.transactions.size(), 3u);
  EXPECT_FALSE(recorder.transactions[1].isolated);
  EXPECT_TRUE(recorder.transactions[2].isolated);
  EXPECT_EQ(recorder.transactions[2].ids.size(), 6u);
}

TEST(GroupCommit, AnUncertainCommitFailsEveryWriteOfItsGroupAndIsNeverRetried) {
  Recorder recorder;
  recorder.uncertain_commit = true;
  GroupCommit group(to(recorder));
  constexpr int kThreads = 8;
  std::vector<Caller> callers;
  for (int i = 0; i < kThreads; ++i) callers.emplace_back("l_" + std::to_string(i));
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      try {
        group.write(callers[static_cast<size_t>(i)].write());
      } catch (const StoreError& e) {
        EXPECT_STREQ(e.what(), "connection lost during COMMIT");
        ++failed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), kThreads);
  size_t attempted = 0;
  for (const auto& t : recorder.transactions) {
    EXPECT_FALSE(t.isolated) << "a commit whose outcome is unknown is not tried again";
    attempted += t.ids.size();
  }
  EXPECT_EQ(attempted, size_t{kThreads}) << "each write was in exactly one transaction";
}

TEST(GroupCommit, GroupsStayWithinTheirLimits) {
  Gate gate;
  Recorder recorder;
  GroupCommit* group_ptr = nullptr;
  GroupCommit group([&](const std::vector<Write>& writes, std::vector<std::string>* errors) {
    gate.hold_if_first(writes);
    recorder.commit(writes, errors);
  });
  group_ptr = &group;
  const Caller first("l_first");
  std::thread leader([&] { group.write(first.write()); });
  // The committer holds the first write (not merely queued: the writes below
  // must queue behind a group being committed).
  ASSERT_TRUE(eventually([&] { return gate.entered(); }));

  // Three writes of 3 MiB each: two fit in 8 MiB, the third starts a group.
  std::vector<Caller> callers;
  for (int i = 0; i < 3; ++i) callers.emplace_back("l_big_" + std::to_string(i), size_t{3} << 20);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&, i] { group.write(callers[static_cast<size_t>(i)].write()); });
    ASSERT_TRUE(eventually([&] { return group_ptr->queued() == static_cast<size_t>(i) + 2; }));
  }
  gate.open();
  leader.join();
  for (auto& t : threads) t.join();
  ASSERT_EQ(recorder.transactions.size(), 3u);
  EXPECT_EQ(recorder.transactions[1].ids, (std::vector<std::string>{"l_big_0", "l_big_1"}));
  EXPECT_EQ(recorder.transactions[2].ids, (std::vector<std::string>{"l_big_2"}));
}

// Many threads, some writes failing: every call returns or throws once, and
// exactly the calls that returned are durable.
TEST(GroupCommit, EveryCallHasOneOutcomeAndExactlyTheAcknowledgedAreDurable) {
  Recorder recorder;
  GroupCommit group(to(recorder));
  constexpr int kThreads = 16;
  constexpr int kWrites = 200;
  std::mutex mutex;
  std::set<std::string> acknowledged, refused;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string id = ((i * 7 + t) % 11 == 0 ? "bad_" : "l_") + std::to_string(t) + "_" + std::to_string(i);
        const Caller caller(id);
        try {
          group.write(caller.write());
          std::lock_guard lock(mutex);
          EXPECT_TRUE(acknowledged.insert(id).second);
        } catch (const StoreError&) {
          std::lock_guard lock(mutex);
          EXPECT_TRUE(refused.insert(id).second);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(acknowledged.size() + refused.size(), size_t{kThreads * kWrites});
  EXPECT_EQ(recorder.durable, acknowledged);
  for (const auto& id : refused) EXPECT_EQ(id.rfind("bad", 0), 0u) << id;
  EXPECT_LT(recorder.transactions.size(), size_t{kThreads * kWrites}) << "some writes shared a transaction";
}

// Asynchronous writes: no thread waits; each gets one outcome, after its
// commit, and they share groups with blocking writes.
TEST(GroupCommit, AnAsynchronousWriteGetsOneOutcomeOnceItsGroupHasCommitted) {
  Recorder recorder;
  GroupCommit group(to(recorder));
  constexpr int kWrites = 300;
  std::mutex mutex;
  std::condition_variable all_done;
  std::map<std::string, std::string> outcomes;  // id -> error ("" durable)
  int calls = 0;
  for (int i = 0; i < kWrites; ++i) {
    const std::string id = (i % 10 == 3 ? "bad_" : "l_") + std::to_string(i);
    const Caller caller(id);
    // The caller's vectors go out of scope at once: the group keeps its own.
    group.write_async(caller.documents, caller.entries, [&, id](const std::string& error) {
      std::lock_guard lock(mutex);
      // Durable already when told so.
      if (error.empty()) {
        std::lock_guard recorded(recorder.mutex);
        EXPECT_TRUE(recorder.durable.contains(id)) << id;
      }
      EXPECT_TRUE(outcomes.emplace(id, error).second) << id << " told twice";
      ++calls;
      all_done.notify_one();
    });
  }
  // A blocking write joins a group like any other.
  const Caller blocking("l_blocking");
  group.write(blocking.write());
  std::unique_lock lock(mutex);
  ASSERT_TRUE(all_done.wait_for(lock, std::chrono::seconds(10), [&] { return calls == kWrites; }));
  for (const auto& [id, error] : outcomes) {
    if (id.rfind("bad", 0) == 0)
      EXPECT_EQ(error, "FOREIGN KEY constraint failed") << id;
    else
      EXPECT_EQ(error, "") << id;
  }
  std::lock_guard recorded(recorder.mutex);
  EXPECT_TRUE(recorder.durable.contains("l_blocking"));
  EXPECT_EQ(recorder.durable.size(), size_t{kWrites - kWrites / 10 + 1});
  EXPECT_LT(recorder.transactions.size(), size_t{kWrites}) << "the writes shared transactions";
}

// A store closing with writes queued commits them and tells each outcome.
TEST(GroupCommit, WritesQueuedWhenItIsDestroyedAreCommittedAndAnswered) {
  Recorder recorder;
  std::atomic<int> durable{0};
  {
    GroupCommit group(to(recorder));
    for (int i = 0; i < 50; ++i) {
      const Caller caller("l_" + std::to_string(i));
      group.write_async(caller.documents, caller.entries, [&](const std::string& error) {
        if (error.empty()) ++durable;
      });
    }
  }
  EXPECT_EQ(durable.load(), 50);
  EXPECT_EQ(recorder.durable.size(), 50u);
}

}  // namespace
}  // namespace rebalance::store::detail
