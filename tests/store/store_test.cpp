// The storage contract, run against every backend: SQLite always, PostgreSQL
// when REBALANCE_TEST_POSTGRES_URL names a server (scripts/with-postgres.sh
// starts a throwaway one). Each test starts from an empty database: a fresh
// SQLite file in its own directory, or a fresh PostgreSQL schema, both removed
// afterwards, so PostgreSQL tests may also run in parallel (ctest -j).
#include "store/store.h"

#include <gtest/gtest.h>
#include <postgresql/libpq-fe.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace rebalance::store {
namespace {

namespace fs = std::filesystem;

constexpr int kSchemaVersion = 10;

const char* postgres_url() {
  const char* url = std::getenv("REBALANCE_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

// A name no other test run uses: letters, digits and '_' only.
std::string unique_name(const std::string& prefix) {
  static std::mutex mutex;
  static std::mt19937_64 random{std::random_device{}()};
  std::lock_guard lock(mutex);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(random()));
  return prefix + hex;
}

// A plain libpq connection to the test server, for what the Store interface
// does not offer: creating and dropping schemas, ending sessions.
class PostgresAdmin {
 public:
  explicit PostgresAdmin(const char* url) : conn_(PQconnectdb(url)) {
    if (PQstatus(conn_) != CONNECTION_OK) throw std::runtime_error(std::string("admin connection: ") + PQerrorMessage(conn_));
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PostgresAdmin() { PQfinish(conn_); }
  PostgresAdmin(const PostgresAdmin&) = delete;
  PostgresAdmin& operator=(const PostgresAdmin&) = delete;

  // Runs one statement with text parameters; returns the first column of the first row.
  std::string exec(const std::string& sql, const std::vector<std::string>& params = {}) {
    std::vector<const char*> values;
    for (const auto& p : params) values.push_back(p.c_str());
    PGresult* r = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
    const ExecStatusType status = PQresultStatus(r);
    std::string out;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    const std::string error = PQresultErrorMessage(r);
    PQclear(r);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) throw std::runtime_error("admin: " + error);
    return out;
  }

 private:
  PGconn* conn_;
};

// `url` (a URI or a keyword/value string) with libpq settings added: every
// table lives in `schema`, and the server lists the store's sessions under
// `schema` as application name.
std::string url_in_schema(const std::string& url, const std::string& schema) {
  if (url.rfind("postgres://", 0) != 0 && url.rfind("postgresql://", 0) != 0) {
    return url + " options='-csearch_path=" + schema + "' application_name=" + schema;
  }
  const char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + "options=-csearch_path%3D" + schema + "&application_name=" + schema;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (sqlite()) {
      dir_ = fs::temp_directory_path() / unique_name("rebalance_store_test_");
      fs::create_directories(dir_);
      target_ = (dir_ / "store.db").string();
    } else {
      const char* url = postgres_url();
      if (url == nullptr) GTEST_SKIP() << "REBALANCE_TEST_POSTGRES_URL is not set; run under scripts/with-postgres.sh";
      schema_ = unique_name("store_test_");
      admin_ = std::make_unique<PostgresAdmin>(url);
      admin_->exec("CREATE SCHEMA " + schema_);
      target_ = url_in_schema(url, schema_);
    }
    store_ = open();
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ignored;
      fs::remove_all(dir_, ignored);
    }
    if (admin_) admin_->exec("DROP SCHEMA " + schema_ + " CASCADE");
  }

  bool sqlite() const { return GetParam() == "sqlite"; }

  // Another store on the same database, as a second server process would open it.
  std::unique_ptr<Store> open() const { return sqlite() ? open_sqlite(target_) : open_postgres(target_); }

  // The store under test, migrated on first use.
  Store& db() {
    if (!migrated_) {
      store_->migrate();
      migrated_ = true;
    }
    return *store_;
  }

  User practitioner(const std::string& id = "u_practitioner") {
    User u{id, id + "@clinic.example", "Dr " + id, Role::kPractitioner, "", "", 1000};
    db().create_user(u);
    return u;
  }
  Client add_client(const std::string& id, const std::string& practitioner_id, const std::string& name = "") {
    Client c{id, practitioner_id, name.empty() ? "Client " + id : name, id + "@mail.example", "notes of " + id, 2000, 2000};
    db().create_client(c);
    return c;
  }
  Document doc(const std::string& id, const std::string& client_id, const std::string& parent_id, int64_t created_at) {
    return Document{id,
                    client_id,
                    parent_id,
                    "kb-1",
                    R"({"input":")" + id + R"("})",
                    R"({"output":")" + id + R"("})",
                    "u_practitioner",
                    created_at,
                    ""};
  }

  std::string target_;  // SQLite path or PostgreSQL URL
  std::unique_ptr<Store> store_;
  fs::path dir_;        // SQLite only
  std::string schema_;  // PostgreSQL only
  std::unique_ptr<PostgresAdmin> admin_;

 private:
  bool migrated_ = false;
};

// Runs `body(thread_index)` on `threads` threads started together; returns
// the messages of the exceptions they threw.
template <typename Body>
std::vector<std::string> on_threads(int threads, Body body) {
  std::mutex mutex;
  std::vector<std::string> errors;
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      ++ready;
      while (ready.load() < threads) std::this_thread::yield();
      try {
        body(t);
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors.push_back(e.what());
      }
    });
  }
  for (auto& thread : pool) thread.join();
  return errors;
}

TEST_P(StoreTest, MigratingAnEmptyDatabaseCreatesTheSchemaOnce) {
  EXPECT_THROW(store_->count_users(), StoreError) << "the database should start empty";
  EXPECT_EQ(store_->migrate(), kSchemaVersion);
  EXPECT_EQ(store_->count_users(), 0);
  practitioner();
  EXPECT_EQ(store_->migrate(), kSchemaVersion);
  auto second = open();
  EXPECT_EQ(second->migrate(), kSchemaVersion);
  EXPECT_EQ(second->count_users(), 1) << "migrating again must keep the data";
}

// Server processes starting at once on one database: the advisory lock makes
// all but one wait and then find nothing to do. (SQLite reads the version
// inside its BEGIN IMMEDIATE write transaction for the same effect.)
TEST_P(StoreTest, ConcurrentMigrationsOfAnEmptyDatabaseAgree) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(open());
  std::atomic<int> agreed{0};
  const auto errors = on_threads(4, [&](int t) {
    if (stores[static_cast<size_t>(t)]->migrate() == kSchemaVersion) ++agreed;
  });
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(agreed.load(), 4);
  EXPECT_EQ(stores[0]->count_users(), 0);
}

TEST_P(StoreTest, UsersAreFoundByIdAndEmail) {
  const User admin{"u_admin", "admin@clinic.example", "Ada Admin", Role::kAdmin, "", "", 1700000000};
  const User client_user{"u_client", "client@mail.example", "Cy Client", Role::kClient, "$argon2id$v=19$x", "c_1", 1700000001};
  db().create_user(admin);
  db().create_user(client_user);

  const auto by_id = db().user_by_id("u_client");
  ASSERT_TRUE(by_id);
  EXPECT_EQ(by_id->email, "client@mail.example");
  EXPECT_EQ(by_id->name, "Cy Client");
  EXPECT_EQ(by_id->role, Role::kClient);
  EXPECT_EQ(by_id->password_hash, "$argon2id$v=19$x");
  EXPECT_EQ(by_id->client_id, "c_1");
  EXPECT_EQ(by_id->created_at, 1700000001);

  const auto by_email = db().user_by_email("admin@clinic.example");
  ASSERT_TRUE(by_email);
  EXPECT_EQ(by_email->id, "u_admin");
  EXPECT_EQ(by_email->role, Role::kAdmin);
  EXPECT_EQ(by_email->client_id, "") << "no client record reads back as empty";
  EXPECT_EQ(by_email->password_hash, "");

  EXPECT_FALSE(db().user_by_id("u_nobody"));
  EXPECT_FALSE(db().user_by_email("nobody@mail.example"));
  EXPECT_EQ(db().count_users(), 2);

  db().set_password("u_admin", "$argon2id$v=19$new");
  EXPECT_EQ(db().user_by_id("u_admin")->password_hash, "$argon2id$v=19$new");
}

