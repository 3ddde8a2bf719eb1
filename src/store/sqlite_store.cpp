// SQLite implementation of Store: one database file, WAL, synchronous=FULL,
// foreign keys. Writes go through one writer connection (small documents and
// audit entries group-committed); reads run on a pool of read-only
// connections at once, never waiting for the writer. Every connection
// prepares each statement once and keeps it. Nothing read is cached: other
// processes may write to the same file.
#include <sodium.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <unordered_map>

#include "store/detail/group_commit.h"
#include "store/store.h"

namespace rebalance::store {

namespace {

// Versioned migrations: each runs once, in order, inside a transaction.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'practitioner', 'client')),
  password_hash TEXT NOT NULL DEFAULT '',
  client_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  window_start INTEGER NOT NULL
);
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  practitioner_id TEXT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX clients_practitioner ON clients(practitioner_id);
CREATE TABLE invites (
  token_hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  created_by TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('assessment', 'program', 'log')),
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  parent_id TEXT NOT NULL DEFAULT '',
  kb_version TEXT NOT NULL DEFAULT '',
  input TEXT NOT NULL,
  output TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX documents_client ON documents(client_id, kind, created_at);
CREATE INDEX documents_parent ON documents(parent_id, kind);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  client_id TEXT NOT NULL
);
)sql",
    R"sql(
ALTER TABLE documents ADD COLUMN review TEXT NOT NULL DEFAULT '';
)sql",
    R"sql(
CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  used_at INTEGER NOT NULL DEFAULT 0
);
)sql",
    R"sql(
CREATE TABLE client_shares (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  practitioner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  PRIMARY KEY (client_id, practitioner_id)
);
)sql",
    R"sql(
CREATE TABLE calendar_feeds (
  client_id TEXT PRIMARY KEY REFERENCES clients(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
)sql",
    // Links get public ids and their makers (listing, revoking after access
    // ends); throttling counts attempts with the time of the last; a client
    // has one account (later duplicates, made through extra invites before
    // this rule, are removed with their sessions).
    R"sql(
ALTER TABLE invites ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE invites ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
UPDATE invites SET id = 'i_' || substr(token_hash, 1, 32);
CREATE UNIQUE INDEX invites_id ON invites(id);
ALTER TABLE password_resets ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE password_resets ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
ALTER TABLE password_resets ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
UPDATE password_resets SET id = 'r_' || substr(token_hash, 1, 32);
CREATE UNIQUE INDEX password_resets_id ON password_resets(id);
CREATE INDEX password_resets_user ON password_resets(user_id);
ALTER TABLE calendar_feeds ADD COLUMN id TEXT NOT NULL DEFAULT '';
ALTER TABLE calendar_feeds ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
UPDATE calendar_feeds SET id = 'f_' || substr(token_hash, 1, 32);
ALTER TABLE login_failures ADD COLUMN last_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX login_failures_window ON login_failures(window_start);
DELETE FROM users WHERE role = 'client' AND EXISTS (
  SELECT 1 FROM users AS first WHERE first.role = 'client' AND first.client_id = users.client_id
    AND (first.created_at < users.created_at OR (first.created_at = users.created_at AND first.id < users.id)));
CREATE UNIQUE INDEX users_one_account_per_client ON users(client_id) WHERE role = 'client';
)sql",
    // Messages between a client and their care team; per reader, the last
    // message read of each thread.
    R"sql(
CREATE TABLE messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  author_id TEXT NOT NULL,
  author_name TEXT NOT NULL,
  from_client INTEGER NOT NULL CHECK (from_client IN (0, 1)),
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_client ON messages(client_id, seq);
CREATE TABLE message_reads (
  client_id TEXT NOT NULL REFERENCES clients(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  PRIMARY KEY (client_id, user_id)
);
)sql",
    // Practitioners' templates (programs, test sets).
    R"sql(
CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('program', 'test_set')),
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX templates_owner ON templates(owner_id, kind, created_at);
)sql",
    // A client's documents come out of the index in their order (created_at,
    // then id): without id in it, every read sorted whole rows (program
    // versions of 50 KB) in a temporary b-tree, most of the client list's time.
    R"sql(
DROP INDEX documents_client;
CREATE INDEX documents_client ON documents(client_id, kind, created_at, id);
)sql",
    // A program version's head (Store::document_head) is read from this
    // index alone: created_by and created_at lie after the input and output
    // in the row, and reaching them walked the overflow pages of a 50 KB
    // version. Partial: logs, the most frequent write, do not pay for it.
    R"sql(
CREATE INDEX documents_head ON documents(id, kind, client_id, parent_id, kb_version, created_by, created_at)
  WHERE kind = 'program';
)sql",
};

// Transparent lookup of SQL texts: a statement is found by the text it was
// prepared from, without copying the text.
struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

