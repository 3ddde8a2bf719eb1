// Storage for the service: accounts, sessions, clients, assessments,
// programs, session logs and the audit trail. One interface, two
// implementations (SQLite, PostgreSQL); the server keeps nothing that matters
// in memory. Every method is safe to call from several threads; documents
// (intakes, findings, programs, logs) are stored as JSON text.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rebalance::store {

// Thrown on a storage failure (I/O, constraint, connection). Callers answer
// 500/503; bad input never reaches the store.
struct StoreError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Role { kAdmin, kPractitioner, kClient };
std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct User {
  std::string id;
  std::string email;
  std::string name;
  Role role = Role::kClient;
  std::string password_hash;  // argon2id string; empty until set
  std::string client_id;      // for role client: the client record it is
  int64_t created_at = 0;     // unix seconds
};

struct Session {
  std::string token_hash;  // hex of a keyed hash of the bearer token
  std::string user_id;
  std::string csrf_token;
  int64_t expires_at = 0;
};

struct Client {
  std::string id;
  std::string practitioner_id;
  std::string name;
  std::string email;
  std::string notes;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A one-time link that lets a client create their account.
struct Invite {
  std::string id;  // public id ("i_..."), for listing and revoking; never the token
  std::string token_hash;
  std::string client_id;
  std::string created_by;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t used_at = 0;
};

// A one-time link that sets a new password for an account.
struct PasswordReset {
  std::string id;  // public id ("r_...")
  std::string token_hash;
  std::string user_id;
  std::string created_by;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

// What gives access to a client's data besides the care team's own logins:
// a pending invite, a pending password reset of the client's account, or the
// calendar feed. The owner lists and revokes them by id.
struct ClientLink {
  enum class Kind { kInvite, kPasswordReset, kCalendarFeed };
  Kind kind = Kind::kInvite;
  std::string id;
  std::string created_by;
  int64_t created_at = 0;
  int64_t expires_at = 0;  // 0: until revoked (calendar feeds)
};
std::string_view to_string(ClientLink::Kind kind);

// Login throttling (spec/service.md: per account and per address, with
// backoff). The first `free_attempts` attempts of a window go through at
// once; each later one waits `first_delay_seconds`, doubling per attempt up
// to `max_delay_seconds`, after the one before; after `max_attempts` the key
// waits for its window to end. A window starts at its first attempt and
// lasts `window_seconds`.
struct ThrottlePolicy {
  int free_attempts = 3;
  int max_attempts = 10;
  int64_t window_seconds = 15 * 60;
  int64_t first_delay_seconds = 1;
  int64_t max_delay_seconds = 5 * 60;
};

// Seconds a key must still wait at `now` before its next attempt, given the
// `attempts` already counted in the window that began at `window_start`, the
// last at `last_at`; 0 when it may go ahead. Pure: both stores decide with it.
int64_t throttle_wait(const ThrottlePolicy& policy, int attempts, int64_t window_start, int64_t last_at, int64_t now);

// An assessment, program or log: a JSON document tied to a client.
struct Document {
  std::string id;
  std::string client_id;
  std::string parent_id;  // program: its assessment; log: its program
  std::string kb_version;
  std::string input;   // intake, constraints or log as received
  std::string output;  // findings or program as computed (may be empty)
  std::string created_by;
  int64_t created_at = 0;
  std::string review;  // assessment: the practitioner's review (JSON), may be empty
};

// One message of a client's thread: the client and their care team write to
// each other there (one thread per client, no email). The author's name is
// kept as written, so a thread still reads right after a hand-over.
struct Message {
  std::string id;  // public id ("m_...")
  std::string client_id;
  std::string author_id;
  std::string author_name;
  bool from_client = false;  // written by the client (else by the care team)
  std::string body;          // plain text, validated by the caller
  int64_t created_at = 0;    // unix milliseconds
};

// A practitioner's own template: a program to start clients from, or a set
// of tests for the assessment wizard. The body is JSON the service wrote
// after validating it.
struct Template {
  std::string id;  // "t_..."
  std::string owner_id;
  std::string kind;  // "program" or "test_set"
  std::string name;
  std::string body;
  int64_t created_at = 0;
};

enum class DocKind { kAssessment, kProgram, kLog };
// "assessment", "program" or "log": the stored kind of a document.
const char* kind_name(DocKind kind);

struct AuditEntry {
  int64_t id = 0;
  int64_t at = 0;  // unix milliseconds
  std::string user_id;
  std::string action;    // e.g. "read", "create", "update", "delete"
  std::string resource;  // e.g. "client", "assessment", "program", "log"
  std::string resource_id;
  std::string client_id;
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending migrations; returns the schema version.
  virtual int migrate() = 0;

  // Users. `create_user` fails with StoreError on a duplicate email.
  virtual void create_user(const User& user) = 0;
  virtual std::optional<User> user_by_id(const std::string& id) = 0;
  virtual std::optional<User> user_by_email(const std::string& email) = 0;
  virtual void set_password(const std::string& user_id, const std::string& hash) = 0;
  virtual int64_t count_users() = 0;
  // Every account, oldest first (the admin's list).
  virtual std::vector<User> list_users() = 0;

