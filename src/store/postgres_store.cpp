// PostgreSQL implementation of Store: the SQLite schema and semantics over
// libpq. A pool of connections (one per concurrent caller, up to the size
// open_postgres was given), each preparing a statement once and keeping it;
// every value travels as a query parameter. Small documents and audit
// entries are group-committed on a connection of their own. Several server
// processes may share one database, so nothing that matters is kept here.
#include <poll.h>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "store/detail/group_commit.h"
#include "store/detail/libpq.h"
#include "store/store.h"

namespace rebalance::store {
namespace {

// After the server refused a new connection (its max_connections reached,
// say by other processes), this pool makes do with the connections it has
// for a while before it asks again.
constexpr auto kConnectRetry = std::chrono::seconds(1);

// Keys of transaction-scoped advisory locks, shared by every process on the
// database. Arbitrary, but fixed: "rb-migr" and "rb-audit" in ASCII.
constexpr int64_t kMigrationLock = 0x72622d6d696772;
constexpr int64_t kAuditLock = 0x72622d6175646974;

// Versioned migrations, one list of statements each (PQexecParams runs one
// statement at a time). The same tables as the SQLite schema, with BIGINT
// times and a BIGSERIAL audit id. Each list runs once, in order.
const std::vector<std::vector<const char*>> kMigrations = {
    {
        R"sql(CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'client')),
  password_hash TEXT NOT NULL DEFAULT '',
  client_id TEXT,
  created_at BIGINT NOT NULL
))sql",
        R"sql(CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  expires_at BIGINT NOT NULL
))sql",
        "CREATE INDEX sessions_user ON sessions(user_id)",
        R"sql(CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  window_start BIGINT NOT NULL
))sql",
        R"sql(CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  practitioner_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
))sql",
        "CREATE INDEX clients_practitioner ON clients(practitioner_id)",
        R"sql(CREATE TABLE invites (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0
))sql",
        R"sql(CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('assessment', 'program', 'log')),
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  parent_id TEXT NOT NULL DEFAULT '',
  kb_version TEXT NOT NULL DEFAULT '',
  input TEXT NOT NULL,
  output TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
))sql",
        "CREATE INDEX documents_client ON documents(client_id, kind, created_at)",
        "CREATE INDEX documents_parent ON documents(parent_id, kind)",
        R"sql(CREATE TABLE audit (
  id BIGSERIAL PRIMARY KEY,
  at BIGINT NOT NULL,
  user_id TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  client_id TEXT NOT NULL
))sql",
    },
    {
        "ALTER TABLE documents ADD COLUMN review TEXT NOT NULL DEFAULT ''",
    },
    {
        R"sql(CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0
))sql",
    },
    {
        R"sql(CREATE TABLE client_shares (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  practitioner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, practitioner_id)
))sql",
    },
    {
        R"sql(CREATE TABLE calendar_feeds (
  client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
))sql",
    },
    // As SQLite's migration 6: link ids and makers, the time of the last
    // login attempt, one account per client.
    {
        "ALTER TABLE invites ADD COLUMN id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE invites ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0",
        "UPDATE invites SET id = 'i_' || substr(token_hash, 1, 32)",
        "CREATE UNIQUE INDEX invites_id ON invites(id)",
        "ALTER TABLE password_resets ADD COLUMN id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE password_resets ADD COLUMN created_by TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE password_resets ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0",
        "UPDATE password_resets SET id = 'r_' || substr(token_hash, 1, 32)",
        "CREATE UNIQUE INDEX password_resets_id ON password_resets(id)",
        "CREATE INDEX password_resets_user ON password_resets(user_id)",
        "ALTER TABLE calendar_feeds ADD COLUMN id TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE calendar_feeds ADD COLUMN created_by TEXT NOT NULL DEFAULT ''",
        "UPDATE calendar_feeds SET id = 'f_' || substr(token_hash, 1, 32)",
        "ALTER TABLE login_failures ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0",
        "CREATE INDEX login_failures_window ON login_failures(window_start)",
        R"sql(DELETE FROM users WHERE role = 'client' AND EXISTS (
  SELECT 1 FROM users AS first WHERE first.role = 'client' AND first.client_id = users.client_id
    AND (first.created_at < users.created_at OR (first.created_at = users.created_at AND first.id < users.id))))sql",
        "CREATE UNIQUE INDEX users_one_account_per_client ON users(client_id) WHERE role = 'client'",
    },
    // As SQLite's migration 7: messages and read marks.
    {
        R"sql(CREATE TABLE messages (
  seq BIGSERIAL PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  from_client BOOLEAN NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
))sql",
        "CREATE INDEX messages_client ON messages(client_id, seq)",
        R"sql(CREATE TABLE message_reads (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  PRIMARY KEY (client_id, user_id)
))sql",
    },
    // As SQLite's migration 8: practitioners' templates.
    {
        R"sql(CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('program', 'test_set')),
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
))sql",
        "CREATE INDEX templates_owner ON templates(owner_id, kind, created_at)",
    },
    // A client's documents come out of the index in their order (created_at,
    // then id in C order, as the queries ask).
    {
        "DROP INDEX documents_client",
        "CREATE INDEX documents_client ON documents(client_id, kind, created_at, id COLLATE \"C\")",
    },
    // A program version's head (Store::document_head) from the index alone,
    // as in SQLite (where it matters more: there the large columns lie in
    // the row).
    {
        "CREATE INDEX documents_head ON documents(id) INCLUDE (client_id, parent_id, kb_version, created_by, created_at) "
        "WHERE kind = 'program'",
    },
};