TEST_P(StoreTest, DuplicateEmailIsRefused) {
  db().create_user(User{"u_1", "same@clinic.example", "One", Role::kPractitioner, "", "", 1});
  try {
    db().create_user(User{"u_2", "same@clinic.example", "Two", Role::kPractitioner, "", "", 2});
    FAIL() << "a second user with the same email was accepted";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()), "") << "the error carries the database's message";
  }
  EXPECT_EQ(db().count_users(), 1);
  EXPECT_EQ(db().user_by_email("same@clinic.example")->id, "u_1");
}

TEST_P(StoreTest, SessionsLastUntilTheirExpiryAndCanBeDeleted) {
  practitioner();
  db().create_session(Session{"h_live", "u_practitioner", "csrf-1", 5000});
  db().create_session(Session{"h_other", "u_practitioner", "csrf-2", 9000});

  const auto live = db().session("h_live", 4999);
  ASSERT_TRUE(live);
  EXPECT_EQ(live->user_id, "u_practitioner");
  EXPECT_EQ(live->csrf_token, "csrf-1");
  EXPECT_EQ(live->expires_at, 5000);
  EXPECT_FALSE(db().session("h_live", 5000)) << "a session is over at its expiry second";
  EXPECT_FALSE(db().session("h_unknown", 0));

  db().delete_session("h_live");
  EXPECT_FALSE(db().session("h_live", 0));
  EXPECT_TRUE(db().session("h_other", 0)) << "deleting one session leaves the others";
}

TEST_P(StoreTest, SessionForAnUnknownUserIsRefused) {
  EXPECT_THROW(db().create_session(Session{"h", "u_nobody", "csrf", 5000}), StoreError);
}

// Three quick attempts, then 1 s, 2 s, 4 s ... between attempts, at most
// six per window; the window starts at the first attempt and does not slide.
TEST_P(StoreTest, LoginAttemptsWaitLongerStepByStepWithinTheirWindow) {
  const ThrottlePolicy account{3, 6, 60, 1, 4};
  const ThrottlePolicy loose{100, 100, 60, 1, 1};
  auto attempt = [&](int64_t now) { return db().begin_login_attempt("a@x.org", "10.0.0.1", now, account, loose); };
  EXPECT_EQ(attempt(100), 0);
  EXPECT_EQ(attempt(100), 0);
  EXPECT_EQ(attempt(100), 0) << "three attempts go through at once";
  EXPECT_EQ(attempt(100), 1) << "the fourth waits a second after the third";
  EXPECT_EQ(attempt(101), 0);
  EXPECT_EQ(attempt(102), 1) << "the fifth waits two seconds after the fourth";
  EXPECT_EQ(attempt(103), 0);
  EXPECT_EQ(attempt(103), 4) << "the sixth waits four";
  EXPECT_EQ(attempt(107), 0);
  EXPECT_EQ(attempt(108), 52) << "after six, the rest of the window (opened at 100, 60 s)";
  EXPECT_EQ(attempt(160), 0) << "a new window";
  EXPECT_EQ(db().begin_login_attempt("b@x.org", "10.0.0.1", 160, account, loose), 0) << "accounts count separately";
}

TEST_P(StoreTest, ASuccessfulLoginForgetsTheAccountsAttemptsAndGivesTheAddressItsOneBack) {
  const ThrottlePolicy account{2, 10, 60, 30, 30};
  const ThrottlePolicy address{2, 10, 60, 30, 30};
  EXPECT_EQ(db().begin_login_attempt("a@x.org", "10.0.0.1", 100, account, address), 0);
  EXPECT_EQ(db().begin_login_attempt("a@x.org", "10.0.0.1", 100, account, address), 0);
  EXPECT_EQ(db().begin_login_attempt("b@x.org", "10.0.0.1", 100, account, address), 30) << "the address has had two";
  db().login_succeeded("a@x.org", "10.0.0.1");
  EXPECT_EQ(db().begin_login_attempt("b@x.org", "10.0.0.1", 100, account, address), 0) << "one back for the address";
  EXPECT_EQ(db().begin_login_attempt("a@x.org", "10.0.0.2", 100, account, address), 0) << "the account starts afresh";
}

// Concurrent attempts are decided one at a time: exactly the free attempts
// go through, whatever the interleaving (threads and pooled connections).
TEST_P(StoreTest, ConcurrentLoginAttemptsCannotSlipPastTheLimit) {
  const ThrottlePolicy account{5, 5, 900, 60, 60};
  const ThrottlePolicy loose{1000, 1000, 900, 1, 1};
  on_threads(8, [&](int) { db().count_users(); });  // warm the pool
  std::atomic<int> allowed{0};
  const auto errors = on_threads(32, [&](int t) {
    if (db().begin_login_attempt("victim@x.org", "10.0.0." + std::to_string(t), 1000, account, loose) == 0) ++allowed;
  });
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(allowed.load(), 5);
}

TEST_P(StoreTest, ClientsAreListedByNameForTheirPractitionerOnly) {
  practitioner("u_p1");
  practitioner("u_p2");
  // Byte order, as SQLite sorts: capitals first, ties broken by id.
  add_client("c_4", "u_p1", "bob");
  add_client("c_3", "u_p1", "Bob");
  add_client("c_2", "u_p1", "alice");
  add_client("c_1", "u_p1", "Alice");
  add_client("c_0", "u_p1", "Alice");
  add_client("c_9", "u_p2", "Aaron");

  std::vector<std::string> ids;
  for (const auto& c : db().clients_of("u_p1")) ids.push_back(c.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"c_0", "c_1", "c_3", "c_2", "c_4"}));
  ASSERT_EQ(db().clients_of("u_p2").size(), 1u);
  EXPECT_TRUE(db().clients_of("u_nobody").empty());
}

TEST_P(StoreTest, ClientsAreCreatedReadAndUpdated) {
  practitioner();
  add_client("c_1", "u_practitioner", "Jo Client");
  auto c = db().client("c_1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->practitioner_id, "u_practitioner");
  EXPECT_EQ(c->name, "Jo Client");
  EXPECT_EQ(c->email, "c_1@mail.example");
  EXPECT_EQ(c->notes, "notes of c_1");
  EXPECT_EQ(c->created_at, 2000);

  c->name = "Jo Renamed";
  c->email = "jo@mail.example";
  c->notes = "desk worker; tight hips";
  c->updated_at = 3000;
  c->created_at = 9999;            // not updatable
  c->practitioner_id = "u_other";  // not updatable
  db().update_client(*c);
  const auto updated = db().client("c_1");
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->name, "Jo Renamed");
  EXPECT_EQ(updated->email, "jo@mail.example");
  EXPECT_EQ(updated->notes, "desk worker; tight hips");
  EXPECT_EQ(updated->updated_at, 3000);
  EXPECT_EQ(updated->created_at, 2000);
  EXPECT_EQ(updated->practitioner_id, "u_practitioner");

  EXPECT_FALSE(db().client("c_nobody"));
  EXPECT_THROW(add_client("c_2", "u_nobody"), StoreError) << "a client needs an existing practitioner";
}