  virtual void create_session(const Session& session) = 0;
  virtual std::optional<Session> session(const std::string& token_hash, int64_t now) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;

  // A login attempt for `email` from `address` at `now`, decided and counted
  // atomically (across threads and processes): when neither the account nor
  // the address must wait (throttle_wait), the attempt is counted for both
  // and 0 is returned; otherwise nothing is counted and the longer wait is
  // returned, in seconds. Attempts count whether they will succeed or not,
  // so concurrent guesses cannot slip past the limit.
  virtual int64_t begin_login_attempt(const std::string& email, const std::string& address, int64_t now,
                                      const ThrottlePolicy& per_account, const ThrottlePolicy& per_address) = 0;
  // After a successful login: the account's attempts are forgotten and the
  // address gets this attempt back.
  virtual void login_succeeded(const std::string& email, const std::string& address) = 0;

  virtual void create_client(const Client& client) = 0;
  virtual std::optional<Client> client(const std::string& id) = 0;
  virtual std::vector<Client> clients_of(const std::string& practitioner_id) = 0;
  virtual void update_client(const Client& client) = 0;
  // Sharing a client with a colleague: they work with the client too; the
  // owner alone can delete, hand over or change the sharing.
  virtual void share_client(const std::string& client_id, const std::string& practitioner_id) = 0;
  // Ends a colleague's access and, in the same transaction, revokes the links
  // (pending invites and resets, calendar feed) made by anyone who no longer
  // has access (see revoke_links_of_former_carers).
  virtual void unshare_client(const std::string& client_id, const std::string& practitioner_id) = 0;
  virtual bool is_shared_with(const std::string& client_id, const std::string& practitioner_id) = 0;
  virtual std::vector<Client> clients_shared_with(const std::string& practitioner_id) = 0;
  // Hands a client over to another practitioner (same clinic). In the same
  // transaction the previous owner's sharing ends (every share of the client)
  // and the links made by anyone who no longer has access are revoked.
  virtual void transfer_client(const std::string& id, const std::string& practitioner_id, int64_t now) = 0;
  // Removes the client and every piece of their data (assessments, programs,
  // logs, messages, invites, resets, calendar feed, shares, their client account, its
  // sessions and login-throttling records) in one transaction, and records
  // the deletion (ids only) in the audit trail. SQLite then checkpoints and
  // truncates its write-ahead log, and deletes with secure_delete on, so the
  // deleted data is in no file of the database.
  virtual bool delete_client(const std::string& id, const std::string& by_user) = 0;

  // One-time password-reset links (issued by an admin, or by a client's
  // owner for the client's account).
  virtual void create_reset(const PasswordReset& reset) = 0;
  // Marks the reset used and returns its user when valid and unused at `now`.
  virtual std::optional<std::string> use_reset(const std::string& token_hash, int64_t now) = 0;
  // Ends every session of a user (after a password change).
  virtual void delete_sessions_of(const std::string& user_id) = 0;
  // The account of a client (role client), if they have joined.
  virtual std::optional<User> client_account(const std::string& client_id) = 0;

  // A client's calendar feed (a secret URL calendar apps subscribe to): one
  // per client; setting it again replaces the token, so the old URL stops
  // working. Revoking returns false when there was none.
  virtual void set_calendar_feed(const std::string& client_id, const std::string& token_hash, const std::string& created_by,
                                 int64_t now) = 0;
  virtual std::optional<std::string> client_of_calendar_feed(const std::string& token_hash) = 0;
  virtual bool revoke_calendar_feed(const std::string& client_id) = 0;

  virtual void create_invite(const Invite& invite) = 0;
  // Redeeming an invite: in one transaction, checks that the invite is known,
  // unused and unexpired at `now`, that the client has no account yet and
  // that `account.email` is free, then marks the invite used and creates
  // `account` (role client, client_id and name of the invited client). A
  // client has one account, however many invites were issued.
  enum class Redeemed { kOk, kInvalid, kClientHasAccount, kEmailTaken };
  virtual Redeemed redeem_invite(const std::string& token_hash, int64_t now, User& account) = 0;
  // Pending invites and resets (unused, unexpired at `now`) and the calendar
  // feed of a client, oldest first.
  virtual std::vector<ClientLink> links_of_client(const std::string& client_id, int64_t now) = 0;
  // Revokes one of the client's links by id; false when the client has none
  // by that id.
  virtual bool revoke_link(const std::string& client_id, const std::string& link_id) = 0;