// One SQLite connection and its prepared statements: each SQL text is
// prepared once per connection, kept while the connection lives, and
// finalized when it closes. Used by one thread at a time (the pools hand it
// out whole), so it needs no mutex of its own.
class Connection {
 public:
  explicit Connection(sqlite3* db) : db_(db) {}
  ~Connection() {
    for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  operator sqlite3*() const { return db_; }

  // The statement prepared from `sql`, ready for bindings; prepared now on
  // first use. `cached` tells whether it belongs to the cache (else the
  // caller finalizes it: the same text is already in use further up).
  sqlite3_stmt* take(std::string_view sql, bool& cached) {
    auto it = statements_.find(sql);
    if (it != statements_.end() && !it->second.in_use) {
      it->second.in_use = true;
      cached = true;
      return it->second.stmt;
    }
    sqlite3_stmt* stmt = nullptr;
    const unsigned flags = it == statements_.end() ? SQLITE_PREPARE_PERSISTENT : 0;
    if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), flags, &stmt, nullptr) != SQLITE_OK) {
      sqlite3_finalize(stmt);
      throw StoreError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    }
    cached = it == statements_.end();
    if (cached) statements_.emplace(std::string(sql), Cached{stmt, true});
    return stmt;
  }
  // Gives a statement from take() back, reset and without bindings, so that
  // it holds no read snapshot open (which would stall checkpoints).
  void give_back(sqlite3_stmt* stmt, std::string_view sql, bool cached) {
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (!cached) {
      sqlite3_finalize(stmt);
      return;
    }
    statements_.find(sql)->second.in_use = false;
  }

 private:
  struct Cached {
    sqlite3_stmt* stmt;
    bool in_use;
  };
  sqlite3* db_;
  std::unordered_map<std::string, Cached, SqlHash, std::equal_to<>> statements_;
};

// A prepared statement borrowed from its connection for one use.
class Statement {
 public:
  Statement(Connection& c, std::string_view sql) : c_(c), sql_(sql), stmt_(c.take(sql, cached_)) {}
  ~Statement() { c_.give_back(stmt_, sql_, cached_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  // Ready to run again with new bindings.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // True while rows come.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("sqlite step: ") + sqlite3_errmsg(c_));
  }
  std::string text(int col) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))) : std::string();
  }
  int64_t integer(int col) { return sqlite3_column_int64(stmt_, col); }

 private:
  Connection& c_;
  std::string_view sql_;  // the caller's text, alive for the statement's use
  bool cached_ = false;
  sqlite3_stmt* stmt_;
};

void exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    throw StoreError("sqlite: " + message);
  }
}

class SqliteStore final : public Store {
 public:
  // The writer connection opens now, so that a bad path is reported at once.
  explicit SqliteStore(std::string path)
      : path_(std::move(path)),
        writer_(open(Access::kWrite)),
        group_([this](const std::vector<detail::Write>& writes, std::vector<std::string>* errors) {
          commit_group(writes, errors);
        }) {}
  // Readers close first: the last connection to close (the writer, which
  // may write) checkpoints the log into the database file.
  ~SqliteStore() override { readers_.clear(); }
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  int migrate() override {
    WriteLease c(*this);
    // The version is read inside the write transaction, so that several
    // processes starting on one new file apply each migration once.
    const int target = static_cast<int>(std::size(kMigrations));
    Tx tx(c);
    exec(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    int version = 0;
    {
      Statement s(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (s.step()) version = static_cast<int>(s.integer(0));
    }
    for (int v = version; v < target; ++v) {
      exec(c, kMigrations[v]);
      Statement(c, "INSERT INTO schema_version (version) VALUES (?)").bind(1, int64_t{v + 1}).step();
    }
    tx.commit();
    return target;
  }

  void create_user(const User& u) override {
    WriteLease c(*this);
    Statement s(c, "INSERT INTO users (id, email, name, role, password_hash, client_id, created_at) VALUES (?,?,?,?,?,?,?)");
    s.bind(1, u.id).bind(2, u.email).bind(3, u.name).bind(4, std::string(to_string(u.role))).bind(5, u.password_hash);
    if (u.client_id.empty())
      s.bind_null(6);
    else
      s.bind(6, u.client_id);
    s.bind(7, u.created_at).step();
  }

  std::optional<User> user_by_id(const std::string& id) override {
    return user_where("SELECT id, email, name, role, password_hash, COALESCE(client_id, ''), created_at FROM users WHERE id = ?",
                      id);
  }
  std::optional<User> user_by_email(const std::string& email) override {
    return user_where(
        "SELECT id, email, name, role, password_hash, COALESCE(client_id, ''), created_at FROM users WHERE email = ?", email);
  }
  void set_password(const std::string& user_id, const std::string& hash) override {
    WriteLease c(*this);
    Statement(c, "UPDATE users SET password_hash = ? WHERE id = ?").bind(1, hash).bind(2, user_id).step();
  }
  int64_t count_users() override {
    ReadLease c(*this);
    Statement s(c, "SELECT COUNT(*) FROM users");
    s.step();
    return s.integer(0);
  }
  std::vector<User> list_users() override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, email, name, role, password_hash, COALESCE(client_id, ''), created_at FROM users ORDER BY "
                "created_at, id");
    std::vector<User> out;
    while (s.step()) out.push_back(user_row(s));
    return out;
  }