TEST_P(StoreTest, AnInviteCreatesTheClientsAccountOnceBeforeItExpires) {
  practitioner();
  add_client("c_1", "u_practitioner", "Dana");
  db().create_invite(Invite{"i_once", "h_once", "c_1", "u_practitioner", 10, 1000, 0});
  db().create_invite(Invite{"i_late", "h_late", "c_1", "u_practitioner", 10, 1000, 0});
  auto account = [](const std::string& email) { return User{"u_" + email, email, "", Role::kClient, "hash", "", 500}; };

  User late = account("late@x.org");
  EXPECT_EQ(db().redeem_invite("h_late", 1000, late), Store::Redeemed::kInvalid) << "an invite is over at its expiry second";
  User unknown = account("u@x.org");
  EXPECT_EQ(db().redeem_invite("h_unknown", 0, unknown), Store::Redeemed::kInvalid);

  User dana = account("dana@x.org");
  ASSERT_EQ(db().redeem_invite("h_once", 999, dana), Store::Redeemed::kOk);
  const auto stored = db().client_account("c_1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->email, "dana@x.org");
  EXPECT_EQ(stored->name, "Dana") << "the account is named as the client";
  EXPECT_EQ(stored->role, Role::kClient);
  User again = account("again@x.org");
  EXPECT_EQ(db().redeem_invite("h_once", 999, again), Store::Redeemed::kInvalid) << "an invite works once";
  EXPECT_EQ(db().redeem_invite("h_late", 999, again), Store::Redeemed::kClientHasAccount)
      << "a second invite does not make a second account";
  EXPECT_FALSE(db().user_by_email("again@x.org"));
}

TEST_P(StoreTest, AnInviteCannotTakeAnEmailThatHasAnAccount) {
  practitioner();
  add_client("c_1", "u_practitioner");
  db().create_invite(Invite{"i_1", "h_1", "c_1", "u_practitioner", 10, 1000, 0});
  User taken{"u_x", "u_practitioner@clinic.example", "", Role::kClient, "hash", "", 500};
  EXPECT_EQ(db().redeem_invite("h_1", 100, taken), Store::Redeemed::kEmailTaken);
  User free{"u_y", "new@x.org", "", Role::kClient, "hash", "", 500};
  EXPECT_EQ(db().redeem_invite("h_1", 100, free), Store::Redeemed::kOk) << "the refused attempt left the invite unused";
}

TEST_P(StoreTest, OnlyOneOfManyConcurrentRedemptionsOfAClientsInvitesSucceeds) {
  practitioner();
  add_client("c_1", "u_practitioner");
  for (int i = 0; i < 8; ++i)
    db().create_invite(Invite{"i_" + std::to_string(i), "h_" + std::to_string(i), "c_1", "u_practitioner", 10, 1000, 0});
  // Warm the pool first, so that opening connections does not serialise the race.
  on_threads(8, [&](int) { db().count_users(); });
  std::atomic<int> successes{0};
  const auto errors = on_threads(8, [&](int t) {
    // Half the threads race for one invite, half for invites of their own.
    User u{"u_" + std::to_string(t), std::to_string(t) + "@x.org", "", Role::kClient, "hash", "", 500};
    if (db().redeem_invite("h_" + std::to_string(t % 2 == 0 ? 0 : t), 500, u) == Store::Redeemed::kOk) ++successes;
  });
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(successes.load(), 1) << "a client has one account";
}

TEST_P(StoreTest, DocumentsAreListedOldestFirstByClientAndByProgram) {
  practitioner();
  add_client("c_1", "u_practitioner");
  add_client("c_2", "u_practitioner");
  db().add_document(DocKind::kAssessment, doc("a_2", "c_1", "", 200));
  db().add_document(DocKind::kAssessment, doc("a_1", "c_1", "", 100));
  db().add_document(DocKind::kAssessment, doc("a_3", "c_2", "", 50));
  db().add_document(DocKind::kProgram, doc("p_1", "c_1", "a_1", 300));
  db().add_document(DocKind::kProgram, doc("p_2", "c_1", "a_2", 300));
  db().add_document(DocKind::kLog, doc("l_b", "c_1", "p_1", 500));
  db().add_document(DocKind::kLog, doc("l_c", "c_1", "p_1", 400));
  db().add_document(DocKind::kLog, doc("l_a", "c_1", "p_1", 500));
  db().add_document(DocKind::kLog, doc("l_x", "c_1", "p_2", 450));

  auto ids = [](const std::vector<Document>& docs) {
    std::vector<std::string> out;
    for (const auto& d : docs) out.push_back(d.id);
    return out;
  };
  EXPECT_EQ(ids(db().documents_of_client(DocKind::kAssessment, "c_1")), (std::vector<std::string>{"a_1", "a_2"}));
  EXPECT_EQ(ids(db().documents_of_client(DocKind::kProgram, "c_1")), (std::vector<std::string>{"p_1", "p_2"}));
  EXPECT_EQ(ids(db().documents_of_client(DocKind::kLog, "c_1")), (std::vector<std::string>{"l_c", "l_x", "l_a", "l_b"}));
  EXPECT_EQ(ids(db().documents_of_client(DocKind::kAssessment, "c_2")), (std::vector<std::string>{"a_3"}));
  EXPECT_EQ(ids(db().logs_of_program("p_1")), (std::vector<std::string>{"l_c", "l_a", "l_b"}));
  EXPECT_TRUE(db().logs_of_program("a_1").empty()) << "a program of an assessment is not a log";

  const auto program = db().document(DocKind::kProgram, "p_1");
  ASSERT_TRUE(program);
  EXPECT_EQ(program->client_id, "c_1");
  EXPECT_EQ(program->parent_id, "a_1");
  EXPECT_EQ(program->kb_version, "kb-1");
  EXPECT_EQ(program->input, R"({"input":"p_1"})");
  EXPECT_EQ(program->output, R"({"output":"p_1"})");
  EXPECT_EQ(program->created_by, "u_practitioner");
  EXPECT_EQ(program->created_at, 300);
  EXPECT_FALSE(db().document(DocKind::kAssessment, "p_1")) << "documents are found by kind";
  EXPECT_FALSE(db().document(DocKind::kProgram, "p_nobody"));

  // The head: who and when, not the bytes.
  const auto head = db().document_head(DocKind::kProgram, "p_1");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->id, "p_1");
  EXPECT_EQ(head->client_id, "c_1");
  EXPECT_EQ(head->parent_id, "a_1");
  EXPECT_EQ(head->kb_version, "kb-1");
  EXPECT_EQ(head->created_by, "u_practitioner");
  EXPECT_EQ(head->created_at, 300);
  EXPECT_EQ(head->input, "");
  EXPECT_EQ(head->output, "");
  EXPECT_EQ(head->review, "");
  EXPECT_FALSE(db().document_head(DocKind::kAssessment, "p_1"));
  EXPECT_FALSE(db().document_head(DocKind::kProgram, "p_nobody"));
  const auto assessment = db().document_head(DocKind::kAssessment, "a_1");
  ASSERT_TRUE(assessment) << "every kind has a head";
  EXPECT_EQ(assessment->client_id, "c_1");
  EXPECT_EQ(assessment->created_at, 100);
  EXPECT_EQ(assessment->input, "");
}

// A write handed in without waiting is durable when its completion says so,
// and a refused one (a document of a deleted client) says why.
TEST_P(StoreTest, AnAsynchronousBatchIsDurableWhenItsCompletionSaysSo) {
  practitioner();
  add_client("c_1", "u_practitioner");
  std::mutex mutex;
  std::condition_variable told;
  std::vector<std::pair<std::string, std::string>> outcomes;  // id, error
  auto hand_in = [&](const std::string& id, const std::string& client) {
    db().commit_batch_async({{DocKind::kLog, doc(id, client, "", 100)}},
                            {AuditEntry{0, 100, "u_practitioner", "create", "log", id, client}},
                            [&, id](const std::string& error) {
                              // Durable already when told so.
                              if (error.empty()) {
                                EXPECT_TRUE(db().document(DocKind::kLog, id)) << id;
                              }
                              std::lock_guard lock(mutex);
                              outcomes.emplace_back(id, error);
                              told.notify_one();
                            });
  };
  hand_in("l_1", "c_1");
  hand_in("l_2", "c_nobody");
  hand_in("l_3", "c_1");
  std::unique_lock lock(mutex);
  ASSERT_TRUE(told.wait_for(lock, std::chrono::seconds(20), [&] { return outcomes.size() == 3; }));
  std::sort(outcomes.begin(), outcomes.end());
  EXPECT_EQ(outcomes[0].second, "");
  EXPECT_NE(outcomes[1].second, "") << "a log of an unknown client is refused";
  EXPECT_EQ(outcomes[2].second, "");
  EXPECT_FALSE(db().document(DocKind::kLog, "l_2"));
  const auto trail = db().audit(0, 100);
  EXPECT_EQ(std::count_if(trail.begin(), trail.end(), [](const AuditEntry& e) { return e.action == "create"; }), 2)
      << "the refused write's audit entry went with it";
}