  // Messages. A thread is read in the order written; `messages_of` returns
  // the last `limit` of them, oldest first.
  virtual void add_message(const Message& message) = 0;
  virtual std::vector<Message> messages_of(const std::string& client_id, int limit) = 0;
  // Marks the client's thread read by `user_id` up to and including the
  // message `message_id` (a mark never moves back); false when the thread
  // has no such message.
  virtual bool mark_read(const std::string& client_id, const std::string& user_id, const std::string& message_id) = 0;
  // Messages of the thread written by someone else after `user_id`'s mark.
  virtual int64_t unread_count(const std::string& client_id, const std::string& user_id) = 0;

  // Templates of an owner, oldest first (of one kind when `kind` is not empty).
  virtual void add_template(const Template& t) = 0;
  virtual std::vector<Template> templates_of(const std::string& owner_id, const std::string& kind) = 0;
  virtual std::optional<Template> template_by_id(const std::string& id) = 0;
  // False when the owner has no template by that id.
  virtual bool delete_template(const std::string& id, const std::string& owner_id) = 0;

  // Group-committed (see commit_batch): one document, durable on return.
  virtual void add_document(DocKind kind, const Document& doc) = 0;
  virtual std::optional<Document> document(DocKind kind, const std::string& id) = 0;
  // The document without its input, output and review (left empty): its
  // ids, author, time and knowledge-base version, enough to decide who may
  // read it and to find a record kept from it, without reading its bytes.
  virtual std::optional<Document> document_head(DocKind kind, const std::string& id) = 0;
  // Documents of a client (kind), or of a parent (logs of a program), oldest first.
  virtual std::vector<Document> documents_of_client(DocKind kind, const std::string& client_id) = 0;
  virtual std::vector<Document> logs_of_program(const std::string& program_id) = 0;
  // Stores a practitioner's review of an assessment (findings confirmed,
  // dismissed or added; notes), replacing an earlier one.
  virtual void set_review(const std::string& assessment_id, const std::string& review) = 0;

  // Appends audit entries, in their order, atomically (see commit_batch).
  virtual void append_audit(const std::vector<AuditEntry>& entries) = 0;
  // Adds `documents` and `entries` atomically and returns once they are
  // durable (SQLite: synchronous=FULL; PostgreSQL: its commit). Group commit
  // (spec/service.md): calls from several threads at once share one
  // transaction and one flush to disk; a group commits as soon as the one
  // before it has, with no gather window, so there is no need to batch
  // before calling (one call per request is the intended use). Throws
  // StoreError when this call's writes are not durable: its own statements
  // failed (a document of a deleted client, say; the rest of its group
  // commits without it), or its group's transaction failed (every call of
  // the group throws). A call that throws wrote nothing, except when the
  // connection was lost during COMMIT, whose outcome is then unknown.
  virtual void commit_batch(const std::vector<std::pair<DocKind, Document>>& documents,
                            const std::vector<AuditEntry>& entries) = 0;
  // commit_batch without waiting: queues the writes (kept until committed)
  // and returns at once; `done` is called once, on another thread, with an
  // empty string when they are durable, else why not (what commit_batch
  // would throw). `done` must be quick (hand the outcome on) and not throw.
  virtual void commit_batch_async(std::vector<std::pair<DocKind, Document>> documents, std::vector<AuditEntry> entries,
                                  std::function<void(const std::string& error)> done) = 0;
  // True when reads are answered from this machine's memory and disk (an
  // embedded database), with no round trip to a server: a caller may then
  // read on a thread that must not wait long.
  virtual bool reads_are_local() const = 0;
  virtual std::vector<AuditEntry> audit(int64_t after_id, int limit) = 0;
};

// Opens (creating if needed) a SQLite database file with WAL,
// synchronous=FULL and foreign keys on. Writes take turns on one connection;
// reads run at once on read-only connections (one per concurrent reader),
// never waiting for a write. Other processes may open the same file.
std::unique_ptr<Store> open_sqlite(const std::string& path);

// Connects to a PostgreSQL database named by a libpq connection string or URI
// ("postgresql://user@host:port/db"); throws StoreError when it cannot. Holds a
// pool of up to `connections` connections (size it to the threads that call
// the store at once: the server's workers), opened as needed, and one more
// for group commits; replaces broken ones, and when the server refuses more
// (its max_connections, shared with other processes) makes do with those it
// has. Several processes may share the database (migrate() serialises on an
// advisory lock).
std::unique_ptr<Store> open_postgres(const std::string& url, size_t connections = 8);

// Makes an online, consistent copy of a live SQLite database at `out`.
void backup_sqlite(const std::string& path, const std::string& out);

// The statements both backends run after a sharing ends or a hand-over:
// they revoke the pending invites, the pending password resets of the
// client's account and the calendar feed made by someone who no longer has
// access (not the owner, a colleague it is shared with, an admin, or the
// client themself). One parameter, the client id, written $1 (which SQLite
// reads as a named parameter).
const std::vector<std::string>& revoke_links_of_former_carers_sql();

// Milliseconds and seconds since the epoch.
int64_t now_ms();
int64_t now_s();

// A new random id with a prefix ("c_", "a_", ...): 128 bits, hex.
std::string new_id(const std::string& prefix);

}  // namespace rebalance::store