// libpq messages end in a newline; StoreError's should not.
std::string trimmed(const char* message) {
  std::string out = message ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out.empty() ? "unknown error" : out;
}

// One query parameter in text format; Param(nullptr) is SQL NULL. Borrows
// the caller's string, which outlives the query call it is written in.
class Param {
 public:
  Param(const std::string& v) : borrowed_(v.c_str()) {
    // Text parameters end at the first NUL; PostgreSQL text cannot hold one.
    if (v.find('\0') != std::string::npos) throw StoreError("postgres: text with a NUL character cannot be stored");
  }
  Param(const char* v) : borrowed_(v) {}
  Param(int64_t v) : owned_(std::to_string(v)) {}
  Param(std::nullptr_t) {}

  const char* c_str() const { return owned_ ? owned_->c_str() : borrowed_; }

 private:
  const char* borrowed_ = nullptr;
  std::optional<std::string> owned_;
};

// A query's outcome and rows, in text format.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  ~Result() { detail::libpq().PQclear(result_); }
  Result(Result&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
  Result& operator=(Result&&) = delete;

  bool ok() const {
    const ExecStatusType status = detail::libpq().PQresultStatus(result_);  // PGRES_FATAL_ERROR for a null result
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  const char* error() const { return detail::libpq().PQresultErrorMessage(result_); }  // "" for a null result
  int rows() const { return detail::libpq().PQntuples(result_); }
  std::string text(int row, int col) const {
    return std::string(detail::libpq().PQgetvalue(result_, row, col), static_cast<size_t>(detail::libpq().PQgetlength(result_, row, col)));
  }
  int64_t integer(int row, int col) const {
    const char* begin = detail::libpq().PQgetvalue(result_, row, col);
    const char* end = begin + detail::libpq().PQgetlength(result_, row, col);
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr != end) throw StoreError("postgres: not an integer: " + std::string(begin, end));
    return value;
  }

 private:
  PGresult* result_;
};

// Throws StoreError with the message of a failed statement.
void check(PGconn* conn, const Result& result) {
  if (result.ok()) return;
  // No result at all (out of memory, connection lost): the connection has the message.
  const char* message = *result.error() ? result.error() : detail::libpq().PQerrorMessage(conn);
  throw StoreError("postgres: " + trimmed(message));
}

// Transparent lookup of SQL texts: a statement is found by the text it was
// prepared from, without copying the text.
struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

// One connection and its prepared statements: each SQL text is prepared
// once per connection (PQprepare) and from then on only bound and executed;
// the server drops them when the session ends (PQfinish). Used by one
// thread at a time (the pool hands it out whole).
class Connection {
 public:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  ~Connection() { detail::libpq().PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  operator PGconn*() const { return conn_; }

  // The name `sql` is prepared under, preparing it now on first use.
  const std::string& prepared(std::string_view sql) {
    if (auto it = names_.find(sql); it != names_.end()) return it->second;
    std::string name = "rb_" + std::to_string(names_.size() + 1);
    const std::string text(sql);
    check(conn_, Result(detail::libpq().PQprepare(conn_, name.c_str(), text.c_str(), 0, nullptr)));
    return names_.emplace(text, std::move(name)).first->second;
  }

 private:
  PGconn* conn_;
  std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>> names_;
};

std::vector<const char*> values_of(std::initializer_list<Param> params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p.c_str());
  return values;
}

// Runs one statement, prepared once per connection; throws StoreError with
// libpq's message on failure.
Result run(Connection& c, std::string_view sql, std::initializer_list<Param> params = {}) {
  const std::vector<const char*> values = values_of(params);
  const std::string& name = c.prepared(sql);
  Result result(detail::libpq().PQexecPrepared(c, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0));
  check(c, result);
  return result;
}

// Runs one statement without keeping it: transaction control, and the
// migrations' statements, which run once.
Result run_once(PGconn* conn, const char* sql, std::initializer_list<Param> params = {}) {
  const std::vector<const char*> values = values_of(params);
  Result result(detail::libpq().PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0));
  check(conn, result);
  return result;
}

// Takes a lock that every process sharing the database honours, held until
// the current transaction ends.
void lock_for_transaction(Connection& c, int64_t key) { run(c, "SELECT pg_advisory_xact_lock($1::bigint)", {key}); }

// One column of many rows as a single array parameter (a literal such as
// {"a","b\"c"} or {1,2}), which unnest() turns back into rows: a group's
// rows go in one statement, whatever their number.
class ArrayParam {
 public:
  void add(std::string_view text) {
    out_ += out_.size() == 1 ? "\"" : ",\"";
    for (char ch : text) {
      if (ch == '\0') throw StoreError("postgres: text with a NUL character cannot be stored");
      if (ch == '"' || ch == '\\') out_ += '\\';
      out_ += ch;
    }
    out_ += '"';
  }
  void add(int64_t number) {
    if (out_.size() > 1) out_ += ',';
    out_ += std::to_string(number);
  }
  std::string literal() const { return out_ + '}'; }

 private:
  std::string out_ = "{";
};