// Deleting a client leaves nothing of theirs in any file of a SQLite
// database: not in the main file's free space (secure_delete), not in the
// write-ahead log (checkpointed and truncated), not in the throttling table.
TEST_P(StoreTest, ADeletedClientIsInNoFileOfTheSqliteDatabase) {
  if (!sqlite()) GTEST_SKIP() << "PostgreSQL's storage is its own (docs/security.md)";
  practitioner();
  const std::string marker = "ZQXMARKER";
  Client c{"c_gone", "u_practitioner", marker + "-name", marker + "-client@mail.example", marker + "-notes", 10, 10};
  db().create_client(c);
  db().create_user(User{"u_gone", marker + "-account@mail.example", marker, Role::kClient, "hash", "c_gone", 10});
  std::string big(20000, 'x');  // overflow pages too
  db().add_document(DocKind::kAssessment,
                    Document{"a_gone", "c_gone", "", "kb", R"({"note":")" + marker + big + R"("})", marker, "u_practitioner", 1,
                             ""});
  db().set_review("a_gone", R"({"notes":")" + marker + R"(-clinical"})");
  db().add_document(DocKind::kLog, Document{"l_gone", "c_gone", "p", "kb", R"({"note":")" + marker + R"(-log"})", "",
                                            "u_gone", 2, ""});
  const ThrottlePolicy policy;
  db().begin_login_attempt(marker + "-account@mail.example", "10.0.0.1", 100, policy, policy);
  add_client("c_kept", "u_practitioner");
  // Closing the last connection checkpoints: the data is now in the main file too.
  store_.reset();
  store_ = open();
  // An open reader elsewhere must not keep the old pages alive.
  auto second = open();
  ASSERT_TRUE(second->client("c_gone"));

  ASSERT_TRUE(db().delete_client("c_gone", "u_practitioner"));
  for (const char* suffix : {"", "-wal"}) {
    const fs::path file = target_ + suffix;
    if (!fs::exists(file)) continue;
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(marker), std::string::npos) << file << " still holds the deleted client's data";
  }
  EXPECT_TRUE(second->client("c_kept"));
  EXPECT_FALSE(second->client("c_gone"));
}

TEST_P(StoreTest, DocumentOfAnUnknownClientIsRefused) {
  EXPECT_THROW(db().add_document(DocKind::kAssessment, doc("a_1", "c_nobody", "", 1)), StoreError);
}

TEST_P(StoreTest, DeletingAClientRemovesAllTheirDataAndIsAudited) {
  practitioner();
  for (const std::string c : {"c_gone", "c_kept"}) {
    add_client(c, "u_practitioner");
    db().create_user(User{"u_" + c, c + "@account.example", c, Role::kClient, "hash", c, 3000});
    db().create_session(Session{"h_" + c, "u_" + c, "csrf", 9999});
    db().create_invite(Invite{"i_" + c, "h_" + c, c, "u_practitioner", 10, 9999, 0});
    db().add_document(DocKind::kAssessment, doc("a_" + c, c, "", 10));
    db().add_document(DocKind::kProgram, doc("p_" + c, c, "a_" + c, 20));
    db().add_document(DocKind::kLog, doc("l_" + c, c, "p_" + c, 30));
  }
  db().create_session(Session{"h_practitioner", "u_practitioner", "csrf", 9999});
  db().append_audit({AuditEntry{0, 1, "u_practitioner", "read", "client", "c_gone", "c_gone"}});

  const int64_t before = now_ms();
  EXPECT_TRUE(db().delete_client("c_gone", "u_practitioner"));
  const int64_t after = now_ms();

  EXPECT_FALSE(db().client("c_gone"));
  EXPECT_FALSE(db().user_by_id("u_c_gone")) << "the client's account goes";
  EXPECT_FALSE(db().user_by_email("c_gone@account.example"));
  EXPECT_FALSE(db().session("h_c_gone", 0)) << "and its sessions";
  EXPECT_TRUE(db().links_of_client("c_gone", 0).empty()) << "and the invites";
  EXPECT_FALSE(db().document(DocKind::kAssessment, "a_c_gone"));
  EXPECT_FALSE(db().document(DocKind::kProgram, "p_c_gone"));
  EXPECT_FALSE(db().document(DocKind::kLog, "l_c_gone"));
  for (const auto kind : {DocKind::kAssessment, DocKind::kProgram, DocKind::kLog}) {
    EXPECT_TRUE(db().documents_of_client(kind, "c_gone").empty());
  }
  EXPECT_TRUE(db().logs_of_program("p_c_gone").empty());

  EXPECT_TRUE(db().client("c_kept"));
  EXPECT_TRUE(db().user_by_id("u_c_kept"));
  EXPECT_TRUE(db().session("h_c_kept", 0));
  EXPECT_TRUE(db().document(DocKind::kAssessment, "a_c_kept"));
  EXPECT_TRUE(db().document(DocKind::kProgram, "p_c_kept"));
  EXPECT_EQ(db().logs_of_program("p_c_kept").size(), 1u);
  EXPECT_EQ(db().links_of_client("c_kept", 0).size(), 1u);
  EXPECT_TRUE(db().user_by_id("u_practitioner")) << "the practitioner who deleted stays";
  EXPECT_TRUE(db().session("h_practitioner", 0));
  EXPECT_EQ(db().count_users(), 2);

  const auto trail = db().audit(0, 100);
  ASSERT_EQ(trail.size(), 2u) << "the audit trail is kept, and the deletion added to it";
  EXPECT_EQ(trail[0].action, "read");
  const AuditEntry& deletion = trail[1];
  EXPECT_EQ(deletion.user_id, "u_practitioner");
  EXPECT_EQ(deletion.action, "delete");
  EXPECT_EQ(deletion.resource, "client");
  EXPECT_EQ(deletion.resource_id, "c_gone");
  EXPECT_EQ(deletion.client_id, "c_gone");
  EXPECT_GE(deletion.at, before);
  EXPECT_LE(deletion.at, after);
}

TEST_P(StoreTest, DeletingAnUnknownClientChangesNothing) {
  practitioner();
  add_client("c_1", "u_practitioner");
  EXPECT_FALSE(db().delete_client("c_nobody", "u_practitioner"));
  EXPECT_TRUE(db().client("c_1"));
  EXPECT_TRUE(db().audit(0, 10).empty()) << "nothing deleted, nothing audited";
}

TEST_P(StoreTest, AuditPagesFollowIncreasingIds) {
  db().append_audit({});
  EXPECT_TRUE(db().audit(0, 10).empty());

  std::vector<AuditEntry> entries;
  for (int i = 0; i < 25; ++i) {
    entries.push_back(AuditEntry{0, 1000 + i, "u_" + std::to_string(i % 3), i % 2 ? "read" : "update", "assessment",
                                 "a_" + std::to_string(i), "c_" + std::to_string(i % 4)});
  }
  db().append_audit(entries);

  std::vector<AuditEntry> all;
  int64_t after = 0;
  std::vector<size_t> page_sizes;
  for (;;) {
    const auto page = db().audit(after, 10);
    if (page.empty()) break;
    page_sizes.push_back(page.size());
    for (const auto& e : page) {
      EXPECT_GT(e.id, after);
      after = e.id;
      all.push_back(e);
    }
  }
  EXPECT_EQ(page_sizes, (std::vector<size_t>{10, 10, 5}));
  ASSERT_EQ(all.size(), entries.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].at, entries[i].at) << "entries keep their order";
    EXPECT_EQ(all[i].user_id, entries[i].user_id);
    EXPECT_EQ(all[i].action, entries[i].action);
    EXPECT_EQ(all[i].resource, entries[i].resource);
    EXPECT_EQ(all[i].resource_id, entries[i].resource_id);
    EXPECT_EQ(all[i].client_id, entries[i].client_id);
  }
  EXPECT_EQ(db().audit(all[11].id, 3).front().id, all[12].id);
  EXPECT_EQ(db().audit(0, -1).size(), 25u) << "a negative limit means all";
}

