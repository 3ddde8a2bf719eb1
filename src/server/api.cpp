// The API's core: who is calling (sessions and tokens), what they may
// reach (the route table's roles here, a client's data through client_for),
// dispatch through the one route table, and the views of stored documents
// that several resources share. Handlers live in src/server/handlers/.
#include "server/api.h"

#include "server/auth.h"
#include "server/detail/api_internal.h"

namespace rebalance::server {

namespace {

// A route of the table with its path split, for matching.
struct Route {
  const RouteEntry* entry;
  std::vector<std::string> parts;
};

const std::vector<Route>& split_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> out;
    for (const auto& r : route_table()) out.push_back({&r, split_path(r.info.pattern)});
    return out;
  }();
  return routes;
}

// The route `path` names, with its parameters; `method` empty matches any.
const Route* match_route(const std::vector<std::string>& parts, const std::string& method,
                         std::map<std::string, std::string>* params) {
  for (const auto& route : split_routes()) {
    if (route.parts.size() != parts.size()) continue;
    if (!method.empty() && route.entry->info.method != method) continue;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i)
      match = route.parts[i].front() == '{' || route.parts[i] == parts[i];
    if (!match) continue;
    if (params != nullptr) {
      params->clear();
      for (size_t i = 0; i < parts.size(); ++i)
        if (route.parts[i].front() == '{') (*params)[route.parts[i].substr(1, route.parts[i].size() - 2)] = parts[i];
    }
    return &route;
  }
  return nullptr;
}

unsigned role_bit(Role role) {
  switch (role) {
    case Role::kAdmin:
      return kAdmins;
    case Role::kPractitioner:
      return kPractitioners;
    case Role::kClient:
      return kClients;
  }
  return 0;
}

// The refusal of a role a route does not admit, naming who may.
std::string only(unsigned roles) {
  if (roles == kAdmins) return "only an admin can do this";
  if (roles == kPractitioners) return "only practitioners can do this";
  if (roles == (kPractitioners | kClients)) return "only the client and their care team can do this";
  if (roles == kClients) return "only clients can do this";
  return "your role cannot do this";
}

}  // namespace

Api::Impl::Impl(std::shared_ptr<const kb::KnowledgeBase> k, std::shared_ptr<store::Store> s, ApiOptions o)
    : kb(std::move(k)),
      db(std::move(s)),
      options(std::move(o)),
      audit(db),
      web(options.web_root),
      sessions(options.session_cache_ms, 100000),
      dummy_hash(hash_password(random_token())) {
  if (!options.clock) options.clock = [] { return store::now_s(); };
}

// Who may call a route is decided here, from the route table, before any
// handler runs: the login, the CSRF token of a cookie session, and the
// caller's role. Which client's data the caller may see is client_for's.
Response Api::Impl::answer(const Request& req) {
  try {
    // HEAD is GET without the body (the HTTP layer drops it).
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    const auto parts = split_path(req.path);
    Call call{req, {}, std::nullopt};
    if (const Route* route = match_route(parts, method, &call.params)) {
      const RouteInfo& info = route->entry->info;
      if (info.access == Access::kOptionalLogin) call.caller = authenticate(req);
      if (info.access == Access::kLoggedIn) {
        call.caller = require_caller(req);
        if ((info.roles & role_bit(call.caller->user.role)) == 0) throw HttpError{403, "forbidden", only(info.roles)};
      }
      Response r = route->entry->handler(*this, call);
      if (call.caller) r.user_id = call.caller->user.id;
      return r;
    }
    if (method == "GET") {
      if (auto file = web.find(req.path)) return *file;
      if (req.path == "/" || req.path == "/index.html") return landing();
    }
    if (match_route(parts, "", nullptr))
      throw HttpError{405, "method_not_allowed", req.method + " is not allowed on " + req.path};
    throw HttpError{404, "not_found", "no such resource: " + req.path};
  } catch (const HttpError& e) {
    return error_response(e);
  } catch (const store::StoreError&) {
    return error_response(HttpError{503, "storage_unavailable", "the database could not complete the request; try again"});
  } catch (const std::exception&) {
    return error_response(HttpError{500, "internal", "internal error"});
  }
}

std::optional<Api::Impl::Caller> Api::Impl::authenticate(const Request& req) {
  std::string token;
  bool via_cookie = false;
  if (auto it = req.headers.find("authorization"); it != req.headers.end() && it->second.rfind("Bearer ", 0) == 0) {
    token = it->second.substr(7);
  } else {
    token = cookie(req, "rb_session");
    via_cookie = !token.empty();
  }
  if (token.empty() || token.size() > 128) return std::nullopt;
  const std::string hash = token_hash(token);
  const int64_t now = store::now_s();
  if (auto known = sessions.find(hash, store::now_ms(), now)) return Caller{known->user, known->session, via_cookie};
  auto session = db->session(hash, now);
  if (!session) return std::nullopt;
  auto user = db->user_by_id(session->user_id);
  if (!user) return std::nullopt;
  sessions.put(*user, *session, store::now_ms());
  return Caller{*user, *session, via_cookie};
}

