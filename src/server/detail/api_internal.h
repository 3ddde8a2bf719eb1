// What the API's translation units share, and nothing else includes: the
// error type handlers throw, the body and query helpers every handler uses
// under one policy, the views that decide what a reader sees, and Api::Impl,
// whose handlers live in src/server/handlers/ by resource (accounts,
// clients, messages, templates, assessments, programs, logs, feeds, library)
// and whose routes live in one table (src/server/routes.cpp).
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/detail/json_reader.h"
#include "assess/assess.h"
#include "core/types.h"
#include "intake/intake.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "record/record.h"
#include "report/progress.h"
#include "server/api.h"
#include "server/audit_sink.h"
#include "server/session_cache.h"
#include "server/static_files.h"
#include "store/store.h"
#include "track/adherence.h"
#include "track/log.h"

namespace rebalance::server {

using Json = nlohmann::ordered_json;
using store::Role;

// An error answered to the caller: {"error": {"code", "message", "path"}}.
struct HttpError {
  int status;
  std::string code;
  std::string message;
  std::string path = "";
  Json problems = nullptr;
};

Response json_response(int status, const Json& body);
Response error_response(const HttpError& e);
// A stored document that does not read back (409): the service wrote it, so
// it is damaged (or of a format this version no longer reads). `what`:
// "program p_…".
[[noreturn]] void unreadable(const std::string& what, const std::vector<Problem>& problems);
// A body the service wrote already as JSON text (the renderers').
Response raw_json(std::string body);
Json problems_json(const std::vector<Problem>& problems);
// Problems from the engine's validators become a 400 naming the first path.
[[noreturn]] void bad_input(const std::vector<Problem>& problems, const std::string& code);

// Every JSON body the service accepts is parsed under one policy
// (detail::parse_untrusted: size, depth, repeated keys, number range).
inline constexpr detail::JsonLimits kBodyLimits{1u << 20, 32};

void require_json_content(const Request& req);
Json parse_body(const Request& req);
std::string require_string(const Json& body, const std::string& key, size_t max = 200);
std::optional<std::string> optional_string(const Json& body, const std::string& key, size_t max = 2000);
std::string cookie(const Request& req, const std::string& name);
// The value of `name` in the query string ("a=1&b=2"), empty when absent.
// Values are ids and numbers: no percent-decoding.
std::string query_param(const Request& req, const std::string& name);
bool valid_email(const std::string& email);
std::vector<std::string> split_path(const std::string& path);
// Today in UTC, as the service's clock has it.
Date today();

// Who reads a client's record: their care team (the owner, or a colleague it
// is shared with) or the client themself.
enum class Reader { kCareTeam, kClient };

// What a client may read of their own record: the one rule every route that
// returns client data applies (through the *_view functions). The care team
// reads everything. A client reads their client record without the
// practitioner's notes, their programs without the practitioner's reasons
// for a version, their logs, adherence and calendar, and no assessments (the
// intake, findings, review and clinical notes are the care team's).
bool may_read(Reader reader, store::DocKind kind);
Json client_view(const store::Client& c, Reader reader);
Json user_json(const store::User& u);

// A stored document as JSON, read under the body policy: one stored before
// that policy (or damaged) is answered as null, never re-parsed unbounded.
Json stored_json(const std::string& text, size_t max_bytes = 64u << 20);
// A stored JSON object the service itself wrote (constraints, program): a
// 409 when it cannot be read back.
Json stored_object(const std::string& text, const std::string& what);

struct Api::Impl {
  // ---- state ---------------------------------------------------------------

  std::shared_ptr<const kb::KnowledgeBase> kb;
  std::shared_ptr<store::Store> db;
  ApiOptions options;
  AuditSink audit;
  StaticFiles web;
  SessionCache sessions;
  // Exercise drawings, rendered once per process: the knowledge base is
  // immutable while it runs, so a drawing never changes.
  struct Drawing {
    std::string svg;
    std::string etag;
  };
  std::mutex figures_mutex;
  std::map<std::string, std::shared_ptr<const Drawing>> figures;
  // An argon2id hash of a random password: an unknown email is verified
  // against it, so that a wrong email takes as long as a wrong password.
  std::string dummy_hash;

  Impl(std::shared_ptr<const kb::KnowledgeBase> k, std::shared_ptr<store::Store> s, ApiOptions o);

  // ---- identity and access (api.cpp) ---------------------------------------