  void create_session(const Session& x) override {
    WriteLease c(*this);
    Statement(c, "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES (?,?,?,?)")
        .bind(1, x.token_hash)
        .bind(2, x.user_id)
        .bind(3, x.csrf_token)
        .bind(4, x.expires_at)
        .step();
  }
  std::optional<Session> session(const std::string& token_hash, int64_t now) override {
    ReadLease c(*this);
    Statement s(c, "SELECT token_hash, user_id, csrf_token, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?");
    s.bind(1, token_hash).bind(2, now);
    if (!s.step()) return std::nullopt;
    return Session{s.text(0), s.text(1), s.text(2), s.integer(3)};
  }
  void delete_session(const std::string& token_hash) override {
    WriteLease c(*this);
    Statement(c, "DELETE FROM sessions WHERE token_hash = ?").bind(1, token_hash).step();
  }

  // BEGIN IMMEDIATE serialises writers (threads and processes), so the read,
  // the decision and the write are one step.
  int64_t begin_login_attempt(const std::string& email, const std::string& address, int64_t now,
                              const ThrottlePolicy& per_account, const ThrottlePolicy& per_address) override {
    WriteLease c(*this);
    Tx tx(c);
    struct Key {
      std::string key;
      const ThrottlePolicy* policy;
      int attempts = 0;
      int64_t window_start = 0, last_at = 0;
    };
    Key keys[2] = {{"account:" + email, &per_account}, {"address:" + address, &per_address}};
    int64_t wait = 0;
    for (Key& k : keys) {
      Statement s(c, "SELECT count, window_start, last_at FROM login_failures WHERE key = ?");
      s.bind(1, k.key);
      if (s.step() && s.integer(1) + k.policy->window_seconds > now) {
        k.attempts = static_cast<int>(s.integer(0));
        k.window_start = s.integer(1);
        k.last_at = s.integer(2);
      }
      wait = std::max(wait, throttle_wait(*k.policy, k.attempts, k.window_start, k.last_at, now));
    }
    if (wait > 0) return wait;
    for (const Key& k : keys) {
      Statement(c,
                "INSERT INTO login_failures (key, count, window_start, last_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET count = excluded.count, window_start = excluded.window_start, "
                "last_at = excluded.last_at")
          .bind(1, k.key)
          .bind(2, int64_t{k.attempts + 1})
          .bind(3, k.attempts == 0 ? now : k.window_start)
          .bind(4, now)
          .step();
    }
    // Windows long over are forgotten (the longest policy window bounds them).
    Statement(c, "DELETE FROM login_failures WHERE window_start < ?")
        .bind(1, now - std::max(per_account.window_seconds, per_address.window_seconds))
        .step();
    tx.commit();
    return 0;
  }
  void login_succeeded(const std::string& email, const std::string& address) override {
    WriteLease c(*this);
    Tx tx(c);
    Statement(c, "DELETE FROM login_failures WHERE key = ?").bind(1, "account:" + email).step();
    Statement(c, "UPDATE login_failures SET count = MAX(count - 1, 0) WHERE key = ?").bind(1, "address:" + address).step();
    tx.commit();
  }