// Every write a thread saw acknowledged is there afterwards, whichever
// thread or pooled connection made it.
TEST_P(StoreTest, ConcurrentWritesFromEightThreadsAreAllKept) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 15;
  practitioner();
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  const auto errors = on_threads(kThreads, [&](int t) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      const std::string id = "c_" + std::to_string(t) + "_" + std::to_string(i);
      add_client(id, "u_practitioner");
      db().add_document(DocKind::kAssessment, doc("a_" + id, id, "", i));
      db().append_audit({AuditEntry{0, now_ms(), "u_practitioner", "create", "client", id, id}});
      db().begin_login_attempt("shared@x.org", "10.0.0.1", 1000, ThrottlePolicy{100000, 100000, 3600, 1, 1},
                               ThrottlePolicy{100000, 100000, 3600, 1, 1});
      std::lock_guard lock(mutex);
      acknowledged.push_back(id);
    }
  });
  ASSERT_TRUE(errors.empty()) << errors.size() << " writes failed, first: " << errors.front();

  ASSERT_EQ(acknowledged.size(), size_t{kThreads * kWritesPerThread});
  for (const auto& id : acknowledged) {
    EXPECT_TRUE(db().client(id)) << id;
    EXPECT_TRUE(db().document(DocKind::kAssessment, "a_" + id)) << id;
  }
  EXPECT_EQ(db().clients_of("u_practitioner").size(), acknowledged.size());
  const auto trail = db().audit(0, -1);
  std::set<std::string> audited;
  for (const auto& e : trail) audited.insert(e.resource_id);
  EXPECT_EQ(audited, std::set<std::string>(acknowledged.begin(), acknowledged.end()));
  // No attempt is lost: the next one finds them all counted.
  const ThrottlePolicy exact{kThreads * kWritesPerThread, kThreads * kWritesPerThread, 3600, 1, 1};
  EXPECT_GT(db().begin_login_attempt("shared@x.org", "10.0.0.2", 1000, exact, exact), 0);
}

// backup_sqlite copies a database that is being written to; the copy opens
// as a working store holding everything acknowledged before the copy began.
TEST_P(StoreTest, BackupOfALiveDatabaseRestoresEveryAcknowledgedWrite) {
  if (!sqlite()) GTEST_SKIP() << "backup_sqlite is for SQLite; PostgreSQL is backed up with its own tools";
  practitioner();
  for (int i = 0; i < 50; ++i) {
    add_client("c_before_" + std::to_string(i), "u_practitioner");
    db().add_document(DocKind::kAssessment, doc("a_before_" + std::to_string(i), "c_before_" + std::to_string(i), "", i));
  }

  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::atomic<bool> writer_failed{false};
  std::string writer_error;  // read after join
  std::thread writer([&] {
    try {
      while (!stop.load()) {
        add_client("c_during_" + std::to_string(written.load()), "u_practitioner");
        ++written;
      }
    } catch (const std::exception& e) {
      writer_error = e.what();
      writer_failed = true;
    }
  });
  while (written.load() < 5 && !writer_failed.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int acknowledged_before_copy = written.load();
  const std::string copy_path = (dir_ / "copy.db").string();
  EXPECT_NO_THROW(backup_sqlite(target_, copy_path));
  stop = true;
  writer.join();
  ASSERT_EQ(writer_error, "");

  auto restored = open_sqlite(copy_path);
  EXPECT_EQ(restored->migrate(), kSchemaVersion);
  EXPECT_TRUE(restored->user_by_id("u_practitioner"));
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(restored->client("c_before_" + std::to_string(i)));
    EXPECT_TRUE(restored->document(DocKind::kAssessment, "a_before_" + std::to_string(i)));
  }
  for (int i = 0; i < acknowledged_before_copy; ++i) EXPECT_TRUE(restored->client("c_during_" + std::to_string(i))) << i;
  const auto copied = restored->clients_of("u_practitioner").size();
  EXPECT_GE(copied, size_t(50 + acknowledged_before_copy));
  EXPECT_LE(copied, size_t(50 + written.load()));

  // The copy is a working database of its own.
  restored->create_client(Client{"c_after_restore", "u_practitioner", "New", "", "", 1, 1});
  EXPECT_TRUE(restored->client("c_after_restore"));
  EXPECT_FALSE(db().client("c_after_restore"));
}

// A server restart or an ended session leaves dead connections in the pool;
// the store notices and connects again instead of failing the next calls.
TEST_P(StoreTest, BrokenConnectionsAreReplaced) {
  if (sqlite()) GTEST_SKIP() << "SQLite has no connections to lose";
  practitioner();
  // Several pooled connections, then the server ends every one of them.
  on_threads(4, [&](int) { db().count_users(); });
  const std::string ended =
      admin_->exec("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", {schema_});
  EXPECT_NE(ended, "0");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (admin_->exec("SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1", {schema_}) != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the server did not end the sessions";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  for (int i = 0; i < 6; ++i) EXPECT_TRUE(db().user_by_id("u_practitioner")) << "call " << i;
  const auto errors = on_threads(4, [&](int) { db().count_users(); });
  EXPECT_TRUE(errors.empty()) << errors.front();
}

TEST_P(StoreTest, UnreachableDatabaseThrowsStoreError) {
  if (sqlite()) {
    EXPECT_THROW(open_sqlite((dir_ / "no" / "such" / "dir" / "store.db").string()), StoreError);
  } else {
    // Port 1 on the loopback: nothing listens, the connection is refused at once.
    EXPECT_THROW(open_postgres("postgresql://postgres@127.0.0.1:1/rebalance_test?connect_timeout=5"), StoreError);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

TEST_P(StoreTest, ABatchCommitsDocumentsAndAuditTogetherOrNothing) {
  practitioner();
  add_client("c_1", "u_practitioner");
  db().commit_batch(
      {{DocKind::kLog, doc("l_1", "c_1", "p_1", 10)}, {DocKind::kLog, doc("l_2", "c_1", "p_1", 11)}},
      {AuditEntry{0, 5, "u_client", "create", "log", "l_1", "c_1"}, AuditEntry{0, 6, "u_client", "create", "log", "l_2", "c_1"}});
  EXPECT_EQ(db().logs_of_program("p_1").size(), 2u);
  EXPECT_EQ(db().audit(0, 10).size(), 2u);
  // A document of a client that does not exist breaks the foreign key: the
  // whole batch, audit entries included, is rolled back.
  EXPECT_THROW(
      db().commit_batch({{DocKind::kLog, doc("l_3", "c_1", "p_1", 12)}, {DocKind::kLog, doc("l_4", "c_missing", "p_1", 13)}},
                        {AuditEntry{0, 7, "u_client", "create", "log", "l_3", "c_1"}}),
      StoreError);
  EXPECT_EQ(db().logs_of_program("p_1").size(), 2u);
  EXPECT_EQ(db().audit(0, 10).size(), 2u);
}

// Many threads commit a log and its audit entry each, as requests do; after
// the store is closed and opened again (a restart), every acknowledged write
// is there, and once: no audit entry twice, none for a write that failed.
TEST_P(StoreTest, EveryGroupCommittedWriteIsKeptOnceAfterReopening) {
  constexpr int kThreads = 32;
  constexpr int kWritesPerThread = 25;
  practitioner();
  add_client("c_1", "u_practitioner");
  std::mutex mutex;
  std::set<std::string> acknowledged;
  const auto errors = on_threads(kThreads, [&](int t) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      const std::string id = "l_" + std::to_string(t) + "_" + std::to_string(i);
      db().commit_batch({{DocKind::kLog, doc(id, "c_1", "p_1", i)}},
                        {AuditEntry{0, now_ms(), "u_client", "create", "log", id, "c_1"}});
      std::lock_guard lock(mutex);
      acknowledged.insert(id);
    }
  });
  ASSERT_TRUE(errors.empty()) << errors.size() << " writes failed, first: " << errors.front();
  ASSERT_EQ(acknowledged.size(), size_t{kThreads * kWritesPerThread});

  store_.reset();
  store_ = open();
  std::set<std::string> kept;
  for (const auto& d : db().logs_of_program("p_1")) kept.insert(d.id);
  EXPECT_EQ(kept, acknowledged);
  std::multiset<std::string> audited;
  int64_t last_id = 0;
  for (const auto& e : db().audit(0, -1)) {
    audited.insert(e.resource_id);
    EXPECT_GT(e.id, last_id);
    last_id = e.id;
  }
  EXPECT_EQ(audited, std::multiset<std::string>(acknowledged.begin(), acknowledged.end()));
}

// A log of a client that is gone breaks the foreign key; it fails alone and
// the writes committed in the same group are kept.
TEST_P(StoreTest, AFailingWriteFailsAloneAndTheOthersOfItsGroupAreKept) {
  constexpr int kThreads = 16;
  constexpr int kWritesPerThread = 20;
  practitioner();
  add_client("c_1", "u_practitioner");
  std::mutex mutex;
  std::set<std::string> acknowledged, refused;
  on_threads(kThreads, [&](int t) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      const bool bad = (t + i) % 4 == 0;
      const std::string id = (bad ? "l_bad_" : "l_") + std::to_string(t) + "_" + std::to_string(i);
      try {
        db().commit_batch({{DocKind::kLog, doc(id, bad ? "c_missing" : "c_1", "p_1", i)}},
                          {AuditEntry{0, now_ms(), "u_client", "create", "log", id, "c_1"}});
        std::lock_guard lock(mutex);
        acknowledged.insert(id);
      } catch (const StoreError&) {
        std::lock_guard lock(mutex);
        refused.insert(id);
      }
    }
  });
  EXPECT_EQ(acknowledged.size() + refused.size(), size_t{kThreads * kWritesPerThread});
  for (const auto& id : refused) EXPECT_EQ(id.rfind("l_bad_", 0), 0u) << id << " failed with a bad neighbour";
  for (const auto& id : acknowledged) EXPECT_NE(id.rfind("l_bad_", 0), 0u) << id << " was acknowledged";

  std::set<std::string> kept;
  for (const auto& d : db().logs_of_program("p_1")) kept.insert(d.id);
  EXPECT_EQ(kept, acknowledged);
  std::multiset<std::string> audited;
  for (const auto& e : db().audit(0, -1)) audited.insert(e.resource_id);
  EXPECT_EQ(audited, std::multiset<std::string>(acknowledged.begin(), acknowledged.end()))
      << "a refused write's audit entry is rolled back with it";
}