  struct Caller {
    store::User user;
    store::Session session;
    bool via_cookie = false;
  };

  // One call of a route: the request, its path parameters and, on a route
  // that needs one, the caller (checked against the route's roles).
  struct Call {
    const Request& req;
    std::map<std::string, std::string> params;
    std::optional<Caller> caller;
    const std::string& param(const std::string& name) const { return params.at(name); }
    const Caller& who() const { return *caller; }
  };
  using Handler = Response (*)(Impl&, const Call&);

  std::optional<Caller> authenticate(const Request& req);
  Caller require_caller(const Request& req);
  // The client record a caller may see; 404 for anything else, so that a
  // foreign client's existence is not revealed.
  store::Client client_for(const Caller& c, const std::string& id, bool client_may_access);
  // Deleting, handing over and sharing belong to the owning practitioner.
  static void require_owner(const Caller& c, const store::Client& client);
  static Reader reader_of(const Caller& c);
  // Commits one audit entry now (a write's, before what depends on it).
  void audit_one(const Caller& c, const std::string& action, const std::string& resource, const std::string& resource_id,
                 const std::string& client_id);
  // `r`, to be sent once `entries` (a read's) are durable (Response::durable_audit).
  static Response audited(Response r, std::vector<store::AuditEntry> entries);
  static Response audited(Response r, const Caller& c, const std::string& action, const std::string& resource,
                          const std::string& resource_id, const std::string& client_id);
  // The response to `req`, its durable writes still to be committed.
  Response handle(const Request& req);
  Response answer(const Request& req);
  Response landing();
  Json stored_input(const store::Document& d, store::DocKind kind) const;
  Json document_view(const store::Document& d, store::DocKind kind, Reader reader) const;
  Response list_docs(const Caller& c, const std::string& client_id, store::DocKind kind);

  // ---- accounts (handlers/accounts.cpp) --------------------------------------

  Response start_session(const Request& req, const store::User& user, int status);
  void check_password_strength(const std::string& password);
  store::User account_from(const Json& body, Role role);
  Response setup(const Request& req);
  Response login(const Request& req);
  Response logout(const Caller& c);
  Response accept_invite(const Request& req);
  Json new_reset(const std::string& user_id, const std::string& by);
  Response issue_reset(const Caller& c, const std::string& user_id);
  Response reset_password(const Request& req);
  Response create_user(const Request& req, const Caller& c);
  Response list_users(const Caller& c);
  Response audit_trail(const Request& req);

  // ---- clients (handlers/clients.cpp) ----------------------------------------

  Response list_clients(const Caller& c);
  Response create_client(const Request& req, const Caller& c);
  Response get_client(const Caller& c, const std::string& id);
  Response update_client(const Request& req, const Caller& c, const std::string& id);
  Response delete_client(const Caller& c, const std::string& id);
  Response invite(const Caller& c, const std::string& id);
  Response client_links(const Caller& c, const std::string& id);
  Response revoke_client_link(const Caller& c, const std::string& id, const std::string& link);
  std::optional<store::User> practitioner_named(const Json& body);
  Response share(const Request& req, const Caller& c, const std::string& id, bool on);
  Response transfer(const Request& req, const Caller& c, const std::string& id);
  Response export_client(const Caller& c, const std::string& id);
  static Json percent(const std::optional<double>& v);
  Json adherence_summary(const store::Client& client);
  static Json latest_log_summary(const std::vector<track::PlannedSession>& planned, const std::vector<track::SessionLog>& logs);
  Json attention(std::vector<track::SessionLog> logs) const;

  // ---- messages (handlers/messages.cpp) --------------------------------------

  static Json message_json(const store::Message& m, const Caller& c);
  static constexpr int kThreadLimit = 500;
  Response list_messages(const Caller& c, const std::string& id);
  Response post_message(const Request& req, const Caller& c, const std::string& id);
  Response read_messages(const Request& req, const Caller& c, const std::string& id);
  static std::string message_text(const Json& body);

  // ---- templates (handlers/templates.cpp) ------------------------------------

  static Json template_json(const store::Template& t);
  Response list_templates(const Request& req, const Caller& c);
  Response create_template(const Request& req, const Caller& c);
  Response delete_template(const Caller& c, const std::string& id);
  std::vector<plan::Edit> template_edits(const plan::Program& p, const Json& tmpl) const;

  // ---- assessments (handlers/assessments.cpp) --------------------------------

