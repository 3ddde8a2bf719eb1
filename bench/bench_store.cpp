// The store alone, without HTTP: what a request of the service asks of it,
// from many threads at once, measured as requests per second and latency.
//
//   bench_store [--threads N] [--seconds S] [--postgres URL]
//
// On a fresh SQLite file in a temporary directory (WAL, synchronous=FULL),
// or on the PostgreSQL database URL names (its tables must not exist yet:
// give it an empty database; for durable figures a server with fsync on,
// which scripts/with-postgres.sh turns off, and bench/load.py leaves on). Three
// loads, each for S seconds on N threads (default 64, the server's workers):
//   POST log   commit_batch of one log and its audit entry (durable)
//   GET reads  session, user, program and client: the reads of a GET
//   GET        those reads and the read's audit entry, committed (durable)
// Figures, not a test.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace {

using rebalance::store::AuditEntry;
using rebalance::store::DocKind;
using rebalance::store::Document;
using rebalance::store::Store;
using Clock = std::chrono::steady_clock;

struct Figures {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  int errors = 0;
};

// Runs `request` on `threads` threads for `seconds`.
Figures measure(int threads, int seconds, const std::function<void(int thread, int i)>& request) {
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::atomic<int> errors{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> pool;
  const auto started = Clock::now();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto& mine = latencies[static_cast<size_t>(t)];
      for (int i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        const auto begin = Clock::now();
        try {
          request(t, i);
        } catch (const std::exception& e) {
          if (errors++ == 0) std::fprintf(stderr, "bench_store: %s\n", e.what());
        }
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& thread : pool) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Figures f;
  f.per_second = static_cast<double>(all.size()) / elapsed;
  if (!all.empty()) {
    f.p50_ms = all[all.size() / 2];
    f.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  f.errors = errors.load();
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 64;
  int seconds = 5;
  std::string postgres;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--threads") {
      threads = std::atoi(argv[i + 1]);
    } else if (flag == "--seconds") {
      seconds = std::atoi(argv[i + 1]);
    } else if (flag == "--postgres") {
      postgres = argv[i + 1];
    } else {
      std::fprintf(stderr, "usage: bench_store [--threads N] [--seconds S] [--postgres URL]\n");
      return 2;
    }
  }
  namespace fs = std::filesystem;
  fs::path dir;
  std::unique_ptr<Store> db;
  if (postgres.empty()) {
    dir = fs::temp_directory_path() / ("rebalance-bench-store-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    db = rebalance::store::open_sqlite((dir / "bench.db").string());
  } else {
    db = rebalance::store::open_postgres(postgres, static_cast<size_t>(threads));
  }
  db->migrate();

  // One practitioner, one client, an assessment and a program of a
  // realistic size, and a session, as the HTTP benchmark sets up.
  db->create_user({"u_p", "p@x.org", "P", rebalance::store::Role::kPractitioner, "hash", "", 1});
  db->create_session({"token-hash", "u_p", "csrf", rebalance::store::now_s() + 3600});
  db->create_client({"c_1", "u_p", "Bench", "", "", 1, 1});
  db->add_document(DocKind::kAssessment,
                   Document{"a_1", "c_1", "", "kb", std::string(8000, 'i'), std::string(12000, 'f'), "u_p", 1, ""});
  db->add_document(DocKind::kProgram,
                   Document{"p_1", "c_1", "a_1", "kb", std::string(200, 'c'), std::string(40000, 'p'), "u_p", 2, ""});
  const std::string log = R"({"week": 1, "day": 1, "date": "2026-12-01", "effort": 5, "pain": 1, "items": []})";

  auto reads = [&] {
    const auto session = db->session("token-hash", rebalance::store::now_s());
    const auto user = db->user_by_id(session->user_id);
    const auto program = db->document(DocKind::kProgram, "p_1");
    const auto client = db->client(program->client_id);
    if (!user || !client) throw std::runtime_error("missing rows");
  };
  const Figures post = measure(threads, seconds, [&](int t, int i) {
    const std::string id = "l_" + std::to_string(t) + "_" + std::to_string(i);
    db->commit_batch({{DocKind::kLog, Document{id, "c_1", "p_1", "kb", log, "", "u_p", rebalance::store::now_ms(), ""}}},
                     {AuditEntry{0, rebalance::store::now_ms(), "u_p", "create", "log", id, "c_1"}});
  });
  const Figures get_reads = measure(threads, seconds, [&](int, int) { reads(); });
  const Figures get = measure(threads, seconds, [&](int, int) {
    reads();
    db->append_audit({AuditEntry{0, rebalance::store::now_ms(), "u_p", "read", "program", "p_1", "c_1"}});
  });

  std::printf("%s, %d threads, %d s each:\n\n", postgres.empty() ? "SQLite (WAL, synchronous=FULL)" : "PostgreSQL", threads,
              seconds);
  std::printf("| store calls of | per second | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n");
  const std::pair<const char*, Figures> rows[] = {
      {"POST log: commit_batch (log + audit entry)", post},
      {"GET program, reads only: session, user, program, client", get_reads},
      {"GET program: the reads + append_audit", get},
  };
  for (const auto& [name, f] : rows)
    std::printf("| %s | %.0f | %.2f | %.2f | %d |\n", name, f.per_second, f.p50_ms, f.p99_ms, f.errors);
  db.reset();
  if (!dir.empty()) fs::remove_all(dir);
  return 0;
}