// Two server processes on one database, each with its own connections and
// group commit: every write either acknowledged is kept, and the audit
// trail's ids stay unique and in commit order for a reader paging by id.
TEST_P(StoreTest, TwoStoresWritingAtOnceKeepEveryAcknowledgedWrite) {
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  practitioner();
  add_client("c_1", "u_practitioner");
  auto other = open();
  std::mutex mutex;
  std::set<std::string> acknowledged;
  const auto errors = on_threads(kThreads, [&](int t) {
    Store& store = t % 2 == 0 ? db() : *other;
    for (int i = 0; i < kWritesPerThread; ++i) {
      const std::string id = "l_" + std::to_string(t) + "_" + std::to_string(i);
      store.commit_batch({{DocKind::kLog, doc(id, "c_1", "p_1", i)}},
                         {AuditEntry{0, now_ms(), "u_client", "create", "log", id, "c_1"}});
      std::lock_guard lock(mutex);
      acknowledged.insert(id);
    }
  });
  ASSERT_TRUE(errors.empty()) << errors.size() << " writes failed, first: " << errors.front();
  for (Store* store : {&db(), other.get()}) {
    std::set<std::string> kept;
    for (const auto& d : store->logs_of_program("p_1")) kept.insert(d.id);
    EXPECT_EQ(kept, acknowledged);
    std::set<int64_t> ids;
    std::multiset<std::string> audited;
    for (const auto& e : store->audit(0, -1)) {
      ids.insert(e.id);
      audited.insert(e.resource_id);
    }
    EXPECT_EQ(ids.size(), acknowledged.size());
    EXPECT_EQ(audited, std::multiset<std::string>(acknowledged.begin(), acknowledged.end()));
  }
}

// Readers never wait for a writer: while another process holds a write
// transaction open (SQLite: the database's one write lock; PostgreSQL: an
// exclusive lock on the table), reads answer at once, from the last
// committed state. (A read that waited would take the 10 s busy timeout.)
TEST_P(StoreTest, ReadsDoNotWaitForAWriteInProgress) {
  practitioner();
  add_client("c_1", "u_practitioner");
  db().add_document(DocKind::kAssessment, doc("a_1", "c_1", "", 1));
  const std::string insert =
      "INSERT INTO %sclients (id, practitioner_id, name, email, notes, created_at, updated_at) "
      "VALUES ('c_pending', 'u_practitioner', 'Pending', '', '', 1, 1)";
  auto sql_for = [&](const std::string& prefix) {
    std::string out = insert;
    out.replace(out.find("%s"), 2, prefix);
    return out;
  };
  sqlite3* raw = nullptr;
  if (sqlite()) {
    ASSERT_EQ(sqlite3_open(target_.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, sql_for("").c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  } else {
    admin_->exec("BEGIN");
    admin_->exec("LOCK TABLE " + schema_ + ".clients, " + schema_ + ".documents IN EXCLUSIVE MODE");
    admin_->exec(sql_for(schema_ + "."));
  }

  const auto started = std::chrono::steady_clock::now();
  std::atomic<int> reads{0};
  const auto errors = on_threads(8, [&](int) {
    for (int i = 0; i < 20; ++i) {
      if (!db().client("c_1") || db().client("c_pending") || !db().document(DocKind::kAssessment, "a_1") ||
          db().clients_of("u_practitioner").size() != 1)
        throw std::runtime_error("a read saw something other than the last committed state");
      ++reads;
    }
  });
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_EQ(reads.load(), 160);
  EXPECT_LT(elapsed, std::chrono::seconds(3)) << "reads waited for the write transaction";

  if (sqlite()) {
    EXPECT_EQ(sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  } else {
    admin_->exec("COMMIT");
  }
  EXPECT_TRUE(db().client("c_pending")) << "once committed, the write is read";
}

// Under a steady stream of group commits the log is still checkpointed into
// the database file and started again, so it stays near the checkpoint size
// (1000 pages, about 4 MiB) instead of holding every write.
TEST_P(StoreTest, TheSqliteLogStaysBoundedWhileWritesGoOn) {
  if (!sqlite()) GTEST_SKIP() << "PostgreSQL checkpoints on its own";
  practitioner();
  add_client("c_1", "u_practitioner");
  const std::string big(32 * 1024, 'x');
  const auto errors = on_threads(8, [&](int t) {
    for (int i = 0; i < 100; ++i) {
      Document d = doc("l_" + std::to_string(t) + "_" + std::to_string(i), "c_1", "p_1", i);
      d.input = big;
      db().add_document(DocKind::kLog, d);
    }
  });
  ASSERT_TRUE(errors.empty()) << errors.front();
  const auto written = 800 * big.size();  // about 25 MiB
  EXPECT_LT(fs::file_size(target_ + "-wal"), written / 2) << "the log holds most writes: no checkpoint ran";
  EXPECT_GT(fs::file_size(target_), written / 2) << "the database file did not receive the writes";
  EXPECT_EQ(db().logs_of_program("p_1").size(), 800u);
}

// Documents and audit entries are stored byte for byte, whatever they hold
// (quotes, backslashes, braces and commas, line breaks, "NULL", non-ASCII,
// empty strings), alone or in a group of several.
TEST_P(StoreTest, GroupCommittedWritesKeepEveryCharacter) {
  practitioner();
  add_client("c_1", "u_practitioner");
  const std::vector<std::string> texts = {"",
                                          "NULL",
                                          R"({"a": "b\"c", "d": [1, 2]})",
                                          "back\\slash\\\\",
                                          "line\nbreak\ttab",
                                          "{braces},commas",
                                          "Zoë – 東京 ✓",
                                          " leading and trailing "};
  std::vector<std::pair<DocKind, Document>> documents;
  std::vector<AuditEntry> entries;
  for (size_t i = 0; i < texts.size(); ++i) {
    Document d = doc("l_" + std::to_string(i), "c_1", "p_1", static_cast<int64_t>(i));
    d.input = texts[i];
    d.output = texts[texts.size() - 1 - i];
    d.kb_version = texts[i];
    documents.push_back({DocKind::kLog, d});
    entries.push_back(AuditEntry{0, static_cast<int64_t>(i), texts[i], "create", "log", d.id, "c_1"});
  }
  db().commit_batch(documents, entries);
  db().add_document(DocKind::kLog, doc("l_alone", "c_1", "p_1", 99));
  const auto logs = db().logs_of_program("p_1");
  ASSERT_EQ(logs.size(), texts.size() + 1);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(logs[i].input, texts[i]);
    EXPECT_EQ(logs[i].output, texts[texts.size() - 1 - i]);
    EXPECT_EQ(logs[i].kb_version, texts[i]);
  }
  const auto trail = db().audit(0, -1);
  ASSERT_EQ(trail.size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(trail[i].user_id, texts[i]) << "audit entries keep their order";
    EXPECT_EQ(trail[i].at, static_cast<int64_t>(i));
  }
}