  record::Review parse_review(const Json& body);
  Response review_assessment(const Request& req, const Caller& c, const std::string& id);
  Response create_assessment(const Request& req, const Caller& c, const std::string& id);
  Response get_assessment(const Caller& c, const std::string& id);
  Response validate_intake(const Request& req);
  Response compare_assessments(const Request& req, const Caller& c, const std::string& id);

  // ---- programs (handlers/programs.cpp) --------------------------------------

  // Program versions decoded once (a stored version never changes). Asked
  // only for a row just read from the store, after its client's access was
  // checked; a deleted client's versions are forgotten.
  record::ProgramCache program_cache{256};
  // A program row's record and its renderings, through the cache: 409 when
  // it does not decode.
  record::ProgramCache::Answer kept_program(const store::Document& row);
  // Its record alone.
  std::shared_ptr<const record::ProgramRecord> program_record(const store::Document& row);
  // The same, for the report functions that follow a program's versions.
  report::ProgramReader program_reader();
  // What a program row revised (report::SupersedesReader): 409 when its
  // input does not decode.
  report::SupersedesReader supersedes_reader() const;
  // The stored version `id` and its client, when `c` may read them (404 otherwise).
  struct StoredProgram {
    store::Client client;
    std::shared_ptr<const record::ProgramRecord> record;
    std::shared_ptr<record::Renderings> renderings;  // texts made from `record` alone
  };
  StoredProgram program_for(const Caller& c, const std::string& id, bool client_may_access);
  // The head of stored version `id` (store::Store::document_head: its bytes
  // are not read) and its client, when `c` may read them (404 otherwise).
  struct ProgramHead {
    store::Document head;
    store::Client client;
  };
  ProgramHead program_head(const Caller& c, const std::string& id, bool client_may_access);
  // An assessment row's record: 409 when it does not decode.
  record::AssessmentRecord assessment_record(const store::Document& row) const;
  // The record of the assessment a program version was planned from: 409 when gone.
  record::AssessmentRecord assessment_of(const record::ProgramRecord& program) const;
  // What a new version is planned from: the stored findings as reviewed,
  // with the restrictions today's knowledge base gives the stored intake.
  assess::Assessment planning_assessment(const record::AssessmentRecord& assessment) const;
  // Plans a version's constraints again (only to make a new version).
  struct Planned {
    intake::Intake in;
    assess::Assessment a;
    plan::Program p;
  };
  Planned replan(const record::AssessmentRecord& assessment, const record::ProgramRecord& version,
                 std::vector<Problem>* edit_problems = nullptr);
  Response create_program(const Request& req, const Caller& c, const std::string& client_id);
  void store_version(const Caller& c, const record::ProgramRecord& version);
  static Json version_json(const record::ProgramRecord& r, Reader reader);
  Json program_body(const record::ProgramRecord& r, Reader reader) const;
  Response get_program(const Caller& c, const std::string& id, const std::string& format);
  static std::vector<plan::Edit> request_edits(const Json& edits);
  Response revise_program(const Request& req, const Caller& c, const std::string& id);
  std::pair<record::ProgramRecord, int> next_version(const Caller& c, const record::ProgramRecord& previous,
                                                     record::ProgramRecord next, bool dry_run);
  static bool dry_run_of(const Json& body);
  Response adapt_program(const Request& req, const Caller& c, const std::string& id);

  // ---- logs, adherence, progress (handlers/logs.cpp) -------------------------

  Response create_log(const Request& req, const Caller& c, const std::string& program_id);
  Response list_logs(const Caller& c, const std::string& program_id);
  track::Adherence adherence_of(const record::ProgramRecord& program);
  Response program_adherence(const Caller& c, const std::string& id);
  Response progress(const Caller& c, const std::string& id, bool html);

  // ---- calendar feeds (handlers/feeds.cpp) -----------------------------------

  Response manage_calendar_feed(const Request& req, const Caller& c, const std::string& id);
  Response calendar_feed(std::string token);

  // ---- the knowledge base and the service (handlers/library.cpp) -------------

  Response health();
  Response exercise(const std::string& id);
  Response figure(const Request& req, const std::string& id, bool animated);
};

// One route: what the OpenAPI document says of it, and its handler.
struct RouteEntry {
  RouteInfo info;
  Api::Impl::Handler handler;
};

// Every route the API answers (src/server/routes.cpp).
const std::vector<RouteEntry>& route_table();

}  // namespace rebalance::server