Api::Impl::Caller Api::Impl::require_caller(const Request& req) {
  auto caller = authenticate(req);
  if (!caller) throw HttpError{401, "unauthenticated", "log in first (session cookie or Authorization: Bearer token)"};
  // Cookie sessions must prove the request came from our own pages.
  if (caller->via_cookie && req.method != "GET" && req.method != "HEAD") {
    const auto it = req.headers.find("x-csrf-token");
    if (it == req.headers.end() || !same_secret(it->second, caller->session.csrf_token))
      throw HttpError{403, "csrf", "missing or wrong X-CSRF-Token header for a cookie session"};
  }
  return *caller;
}

store::Client Api::Impl::client_for(const Caller& c, const std::string& id, bool client_may_access) {
  auto client = db->client(id);
  const bool own = client && ((c.user.role == Role::kPractitioner &&
                               (client->practitioner_id == c.user.id || db->is_shared_with(client->id, c.user.id))) ||
                              (c.user.role == Role::kClient && client_may_access && c.user.client_id == client->id));
  if (!own) {
    if (client && c.user.role == Role::kClient && c.user.client_id == client->id)
      throw HttpError{403, "forbidden", "clients cannot do this"};
    throw HttpError{404, "not_found", "no such client"};
  }
  return *client;
}

void Api::Impl::require_owner(const Caller& c, const store::Client& client) {
  if (client.practitioner_id != c.user.id) throw HttpError{403, "forbidden", "only the client's own practitioner can do this"};
}

Reader Api::Impl::reader_of(const Caller& c) { return c.user.role == Role::kClient ? Reader::kClient : Reader::kCareTeam; }


void Api::Impl::audit_one(const Caller& c, const std::string& action, const std::string& resource, const std::string& resource_id,
               const std::string& client_id) {
  audit.record({store::AuditEntry{0, store::now_ms(), c.user.id, action, resource, resource_id, client_id}});
}

Response Api::Impl::audited(Response r, std::vector<store::AuditEntry> entries) {
  for (auto& e : entries) r.durable_audit.push_back(std::move(e));
  return r;
}

Response Api::Impl::audited(Response r, const Caller& c, const std::string& action, const std::string& resource,
                            const std::string& resource_id, const std::string& client_id) {
  return audited(std::move(r), {store::AuditEntry{0, store::now_ms(), c.user.id, action, resource, resource_id, client_id}});
}

Response Api::Impl::handle(const Request& req) {
  Response r = answer(req);
  // Behind TLS, browsers are told to stay on HTTPS.
  if (req.https) r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return r;
}



Response Api::Impl::landing() {
  Response r;
  r.content_type = "text/html; charset=utf-8";
  r.body =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Rebalance</title></head><body>"
      "<h1>Rebalance</h1><p>The Rebalance service is running, but the browser app is not built: run "
      "<code>scripts/run.sh</code> (or <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>) and start it "
      "again, or pass <code>--web DIR</code>. The JSON API lives under <code>/api/v1</code>; its description is "
      "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p></body></html>\n";
  return r;
}

// A stored intake or log as it validates today, so that one stored before
// the parsing policy serves no field nothing reads; one that no longer
// validates (a knowledge base without its ids) as stored, read bounded and
// no larger than a body of its kind may be today (else null).
Json Api::Impl::stored_input(const store::Document& d, store::DocKind kind) const {
  if (kind == store::DocKind::kAssessment) {
    if (auto in = intake::parse(d.input, *kb, "stored intake"); in.intake) return Json::parse(in.canonical);
    return stored_json(d.input, kBodyLimits.max_bytes);
  }
  if (kind == store::DocKind::kLog) {
    if (auto log = track::parse_log(d.input, *kb, "stored log"); log.log) return Json::parse(log.canonical);
    return stored_json(d.input, track::kMaxLogBytes);
  }
  return stored_json(d.input);
}

