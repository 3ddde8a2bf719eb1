// The JSON API under /api/v1, independent of the HTTP library: a request in,
// a response out. Authentication, authorization, validation (with the
// engine's own messages), audit and storage happen here.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kb/kb.h"
#include "store/store.h"

namespace rebalance::server {

struct Request {
  std::string method;  // GET, HEAD, POST, PATCH, DELETE, ...
  std::string path;    // without the query string
  std::string query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;  // the client's address (server/forwarded.h decides it behind a proxy)
  bool https = false;  // the client reached us over HTTPS (a proxy said so)
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user_id;  // for the access log
  // Writes that must be durable before this response is sent: the audit
  // entries of a read, a session log with its entry. Api::handle commits
  // them before it returns; Api::handle_async hands them to the store's
  // group commit and answers once they are durable. Either way they are
  // gone from the response it gives out, which is a 503 when they failed.
  std::vector<std::pair<store::DocKind, store::Document>> durable_documents;
  std::vector<store::AuditEntry> durable_audit;
};

struct ApiOptions {
  int64_t session_seconds = 12 * 3600;
  int64_t invite_seconds = 7 * 24 * 3600;
  int64_t reset_seconds = 24 * 3600;
  // How long a process trusts a session it checked without asking the
  // database again: the bound on how late another process serving the same
  // database sees a logout or revocation (server/session_cache.h). 0: always ask.
  int64_t session_cache_ms = 5000;
  // Login throttling: an account gets 3 quick attempts, then waits 1 s, 2 s,
  // 4 s ... (at most 5 min) between attempts, and at most 10 per 15 minutes;
  // an address (one person, or a clinic behind one NAT) gets more.
  store::ThrottlePolicy account_throttle{3, 10, 15 * 60, 1, 5 * 60};
  store::ThrottlePolicy address_throttle{20, 100, 15 * 60, 1, 60};
  // The clock of throttling, in unix seconds (tests move it).
  std::function<int64_t()> clock;
  std::string setup_token;  // printed at first start; empty: no setup
  std::string public_url = "http://127.0.0.1:8080";
  std::string web_root;  // built browser app (index.html), may be empty
};

class AuditSink;

// Who may call a route: anyone; anyone, with the caller read when a session
// is given (the app's first load); or a logged-in user of the roles the route
// names. Ownership of the resource a route names is the handler's to check
// (through one function, Api::Impl::client_for).
enum class Access { kPublic, kOptionalLogin, kLoggedIn };

// The roles a kLoggedIn route admits, as a bit set.
enum RoleBits : unsigned { kAdmins = 1u, kPractitioners = 2u, kClients = 4u, kAnyRole = 7u };

// One route of the API: method, path pattern ("/api/v1/clients/{id}"), who
// may call it, the status and media type of success, the request and
// response schemas (names under components/schemas of the OpenAPI document;
// empty: no body, or one the document describes only as an object), a
// summary, and the path parameter that is itself a secret (redacted in logs),
// if any. Dispatch and the OpenAPI document both read this table, with the
// handler of each route beside it (src/server/routes.cpp).
struct RouteInfo {
  std::string method;
  std::string pattern;
  Access access;
  unsigned roles;  // for kLoggedIn
  int success_status;
  std::string content_type;  // of success; "application/json" unless said
  std::string request_schema;
  std::string response_schema;
  std::string summary;
  std::string secret_parameter = "";
  // The route answers in microseconds from memory and a few indexed reads
  // (a stored program version, a session log), so that with an embedded
  // database it may run on the thread that reads the connection
  // (Api::runs_inline) instead of waking a worker for it.
  bool quick = false;
};

class Api {
 public:
  Api(std::shared_ptr<const kb::KnowledgeBase> kb, std::shared_ptr<store::Store> store, ApiOptions options);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // The base of invite links. REQUIRES: called before requests are served.
  void set_public_url(std::string url);

  // Never throws: storage failures become 503, bugs 500 with no detail.
  // Blocks until the response's durable writes (its audit entries) are.
  Response handle(const Request& request);

  // handle without waiting for the durable writes: answers the request on
  // the calling thread, hands its writes to the store's group commit and
  // returns; `done` gets the response once they are durable (or a 503), on
  // the calling thread when there were none, else on the committer's.
  // `request` need not outlive the call. Never throws.
  void handle_async(const Request& request, std::function<void(Response)> done);

  // True when `request` may be answered (handle_async) on a thread that
  // must not wait long: its route is quick and the store's reads are local
  // (store::Store::reads_are_local), or it is a file of the browser app.
  bool runs_inline(const Request& request) const;

  // Every route the API answers (for the OpenAPI check).
  static const std::vector<RouteInfo>& routes();

  // `path` as the access log may show it: a path parameter that is a secret
  // (a calendar-feed token) becomes "[redacted]".
  static std::string loggable_path(const std::string& path);

 // Defined in src/server/detail/api_internal.h, for the API's own files.
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3.1 document describing the API.
const std::string& openapi_document();

}  // namespace rebalance::server