  void create_client(const Client& x) override {
    WriteLease c(*this);
    Statement(c, "INSERT INTO clients (id, practitioner_id, name, email, notes, created_at, updated_at) VALUES (?,?,?,?,?,?,?)")
        .bind(1, x.id)
        .bind(2, x.practitioner_id)
        .bind(3, x.name)
        .bind(4, x.email)
        .bind(5, x.notes)
        .bind(6, x.created_at)
        .bind(7, x.updated_at)
        .step();
  }
  std::optional<Client> client(const std::string& id) override {
    ReadLease c(*this);
    Statement s(c, "SELECT id, practitioner_id, name, email, notes, created_at, updated_at FROM clients WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return client_row(s);
  }
  std::vector<Client> clients_of(const std::string& practitioner_id) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, practitioner_id, name, email, notes, created_at, updated_at FROM clients WHERE practitioner_id = ? "
                "ORDER BY name, id");
    s.bind(1, practitioner_id);
    std::vector<Client> out;
    while (s.step()) out.push_back(client_row(s));
    return out;
  }
  void update_client(const Client& x) override {
    WriteLease c(*this);
    Statement(c, "UPDATE clients SET name = ?, email = ?, notes = ?, updated_at = ? WHERE id = ?")
        .bind(1, x.name)
        .bind(2, x.email)
        .bind(3, x.notes)
        .bind(4, x.updated_at)
        .bind(5, x.id)
        .step();
  }
  void share_client(const std::string& client_id, const std::string& practitioner_id) override {
    WriteLease c(*this);
    Statement(c, "INSERT OR IGNORE INTO client_shares (client_id, practitioner_id) VALUES (?, ?)")
        .bind(1, client_id)
        .bind(2, practitioner_id)
        .step();
  }
  void unshare_client(const std::string& client_id, const std::string& practitioner_id) override {
    WriteLease c(*this);
    Tx tx(c);
    Statement(c, "DELETE FROM client_shares WHERE client_id = ? AND practitioner_id = ?")
        .bind(1, client_id)
        .bind(2, practitioner_id)
        .step();
    revoke_links_of_former_carers(c, client_id);
    tx.commit();
  }
  bool is_shared_with(const std::string& client_id, const std::string& practitioner_id) override {
    ReadLease c(*this);
    Statement s(c, "SELECT 1 FROM client_shares WHERE client_id = ? AND practitioner_id = ?");
    s.bind(1, client_id).bind(2, practitioner_id);
    return s.step();
  }
  std::vector<Client> clients_shared_with(const std::string& practitioner_id) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT c.id, c.practitioner_id, c.name, c.email, c.notes, c.created_at, c.updated_at FROM clients c "
                "JOIN client_shares s ON s.client_id = c.id WHERE s.practitioner_id = ? ORDER BY c.name, c.id");
    s.bind(1, practitioner_id);
    std::vector<Client> out;
    while (s.step()) out.push_back(client_row(s));
    return out;
  }
  void transfer_client(const std::string& id, const std::string& practitioner_id, int64_t now) override {
    WriteLease c(*this);
    Tx tx(c);
    Statement(c, "UPDATE clients SET practitioner_id = ?, updated_at = ? WHERE id = ?")
        .bind(1, practitioner_id)
        .bind(2, now)
        .bind(3, id)
        .step();
    Statement(c, "DELETE FROM client_shares WHERE client_id = ?").bind(1, id).step();
    revoke_links_of_former_carers(c, id);
    tx.commit();
  }
  bool delete_client(const std::string& id, const std::string& by_user) override {
    WriteLease c(*this);
    Tx tx(c);
    {
      Statement s(c, "SELECT 1 FROM clients WHERE id = ?");
      s.bind(1, id);
      if (!s.step()) return false;
    }
    // Throttling records name the account's email and the client's.
    Statement(c,
              "DELETE FROM login_failures WHERE key IN (SELECT 'account:' || email FROM users WHERE role = 'client' AND "
              "client_id = ?1 UNION SELECT 'account:' || email FROM clients WHERE id = ?1)")
        .bind(1, id)
        .step();
    // Sessions and resets of the account go with it (ON DELETE CASCADE), as do
    // the client's shares and calendar feed.
    Statement(c, "DELETE FROM users WHERE role = 'client' AND client_id = ?").bind(1, id).step();
    Statement(c, "DELETE FROM documents WHERE client_id = ?").bind(1, id).step();
    Statement(c, "DELETE FROM message_reads WHERE client_id = ?").bind(1, id).step();
    Statement(c, "DELETE FROM messages WHERE client_id = ?").bind(1, id).step();
    Statement(c, "DELETE FROM invites WHERE client_id = ?").bind(1, id).step();
    Statement(c, "DELETE FROM clients WHERE id = ?").bind(1, id).step();
    Statement(c, "INSERT INTO audit (at, user_id, action, resource, resource_id, client_id) VALUES (?,?,?,?,?,?)")
        .bind(1, now_ms())
        .bind(2, by_user)
        .bind(3, std::string("delete"))
        .bind(4, std::string("client"))
        .bind(5, id)
        .bind(6, id)
        .step();
    tx.commit();
    truncate_log(c);
    return true;
  }

  void set_calendar_feed(const std::string& client_id, const std::string& token_hash, const std::string& created_by,
                         int64_t now) override {
    WriteLease c(*this);
    Statement(c,
              "INSERT INTO calendar_feeds (client_id, token_hash, created_at, id, created_by) VALUES (?, ?, ?, ?, ?) "
              "ON CONFLICT (client_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at, "
              "id = excluded.id, created_by = excluded.created_by")
        .bind(1, client_id)
        .bind(2, token_hash)
        .bind(3, now)
        .bind(4, new_id("f_"))
        .bind(5, created_by)
        .step();
  }
  std::optional<std::string> client_of_calendar_feed(const std::string& token_hash) override {
    ReadLease c(*this);
    Statement s(c, "SELECT client_id FROM calendar_feeds WHERE token_hash = ?");
    s.bind(1, token_hash);
    if (!s.step()) return std::nullopt;
    return s.text(0);
  }
  bool revoke_calendar_feed(const std::string& client_id) override {
    WriteLease c(*this);
    Statement(c, "DELETE FROM calendar_feeds WHERE client_id = ?").bind(1, client_id).step();
    return sqlite3_changes(c) > 0;
  }

  void create_reset(const PasswordReset& r) override {
    WriteLease c(*this);
    Statement(c, "INSERT INTO password_resets (id, token_hash, user_id, created_by, created_at, expires_at) VALUES (?,?,?,?,?,?)")
        .bind(1, r.id)
        .bind(2, r.token_hash)
        .bind(3, r.user_id)
        .bind(4, r.created_by)
        .bind(5, r.created_at)
        .bind(6, r.expires_at)
        .step();
  }
  std::optional<std::string> use_reset(const std::string& token_hash, int64_t now) override {
    WriteLease c(*this);
    Tx tx(c);
    std::string user;
    {
      Statement s(c, "SELECT user_id FROM password_resets WHERE token_hash = ? AND used_at = 0 AND expires_at > ?");
      s.bind(1, token_hash).bind(2, now);
      if (!s.step()) return std::nullopt;
      user = s.text(0);
    }
    Statement(c, "UPDATE password_resets SET used_at = ? WHERE token_hash = ?").bind(1, now).bind(2, token_hash).step();
    tx.commit();
    return user;
  }
  void delete_sessions_of(const std::string& user_id) override {
    WriteLease c(*this);
    Statement(c, "DELETE FROM sessions WHERE user_id = ?").bind(1, user_id).step();
  }
  std::optional<User> client_account(const std::string& client_id) override {
    return user_where(
        "SELECT id, email, name, role, password_hash, COALESCE(client_id, ''), created_at FROM users WHERE role = 'client' AND "
        "client_id = ?",
        client_id);
  }

  void create_invite(const Invite& x) override {
    WriteLease c(*this);
    Statement(c, "INSERT INTO invites (id, token_hash, client_id, created_by, created_at, expires_at) VALUES (?,?,?,?,?,?)")
        .bind(1, x.id)
        .bind(2, x.token_hash)
        .bind(3, x.client_id)
        .bind(4, x.created_by)
        .bind(5, x.created_at)
        .bind(6, x.expires_at)
        .step();
  }
  Redeemed redeem_invite(const std::string& token_hash, int64_t now, User& account) override {
    WriteLease c(*this);
    Tx tx(c);
    {
      Statement s(c,
                  "SELECT i.client_id, c.name FROM invites i JOIN clients c ON c.id = i.client_id WHERE i.token_hash = ? AND "
                  "i.used_at = 0 AND i.expires_at > ?");
      s.bind(1, token_hash).bind(2, now);
      if (!s.step()) return Redeemed::kInvalid;
      account.client_id = s.text(0);
      account.name = s.text(1);
    }
    {
      Statement s(c, "SELECT 1 FROM users WHERE role = 'client' AND client_id = ?");
      s.bind(1, account.client_id);
      if (s.step()) return Redeemed::kClientHasAccount;
    }
    {
      Statement s(c, "SELECT 1 FROM users WHERE email = ?");
      s.bind(1, account.email);
      if (s.step()) return Redeemed::kEmailTaken;
    }
    Statement(c, "UPDATE invites SET used_at = ? WHERE token_hash = ?").bind(1, now).bind(2, token_hash).step();
    account.role = Role::kClient;
    Statement(c, "INSERT INTO users (id, email, name, role, password_hash, client_id, created_at) VALUES (?,?,?,?,?,?,?)")
        .bind(1, account.id)
        .bind(2, account.email)
        .bind(3, account.name)
        .bind(4, std::string("client"))
        .bind(5, account.password_hash)
        .bind(6, account.client_id)
        .bind(7, account.created_at)
        .step();
    tx.commit();
    return Redeemed::kOk;
  }
  std::vector<ClientLink> links_of_client(const std::string& client_id, int64_t now) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT 0, id, created_by, created_at, expires_at FROM invites WHERE client_id = ?1 AND used_at = 0 AND "
                "expires_at > ?2 "
                "UNION ALL SELECT 1, r.id, r.created_by, r.created_at, r.expires_at FROM password_resets r JOIN users u ON "
                "u.id = r.user_id WHERE u.role = 'client' AND u.client_id = ?1 AND r.used_at = 0 AND r.expires_at > ?2 "
                "UNION ALL SELECT 2, id, created_by, created_at, 0 FROM calendar_feeds WHERE client_id = ?1 "
                "ORDER BY 4, 1, 2");
    s.bind(1, client_id).bind(2, now);
    std::vector<ClientLink> out;
    while (s.step())
      out.push_back(ClientLink{static_cast<ClientLink::Kind>(s.integer(0)), s.text(1), s.text(2), s.integer(3), s.integer(4)});
    return out;
  }
  bool revoke_link(const std::string& client_id, const std::string& link_id) override {
    WriteLease c(*this);
    Tx tx(c);
    int changed = 0;
    Statement(c, "DELETE FROM invites WHERE id = ? AND client_id = ? AND used_at = 0").bind(1, link_id).bind(2, client_id).step();
    changed += sqlite3_changes(c);
    Statement(c,
              "DELETE FROM password_resets WHERE id = ? AND used_at = 0 AND user_id IN (SELECT id FROM users WHERE role = "
              "'client' AND client_id = ?)")
        .bind(1, link_id)
        .bind(2, client_id)
        .step();
    changed += sqlite3_changes(c);
    Statement(c, "DELETE FROM calendar_feeds WHERE id = ? AND client_id = ?").bind(1, link_id).bind(2, client_id).step();
    changed += sqlite3_changes(c);
    tx.commit();
    return changed > 0;
  }

  void add_message(const Message& m) override {
    WriteLease c(*this);
    Statement(c,
              "INSERT INTO messages (id, client_id, author_id, author_name, from_client, body, created_at) VALUES "
              "(?, ?, ?, ?, ?, ?, ?)")
        .bind(1, m.id)
        .bind(2, m.client_id)
        .bind(3, m.author_id)
        .bind(4, m.author_name)
        .bind(5, int64_t{m.from_client ? 1 : 0})
        .bind(6, m.body)
        .bind(7, m.created_at)
        .step();
  }
  std::vector<Message> messages_of(const std::string& client_id, int limit) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, client_id, author_id, author_name, from_client, body, created_at FROM (SELECT * FROM messages "
                "WHERE client_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq");
    s.bind(1, client_id).bind(2, int64_t{limit});
    std::vector<Message> out;
    while (s.step())
      out.push_back(Message{s.text(0), s.text(1), s.text(2), s.text(3), s.integer(4) != 0, s.text(5), s.integer(6)});
    return out;
  }
  bool mark_read(const std::string& client_id, const std::string& user_id, const std::string& message_id) override {
    WriteLease c(*this);
    Statement(c,
              "INSERT INTO message_reads (client_id, user_id, seq) SELECT client_id, ?1, seq FROM messages WHERE id = ?2 AND "
              "client_id = ?3 ON CONFLICT (client_id, user_id) DO UPDATE SET seq = max(seq, excluded.seq)")
        .bind(1, user_id)
        .bind(2, message_id)
        .bind(3, client_id)
        .step();
    // No row is written when the thread has no such message; an older mark
    // is rewritten with itself.
    return sqlite3_changes(c) > 0;
  }
  int64_t unread_count(const std::string& client_id, const std::string& user_id) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT count(*) FROM messages WHERE client_id = ?1 AND author_id <> ?2 AND seq > coalesce((SELECT seq FROM "
                "message_reads WHERE client_id = ?1 AND user_id = ?2), 0)");
    s.bind(1, client_id).bind(2, user_id);
    s.step();
    return s.integer(0);
  }

  void add_template(const Template& t) override {
    WriteLease c(*this);
    Statement(c, "INSERT INTO templates (id, owner_id, kind, name, body, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, t.id)
        .bind(2, t.owner_id)
        .bind(3, t.kind)
        .bind(4, t.name)
        .bind(5, t.body)
        .bind(6, t.created_at)
        .step();
  }
  std::vector<Template> templates_of(const std::string& owner_id, const std::string& kind) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, owner_id, kind, name, body, created_at FROM templates WHERE owner_id = ?1 AND (?2 = '' OR kind = ?2) "
                "ORDER BY created_at, id");
    s.bind(1, owner_id).bind(2, kind);
    std::vector<Template> out;
    while (s.step()) out.push_back(template_row(s));
    return out;
  }
  std::optional<Template> template_by_id(const std::string& id) override {
    ReadLease c(*this);
    Statement s(c, "SELECT id, owner_id, kind, name, body, created_at FROM templates WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return template_row(s);
  }
  bool delete_template(const std::string& id, const std::string& owner_id) override {
    WriteLease c(*this);
    Statement(c, "DELETE FROM templates WHERE id = ? AND owner_id = ?").bind(1, id).bind(2, owner_id).step();
    return sqlite3_changes(c) > 0;
  }

  void add_document(DocKind kind, const Document& d) override {
    const std::vector<std::pair<DocKind, Document>> documents{{kind, d}};
    const std::vector<AuditEntry> none;
    group_.write({&documents, &none});
  }
  std::optional<Document> document(DocKind kind, const std::string& id) override {
    return document_where(
        "SELECT id, client_id, parent_id, kb_version, input, output, created_by, created_at, review FROM documents WHERE "
        "id = ?1 AND kind = ?2",
        id, kind);
  }
  std::optional<Document> document_head(DocKind kind, const std::string& id) override {
    if (kind == DocKind::kProgram)
      return document_where(
          "SELECT id, client_id, parent_id, kb_version, '', '', created_by, created_at, '' FROM documents "
          "INDEXED BY documents_head WHERE id = ?1 AND kind = 'program'",
          id, std::nullopt);
    // Assessments and logs are small: the whole row, without its bytes.
    auto d = document(kind, id);
    if (d) {
      d->input.clear();
      d->output.clear();
      d->review.clear();
    }
    return d;
  }
  std::vector<Document> documents_of_client(DocKind kind, const std::string& client_id) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, client_id, parent_id, kb_version, input, output, created_by, created_at, review FROM documents "
                "WHERE client_id = ? AND kind = ? ORDER BY created_at, id");
    s.bind(1, client_id).bind(2, std::string(kind_name(kind)));
    std::vector<Document> out;
    while (s.step()) out.push_back(row(s));
    return out;
  }
  std::vector<Document> logs_of_program(const std::string& program_id) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, client_id, parent_id, kb_version, input, output, created_by, created_at, review FROM documents "
                "WHERE parent_id = ? AND kind = 'log' ORDER BY created_at, id");
    s.bind(1, program_id);
    std::vector<Document> out;
    while (s.step()) out.push_back(row(s));
    return out;
  }

  void set_review(const std::string& assessment_id, const std::string& review) override {
    WriteLease c(*this);
    Statement(c, "UPDATE documents SET review = ? WHERE id = ? AND kind = 'assessment'")
        .bind(1, review)
        .bind(2, assessment_id)
        .step();
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
  bool reads_are_local() const override { return true; }

  std::vector<AuditEntry> audit(int64_t after_id, int limit) override {
    ReadLease c(*this);
    Statement s(c,
                "SELECT id, at, user_id, action, resource, resource_id, client_id FROM audit WHERE id > ? ORDER BY id LIMIT ?");
    s.bind(1, after_id).bind(2, int64_t{limit});
    std::vector<AuditEntry> out;
    while (s.step()) out.push_back(AuditEntry{s.integer(0), s.integer(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)});
    return out;
  }

 private:
  enum class Access { kRead, kWrite };

  // A reader connection for the duration of one call. Readers each have
  // their own (opened as needed, then pooled) and in WAL mode read the last
  // committed state without waiting for any writer, in this process or another.
  class ReadLease {
   public:
    explicit ReadLease(SqliteStore& store) : store_(store), c_(store.acquire_reader()) {}
    ~ReadLease() { store_.release_reader(std::move(c_)); }
    ReadLease(const ReadLease&) = delete;
    ReadLease& operator=(const ReadLease&) = delete;
    operator Connection&() const { return *c_; }
    operator sqlite3*() const { return *c_; }

   private:
    SqliteStore& store_;
    std::unique_ptr<Connection> c_;
  };

  // The writer connection for the duration of one call. This process's
  // writes take turns on it, so they never meet SQLITE_BUSY from each other
  // (nor sleep in the busy handler); other processes' writers are waited
  // for up to the busy timeout.
  class WriteLease {
   public:
    explicit WriteLease(SqliteStore& store) : lock_(store.writer_mutex_), c_(*store.writer_) {}
    WriteLease(const WriteLease&) = delete;
    WriteLease& operator=(const WriteLease&) = delete;
    operator Connection&() const { return c_; }
    operator sqlite3*() const { return c_; }

   private:
    std::lock_guard<std::mutex> lock_;
    Connection& c_;
  };

  // BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
  class Tx {
   public:
    explicit Tx(sqlite3* db) : db_(db) { exec(db_, "BEGIN IMMEDIATE"); }
    ~Tx() {
      if (!done_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;
    void commit() {
      exec(db_, "COMMIT");
      done_ = true;
    }

   private:
    sqlite3* db_;
    bool done_ = false;
  };

  // One group of the group commit (detail::GroupCommit::Commit), on the
  // writer connection. With synchronous=FULL, COMMIT returns once the log
  // is on disk.
  void commit_group(const std::vector<detail::Write>& writes, std::vector<std::string>* errors) {
    WriteLease c(*this);
    Tx tx(c);
    if (errors == nullptr) {
      for (const auto& w : writes) insert(c, w);
    } else {
      for (size_t i = 0; i < writes.size(); ++i) {
        exec(c, "SAVEPOINT write");
        try {
          insert(c, writes[i]);
        } catch (const StoreError& e) {
          (*errors)[i] = e.what();
          exec(c, "ROLLBACK TO write");
        }
        exec(c, "RELEASE write");
      }
    }
    try {
      tx.commit();
    } catch (const StoreError& e) {
      throw detail::CommitUncertain(e.what());
    }
  }

  static void insert(Connection& c, const detail::Write& w) {
    if (w.documents != nullptr && !w.documents->empty()) {
      Statement s(c,
                  "INSERT INTO documents (id, kind, client_id, parent_id, kb_version, input, output, created_by, created_at) "
                  "VALUES (?,?,?,?,?,?,?,?,?)");
      for (const auto& [kind, d] : *w.documents) {
        s.bind(1, d.id)
            .bind(2, std::string(kind_name(kind)))
            .bind(3, d.client_id)
            .bind(4, d.parent_id)
            .bind(5, d.kb_version)
            .bind(6, d.input)
            .bind(7, d.output)
            .bind(8, d.created_by)
            .bind(9, d.created_at);
        s.step();
        s.reset();
      }
    }
    if (w.entries != nullptr && !w.entries->empty()) {
      Statement s(c, "INSERT INTO audit (at, user_id, action, resource, resource_id, client_id) VALUES (?,?,?,?,?,?)");
      for (const auto& e : *w.entries) {
        s.bind(1, e.at).bind(2, e.user_id).bind(3, e.action).bind(4, e.resource).bind(5, e.resource_id).bind(6, e.client_id);
        s.step();
        s.reset();
      }
    }
  }

  static void revoke_links_of_former_carers(Connection& c, const std::string& client_id) {
    for (const std::string& sql : revoke_links_of_former_carers_sql()) Statement(c, sql).bind(1, client_id).step();
  }

  // After a deletion: the write-ahead log still holds the deleted rows'
  // pages until a checkpoint copies the log into the database and TRUNCATE
  // empties it. A reader holding an old snapshot makes it busy: wait for it
  // (up to the busy timeout per try). The deletion has committed either way.
  static void truncate_log(sqlite3* c) {
    for (int attempt = 0; attempt < 10; ++attempt) {
      int log_frames = 0, checkpointed = 0;
      const int rc = sqlite3_wal_checkpoint_v2(c, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed);
      if (rc == SQLITE_OK) return;
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) return;
      sqlite3_sleep(50);
    }
  }

  static Client client_row(Statement& s) {
    return Client{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.integer(5), s.integer(6)};
  }

  static Document row(Statement& s) {
    return Document{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.integer(7), s.text(8)};
  }

  // The one document `sql` selects by id (?1) and, when given, kind (?2),
  // in row()'s columns.
  std::optional<Document> document_where(const char* sql, const std::string& id, std::optional<DocKind> kind) {
    ReadLease c(*this);
    Statement s(c, sql);
    s.bind(1, id);
    if (kind) s.bind(2, std::string(kind_name(*kind)));
    if (!s.step()) return std::nullopt;
    return row(s);
  }
  std::optional<User> user_where(const char* sql, const std::string& key) {
    ReadLease c(*this);
    Statement s(c, sql);
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return user_row(s);
  }
  static Template template_row(Statement& s) {
    return Template{s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.integer(5)};
  }
  static User user_row(Statement& s) {
    auto role = parse_role(s.text(3));
    return User{s.text(0), s.text(1), s.text(2), role.value_or(Role::kClient), s.text(4), s.text(5), s.integer(6)};
  }

  // The writer sets the database up (WAL, which persists in the file,
  // synchronous=FULL, foreign keys, secure_delete); readers are read-only.
  std::unique_ptr<Connection> open(Access access) const {
    sqlite3* db = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (access == Access::kWrite ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path_.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::string message = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw StoreError("cannot open database " + path_ + ": " + message);
    }
    auto c = std::make_unique<Connection>(db);
    sqlite3_busy_timeout(db, 10000);
    if (access == Access::kWrite) {
      exec(db, "PRAGMA journal_mode=WAL");
      exec(db, "PRAGMA synchronous=FULL");
      exec(db, "PRAGMA foreign_keys=ON");
      // Deleted rows are overwritten with zeros, not left in free space.
      exec(db, "PRAGMA secure_delete=ON");
    } else {
      exec(db, "PRAGMA query_only=ON");
    }
    return c;
  }

  std::unique_ptr<Connection> acquire_reader() {
    {
      std::lock_guard lock(readers_mutex_);
      if (!readers_.empty()) {
        auto c = std::move(readers_.back());
        readers_.pop_back();
        return c;
      }
    }
    return open(Access::kRead);
  }
  void release_reader(std::unique_ptr<Connection> c) {
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(c));
  }

  const std::string path_;
  std::mutex writer_mutex_;
  const std::unique_ptr<Connection> writer_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;  // idle reader connections
  detail::GroupCommit group_;
};

}  // namespace

std::unique_ptr<Store> open_sqlite(const std::string& path) {
  if (sodium_init() < 0) throw StoreError("libsodium failed to initialise");
  return std::make_unique<SqliteStore>(path);
}

void backup_sqlite(const std::string& path, const std::string& out) {
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  auto close = [&] {
    sqlite3_close(src);
    sqlite3_close(dst);
  };
  if (sqlite3_open_v2(path.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string message = src ? sqlite3_errmsg(src) : "out of memory";
    close();
    throw StoreError("cannot open database " + path + ": " + message);
  }
  if (sqlite3_open(out.c_str(), &dst) != SQLITE_OK) {
    const std::string message = dst ? sqlite3_errmsg(dst) : "out of memory";
    close();
    throw StoreError("cannot create backup " + out + ": " + message);
  }
  sqlite3_busy_timeout(src, 10000);
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (b == nullptr) {
    const std::string message = sqlite3_errmsg(dst);
    close();
    throw StoreError("backup: " + message);
  }
  int rc;
  // Copy in steps so writers are never blocked for long; restart on change.
  while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(5);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    const std::string message = sqlite3_errstr(rc);
    close();
    throw StoreError("backup: " + message);
  }
  close();
}

}  // namespace rebalance::store