// A stored document as `reader` may see it (may_read decides whether at all).
Json Api::Impl::document_view(const store::Document& d, store::DocKind kind, Reader reader) const {
  if (!may_read(reader, kind)) throw std::logic_error("document_view: a client reading an assessment");
  Json j{{"id", d.id}, {"client_id", d.client_id}};
  if (!d.parent_id.empty()) j["parent_id"] = d.parent_id;
  j["knowledge_base"] = d.kb_version;
  j["created_at"] = d.created_at;
  j["created_by"] = d.created_by;
  j["input"] = stored_input(d, kind);
  if (kind == store::DocKind::kProgram && reader == Reader::kClient && j["input"].is_object()) j["input"].erase("reason");
  j["output"] = stored_json(d.output);
  if (!d.review.empty()) j["review"] = stored_json(d.review);
  return j;
}

Response Api::Impl::list_docs(const Caller& c, const std::string& client_id, store::DocKind kind) {
  const bool assessments = kind == store::DocKind::kAssessment;
  // Clients see their programs, not the practitioner's assessments.
  client_for(c, client_id, !assessments);
  Json list = Json::array();
  std::vector<store::AuditEntry> entries;
  for (const auto& d : db->documents_of_client(kind, client_id)) {
    Json item{{"id", d.id}, {"created_at", d.created_at}, {"knowledge_base", d.kb_version}};
    if (!d.parent_id.empty()) item["assessment_id"] = d.parent_id;
    if (!assessments) {
      const Json v = version_json(*program_record(d), Reader::kCareTeam);
      item["version"] = v["version"];
      item["supersedes"] = v["supersedes"];
    }
    list.push_back(item);
    entries.push_back({0, store::now_ms(), c.user.id, "read", assessments ? "assessment" : "program", d.id, client_id});
  }
  if (entries.empty())
    entries.push_back({0, store::now_ms(), c.user.id, "read", assessments ? "assessment" : "program", "", client_id});
  return audited(json_response(200, Json{{assessments ? "assessments" : "programs", list}}), std::move(entries));
}

Api::Api(std::shared_ptr<const kb::KnowledgeBase> kb, std::shared_ptr<store::Store> store, ApiOptions options)
    : impl_(std::make_unique<Impl>(std::move(kb), std::move(store), std::move(options))) {}

Api::~Api() = default;

namespace {

Response storage_unavailable() {
  return error_response(HttpError{503, "storage_unavailable", "the database could not complete the request; try again"});
}

// The response's durable writes, moved out of it.
struct Durable {
  std::vector<std::pair<store::DocKind, store::Document>> documents;
  std::vector<store::AuditEntry> entries;
  bool empty() const { return documents.empty() && entries.empty(); }
};
Durable take_durable(Response& r) {
  Durable d{std::move(r.durable_documents), std::move(r.durable_audit)};
  r.durable_documents.clear();
  r.durable_audit.clear();
  return d;
}

}  // namespace

Response Api::handle(const Request& request) {
  Response r = impl_->handle(request);
  const Durable durable = take_durable(r);
  if (durable.empty()) return r;
  try {
    impl_->audit.record(durable.documents, durable.entries);
  } catch (const std::exception&) {
    return storage_unavailable();
  }
  return r;
}

void Api::handle_async(const Request& request, std::function<void(Response)> done) {
  Response r = impl_->handle(request);
  Durable durable = take_durable(r);
  if (durable.empty()) {
    done(std::move(r));
    return;
  }
  auto reply = std::make_shared<Response>(std::move(r));
  try {
    impl_->audit.record_async(std::move(durable.documents), std::move(durable.entries), [reply, done](const std::string& error) {
      done(error.empty() ? std::move(*reply) : storage_unavailable());
    });
  } catch (const std::exception&) {
    done(storage_unavailable());
  }
}

bool Api::runs_inline(const Request& request) const {
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  const auto parts = split_path(request.path);
  if (const Route* route = match_route(parts, method, nullptr))
    return route->entry->info.quick && impl_->db->reads_are_local();
  // Not a route: the app's files, answered from memory, or a 404 or 405.
  return true;
}

void Api::set_public_url(std::string url) { impl_->options.public_url = std::move(url); }

const std::vector<RouteInfo>& Api::routes() {
  static const std::vector<RouteInfo> infos = [] {
    std::vector<RouteInfo> out;
    for (const auto& r : route_table()) out.push_back(r.info);
    return out;
  }();
  return infos;
}

std::string Api::loggable_path(const std::string& path) {
  const auto parts = split_path(path);
  for (const auto& route : split_routes()) {
    const std::string& secret = route.entry->info.secret_parameter;
    if (secret.empty() || route.parts.size() != parts.size()) continue;
    std::string shown;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      const std::string& part = route.parts[i];
      if (part.front() == '{')
        shown += "/" + (part.substr(1, part.size() - 2) == secret ? std::string("[redacted]") : parts[i]);
      else if (part == parts[i])
        shown += "/" + part;
      else
        match = false;
    }
    if (match) return shown;
  }
  return path;
}

}  // namespace rebalance::server