constexpr const char* kUserColumns = "id, email, name, role, password_hash, COALESCE(client_id, ''), created_at";
constexpr const char* kDocumentColumns = "id, client_id, parent_id, kb_version, input, output, created_by, created_at, review";

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string url, size_t connections)
      : url_(std::move(url)),
        max_open_(std::max<size_t>(1, connections)),
        group_([this](const std::vector<detail::Write>& writes, std::vector<std::string>* errors) {
          commit_group(writes, errors);
        }) {
    // Connecting once up front reports a bad URL or an unreachable server now.
    ++open_;
    release(connect());
  }
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // All pending migrations in one transaction. The advisory lock makes a
  // second process starting at the same moment wait, then find nothing to do.
  int migrate() override {
    Lease c(*this);
    Tx tx(c);
    lock_for_transaction(c, kMigrationLock);
    run_once(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const int version = static_cast<int>(run_once(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version").integer(0, 0));
    const int target = static_cast<int>(kMigrations.size());
    for (int v = version; v < target; ++v) {
      for (const char* statement : kMigrations[static_cast<size_t>(v)]) run_once(c, statement);
      run_once(c, "INSERT INTO schema_version (version) VALUES ($1)", {int64_t{v + 1}});
    }
    tx.commit();
    return target;
  }

  void create_user(const User& u) override {
    Lease c(*this);
    const std::string role(to_string(u.role));
    run(c, "INSERT INTO users (id, email, name, role, password_hash, client_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        {u.id, u.email, u.name, role, u.password_hash, u.client_id.empty() ? Param(nullptr) : Param(u.client_id), u.created_at});
  }
  std::optional<User> user_by_id(const std::string& id) override { return user_where("id", id); }
  std::optional<User> user_by_email(const std::string& email) override { return user_where("email", email); }
  void set_password(const std::string& user_id, const std::string& hash) override {
    Lease c(*this);
    run(c, "UPDATE users SET password_hash = $1 WHERE id = $2", {hash, user_id});
  }
  int64_t count_users() override {
    Lease c(*this);
    return run(c, "SELECT COUNT(*) FROM users").integer(0, 0);
  }
  std::vector<User> list_users() override {
    Lease c(*this);
    const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users ORDER BY created_at, id COLLATE \"C\"";
    const Result r = run(c, sql.c_str());
    std::vector<User> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(user_row(r, i));
    return out;
  }

  void create_session(const Session& x) override {
    Lease c(*this);
    run(c, "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1,$2,$3,$4)",
        {x.token_hash, x.user_id, x.csrf_token, x.expires_at});
  }
  std::optional<Session> session(const std::string& token_hash, int64_t now) override {
    Lease c(*this);
    const Result r =
        run(c, "SELECT token_hash, user_id, csrf_token, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2",
            {token_hash, now});
    if (r.rows() == 0) return std::nullopt;
    return Session{r.text(0, 0), r.text(0, 1), r.text(0, 2), r.integer(0, 3)};
  }
  void delete_session(const std::string& token_hash) override {
    Lease c(*this);
    run(c, "DELETE FROM sessions WHERE token_hash = $1", {token_hash});
  }

  // Both rows exist first (a missing row cannot be locked), then are locked
  // in key order (no deadlock between two attempts), so the read, the
  // decision and the write are one step across processes.
  int64_t begin_login_attempt(const std::string& email, const std::string& address, int64_t now,
                              const ThrottlePolicy& per_account, const ThrottlePolicy& per_address) override {
    Lease c(*this);
    Tx tx(c);
    struct Key {
      std::string key;
      const ThrottlePolicy* policy;
      int attempts = 0;
      int64_t window_start = 0, last_at = 0;
    };
    Key keys[2] = {{"account:" + email, &per_account}, {"address:" + address, &per_address}};
    if (keys[1].key < keys[0].key) std::swap(keys[0], keys[1]);
    int64_t wait = 0;
    for (Key& k : keys) {
      run(c, "INSERT INTO login_failures (key, count, window_start, last_at) VALUES ($1, 0, 0, 0) ON CONFLICT DO NOTHING",
          {k.key});
      const Result r = run(c, "SELECT count, window_start, last_at FROM login_failures WHERE key = $1 FOR UPDATE", {k.key});
      if (r.integer(0, 1) + k.policy->window_seconds > now) {
        k.attempts = static_cast<int>(r.integer(0, 0));
        k.window_start = r.integer(0, 1);
        k.last_at = r.integer(0, 2);
      }
      wait = std::max(wait, throttle_wait(*k.policy, k.attempts, k.window_start, k.last_at, now));
    }
    if (wait > 0) return wait;  // the rollback keeps the rows as they were
    for (const Key& k : keys)
      run(c, "UPDATE login_failures SET count = $2, window_start = $3, last_at = $4 WHERE key = $1",
          {k.key, int64_t{k.attempts + 1}, k.attempts == 0 ? now : k.window_start, now});
    run(c, "DELETE FROM login_failures WHERE window_start < $1",
        {now - std::max(per_account.window_seconds, per_address.window_seconds)});
    tx.commit();
    return 0;
  }
  void login_succeeded(const std::string& email, const std::string& address) override {
    Lease c(*this);
    Tx tx(c);
    run(c, "DELETE FROM login_failures WHERE key = $1", {"account:" + email});
    run(c, "UPDATE login_failures SET count = GREATEST(count - 1, 0) WHERE key = $1", {"address:" + address});
    tx.commit();
  }

  void create_client(const Client& x) override {
    Lease c(*this);
    run(c, "INSERT INTO clients (id, practitioner_id, name, email, notes, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
        {x.id, x.practitioner_id, x.name, x.email, x.notes, x.created_at, x.updated_at});
  }
  std::optional<Client> client(const std::string& id) override {
    Lease c(*this);
    const Result r =
        run(c, "SELECT id, practitioner_id, name, email, notes, created_at, updated_at FROM clients WHERE id = $1", {id});
    if (r.rows() == 0) return std::nullopt;
    return client_row(r, 0);
  }
  // COLLATE "C": byte order, as SQLite's default BINARY collation sorts.
  std::vector<Client> clients_of(const std::string& practitioner_id) override {
    Lease c(*this);
    const Result r = run(c,
                         "SELECT id, practitioner_id, name, email, notes, created_at, updated_at FROM clients "
                         "WHERE practitioner_id = $1 ORDER BY name COLLATE \"C\", id COLLATE \"C\"",
                         {practitioner_id});
    std::vector<Client> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(client_row(r, i));
    return out;
  }
  void update_client(const Client& x) override {
    Lease c(*this);
    run(c, "UPDATE clients SET name = $1, email = $2, notes = $3, updated_at = $4 WHERE id = $5",
        {x.name, x.email, x.notes, x.updated_at, x.id});
  }
  void share_client(const std::string& client_id, const std::string& practitioner_id) override {
    Lease c(*this);
    run(c, "INSERT INTO client_shares (client_id, practitioner_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {client_id, practitioner_id});
  }
  void unshare_client(const std::string& client_id, const std::string& practitioner_id) override {
    Lease c(*this);
    Tx tx(c);
    run(c, "DELETE FROM client_shares WHERE client_id = $1 AND practitioner_id = $2", {client_id, practitioner_id});
    revoke_links_of_former_carers(c, client_id);
    tx.commit();
  }
  void set_calendar_feed(const std::string& client_id, const std::string& token_hash, const std::string& created_by,
                         int64_t now) override {
    Lease c(*this);
    const std::string id = new_id("f_");
    run(c,
        "INSERT INTO calendar_feeds (client_id, token_hash, created_at, id, created_by) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (client_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, "
        "id = excluded.id, created_by = excluded.created_by",
        {client_id, token_hash, now, id, created_by});
  }
  std::optional<std::string> client_of_calendar_feed(const std::string& token_hash) override {
    Lease c(*this);
    const Result r = run(c, "SELECT client_id FROM calendar_feeds WHERE token_hash = $1", {token_hash});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }
  bool revoke_calendar_feed(const std::string& client_id) override {
    Lease c(*this);
    return run(c, "DELETE FROM calendar_feeds WHERE client_id = $1 RETURNING client_id", {client_id}).rows() > 0;
  }
  bool is_shared_with(const std::string& client_id, const std::string& practitioner_id) override {
    Lease c(*this);
    return run(c, "SELECT 1 FROM client_shares WHERE client_id = $1 AND practitioner_id = $2", {client_id, practitioner_id})
               .rows() > 0;
  }
  std::vector<Client> clients_shared_with(const std::string& practitioner_id) override {
    Lease c(*this);
    const Result r = run(c,
                         "SELECT c.id, c.practitioner_id, c.name, c.email, c.notes, c.created_at, c.updated_at FROM clients c "
                         "JOIN client_shares s ON s.client_id = c.id WHERE s.practitioner_id = $1 ORDER BY c.name COLLATE \"C\", "
                         "c.id COLLATE \"C\"",
                         {practitioner_id});
    std::vector<Client> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(client_row(r, i));
    return out;
  }
  void transfer_client(const std::string& id, const std::string& practitioner_id, int64_t now) override {
    Lease c(*this);
    Tx tx(c);
    run(c, "UPDATE clients SET practitioner_id = $1, updated_at = $2 WHERE id = $3", {practitioner_id, now, id});
    run(c, "DELETE FROM client_shares WHERE client_id = $1", {id});
    revoke_links_of_former_carers(c, id);
    tx.commit();
  }
  bool delete_client(const std::string& id, const std::string& by_user) override {
    Lease c(*this);
    Tx tx(c);
    // FOR UPDATE: a concurrent write that references this client waits for us.
    if (run(c, "SELECT 1 FROM clients WHERE id = $1 FOR UPDATE", {id}).rows() == 0) return false;
    run(c,
        "DELETE FROM login_failures WHERE key IN (SELECT 'account:' || email FROM users WHERE role = 'client' AND "
        "client_id = $1 UNION SELECT 'account:' || email FROM clients WHERE id = $1)",
        {id});
    // Sessions and resets go with the account, shares and feed with the client (cascade).
    run(c, "DELETE FROM users WHERE role = 'client' AND client_id = $1", {id});
    run(c, "DELETE FROM documents WHERE client_id = $1", {id});
    run(c, "DELETE FROM message_reads WHERE client_id = $1", {id});
    run(c, "DELETE FROM messages WHERE client_id = $1", {id});
    run(c, "DELETE FROM invites WHERE client_id = $1", {id});
    run(c, "DELETE FROM clients WHERE id = $1", {id});
    lock_for_transaction(c, kAuditLock);
    run(c, "INSERT INTO audit (at, user_id, action, resource, resource_id, client_id) VALUES ($1,$2,'delete','client',$3,$3)",
        {now_ms(), by_user, id});
    tx.commit();
    return true;
  }

  void create_reset(const PasswordReset& r) override {
    Lease c(*this);
    run(c,
        "INSERT INTO password_resets (id, token_hash, user_id, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)",
        {r.id, r.token_hash, r.user_id, r.created_by, r.created_at, r.expires_at});
  }
  std::optional<std::string> use_reset(const std::string& token_hash, int64_t now) override {
    Lease c(*this);
    // One statement: concurrent uses of one token cannot both succeed.
    const Result r = run(c,
                         "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2 "
                         "RETURNING user_id",
                         {token_hash, now});
    if (r.rows() == 0) return std::nullopt;
    return r.text(0, 0);
  }
  void delete_sessions_of(const std::string& user_id) override {
    Lease c(*this);
    run(c, "DELETE FROM sessions WHERE user_id = $1", {user_id});
  }
  std::optional<User> client_account(const std::string& client_id) override {
    Lease c(*this);
    const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE role = 'client' AND client_id = $1";
    const Result r = run(c, sql.c_str(), {client_id});
    if (r.rows() == 0) return std::nullopt;
    return user_row(r, 0);
  }
  void create_invite(const Invite& x) override {
    Lease c(*this);
    run(c, "INSERT INTO invites (id, token_hash, client_id, created_by, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)",
        {x.id, x.token_hash, x.client_id, x.created_by, x.created_at, x.expires_at});
  }
  // FOR UPDATE on the invite and on the client row: two redemptions (of one
  // invite, or of two invites of one client) run one after the other; the
  // unique index on users(client_id) for clients is the last word.
  Redeemed redeem_invite(const std::string& token_hash, int64_t now, User& account) override {
    Lease c(*this);
    Tx tx(c);
    const Result inv = run(
        c, "SELECT client_id FROM invites WHERE token_hash = $1 AND used_at = 0 AND expires_at > $2 FOR UPDATE", {token_hash, now});
    if (inv.rows() == 0) return Redeemed::kInvalid;
    account.client_id = inv.text(0, 0);
    const Result client = run(c, "SELECT name FROM clients WHERE id = $1 FOR UPDATE", {account.client_id});
    if (client.rows() == 0) return Redeemed::kInvalid;
    account.name = client.text(0, 0);
    if (run(c, "SELECT 1 FROM users WHERE role = 'client' AND client_id = $1", {account.client_id}).rows() > 0)
      return Redeemed::kClientHasAccount;
    if (run(c, "SELECT 1 FROM users WHERE email = $1", {account.email}).rows() > 0) return Redeemed::kEmailTaken;
    run(c, "UPDATE invites SET used_at = $1 WHERE token_hash = $2", {now, token_hash});
    account.role = Role::kClient;
    run(c,
        "INSERT INTO users (id, email, name, role, password_hash, client_id, created_at) VALUES ($1,$2,$3,'client',$4,$5,$6)",
        {account.id, account.email, account.name, account.password_hash, account.client_id, account.created_at});
    tx.commit();
    return Redeemed::kOk;
  }
  std::vector<ClientLink> links_of_client(const std::string& client_id, int64_t now) override {
    Lease c(*this);
    const Result r = run(c,
                         "SELECT * FROM (SELECT 0 AS kind, id AS link, created_by, created_at AS made, expires_at FROM invites "
                         "WHERE client_id = $1 AND used_at = 0 AND "
                         "expires_at > $2 "
                         "UNION ALL SELECT 1, r.id, r.created_by, r.created_at, r.expires_at FROM password_resets r JOIN users u "
                         "ON u.id = r.user_id WHERE u.role = 'client' AND u.client_id = $1 AND r.used_at = 0 AND r.expires_at > $2 "
                         "UNION ALL SELECT 2, id, created_by, created_at, 0 FROM calendar_feeds WHERE client_id = $1 "
                         ") AS links ORDER BY made, kind, link COLLATE \"C\"",
                         {client_id, now});
    std::vector<ClientLink> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(ClientLink{static_cast<ClientLink::Kind>(r.integer(i, 0)), r.text(i, 1), r.text(i, 2), r.integer(i, 3),
                               r.integer(i, 4)});
    return out;
  }
  bool revoke_link(const std::string& client_id, const std::string& link_id) override {
    Lease c(*this);
    Tx tx(c);
    int changed = run(c, "DELETE FROM invites WHERE id = $1 AND client_id = $2 AND used_at = 0 RETURNING id", {link_id, client_id})
                      .rows();
    changed += run(c,
                   "DELETE FROM password_resets WHERE id = $1 AND used_at = 0 AND user_id IN (SELECT id FROM users WHERE role = "
                   "'client' AND client_id = $2) RETURNING id",
                   {link_id, client_id})
                   .rows();
    changed += run(c, "DELETE FROM calendar_feeds WHERE id = $1 AND client_id = $2 RETURNING id", {link_id, client_id}).rows();
    tx.commit();
    return changed > 0;
  }

  void add_message(const Message& m) override {
    Lease c(*this);
    run(c,
        "INSERT INTO messages (id, client_id, author_id, author_name, from_client, body, created_at) VALUES "
        "($1,$2,$3,$4,$5,$6,$7)",
        {m.id, m.client_id, m.author_id, m.author_name, m.from_client ? "true" : "false", m.body, m.created_at});
  }
  std::vector<Message> messages_of(const std::string& client_id, int limit) override {
    Lease c(*this);
    const Result r = run(c,
                         "SELECT id, client_id, author_id, author_name, from_client, body, created_at FROM (SELECT * FROM "
                         "messages WHERE client_id = $1 ORDER BY seq DESC LIMIT $2) AS last ORDER BY seq",
                         {client_id, int64_t{limit}});
    std::vector<Message> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(Message{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4) == "t", r.text(i, 5),
                            r.integer(i, 6)});
    return out;
  }
  bool mark_read(const std::string& client_id, const std::string& user_id, const std::string& message_id) override {
    Lease c(*this);
    const Result r = run(c,
                         "INSERT INTO message_reads (client_id, user_id, seq) SELECT client_id, $1, seq FROM messages WHERE "
                         "id = $2 AND client_id = $3 ON CONFLICT (client_id, user_id) DO UPDATE SET seq = "
                         "GREATEST(message_reads.seq, excluded.seq) RETURNING 1",
                         {user_id, message_id, client_id});
    return r.rows() > 0;
  }
  int64_t unread_count(const std::string& client_id, const std::string& user_id) override {
    Lease c(*this);
    return run(c,
               "SELECT count(*) FROM messages WHERE client_id = $1 AND author_id <> $2 AND seq > coalesce((SELECT seq FROM "
               "message_reads WHERE client_id = $1 AND user_id = $2), 0)",
               {client_id, user_id})
        .integer(0, 0);
  }

  void add_template(const Template& t) override {
    Lease c(*this);
    run(c, "INSERT INTO templates (id, owner_id, kind, name, body, created_at) VALUES ($1,$2,$3,$4,$5,$6)",
        {t.id, t.owner_id, t.kind, t.name, t.body, t.created_at});
  }
  std::vector<Template> templates_of(const std::string& owner_id, const std::string& kind) override {
    Lease c(*this);
    const Result r = run(c,
                         "SELECT id, owner_id, kind, name, body, created_at FROM templates WHERE owner_id = $1 AND ($2 = '' OR "
                         "kind = $2) ORDER BY created_at, id COLLATE \"C\"",
                         {owner_id, kind});
    std::vector<Template> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(template_row(r, i));
    return out;
  }
  std::optional<Template> template_by_id(const std::string& id) override {
    Lease c(*this);
    const Result r = run(c, "SELECT id, owner_id, kind, name, body, created_at FROM templates WHERE id = $1", {id});
    if (r.rows() == 0) return std::nullopt;
    return template_row(r, 0);
  }
  bool delete_template(const std::string& id, const std::string& owner_id) override {
    Lease c(*this);
    return run(c, "DELETE FROM templates WHERE id = $1 AND owner_id = $2 RETURNING 1", {id, owner_id}).rows() > 0;
  }

  void add_document(DocKind kind, const Document& d) override {
    const std::vector<std::pair<DocKind, Document>> documents{{kind, d}};
    const std::vector<AuditEntry> none;
    group_.write({&documents, &none});
  }
  std::optional<Document> document(DocKind kind, const std::string& id) override {
    Lease c(*this);
    const std::string sql = std::string("SELECT ") + kDocumentColumns + " FROM documents WHERE id = $1 AND kind = $2";
    const Result r = run(c, sql.c_str(), {id, kind_name(kind)});
    if (r.rows() == 0) return std::nullopt;
    return document_row(r, 0);
  }
  std::optional<Document> document_head(DocKind kind, const std::string& id) override {
    Lease c(*this);
    const Result r = run(c,
                         "SELECT id, client_id, parent_id, kb_version, '', '', created_by, created_at, '' FROM documents "
                         "WHERE id = $1 AND kind = $2",
                         {id, kind_name(kind)});
    if (r.rows() == 0) return std::nullopt;
    return document_row(r, 0);
  }
  std::vector<Document> documents_of_client(DocKind kind, const std::string& client_id) override {
    Lease c(*this);
    const std::string sql = std::string("SELECT ") + kDocumentColumns +
                            " FROM documents WHERE client_id = $1 AND kind = $2 ORDER BY created_at, id COLLATE \"C\"";
    return document_rows(run(c, sql.c_str(), {client_id, kind_name(kind)}));
  }
  std::vector<Document> logs_of_program(const std::string& program_id) override {
    Lease c(*this);
    const std::string sql = std::string("SELECT ") + kDocumentColumns +
                            " FROM documents WHERE parent_id = $1 AND kind = 'log' ORDER BY created_at, id COLLATE \"C\"";
    return document_rows(run(c, sql.c_str(), {program_id}));
  }

  // The audit lock makes ids commit in increasing order across processes, so
  // a reader paging with `id > after_id` never skips a row that commits late
  // with a smaller id (a BIGSERIAL alone does not promise that).
  void set_review(const std::string& assessment_id, const std::string& review) override {
    Lease c(*this);
    run(c, "UPDATE documents SET review = $1 WHERE id = $2 AND kind = 'assessment'", {review, assessment_id});
  }
  void append_audit(const std::vector<AuditEntry>& entries) override {
    if (entries.empty()) return;
    const std::vector<std::pair<DocKind, Document>> none;
    group_.write({&none, &entries});
  }
  void commit_batch(const std::vector<std::pair<DocKind, Document>>& documents, const std::vector<AuditEntry>& entries) override {
    group_.write({&documents, &entries});
  }
  void commit_batch_async(std::vector<std::pair<DocKind, Document>> documents, std::vector<AuditEntry> entries,
                          std::function<void(const std::string& error)> done) override {
    group_.write_async(std::move(documents), std::move(entries), std::move(done));
  }
  bool reads_are_local() const override { return false; }

  // A negative limit means no limit, as in SQLite (LIMIT NULL).
  std::vector<AuditEntry> audit(int64_t after_id, int limit) override {
    Lease c(*this);
    const Result r =
        run(c, "SELECT id, at, user_id, action, resource, resource_id, client_id FROM audit WHERE id > $1 ORDER BY id LIMIT $2",
            {after_id, limit < 0 ? Param(nullptr) : Param(int64_t{limit})});
    std::vector<AuditEntry> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
      out.push_back(
          AuditEntry{r.integer(i, 0), r.integer(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6)});
    }
    return out;
  }

 private:
  // A pooled connection for the duration of one call.
  class Lease {
   public:
    explicit Lease(PostgresStore& store) : store_(store), c_(store.acquire()) {}
    ~Lease() { store_.release(std::move(c_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    operator Connection&() const { return *c_; }
    operator PGconn*() const { return *c_; }

   private:
    PostgresStore& store_;
    std::unique_ptr<Connection> c_;
  };

  // BEGIN ... COMMIT, rolled back unless committed (on return or exception).
  class Tx {
   public:
    explicit Tx(PGconn* conn) : conn_(conn) { run_once(conn_, "BEGIN"); }
    ~Tx() {
      // A failed rollback leaves the connection outside PQTRANS_IDLE, and
      // release() then closes it instead of pooling it.
      if (!done_) detail::libpq().PQclear(detail::libpq().PQexecParams(conn_, "ROLLBACK", 0, nullptr, nullptr, nullptr, nullptr, 0));
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
      run_once(conn_, "COMMIT");
      done_ = true;
    }

   private:
    PGconn* conn_;
    bool done_ = false;
  };

  // One group of the group commit (detail::GroupCommit::Commit): one
  // statement per table for the whole group. The audit lock is taken last
  // and held only to the commit, as in append_audit before.
  void commit_group(const std::vector<detail::Write>& writes, std::vector<std::string>* errors) {
    std::optional<Lease> lease;
    Connection& c = committer(lease);
    Tx tx(c);
    if (errors == nullptr) {
      insert_documents(c, writes);
      insert_audit(c, writes);
    } else {
      for (size_t i = 0; i < writes.size(); ++i) {
        run_once(c, "SAVEPOINT write");
        try {
          insert_documents(c, {writes[i]});
          insert_audit(c, {writes[i]});
        } catch (const StoreError& e) {
          (*errors)[i] = e.what();
          run_once(c, "ROLLBACK TO SAVEPOINT write");
        }
        run_once(c, "RELEASE SAVEPOINT write");
      }
    }
    try {
      tx.commit();
    } catch (const StoreError& e) {
      throw detail::CommitUncertain(e.what());
    }
  }

  // The group commit's own connection, so that a group never waits for the
  // pool, which readers may hold; GroupCommit runs one group at a time, so
  // only one thread uses it. Opened on the first commit and again when
  // broken; when the server refuses it (max_connections), a pooled one
  // stands in, leased into `lease`.
  Connection& committer(std::optional<Lease>& lease) {
    if (committer_ && !usable(*committer_)) committer_.reset();
    if (!committer_) {
      try {
        committer_ = connect();
      } catch (const StoreError&) {
        return lease.emplace(*this);
      }
    }
    return *committer_;
  }

  static void insert_documents(Connection& c, const std::vector<detail::Write>& writes) {
    ArrayParam columns[9];
    size_t rows = 0;
    for (const auto& w : writes) {
      if (w.documents == nullptr) continue;
      for (const auto& [kind, d] : *w.documents) {
        columns[0].add(d.id);
        columns[1].add(kind_name(kind));
        columns[2].add(d.client_id);
        columns[3].add(d.parent_id);
        columns[4].add(d.kb_version);
        columns[5].add(d.input);
        columns[6].add(d.output);
        columns[7].add(d.created_by);
        columns[8].add(d.created_at);
        ++rows;
      }
    }
    if (rows == 0) return;
    std::string literals[9];
    for (int i = 0; i < 9; ++i) literals[i] = columns[i].literal();
    run(c,
        "INSERT INTO documents (id, kind, client_id, parent_id, kb_version, input, output, created_by, created_at) "
        "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
        "$8::text[], $9::bigint[])",
        {literals[0], literals[1], literals[2], literals[3], literals[4], literals[5], literals[6], literals[7], literals[8]});
  }

  // Audit ids follow the order of `writes` and of their entries; the audit
  // lock is taken first when there are entries.
  static void insert_audit(Connection& c, const std::vector<detail::Write>& writes) {
    ArrayParam columns[6];
    size_t rows = 0;
    for (const auto& w : writes) {
      if (w.entries == nullptr) continue;
      for (const auto& e : *w.entries) {
        columns[0].add(e.at);
        columns[1].add(e.user_id);
        columns[2].add(e.action);
        columns[3].add(e.resource);
        columns[4].add(e.resource_id);
        columns[5].add(e.client_id);
        ++rows;
      }
    }
    if (rows == 0) return;
    std::string literals[6];
    for (int i = 0; i < 6; ++i) literals[i] = columns[i].literal();
    lock_for_transaction(c, kAuditLock);
    run(c,
        "INSERT INTO audit (at, user_id, action, resource, resource_id, client_id) "
        "SELECT at, user_id, action, resource, resource_id, client_id FROM unnest($1::bigint[], $2::text[], $3::text[], "
        "$4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS e(at, user_id, action, resource, resource_id, client_id, n) "
        "ORDER BY n",
        {literals[0], literals[1], literals[2], literals[3], literals[4], literals[5]});
  }

  static Client client_row(const Result& r, int i) {
    return Client{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5), r.integer(i, 6)};
  }
  static Document document_row(const Result& r, int i) {
    return Document{r.text(i, 0), r.text(i, 1), r.text(i, 2),    r.text(i, 3), r.text(i, 4),
                    r.text(i, 5), r.text(i, 6), r.integer(i, 7), r.text(i, 8)};
  }
  static std::vector<Document> document_rows(const Result& r) {
    std::vector<Document> out;
    out.reserve(static_cast<size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(document_row(r, i));
    return out;
  }

  // `column` is one of our own column names, never input.
  std::optional<User> user_where(const char* column, const std::string& key) {
    Lease c(*this);
    const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE " + column + " = $1";
    const Result r = run(c, sql.c_str(), {key});
    if (r.rows() == 0) return std::nullopt;
    return user_row(r, 0);
  }
  static Template template_row(const Result& r, int i) {
    return Template{r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5)};
  }
  static User user_row(const Result& r, int i) {
    const auto role = parse_role(r.text(i, 3));
    return User{r.text(i, 0), r.text(i, 1), r.text(i, 2),   role.value_or(Role::kClient),
                r.text(i, 4), r.text(i, 5), r.integer(i, 6)};
  }
  static void revoke_links_of_former_carers(Connection& c, const std::string& client_id) {
    for (const std::string& sql : revoke_links_of_former_carers_sql()) run(c, sql, {client_id});
  }

  std::unique_ptr<Connection> connect() const {
    PGconn* conn = detail::libpq().PQconnectdb(url_.c_str());
    if (conn == nullptr) throw StoreError("postgres: out of memory");
    if (detail::libpq().PQstatus(conn) != CONNECTION_OK) {
      // libpq's message names host and port, never the password in the URL.
      const std::string message = trimmed(detail::libpq().PQerrorMessage(conn));
      detail::libpq().PQfinish(conn);
      throw StoreError("cannot connect to postgres: " + message);
    }
    // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
    detail::libpq().PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return std::make_unique<Connection>(conn);
  }

  // An idle pooled connection has nothing to read: data or end-of-file
  // waiting on its socket means the server ended the session (restart,
  // shutdown, pg_terminate_backend, idle timeout).
  static bool usable(PGconn* conn) {
    if (detail::libpq().PQstatus(conn) != CONNECTION_OK || detail::libpq().PQtransactionStatus(conn) != PQTRANS_IDLE) return false;
    pollfd pending{detail::libpq().PQsocket(conn), POLLIN, 0};
    return ::poll(&pending, 1, 0) == 0;
  }

  // An idle connection that still works, else a new one in a free slot (or
  // in the slot of a broken one), else waits for a caller to release one.
  // When the server refuses a new connection while this pool holds others
  // (its max_connections is shared with other processes), the caller waits
  // for one of those rather than failing, and the pool asks the server again
  // only after kConnectRetry; with none open, the refusal is thrown.
  std::unique_ptr<Connection> acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
      while (!idle_.empty()) {
        std::unique_ptr<Connection> c = std::move(idle_.back());
        idle_.pop_back();
        if (usable(*c)) return c;
        c.reset();
        --open_;
      }
      if (open_ < max_open_ && (open_ == 0 || std::chrono::steady_clock::now() >= retry_after_)) {
        ++open_;
        lock.unlock();
        try {
          return connect();
        } catch (const StoreError&) {
          lock.lock();
          --open_;
          available_.notify_one();
          if (open_ == 0) throw;
          retry_after_ = std::chrono::steady_clock::now() + kConnectRetry;
          continue;
        }
      }
      if (open_ < max_open_)
        available_.wait_until(lock, retry_after_);
      else
        available_.wait(lock);
    }
  }

  // Pools the connection if it is healthy and outside any transaction;
  // otherwise closes it, so the next caller gets a fresh one.
  void release(std::unique_ptr<Connection> c) {
    const bool healthy = detail::libpq().PQstatus(*c) == CONNECTION_OK && detail::libpq().PQtransactionStatus(*c) == PQTRANS_IDLE;
    if (!healthy) c.reset();
    {
      std::lock_guard lock(mutex_);
      if (healthy) {
        idle_.push_back(std::move(c));
      } else {
        --open_;
      }
    }
    available_.notify_one();
  }

  const std::string url_;
  const size_t max_open_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // connections idle or leased
  std::chrono::steady_clock::time_point retry_after_;
  std::unique_ptr<Connection> committer_;  // see committer()
  detail::GroupCommit group_;
};

}  // namespace

std::unique_ptr<Store> open_postgres(const std::string& url, size_t connections) {
  if (sodium_init() < 0) throw StoreError("libsodium failed to initialise");
  return std::make_unique<PostgresStore>(url, connections);
}

}  // namespace rebalance::store
