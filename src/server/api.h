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
  std::string method;  // GET, POST, PATCH, DELETE, ...
  std::string path;    // without the query string
  std::string query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;  // client address
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user_id;  // for the access log
};

struct ApiOptions {
  int64_t session_seconds = 12 * 3600;
  int64_t invite_seconds = 7 * 24 * 3600;
  int64_t reset_seconds = 24 * 3600;
  int max_failures_per_account = 5;  // per window, then 429
  int max_failures_per_address = 20;
  int64_t failure_window_seconds = 15 * 60;
  std::string setup_token;  // printed at first start; empty: no setup
  std::string public_url = "http://127.0.0.1:8080";
  std::string web_root;  // built browser app (index.html), may be empty
};

class AuditSink;

// One route of the API: method, path pattern ("/api/v1/clients/{id}") and a
// summary for the OpenAPI document.
struct RouteInfo {
  std::string method;
  std::string pattern;
  std::string summary;
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
  Response handle(const Request& request);

  // Every route the API answers (for the OpenAPI check).
  static const std::vector<RouteInfo>& routes();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The OpenAPI 3.1 document describing the API.
const std::string& openapi_document();

}  // namespace rebalance::server