// Each connection prepares a statement once and reuses it: one that failed
// (a duplicate, a broken foreign key) serves the next call as well.
TEST_P(StoreTest, AStatementThatFailedServesTheNextCall) {
  practitioner();
  for (int i = 0; i < 3; ++i) {
    EXPECT_THROW(db().create_user(
                     User{"u_dup_" + std::to_string(i), "u_practitioner@clinic.example", "Dup", Role::kPractitioner, "", "", 1}),
                 StoreError);
    EXPECT_THROW(db().add_document(DocKind::kAssessment, doc("a_x", "c_missing", "", 1)), StoreError);
  }
  db().create_user(User{"u_new", "new@clinic.example", "New", Role::kPractitioner, "", "", 2});
  EXPECT_TRUE(db().user_by_email("new@clinic.example"));
  add_client("c_1", "u_practitioner");
  db().add_document(DocKind::kAssessment, doc("a_1", "c_1", "", 1));
  EXPECT_TRUE(db().document(DocKind::kAssessment, "a_1"));
  EXPECT_FALSE(db().document(DocKind::kAssessment, "a_x"));
}

// The pool holds at most the connections it was given, however many
// threads call at once.
TEST_P(StoreTest, APostgresPoolOpensNoMoreConnectionsThanItWasGiven) {
  if (sqlite()) GTEST_SKIP() << "SQLite opens a reader per concurrent reader, and no server counts them";
  practitioner();
  store_.reset();
  const std::string count_sql = "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (admin_->exec(count_sql, {schema_}) != "0") {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the closed store's sessions did not end";
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  store_ = open_postgres(target_, 3);
  std::atomic<int> most{0};
  const auto errors = on_threads(12, [&](int t) {
    for (int i = 0; i < 20; ++i) {
      store_->user_by_id("u_practitioner");
      if (t == 0 && i % 5 == 0) most = std::max(most.load(), std::stoi(admin_->exec(count_sql, {schema_})));
    }
  });
  EXPECT_TRUE(errors.empty()) << errors.front();
  EXPECT_LE(std::stoi(admin_->exec(count_sql, {schema_})), 3);
  EXPECT_LE(most.load(), 3);
}

// When the server refuses another connection (here a role's connection
// limit; in production max_connections shared with another process), calls
// wait for the connections the pool has instead of failing.
TEST_P(StoreTest, WhenThePostgresServerRefusesMoreConnectionsCallsShareTheOpenOnes) {
  if (sqlite()) GTEST_SKIP() << "PostgreSQL only";
  practitioner();
  const std::string role = unique_name("store_role_");
  admin_->exec("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 2");
  admin_->exec("GRANT ALL ON SCHEMA " + schema_ + " TO " + role);
  admin_->exec("GRANT ALL ON ALL TABLES IN SCHEMA " + schema_ + " TO " + role);
  admin_->exec("GRANT ALL ON ALL SEQUENCES IN SCHEMA " + schema_ + " TO " + role);
  std::string url = postgres_url();
  const auto at = url.find("postgres@");
  ASSERT_NE(at, std::string::npos) << "expected the URL of scripts/with-postgres.sh";
  url.replace(at, std::string("postgres@").size(), role + "@");
  std::vector<std::string> errors;
  {
    auto limited = open_postgres(url_in_schema(url, schema_), 8);
    errors = on_threads(8, [&](int t) {
      for (int i = 0; i < 10; ++i) {
        const std::string id = "l_" + std::to_string(t) + "_" + std::to_string(i);
        if (!limited->user_by_id("u_practitioner")) throw std::runtime_error("user not found");
        limited->append_audit({AuditEntry{0, now_ms(), "u_practitioner", "read", "client", id, "c_1"}});
      }
    });
  }
  admin_->exec("DROP OWNED BY " + role);
  admin_->exec("DROP ROLE " + role);
  EXPECT_TRUE(errors.empty()) << errors.size() << " calls failed, first: " << errors.front();
  EXPECT_EQ(db().audit(0, -1).size(), 80u);
}

TEST_P(StoreTest, AClientIsHandedOverToAnotherPractitioner) {
  practitioner("u_p1");
  practitioner("u_p2");
  add_client("c_1", "u_p1");
  db().transfer_client("c_1", "u_p2", 3000);
  EXPECT_TRUE(db().clients_of("u_p1").empty());
  ASSERT_EQ(db().clients_of("u_p2").size(), 1u);
  EXPECT_EQ(db().client("c_1")->updated_at, 3000);
}

// What a practitioner made for a client lasts only while they have access:
// a hand-over ends the previous owner's invites, resets, feed and sharing.
TEST_P(StoreTest, AHandOverRevokesWhatThePreviousOwnerMadeAndEndsTheSharing) {
  practitioner("u_p1");
  practitioner("u_p2");
  practitioner("u_p3");
  User admin{"u_admin", "admin@clinic.example", "Admin", Role::kAdmin, "", "", 1000};
  db().create_user(admin);
  add_client("c_1", "u_p1");
  db().create_user(User{"u_c1", "c1@x.org", "C", Role::kClient, "hash", "c_1", 1000});
  db().share_client("c_1", "u_p3");
  db().create_invite(Invite{"i_p1", "h_p1", "c_1", "u_p1", 10, 9999, 0});
  db().create_reset(PasswordReset{"r_p1", "rh_p1", "u_c1", "u_p1", 10, 9999});
  db().create_reset(PasswordReset{"r_admin", "rh_admin", "u_c1", "u_admin", 10, 9999});
  db().set_calendar_feed("c_1", "f_p1", "u_p1", 10);
  ASSERT_EQ(db().links_of_client("c_1", 100).size(), 4u);

  db().transfer_client("c_1", "u_p2", 3000);
  const auto links = db().links_of_client("c_1", 100);
  ASSERT_EQ(links.size(), 1u) << "only the admin's reset survives";
  EXPECT_EQ(links[0].id, "r_admin");
  EXPECT_FALSE(db().use_reset("rh_p1", 100));
  EXPECT_FALSE(db().client_of_calendar_feed("f_p1"));
  EXPECT_FALSE(db().is_shared_with("c_1", "u_p3")) << "the previous owner's sharing ends";
}

TEST_P(StoreTest, EndingASharingRevokesWhatTheColleagueMadeButNotTheOwnersOrTheClients) {
  practitioner("u_p1");
  practitioner("u_p2");
  add_client("c_1", "u_p1");
  db().create_user(User{"u_c1", "c1@x.org", "C", Role::kClient, "hash", "c_1", 1000});
  db().share_client("c_1", "u_p2");
  db().create_invite(Invite{"i_p2", "h_p2", "c_1", "u_p2", 10, 9999, 0});
  db().create_invite(Invite{"i_p1", "h_p1", "c_1", "u_p1", 20, 9999, 0});
  db().create_reset(PasswordReset{"r_p2", "rh_p2", "u_c1", "u_p2", 30, 9999});
  db().set_calendar_feed("c_1", "f_client", "u_c1", 40);
  db().unshare_client("c_1", "u_p2");
  std::vector<std::string> ids;
  for (const auto& l : db().links_of_client("c_1", 100)) ids.push_back(l.id);
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], "i_p1");
  EXPECT_EQ(db().links_of_client("c_1", 100)[1].kind, ClientLink::Kind::kCalendarFeed) << "the client's own feed stays";
  db().set_calendar_feed("c_1", "f_p2", "u_p2", 50);  // a feed made by someone who has no access
  db().unshare_client("c_1", "u_nobody");
  EXPECT_FALSE(db().client_of_calendar_feed("f_p2"));
}

TEST_P(StoreTest, TheOwnerListsAndRevokesAClientsLinksById) {
  practitioner("u_p1");
  add_client("c_1", "u_p1");
  add_client("c_2", "u_p1");
  db().create_user(User{"u_c1", "c1@x.org", "C", Role::kClient, "hash", "c_1", 1000});
  db().create_invite(Invite{"i_1", "h_1", "c_1", "u_p1", 10, 500, 0});
  db().create_invite(Invite{"i_old", "h_old", "c_1", "u_p1", 5, 50, 0});
  db().create_reset(PasswordReset{"r_1", "rh_1", "u_c1", "u_p1", 20, 500});
  db().set_calendar_feed("c_1", "fh", "u_p1", 30);
  const auto links = db().links_of_client("c_1", 100);
  ASSERT_EQ(links.size(), 3u) << "an expired invite is not pending";
  EXPECT_EQ(links[0].kind, ClientLink::Kind::kInvite);
  EXPECT_EQ(links[0].expires_at, 500);
  EXPECT_EQ(links[1].kind, ClientLink::Kind::kPasswordReset);
  EXPECT_EQ(links[2].kind, ClientLink::Kind::kCalendarFeed);
  EXPECT_EQ(links[2].created_by, "u_p1");
  EXPECT_FALSE(db().revoke_link("c_2", "i_1")) << "by the client's id only";
  for (const auto& l : links) EXPECT_TRUE(db().revoke_link("c_1", l.id)) << l.id;
  EXPECT_TRUE(db().links_of_client("c_1", 100).empty());
  EXPECT_FALSE(db().client_of_calendar_feed("fh"));
  EXPECT_FALSE(db().use_reset("rh_1", 100));
  User u{"u_x", "x@x.org", "", Role::kClient, "hash", "", 1};
  EXPECT_EQ(db().redeem_invite("h_1", 100, u), Store::Redeemed::kInvalid);
}

TEST_P(StoreTest, AReviewIsStoredWithItsAssessment) {
  practitioner();
  add_client("c_1", "u_practitioner");
  db().add_document(DocKind::kAssessment, doc("a_1", "c_1", "", 10));
  EXPECT_EQ(db().document(DocKind::kAssessment, "a_1")->review, "");
  db().set_review("a_1", R"({"notes":"first"})");
  db().set_review("a_1", R"({"notes":"second"})");
  EXPECT_EQ(db().document(DocKind::kAssessment, "a_1")->review, R"({"notes":"second"})");
  EXPECT_EQ(db().documents_of_client(DocKind::kAssessment, "c_1").front().review, R"({"notes":"second"})");
}

TEST_P(StoreTest, PasswordResetsWorkOnceBeforeTheyExpire) {
  const User p = practitioner();
  db().create_session(Session{"h1", p.id, "csrf", 5000});
  db().create_reset(PasswordReset{"r_1", "r1", p.id, "u_admin", 10, 2000});
  db().create_reset(PasswordReset{"r_2", "r2", p.id, "u_admin", 10, 1000});
  EXPECT_FALSE(db().use_reset("r2", 1500)) << "expired";
  EXPECT_EQ(db().use_reset("r1", 1500), p.id);
  EXPECT_FALSE(db().use_reset("r1", 1600)) << "used";
  EXPECT_FALSE(db().use_reset("nope", 1500));
  db().delete_sessions_of(p.id);
  EXPECT_FALSE(db().session("h1", 100));
}

TEST_P(StoreTest, AThreadKeepsItsOrderAndEachReadersMark) {
  const User p = practitioner();
  add_client("c_1", p.id);
  add_client("c_2", p.id);
  db().create_user(User{"u_c1", "c1@account.example", "C One", Role::kClient, "hash", "c_1", 3000});
  // Several messages in one millisecond keep the order they were written in.
  for (int i = 0; i < 5; ++i)
    db().add_message(Message{"m_" + std::to_string(i), "c_1", i % 2 == 0 ? "u_c1" : p.id, "x", i % 2 == 0, "text " + std::to_string(i), 7});
  db().add_message(Message{"m_other", "c_2", p.id, "x", false, "elsewhere", 7});
  auto thread = db().messages_of("c_1", 100);
  ASSERT_EQ(thread.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(thread[static_cast<size_t>(i)].id, "m_" + std::to_string(i));
  EXPECT_TRUE(thread[0].from_client);
  EXPECT_FALSE(thread[1].from_client);
  thread = db().messages_of("c_1", 2);
  ASSERT_EQ(thread.size(), 2u) << "the last two, oldest first";
  EXPECT_EQ(thread[0].id, "m_3");
  EXPECT_EQ(thread[1].id, "m_4");

  EXPECT_EQ(db().unread_count("c_1", p.id), 3) << "the client's three";
  EXPECT_EQ(db().unread_count("c_1", "u_c1"), 2) << "the practitioner's two";
  EXPECT_TRUE(db().mark_read("c_1", p.id, "m_2"));
  EXPECT_EQ(db().unread_count("c_1", p.id), 1);
  EXPECT_TRUE(db().mark_read("c_1", p.id, "m_0"));
  EXPECT_EQ(db().unread_count("c_1", p.id), 1) << "a mark never moves back";
  EXPECT_FALSE(db().mark_read("c_1", p.id, "m_other")) << "another thread's message";
  EXPECT_FALSE(db().mark_read("c_1", p.id, "m_none"));

  EXPECT_TRUE(db().delete_client("c_1", p.id));
  EXPECT_TRUE(db().messages_of("c_1", 100).empty());
  EXPECT_EQ(db().unread_count("c_1", p.id), 0);
  EXPECT_EQ(db().messages_of("c_2", 100).size(), 1u);
}

TEST_P(StoreTest, TemplatesAreTheirOwnersAndGoWithTheAccount) {
  const User p = practitioner();
  const User q = practitioner("u_other");
  db().add_template(Template{"t_1", p.id, "program", "Desk", R"({"days": []})", 10});
  db().add_template(Template{"t_2", p.id, "test_set", "Hips", R"({"tests": []})", 20});
  db().add_template(Template{"t_3", q.id, "program", "Other", "{}", 30});
  EXPECT_EQ(db().templates_of(p.id, "").size(), 2u);
  ASSERT_EQ(db().templates_of(p.id, "program").size(), 1u);
  EXPECT_EQ(db().templates_of(p.id, "program")[0].name, "Desk");
  EXPECT_EQ(db().template_by_id("t_2")->body, R"({"tests": []})");
  EXPECT_FALSE(db().delete_template("t_1", q.id)) << "only the owner deletes";
  EXPECT_TRUE(db().delete_template("t_1", p.id));
  EXPECT_FALSE(db().template_by_id("t_1"));
  EXPECT_THROW(db().add_template(Template{"t_4", p.id, "menu", "X", "{}", 40}), StoreError) << "kinds are checked";
}

TEST_P(StoreTest, EveryAccountIsListedOldestFirst) {
  const User p = practitioner();
  db().create_user(User{"u_a", "a@x.example", "A", Role::kAdmin, "", "", 1});
  const auto users = db().list_users();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].id, "u_a");
  EXPECT_EQ(users[0].role, Role::kAdmin);
  EXPECT_EQ(users[1].id, p.id);
}

TEST_P(StoreTest, SharingAClientIsListedAndEndsWithTheClient) {
  practitioner("u_p1");
  practitioner("u_p2");
  add_client("c_1", "u_p1");
  EXPECT_FALSE(db().is_shared_with("c_1", "u_p2"));
  db().share_client("c_1", "u_p2");
  db().share_client("c_1", "u_p2");  // idempotent
  EXPECT_TRUE(db().is_shared_with("c_1", "u_p2"));
  ASSERT_EQ(db().clients_shared_with("u_p2").size(), 1u);
  db().unshare_client("c_1", "u_p2");
  EXPECT_TRUE(db().clients_shared_with("u_p2").empty());
  db().share_client("c_1", "u_p2");
  EXPECT_TRUE(db().delete_client("c_1", "u_p1"));
  EXPECT_TRUE(db().clients_shared_with("u_p2").empty());
}

TEST_P(StoreTest, ACalendarFeedTokenIsReplacedRevokedAndEndsWithTheClient) {
  practitioner("u_p1");
  add_client("c_1", "u_p1");
  EXPECT_FALSE(db().client_of_calendar_feed("h1"));
  db().set_calendar_feed("c_1", "h1", "u_p1", 100);
  EXPECT_EQ(db().client_of_calendar_feed("h1"), "c_1");
  db().set_calendar_feed("c_1", "h2", "u_p1", 200);
  EXPECT_FALSE(db().client_of_calendar_feed("h1")) << "a new link replaces the old one";
  EXPECT_EQ(db().client_of_calendar_feed("h2"), "c_1");
  EXPECT_TRUE(db().revoke_calendar_feed("c_1"));
  EXPECT_FALSE(db().revoke_calendar_feed("c_1"));
  EXPECT_FALSE(db().client_of_calendar_feed("h2"));
  db().set_calendar_feed("c_1", "h3", "u_p1", 300);
  EXPECT_TRUE(db().delete_client("c_1", "u_p1"));
  EXPECT_FALSE(db().client_of_calendar_feed("h3")) << "deleting the client deletes its feed";
}

}  // namespace
}  // namespace rebalance::store
