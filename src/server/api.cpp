// Routes, authorization and handlers of the JSON API. The only server file
// that includes nlohmann/json; HTTP itself lives in http.cpp.
#include "server/api.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "assess/assess.h"
#include "core/detail/json_reader.h"
#include "intake/intake.h"
#include "plan/plan.h"
#include "render/render.h"
#include "report/progress.h"
#include "server/audit_sink.h"
#include "server/auth.h"
#include "server/static_files.h"
#include "track/adapt.h"
#include "track/adherence.h"
#include "track/log.h"

namespace rebalance::server {
namespace {

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

Response json_response(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  return r;
}

Response error_response(const HttpError& e) {
  Json err{{"code", e.code}, {"message", e.message}};
  if (!e.path.empty()) err["path"] = e.path;
  if (!e.problems.is_null()) err["problems"] = e.problems;
  return json_response(e.status, Json{{"error", err}});
}

Json problems_json(const std::vector<Problem>& problems) {
  Json list = Json::array();
  for (const auto& p : problems)
    list.push_back({{"path", p.path}, {"expected", p.expected}, {"found", p.found}, {"message", format_problem(p)}});
  return list;
}

// Problems from the engine's validators become a 400 naming the first path.
[[noreturn]] void bad_input(const std::vector<Problem>& problems, const std::string& code) {
  const Problem& first = problems.front();
  throw HttpError{400, code, format_problem(first), first.path, problems_json(problems)};
}

// Every JSON body the service accepts is parsed under one policy
// (detail::parse_untrusted: size, depth, repeated keys, number range).
constexpr detail::JsonLimits kBodyLimits{1u << 20, 32};

void require_json_content(const Request& req) {
  const auto it = req.headers.find("content-type");
  if (it == req.headers.end() || it->second.rfind("application/json", 0) != 0)
    throw HttpError{415, "unsupported_media_type", "expected a JSON body (Content-Type: application/json)"};
}

Json parse_body(const Request& req) {
  require_json_content(req);
  detail::Problems problems("body");
  auto body = detail::parse_untrusted<Json>(req.body, problems, kBodyLimits);
  if (!body) bad_input(problems.list(), "invalid_json");
  return std::move(*body);
}

std::string require_string(const Json& body, const std::string& key, size_t max = 200) {
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty() ||
      body[key].get<std::string>().size() > max)
    throw HttpError{400, "invalid_body", "expected a non-empty string of at most " + std::to_string(max) + " characters",
                    "$." + key};
  return body[key].get<std::string>();
}

std::optional<std::string> optional_string(const Json& body, const std::string& key, size_t max = 2000) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_string() || body[key].get<std::string>().size() > max)
    throw HttpError{400, "invalid_body", "expected a string of at most " + std::to_string(max) + " characters", "$." + key};
  return body[key].get<std::string>();
}

std::string cookie(const Request& req, const std::string& name) {
  const auto it = req.headers.find("cookie");
  if (it == req.headers.end()) return "";
  std::stringstream in(it->second);
  std::string part;
  while (std::getline(in, part, ';')) {
    const auto start = part.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  }
  return "";
}

// The value of `name` in the query string ("a=1&b=2"), empty when absent.
// Values are ids and numbers: no percent-decoding.
std::string query_param(const Request& req, const std::string& name) {
  std::stringstream in(req.query);
  std::string part;
  while (std::getline(in, part, '&'))
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  return "";
}

bool valid_email(const std::string& email) {
  const auto at = email.find('@');
  return at != std::string::npos && at > 0 && at + 1 < email.size() && email.find(' ') == std::string::npos &&
         email.size() <= 200;
}

// Who reads a client's record: their care team (the owner, or a colleague it
// is shared with) or the client themself.
enum class Reader { kCareTeam, kClient };

// What a client may read of their own record: the one rule every route that
// returns client data applies (through the *_view functions below). The care
// team reads everything. A client reads their client record without the
// practitioner's notes, their programs without the practitioner's reasons
// for a version, their logs, adherence and calendar, and no assessments (the
// intake, findings, review and clinical notes are the care team's).
bool may_read(Reader reader, store::DocKind kind) { return reader == Reader::kCareTeam || kind != store::DocKind::kAssessment; }

Json client_view(const store::Client& c, Reader reader) {
  Json j{{"id", c.id}, {"name", c.name}, {"email", c.email}};
  if (reader == Reader::kCareTeam) j["notes"] = c.notes;
  j["practitioner_id"] = c.practitioner_id;
  j["created_at"] = c.created_at;
  j["updated_at"] = c.updated_at;
  return j;
}

Json user_json(const store::User& u) {
  Json j{{"id", u.id}, {"email", u.email}, {"name", u.name}, {"role", std::string(store::to_string(u.role))}};
  if (!u.client_id.empty()) j["client_id"] = u.client_id;
  return j;
}

// A stored document as JSON, read under the body policy: one stored before
// that policy (or damaged) is answered as null, never re-parsed unbounded.
Json stored_json(const std::string& text, size_t max_bytes = 64u << 20) {
  if (text.empty()) return nullptr;
  detail::Problems problems("stored document");
  auto doc = detail::parse_untrusted<Json>(text, problems, {max_bytes, kBodyLimits.max_depth});
  return doc ? std::move(*doc) : Json(nullptr);
}

// A stored JSON object the service itself wrote (constraints, program): a
// 409 when it cannot be read back.
Json stored_object(const std::string& text, const std::string& what) {
  Json doc = stored_json(text);
  if (!doc.is_object()) throw HttpError{409, "stale", "the stored " + what + " cannot be read back"};
  return doc;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::stringstream in(path);
  while (std::getline(in, part, '/'))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

constexpr Access kPublic = Access::kPublic;
constexpr Access kLoggedIn = Access::kLoggedIn;

const std::vector<RouteInfo> kRoutes = {
    {"GET", "/healthz", kPublic, 200, "Liveness: the process answers and its database is reachable"},
    {"GET", "/api/v1/healthz", kPublic, 200, "Liveness, under the API prefix"},
    {"GET", "/api/v1/openapi.json", kPublic, 200, "This OpenAPI document"},
    {"POST", "/api/v1/auth/setup", kPublic, 201, "Create the first admin with the one-time setup token"},
    {"POST", "/api/v1/auth/login", kPublic, 200, "Log in with email and password; sets the session cookie"},
    {"POST", "/api/v1/auth/logout", kLoggedIn, 200, "End the current session"},
    {"GET", "/api/v1/auth/me", kLoggedIn, 200, "The logged-in user and the CSRF token of the session"},
    {"GET", "/api/v1/auth/session", kPublic, 200,
     "Like auth/me, but 200 with a null user when nobody is logged in (for the app's first load)"},
    {"POST", "/api/v1/auth/accept-invite", kPublic, 201, "A client creates their account with an invite token"},
    {"POST", "/api/v1/users", kLoggedIn, 201, "Admin: create a practitioner or admin account"},
    {"GET", "/api/v1/users", kLoggedIn, 200, "Admin: every account (name, email, role, whether a password is set)"},
    {"POST", "/api/v1/users/{id}/password-reset", kLoggedIn, 201, "Admin: issue a one-time password-reset link for an account"},
    {"POST", "/api/v1/auth/reset", kPublic, 200, "Set a new password with a reset token (ends the account's sessions)"},
    {"GET", "/api/v1/audit", kLoggedIn, 200, "Admin: the audit trail (who read or wrote what, when)"},
    {"GET", "/api/v1/clients", kLoggedIn, 200, "Clients of the logged-in practitioner"},
    {"POST", "/api/v1/clients", kLoggedIn, 201, "Add a client"},
    {"GET", "/api/v1/clients/{id}", kLoggedIn, 200, "One client"},
    {"PATCH", "/api/v1/clients/{id}", kLoggedIn, 200, "Change a client's name, email or notes"},
    {"DELETE", "/api/v1/clients/{id}", kLoggedIn, 204, "Delete a client and all their health data"},
    {"POST", "/api/v1/clients/{id}/invite", kLoggedIn, 201,
     "Owner: a one-time link for the client to join (or, once they have an account, to set a new password)"},
    {"GET", "/api/v1/clients/{id}/links", kLoggedIn, 200,
     "Owner: the client's pending invites and password resets and their calendar feed"},
    {"DELETE", "/api/v1/clients/{id}/links/{link}", kLoggedIn, 200, "Owner: revoke a pending invite or reset, or the feed"},
    {"POST", "/api/v1/clients/{id}/transfer", kLoggedIn, 200,
     "Owner: hand the client over to another practitioner (by email); ends sharing and the links others made"},
    {"POST", "/api/v1/clients/{id}/share", kLoggedIn, 200, "Owner: share the client with a colleague (by email)"},
    {"POST", "/api/v1/clients/{id}/unshare", kLoggedIn, 200,
     "Owner: stop sharing the client with a colleague; revokes the links the colleague made"},
    {"GET", "/api/v1/clients/{id}/messages", kLoggedIn, 200,
     "The client's thread with their care team (the last 500 messages) and how many are unread by the caller"},
    {"POST", "/api/v1/clients/{id}/messages", kLoggedIn, 201, "The client or their care team writes in the thread"},
    {"POST", "/api/v1/clients/{id}/messages/read", kLoggedIn, 200,
     "Mark the thread read by the caller up to a message ({\"up_to\": id})"},
    {"GET", "/api/v1/templates", kLoggedIn, 200, "Practitioner: their own templates (?kind=program or test_set)"},
    {"POST", "/api/v1/templates", kLoggedIn, 201,
     "Practitioner: save a template: a program's first week (from_program) or a set of assessment tests (tests)"},
    {"DELETE", "/api/v1/templates/{id}", kLoggedIn, 200, "Practitioner: delete one of their templates"},
    {"GET", "/api/v1/clients/{id}/export", kLoggedIn, 200,
     "Everything stored about a client that the caller may read, as JSON (rebalance.export/1)"},
    {"POST", "/api/v1/clients/{id}/assessments", kLoggedIn, 201, "Assess an intake (rebalance.intake/1): returns the findings"},
    {"GET", "/api/v1/clients/{id}/assessments", kLoggedIn, 200, "A client's assessments"},
    {"GET", "/api/v1/assessments/{id}", kLoggedIn, 200, "One assessment with its intake, findings and review"},
    {"PATCH", "/api/v1/assessments/{id}", kLoggedIn, 200, "Review the findings: dismiss or add findings, keep clinical notes"},
    {"POST", "/api/v1/clients/{id}/programs", kLoggedIn, 201, "Plan a program from an assessment and constraints"},
    {"GET", "/api/v1/clients/{id}/programs", kLoggedIn, 200, "A client's programs"},
    {"GET", "/api/v1/programs/{id}", kLoggedIn, 200, "One program (rebalance.program/1)"},
    {"GET", "/api/v1/programs/{id}/calendar.ics", kLoggedIn, 200, "The program as an iCalendar file"},
    {"GET", "/api/v1/programs/{id}/handout.html", kLoggedIn, 200, "The program as a printable handout"},
    {"POST", "/api/v1/programs/{id}/logs", kLoggedIn, 201, "Log a session (rebalance.log/1)"},
    {"GET", "/api/v1/programs/{id}/logs", kLoggedIn, 200, "A program's session logs"},
    {"GET", "/api/v1/exercises", kPublic, 200, "The exercise library"},
    {"GET", "/api/v1/exercises/{id}", kPublic, 200, "One exercise"},
    {"GET", "/api/v1/exercises/{id}/illustration.svg", kPublic, 200,
     "The exercise drawn (SVG): start pose faint, key pose in full, an arrow for the movement; ETag by knowledge-base version"},
    {"GET", "/api/v1/exercises/{id}/animation.svg", kPublic, 200,
     "The exercise as an animated loop (SVG animation, no script); ETag by knowledge-base version"},
    {"GET", "/api/v1/muscles", kPublic, 200, "Muscles and groups"},
    {"GET", "/api/v1/tests", kPublic, 200, "Assessment tests with norms and measurement error"},
    {"GET", "/api/v1/guidance", kPublic, 200, "Prevention tips and functional-training guidance"},
    {"POST", "/api/v1/intake/validate", kLoggedIn, 200,
     "Check an intake or a draft without storing it: every problem, as assessing it would report"},
    {"POST", "/api/v1/programs/{id}/revisions", kLoggedIn, 201,
     "Edit a program (swap, dose, remove, add) as a new version; dry_run previews it (200)"},
    {"GET", "/api/v1/assessments/{id}/comparison", kLoggedIn, 200,
     "This assessment against an earlier one (?with=ID, default the one before): changes judged against each test's MDC"},
    {"POST", "/api/v1/clients/{id}/calendar-feed", kLoggedIn, 201,
     "Owner or the client: a secret calendar-feed URL of upcoming sessions and re-assessments (replaces any earlier one)"},
    {"DELETE", "/api/v1/clients/{id}/calendar-feed", kLoggedIn, 200, "Owner or the client: revoke the calendar-feed URL"},
    {"GET", "/api/v1/calendar/{token}", kPublic, 200,
     "The calendar feed (iCalendar) a secret URL names; no login, for calendar apps", "token"},
    {"GET", "/api/v1/clients/{id}/progress", kLoggedIn, 200,
     "Progress report (rebalance.progress/1): adherence, effort and pain, re-assessment"},
    {"GET", "/api/v1/clients/{id}/progress.html", kLoggedIn, 200, "The progress report as a page with charts"},
    {"POST", "/api/v1/programs/{id}/adapt", kLoggedIn, 201,
     "Regenerate the weeks ahead from the client's logs (progress, hold, ease, repeat a missed week) as a new version; "
     "dry_run previews it, and nothing to change answers the program as it is (200)"},
    {"GET", "/api/v1/programs/{id}/adherence", kLoggedIn, 200,
     "Planned against logged sessions: consistency, streaks, missed sessions, per week"},
};

// A route of kRoutes with its path split, for matching.
struct Route {
  const RouteInfo* info;
  std::vector<std::string> parts;
};

std::vector<Route> split_routes() {
  std::vector<Route> out;
  for (const auto& r : kRoutes) out.push_back({&r, split_path(r.pattern)});
  return out;
}

// The route `path` names, with its parameters; `method` empty matches any.
const Route* match_route(const std::vector<Route>& routes, const std::vector<std::string>& parts, const std::string& method,
                         std::map<std::string, std::string>* params) {
  for (const auto& route : routes) {
    if (route.parts.size() != parts.size()) continue;
    if (!method.empty() && route.info->method != method) continue;
    std::map<std::string, std::string> p;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      if (route.parts[i].front() == '{')
        p[route.parts[i].substr(1, route.parts[i].size() - 2)] = parts[i];
      else
        match = route.parts[i] == parts[i];
    }
    if (!match) continue;
    if (params != nullptr) *params = std::move(p);
    return &route;
  }
  return nullptr;
}

}  // namespace

struct Api::Impl {
  std::shared_ptr<const kb::KnowledgeBase> kb;
  std::shared_ptr<store::Store> db;
  ApiOptions options;
  AuditSink audit;
  std::vector<Route> routes;
  StaticFiles web;
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

  Impl(std::shared_ptr<const kb::KnowledgeBase> k, std::shared_ptr<store::Store> s, ApiOptions o)
      : kb(std::move(k)),
        db(std::move(s)),
        options(std::move(o)),
        audit(db),
        routes(split_routes()),
        web(options.web_root),
        dummy_hash(hash_password(random_token())) {
    if (!options.clock) options.clock = [] { return store::now_s(); };
  }

  // ---- identity ----------------------------------------------------------

  struct Caller {
    store::User user;
    store::Session session;
    bool via_cookie = false;
  };

  std::optional<Caller> authenticate(const Request& req) {
    std::string token;
    bool via_cookie = false;
    if (auto it = req.headers.find("authorization"); it != req.headers.end() && it->second.rfind("Bearer ", 0) == 0) {
      token = it->second.substr(7);
    } else {
      token = cookie(req, "rb_session");
      via_cookie = !token.empty();
    }
    if (token.empty() || token.size() > 128) return std::nullopt;
    auto session = db->session(token_hash(token), store::now_s());
    if (!session) return std::nullopt;
    auto user = db->user_by_id(session->user_id);
    if (!user) return std::nullopt;
    return Caller{*user, *session, via_cookie};
  }

  Caller require_caller(const Request& req) {
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

  // The client record a caller may see; 404 for anything else, so that a
  // foreign client's existence is not revealed.
  store::Client client_for(const Caller& c, const std::string& id, bool client_may_access) {
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

  // Deleting, handing over and sharing belong to the owning practitioner.
  static void require_owner(const Caller& c, const store::Client& client) {
    if (client.practitioner_id != c.user.id) throw HttpError{403, "forbidden", "only the client's own practitioner can do this"};
  }

  static Reader reader_of(const Caller& c) { return c.user.role == Role::kClient ? Reader::kClient : Reader::kCareTeam; }

  void require_practitioner(const Caller& c) {
    if (c.user.role != Role::kPractitioner) throw HttpError{403, "forbidden", "only practitioners can do this"};
  }

  void audit_one(const Caller& c, const std::string& action, const std::string& resource, const std::string& resource_id,
                 const std::string& client_id) {
    audit.record({store::AuditEntry{0, store::now_ms(), c.user.id, action, resource, resource_id, client_id}});
  }

  // ---- dispatch ----------------------------------------------------------

  Response handle(const Request& req) {
    Response r = answer(req);
    // Behind TLS, browsers are told to stay on HTTPS.
    if (req.https) r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
    return r;
  }

  Response answer(const Request& req) {
    try {
      // HEAD is GET without the body (the HTTP layer drops it).
      const std::string method = req.method == "HEAD" ? "GET" : req.method;
      const auto parts = split_path(req.path);
      std::map<std::string, std::string> params;
      if (const Route* route = match_route(routes, parts, method, &params)) {
        if (route->info->access == Access::kPublic) return dispatch(route->info->pattern, req, params);
        Caller c = require_caller(req);
        Response r = authenticated(route->info->pattern, req, params, c);
        r.user_id = c.user.id;
        return r;
      }
      if (method == "GET") {
        if (auto file = web.find(req.path)) return *file;
        if (req.path == "/" || req.path == "/index.html") return landing();
      }
      if (match_route(routes, parts, "", nullptr))
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

  // The public routes (RouteInfo::access kPublic).
  Response dispatch(const std::string& pattern, const Request& req, std::map<std::string, std::string>& p) {
    if (pattern == "/healthz" || pattern == "/api/v1/healthz") {
      db->count_users();
      return json_response(200, Json{{"status", "ok"}, {"knowledge_base", kb->version}});
    }
    if (pattern == "/api/v1/openapi.json") {
      Response r;
      r.body = openapi_document();
      return r;
    }
    if (pattern == "/api/v1/auth/setup") return setup(req);
    if (pattern == "/api/v1/auth/login") return login(req);
    if (pattern == "/api/v1/auth/accept-invite") return accept_invite(req);
    if (pattern == "/api/v1/auth/reset") return reset_password(req);
    if (pattern == "/api/v1/auth/session") {
      const auto caller = authenticate(req);
      Response r = json_response(200, caller ? Json{{"user", user_json(caller->user)}, {"csrf_token", caller->session.csrf_token}}
                                             : Json{{"user", nullptr}});
      if (caller) r.user_id = caller->user.id;
      return r;
    }
    if (pattern == "/api/v1/exercises") return raw_json(render::exercises_json(*kb, nullptr));
    if (pattern == "/api/v1/exercises/{id}") {
      const kb::Exercise* e = kb->exercise(ExerciseId(p["id"]));
      if (e == nullptr) throw HttpError{404, "not_found", "no such exercise"};
      return raw_json(render::exercises_json(*kb, e));
    }
    if (pattern == "/api/v1/exercises/{id}/illustration.svg") return figure(req, p["id"], false);
    if (pattern == "/api/v1/exercises/{id}/animation.svg") return figure(req, p["id"], true);
    if (pattern == "/api/v1/muscles") return raw_json(render::muscles_json(*kb));
    if (pattern == "/api/v1/tests") return raw_json(render::tests_json(*kb));
    if (pattern == "/api/v1/guidance") return raw_json(render::guidance_json(*kb));
    if (pattern == "/api/v1/calendar/{token}") return calendar_feed(p["token"]);
    throw std::logic_error("public route without a handler: " + pattern);
  }

  // An exercise's drawing. Public like the exercise itself; the ETag names the
  // knowledge-base version and the drawing's bytes, so a browser revalidates
  // cheaply and a changed drawing is seen at once.
  Response figure(const Request& req, const std::string& id, bool animated) {
    const kb::Exercise* e = kb->exercise(ExerciseId(id));
    const body::Illustration* ill = e == nullptr ? nullptr : kb->illustration(e->id);
    if (ill == nullptr) throw HttpError{404, "not_found", "no such exercise"};
    const std::string key = e->id.str() + (animated ? "/a" : "/s");
    std::shared_ptr<const Drawing> d;
    {
      std::lock_guard lock(figures_mutex);
      if (auto it = figures.find(key); it != figures.end()) d = it->second;
    }
    if (!d) {
      auto drawn = std::make_shared<Drawing>();
      drawn->svg = render::figure_svg(*kb, *ill, animated);
      uint64_t h = 1469598103934665603ull;  // FNV-1a
      for (unsigned char ch : drawn->svg) h = (h ^ ch) * 1099511628211ull;
      char hex[17];
      std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
      drawn->etag = "\"" + kb->version + "-" + hex + "\"";
      std::lock_guard lock(figures_mutex);
      d = figures.emplace(key, std::move(drawn)).first->second;
    }
    Response r;
    r.content_type = "image/svg+xml";
    r.headers.emplace_back("Cache-Control", "public, max-age=3600");
    r.headers.emplace_back("ETag", d->etag);
    // A drawing is an image, never a document that runs anything.
    r.headers.emplace_back("Content-Security-Policy-Override", "default-src 'none'; style-src 'unsafe-inline'");
    if (auto it = req.headers.find("if-none-match"); it != req.headers.end() && it->second.find(d->etag) != std::string::npos) {
      r.status = 304;
      r.content_type.clear();
      return r;
    }
    r.body = d->svg;
    return r;
  }

  Response authenticated(const std::string& pattern, const Request& req, std::map<std::string, std::string>& p, const Caller& c) {
    if (pattern == "/api/v1/auth/logout") {
      db->delete_session(c.session.token_hash);
      Response r = json_response(200, Json{{"status", "logged out"}});
      r.headers.emplace_back("Set-Cookie", "rb_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
      return r;
    }
    if (pattern == "/api/v1/auth/me")
      return json_response(200, Json{{"user", user_json(c.user)}, {"csrf_token", c.session.csrf_token}});
    if (pattern == "/api/v1/users") return req.method == "GET" ? list_users(c) : create_user(req, c);
    if (pattern == "/api/v1/users/{id}/password-reset") return issue_reset(c, p["id"]);
    if (pattern == "/api/v1/audit") return audit_trail(req, c);
    if (pattern == "/api/v1/clients" && req.method == "GET") return list_clients(c);
    if (pattern == "/api/v1/clients" && req.method == "POST") return create_client(req, c);
    if (pattern == "/api/v1/clients/{id}") return client_resource(req, c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/invite") return invite(c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/links") return client_links(c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/links/{link}") return revoke_client_link(c, p["id"], p["link"]);
    if (pattern == "/api/v1/clients/{id}/transfer") return transfer(req, c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/share") return share(req, c, p["id"], true);
    if (pattern == "/api/v1/clients/{id}/unshare") return share(req, c, p["id"], false);
    if (pattern == "/api/v1/clients/{id}/export") return export_client(c, p["id"]);
    if (pattern == "/api/v1/templates") return req.method == "POST" ? create_template(req, c) : list_templates(req, c);
    if (pattern == "/api/v1/templates/{id}") return delete_template(c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/messages")
      return req.method == "POST" ? post_message(req, c, p["id"]) : list_messages(c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/messages/read") return read_messages(req, c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/assessments")
      return req.method == "POST" ? create_assessment(req, c, p["id"]) : list_docs(c, p["id"], store::DocKind::kAssessment);
    if (pattern == "/api/v1/assessments/{id}")
      return req.method == "PATCH" ? review_assessment(req, c, p["id"]) : get_assessment(c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/programs")
      return req.method == "POST" ? create_program(req, c, p["id"]) : list_docs(c, p["id"], store::DocKind::kProgram);
    if (pattern == "/api/v1/programs/{id}") return get_program(c, p["id"], "json");
    if (pattern == "/api/v1/programs/{id}/calendar.ics") return get_program(c, p["id"], "ics");
    if (pattern == "/api/v1/programs/{id}/handout.html") return get_program(c, p["id"], "html");
    if (pattern == "/api/v1/programs/{id}/logs")
      return req.method == "POST" ? create_log(req, c, p["id"]) : list_logs(c, p["id"]);
    if (pattern == "/api/v1/programs/{id}/revisions") return revise_program(req, c, p["id"]);
    if (pattern == "/api/v1/programs/{id}/adapt") return adapt_program(req, c, p["id"]);
    if (pattern == "/api/v1/programs/{id}/adherence") return program_adherence(c, p["id"]);
    if (pattern == "/api/v1/intake/validate") return validate_intake(req);
    if (pattern == "/api/v1/clients/{id}/calendar-feed") return manage_calendar_feed(req, c, p["id"]);
    if (pattern == "/api/v1/clients/{id}/progress") return progress(c, p["id"], false);
    if (pattern == "/api/v1/clients/{id}/progress.html") return progress(c, p["id"], true);
    if (pattern == "/api/v1/assessments/{id}/comparison") return compare_assessments(req, c, p["id"]);
    throw std::logic_error("route without a handler: " + pattern);
  }

  static Response raw_json(std::string body) {
    Response r;
    r.body = std::move(body);
    return r;
  }

  Response landing() {
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

  // ---- accounts ----------------------------------------------------------

  Response start_session(const Request& req, const store::User& user, int status) {
    const std::string token = random_token();
    store::Session s{token_hash(token), user.id, random_token(), store::now_s() + options.session_seconds};
    db->create_session(s);
    Response r = json_response(
        status, Json{{"user", user_json(user)}, {"token", token}, {"csrf_token", s.csrf_token}, {"expires_at", s.expires_at}});
    r.headers.emplace_back("Set-Cookie", "rb_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                             std::to_string(options.session_seconds) + (req.https ? "; Secure" : ""));
    r.user_id = user.id;
    return r;
  }

  void check_password_strength(const std::string& password) {
    if (password.size() < 10 || password.size() > 200)
      throw HttpError{400, "weak_password", "expected a password of 10 to 200 characters", "$.password"};
  }

  // A new account from {"email", "name", "password"}: validated, the email
  // not yet taken, the password hashed.
  store::User account_from(const Json& body, Role role) {
    store::User u;
    u.id = store::new_id("u_");
    u.email = require_string(body, "email");
    if (!valid_email(u.email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
    u.name = require_string(body, "name");
    const std::string password = require_string(body, "password");
    check_password_strength(password);
    if (db->user_by_email(u.email)) throw HttpError{409, "conflict", "an account with this email exists", "$.email"};
    u.role = role;
    u.password_hash = hash_password(password);
    u.created_at = store::now_s();
    return u;
  }

  Response setup(const Request& req) {
    const Json body = parse_body(req);
    const std::string token = require_string(body, "token");
    if (options.setup_token.empty() || !same_secret(token, options.setup_token) || db->count_users() > 0)
      throw HttpError{403, "forbidden", "setup is closed or the token is wrong"};
    store::User u = account_from(body, Role::kAdmin);
    db->create_user(u);
    return start_session(req, u, 201);
  }

  // The attempt is counted before the password is checked, in one atomic
  // step with the decision (store::begin_login_attempt), so concurrent
  // guesses cannot slip past the limit; an unknown email is checked against
  // a dummy hash, so it takes as long as a known one.
  Response login(const Request& req) {
    const Json body = parse_body(req);
    const std::string email = require_string(body, "email");
    const std::string password = require_string(body, "password");
    const int64_t wait =
        db->begin_login_attempt(email, req.remote, options.clock(), options.account_throttle, options.address_throttle);
    if (wait > 0) {
      Response r = error_response(HttpError{
          429, "too_many_attempts", "too many login attempts; try again in " + std::to_string(wait) + " s"});
      r.headers.emplace_back("Retry-After", std::to_string(wait));
      return r;
    }
    auto user = db->user_by_email(email);
    const bool good = verify_password(user ? user->password_hash : dummy_hash, password) && user;
    if (!good) throw HttpError{401, "invalid_credentials", "wrong email or password"};
    db->login_succeeded(email, req.remote);
    return start_session(req, *user, 200);
  }

  Response accept_invite(const Request& req) {
    const Json body = parse_body(req);
    const std::string token = require_string(body, "token");
    const std::string email = require_string(body, "email");
    if (!valid_email(email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
    const std::string password = require_string(body, "password");
    check_password_strength(password);
    store::User u;
    u.id = store::new_id("u_");
    u.email = email;
    u.password_hash = hash_password(password);
    u.created_at = store::now_s();
    switch (db->redeem_invite(token_hash(token), store::now_s(), u)) {
      case store::Store::Redeemed::kOk:
        break;
      case store::Store::Redeemed::kInvalid:
        throw HttpError{403, "forbidden", "the invite is unknown, used or expired"};
      case store::Store::Redeemed::kClientHasAccount:
        throw HttpError{409, "conflict",
                        "you already have an account: log in, or ask your practitioner for a new password link"};
      case store::Store::Redeemed::kEmailTaken:
        throw HttpError{409, "conflict", "an account with this email exists", "$.email"};
    }
    return start_session(req, u, 201);
  }

  // A one-time password-reset link for `user_id`, issued by `by`.
  Json new_reset(const std::string& user_id, const std::string& by) {
    const std::string token = random_token();
    const int64_t now = store::now_s();
    const store::PasswordReset reset{store::new_id("r_"), token_hash(token), user_id, by, now, now + options.reset_seconds};
    db->create_reset(reset);
    return Json{{"kind", "password_reset"},
                {"id", reset.id},
                {"token", token},
                {"link", options.public_url + "/reset#" + token},
                {"expires_at", reset.expires_at}};
  }

  Response issue_reset(const Caller& c, const std::string& user_id) {
    if (c.user.role != Role::kAdmin) throw HttpError{403, "forbidden", "only an admin can reset passwords"};
    if (!db->user_by_id(user_id)) throw HttpError{404, "not_found", "no such account"};
    Json out = new_reset(user_id, c.user.id);
    audit_one(c, "reset", "user", user_id, "");
    return json_response(201, out);
  }

  Response reset_password(const Request& req) {
    const Json body = parse_body(req);
    const std::string token = require_string(body, "token");
    const std::string password = require_string(body, "password");
    check_password_strength(password);
    auto user_id = db->use_reset(token_hash(token), store::now_s());
    if (!user_id) throw HttpError{403, "forbidden", "the reset link is unknown, used or expired"};
    db->set_password(*user_id, hash_password(password));
    db->delete_sessions_of(*user_id);
    Response r = json_response(200, Json{{"status", "password changed; log in again"}});
    r.user_id = *user_id;
    return r;
  }

  Response create_user(const Request& req, const Caller& c) {
    if (c.user.role != Role::kAdmin) throw HttpError{403, "forbidden", "only an admin can create accounts"};
    const Json body = parse_body(req);
    auto parsed = store::parse_role(require_string(body, "role"));
    if (!parsed || *parsed == Role::kClient)
      throw HttpError{400, "invalid_body", "expected \"practitioner\" or \"admin\" (clients join by invite)", "$.role"};
    store::User u = account_from(body, *parsed);
    db->create_user(u);
    audit_one(c, "create", "user", u.id, "");
    return json_response(201, user_json(u));
  }

  // The admin's list of accounts, for issuing password resets: never a
  // password hash, only whether one is set.
  Response list_users(const Caller& c) {
    if (c.user.role != Role::kAdmin) throw HttpError{403, "forbidden", "only an admin can list accounts"};
    Json users = Json::array();
    for (const auto& u : db->list_users()) {
      Json j = user_json(u);
      j["created_at"] = u.created_at;
      j["has_password"] = !u.password_hash.empty();
      users.push_back(j);
    }
    audit_one(c, "read", "users", "", "");
    return json_response(200, Json{{"users", users}});
  }

  Response audit_trail(const Request& req, const Caller& c) {
    if (c.user.role != Role::kAdmin) throw HttpError{403, "forbidden", "only an admin can read the audit trail"};
    int64_t after = 0;
    if (const std::string value = query_param(req, "after"); !value.empty()) {
      try {
        after = std::stoll(value);
      } catch (const std::exception&) {
        throw HttpError{400, "invalid_query", "expected after=<entry id>", "after"};
      }
    }
    Json entries = Json::array();
    for (const auto& e : db->audit(after, 500))
      entries.push_back({{"id", e.id},
                         {"at", e.at},
                         {"user_id", e.user_id},
                         {"action", e.action},
                         {"resource", e.resource},
                         {"resource_id", e.resource_id},
                         {"client_id", e.client_id}});
    return json_response(200, Json{{"entries", entries}});
  }

  // ---- clients -----------------------------------------------------------

  Response list_clients(const Caller& c) {
    if (c.user.role == Role::kClient) {
      auto own = db->client(c.user.client_id);
      Json list = Json::array();
      if (own) {
        Json j = client_view(*own, Reader::kClient);
        j["adherence"] = adherence_summary(*own);
        j["unread_messages"] = db->unread_count(own->id, c.user.id);
        list.push_back(j);
      }
      audit_one(c, "read", "client", c.user.client_id, c.user.client_id);
      return json_response(200, Json{{"clients", list}});
    }
    require_practitioner(c);
    Json list = Json::array();
    std::vector<store::AuditEntry> entries;
    auto row = [&](const store::Client& cl, bool owned) {
      Json j = client_view(cl, reader_of(c));
      if (!owned) j["shared"] = true;
      j["adherence"] = adherence_summary(cl);
      // Whether the client has joined: the owner's invite becomes a new-password link then.
      if (owned) j["has_account"] = db->client_account(cl.id).has_value();
      j["unread_messages"] = db->unread_count(cl.id, c.user.id);
      list.push_back(j);
      entries.push_back({0, store::now_ms(), c.user.id, "read", "client", cl.id, cl.id});
    };
    for (const auto& cl : db->clients_of(c.user.id)) row(cl, true);
    for (const auto& cl : db->clients_shared_with(c.user.id)) row(cl, false);
    audit.record(entries);
    return json_response(200, Json{{"clients", list}});
  }

  Response create_client(const Request& req, const Caller& c) {
    require_practitioner(c);
    const Json body = parse_body(req);
    store::Client cl;
    cl.id = store::new_id("c_");
    cl.practitioner_id = c.user.id;
    cl.name = require_string(body, "name");
    cl.email = optional_string(body, "email", 200).value_or("");
    if (!cl.email.empty() && !valid_email(cl.email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
    cl.notes = optional_string(body, "notes", 5000).value_or("");
    cl.created_at = cl.updated_at = store::now_s();
    db->create_client(cl);
    audit_one(c, "create", "client", cl.id, cl.id);
    return json_response(201, client_view(cl, reader_of(c)));
  }

  Response client_resource(const Request& req, const Caller& c, const std::string& id) {
    if (req.method == "GET") {
      const auto cl = client_for(c, id, true);
      audit_one(c, "read", "client", id, id);
      Json out = client_view(cl, reader_of(c));
      // A colleague works with the client; only the owner manages access.
      if (c.user.role == Role::kPractitioner && cl.practitioner_id != c.user.id) out["shared"] = true;
      out["unread_messages"] = db->unread_count(id, c.user.id);
      return json_response(200, out);
    }
    require_practitioner(c);
    auto cl = client_for(c, id, false);
    if (req.method == "DELETE") {
      require_owner(c, cl);
      db->delete_client(id, c.user.id);
      Response r;
      r.status = 204;
      r.content_type.clear();
      return r;
    }
    const Json body = parse_body(req);
    if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
    if (body.contains("name")) cl.name = require_string(body, "name");
    if (auto email = optional_string(body, "email", 200)) {
      if (!email->empty() && !valid_email(*email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
      cl.email = *email;
    }
    if (auto notes = optional_string(body, "notes", 5000)) cl.notes = *notes;
    cl.updated_at = store::now_s();
    db->update_client(cl);
    audit_one(c, "update", "client", id, id);
    return json_response(200, client_view(cl, reader_of(c)));
  }

  // A link for the client: to join, or, once they have an account (a
  // client has one), to set a new password for it. The owner's alone: a
  // colleague's access ends with the sharing, and so must what it mints.
  Response invite(const Caller& c, const std::string& id) {
    require_practitioner(c);
    const auto cl = client_for(c, id, false);
    require_owner(c, cl);
    if (const auto account = db->client_account(id)) {
      Json out = new_reset(account->id, c.user.id);
      out["email"] = account->email;
      audit_one(c, "reset", "user", account->id, id);
      return json_response(201, out);
    }
    const std::string token = random_token();
    const int64_t now = store::now_s();
    const store::Invite invite{store::new_id("i_"), token_hash(token), id, c.user.id, now, now + options.invite_seconds, 0};
    db->create_invite(invite);
    audit_one(c, "create", "invite", id, id);
    return json_response(201, Json{{"kind", "invite"},
                                   {"id", invite.id},
                                   {"token", token},
                                   {"link", options.public_url + "/invite#" + token},
                                   {"expires_at", invite.expires_at}});
  }

  // What gives access to the client besides the care team's logins: the
  // client's account, pending invites and resets, the calendar feed.
  Response client_links(const Caller& c, const std::string& id) {
    require_practitioner(c);
    const auto cl = client_for(c, id, false);
    require_owner(c, cl);
    Json links = Json::array();
    for (const auto& l : db->links_of_client(id, store::now_s())) {
      Json j{{"id", l.id}, {"kind", std::string(store::to_string(l.kind))}, {"created_by", l.created_by},
             {"created_at", l.created_at}};
      j["expires_at"] = l.expires_at > 0 ? Json(l.expires_at) : Json(nullptr);
      links.push_back(j);
    }
    const auto account = db->client_account(id);
    Json out{{"client_id", id},
             {"account", account ? Json{{"id", account->id}, {"email", account->email}, {"created_at", account->created_at}}
                                 : Json(nullptr)},
             {"links", links}};
    audit_one(c, "read", "links", id, id);
    return json_response(200, out);
  }

  Response revoke_client_link(const Caller& c, const std::string& id, const std::string& link) {
    require_practitioner(c);
    const auto cl = client_for(c, id, false);
    require_owner(c, cl);
    if (link.size() > 64 || !db->revoke_link(id, link)) throw HttpError{404, "not_found", "the client has no such link"};
    audit_one(c, "revoke", "link", link, id);
    return json_response(200, Json{{"id", link}, {"status", "revoked"}});
  }

  // The practitioner account a body's "practitioner" email names (sharing, hand-over).
  std::optional<store::User> practitioner_named(const Json& body) {
    auto user = db->user_by_email(require_string(body, "practitioner"));
    if (!user || user->role != Role::kPractitioner)
      throw HttpError{400, "invalid_body", "expected the email of a practitioner account", "$.practitioner"};
    return user;
  }

  Response share(const Request& req, const Caller& c, const std::string& id, bool on) {
    require_practitioner(c);
    auto cl = client_for(c, id, false);
    require_owner(c, cl);
    const auto colleague = practitioner_named(parse_body(req));
    if (colleague->id == c.user.id)
      throw HttpError{400, "invalid_body", "expected the email of another practitioner account", "$.practitioner"};
    if (on)
      db->share_client(id, colleague->id);
    else
      db->unshare_client(id, colleague->id);
    audit_one(c, on ? "share" : "unshare", "client", id, id);
    return json_response(200, Json{{"client_id", id}, {"practitioner", colleague->email}, {"shared", on}});
  }

  Response transfer(const Request& req, const Caller& c, const std::string& id) {
    require_practitioner(c);
    auto cl = client_for(c, id, false);
    require_owner(c, cl);
    const auto to = practitioner_named(parse_body(req));
    if (to->id == c.user.id)
      throw HttpError{400, "invalid_body", "expected the email of another practitioner account", "$.practitioner"};
    const int64_t now = store::now_s();
    db->transfer_client(id, to->id, now);
    audit_one(c, "transfer", "client", id, id);
    cl.practitioner_id = to->id;
    cl.updated_at = now;
    return json_response(200, client_view(cl, reader_of(c)));
  }

  // A stored intake or log as it validates today, so that one stored before
  // the parsing policy serves no field nothing reads; one that no longer
  // validates (a knowledge base without its ids) as stored, read bounded and
  // no larger than a body of its kind may be today (else null).
  Json stored_input(const store::Document& d, store::DocKind kind) const {
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
  Json document_view(const store::Document& d, store::DocKind kind, Reader reader) const {
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

  // Validates a review body into its stored form.
  Json parse_review(const Json& body) {
    if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
    Json out{{"dismiss", Json::array()}, {"add", Json::array()}, {"notes", ""}};
    auto key_of = [&](const Json& item, const std::string& path, bool added) {
      if (!item.is_object()) throw HttpError{400, "invalid_body", "expected {\"muscle\", \"side\", \"state\"}", path};
      Json k;
      const std::string muscle = item.contains("muscle") && item["muscle"].is_string() ? item["muscle"].get<std::string>() : "";
      if (!kb->is_muscle_or_group(MuscleId(muscle)))
        throw HttpError{400, "invalid_body", "expected a muscle or group id", path + ".muscle"};
      const std::string side = item.contains("side") && item["side"].is_string() ? item["side"].get<std::string>() : "";
      if (!parse_side(side)) throw HttpError{400, "invalid_body", "expected \"left\", \"right\" or \"both\"", path + ".side"};
      const std::string state = item.contains("state") && item["state"].is_string() ? item["state"].get<std::string>() : "";
      if (!parse_state(state)) throw HttpError{400, "invalid_body", "expected \"tight\" or \"weak\"", path + ".state"};
      k["muscle"] = muscle;
      k["side"] = kb->is_midline(MuscleId(muscle)) ? "both" : side;
      k["state"] = state;
      if (added) {
        const std::string severity =
            item.contains("severity") && item["severity"].is_string() ? item["severity"].get<std::string>() : "moderate";
        if (!parse_severity(severity))
          throw HttpError{400, "invalid_body", "expected mild, moderate or severe", path + ".severity"};
        k["severity"] = severity;
        const std::string note =
            item.contains("note") && item["note"].is_string() ? item["note"].get<std::string>() : "added by the practitioner";
        if (note.size() > 500) throw HttpError{400, "invalid_body", "expected a note of at most 500 characters", path + ".note"};
        k["note"] = note;
      }
      return k;
    };
    for (const char* list : {"dismiss", "add"}) {
      if (!body.contains(list)) continue;
      const Json& items = body[list];
      if (!items.is_array() || items.size() > 100)
        throw HttpError{400, "invalid_body", "expected a list of at most 100 findings", std::string("$.") + list};
      for (size_t i = 0; i < items.size(); ++i)
        out[list].push_back(
            key_of(items[i], std::string("$.") + list + "[" + std::to_string(i) + "]", std::string(list) == "add"));
    }
    if (auto notes = optional_string(body, "notes", 5000)) out["notes"] = *notes;
    return out;
  }

  Response review_assessment(const Request& req, const Caller& c, const std::string& id) {
    require_practitioner(c);
    auto d = db->document(store::DocKind::kAssessment, id);
    if (!d) throw HttpError{404, "not_found", "no such assessment"};
    client_for(c, d->client_id, false);
    const Json review = parse_review(parse_body(req));
    db->set_review(id, review.dump());
    d->review = review.dump();
    audit_one(c, "update", "assessment", id, d->client_id);
    return json_response(200, document_view(*d, store::DocKind::kAssessment, Reader::kCareTeam));
  }

  Response export_client(const Caller& c, const std::string& id) {
    const auto cl = client_for(c, id, true);
    const Reader reader = reader_of(c);
    Json out{{"schema", "rebalance.export/1"},
             {"exported_at", store::now_ms()},
             {"audience", reader == Reader::kClient ? "client" : "care_team"},
             {"client", client_view(cl, reader)}};
    for (auto [kind, key] : {std::pair{store::DocKind::kAssessment, "assessments"},
                             std::pair{store::DocKind::kProgram, "programs"}, std::pair{store::DocKind::kLog, "logs"}}) {
      if (!may_read(reader, kind)) continue;
      Json list = Json::array();
      for (const auto& d : db->documents_of_client(kind, id)) list.push_back(document_view(d, kind, reader));
      out[key] = list;
    }
    Json messages = Json::array();
    for (const auto& m : db->messages_of(id, std::numeric_limits<int>::max())) messages.push_back(message_json(m, c));
    out["messages"] = messages;
    audit_one(c, "export", "client", id, id);
    return json_response(200, out);
  }

  // ---- templates ---------------------------------------------------------

  static Json template_json(const store::Template& t) {
    return Json{{"id", t.id}, {"kind", t.kind}, {"name", t.name}, {"body", stored_json(t.body)}, {"created_at", t.created_at}};
  }

  Response list_templates(const Request& req, const Caller& c) {
    require_practitioner(c);
    const std::string kind = query_param(req, "kind");
    if (!kind.empty() && kind != "program" && kind != "test_set")
      throw HttpError{400, "invalid_query", "expected kind=program or kind=test_set", "kind"};
    Json list = Json::array();
    for (const auto& t : db->templates_of(c.user.id, kind)) list.push_back(template_json(t));
    return json_response(200, Json{{"templates", list}});
  }

  // A template holds no client data: a program template is the exercises of
  // a program's first week with their doses and the program's shape; a test
  // set is a list of the knowledge base's tests ("section.id").
  Response create_template(const Request& req, const Caller& c) {
    require_practitioner(c);
    const Json body = parse_body(req);
    store::Template t;
    t.id = store::new_id("t_");
    t.owner_id = c.user.id;
    t.name = require_string(body, "name", 80);
    t.kind = require_string(body, "kind", 20);
    t.created_at = store::now_s();
    if (db->templates_of(c.user.id, "").size() >= 200)
      throw HttpError{409, "conflict", "you have 200 templates: delete some before saving more"};
    if (t.kind == "program") {
      const std::string pid = require_string(body, "from_program", 64);
      const auto d = db->document(store::DocKind::kProgram, pid);
      if (!d) throw HttpError{400, "invalid_body", "expected one of your clients' programs", "$.from_program"};
      client_for(c, d->client_id, false);
      const Json program = stored_object(d->output, "program");
      // The first week, session by session: a template keeps the days apart.
      Json days = Json::array();
      bool any = false;
      for (const auto& session : program.value("sessions", Json::array())) {
        if (session.value("week", 0) != 1) continue;
        Json exercises = Json::array();
        for (const auto& item : session.value("items", Json::array())) {
          const std::string id = item.value("exercise", "");
          if (kb->exercise(ExerciseId(id)) == nullptr) continue;
          Json e{{"exercise", id}, {"sets", item.value("sets", 1)}};
          if (item.contains("reps")) e["reps"] = item["reps"];
          if (item.contains("hold_seconds")) e["hold_seconds"] = item["hold_seconds"];
          exercises.push_back(e);
          any = true;
        }
        days.push_back(Json{{"day", session.value("day", 1)}, {"exercises", exercises}});
      }
      if (!any) throw HttpError{400, "invalid_body", "the program has no exercises in its first week", "$.from_program"};
      t.body = Json{{"days", days},
                    {"weeks", program.value("weeks", 8)},
                    {"days_per_week", program.value("days_per_week", 3)},
                    {"minutes_per_session", program.value("minutes_per_session", 20)}}
                   .dump();
    } else if (t.kind == "test_set") {
      if (!body.contains("tests") || !body["tests"].is_array() || body["tests"].empty() || body["tests"].size() > 100)
        throw HttpError{400, "invalid_body", "expected a list of 1 to 100 tests", "$.tests"};
      Json tests = Json::array();
      std::set<std::string> seen;
      for (size_t i = 0; i < body["tests"].size(); ++i) {
        const Json& v = body["tests"][i];
        const std::string path = "$.tests[" + std::to_string(i) + "]";
        const std::string key = v.is_string() ? v.get<std::string>() : "";
        const auto dot = key.find('.');
        const bool known = dot != std::string::npos && std::any_of(kb->tests.begin(), kb->tests.end(), [&](const kb::Test& x) {
          return kb::to_string(x.section) == key.substr(0, dot) && x.id.str() == key.substr(dot + 1);
        });
        if (!known) throw HttpError{400, "invalid_body", "expected a test of the knowledge base (section.id)", path};
        if (!seen.insert(key).second) throw HttpError{400, "invalid_body", "the test " + key + " is listed twice", path};
        tests.push_back(key);
      }
      t.body = Json{{"tests", tests}}.dump();
    } else {
      throw HttpError{400, "invalid_body", "expected kind program or test_set", "$.kind"};
    }
    db->add_template(t);
    audit_one(c, "create", "template", t.id, "");
    return json_response(201, template_json(t));
  }

  Response delete_template(const Caller& c, const std::string& id) {
    require_practitioner(c);
    if (!db->delete_template(id, c.user.id)) throw HttpError{404, "not_found", "no such template of yours"};
    audit_one(c, "delete", "template", id, "");
    return json_response(200, Json{{"deleted", id}});
  }

  // The edits that turn a program planned from the findings into a
  // template's, session number by session number (every week's day 1, day
  // 2, ...): exercises the template's day lacks are removed, its own added,
  // and a dose it sets apart from the exercise's standard one is kept. The
  // engine judges them as any practitioner's edits (contraindications,
  // budget, ranges).
  std::vector<plan::Edit> template_edits(const plan::Program& p, const Json& tmpl) const {
    std::vector<plan::Edit> edits;
    for (const auto& day : tmpl.value("days", Json::array())) {
      const int number = day.value("day", 1);
      std::vector<std::string> planned, wanted;
      for (const auto& s : p.sessions)
        if (s.week == 1 && s.day == number)
          for (const auto& i : s.items) planned.push_back(i.week1_exercise.str());
      for (const auto& e : day.value("exercises", Json::array())) wanted.push_back(e.value("exercise", ""));
      auto edit = [&](plan::Edit::Op op, const std::string& id) {
        plan::Edit e;
        e.op = op;
        e.exercise = ExerciseId(id);
        e.day = number;
        return e;
      };
      for (const auto& id : planned)
        if (std::find(wanted.begin(), wanted.end(), id) == wanted.end()) edits.push_back(edit(plan::Edit::Op::kRemove, id));
      for (const auto& t : day.value("exercises", Json::array())) {
        const std::string id = t.value("exercise", "");
        if (std::find(planned.begin(), planned.end(), id) == planned.end()) edits.push_back(edit(plan::Edit::Op::kAdd, id));
        const kb::Exercise* ex = kb->exercise(ExerciseId(id));
        if (ex == nullptr) continue;
        plan::Edit d = edit(plan::Edit::Op::kDose, id);
        if (t.contains("sets") && t["sets"].is_number_integer() && t["sets"].get<int>() != ex->dose.sets) d.sets = t["sets"].get<int>();
        if (t.contains("reps") && t["reps"].is_number_integer() && ex->dose.reps && t["reps"].get<int>() != *ex->dose.reps)
          d.reps = t["reps"].get<int>();
        if (t.contains("hold_seconds") && t["hold_seconds"].is_number() && t["hold_seconds"].get<double>() != ex->dose.hold_seconds)
          d.hold_seconds = t["hold_seconds"].get<double>();
        if (d.sets || d.reps || d.hold_seconds) edits.push_back(d);
      }
    }
    return edits;
  }

  // ---- messages ----------------------------------------------------------

  // A thread's messages as the caller reads them: whether each is theirs,
  // who wrote it (by name) and when; never another user's id.
  static Json message_json(const store::Message& m, const Caller& c) {
    return Json{{"id", m.id},
                {"from", m.from_client ? "client" : "care_team"},
                {"author_name", m.author_name},
                {"mine", m.author_id == c.user.id},
                {"body", m.body},
                {"created_at", m.created_at}};
  }

  // The client's thread: their care team and the client themself read and
  // write it (client_for decides, as for every client resource; an admin is
  // no one to the client).
  static constexpr int kThreadLimit = 500;

  Response list_messages(const Caller& c, const std::string& id) {
    client_for(c, id, true);
    auto messages = db->messages_of(id, kThreadLimit + 1);
    const bool more = messages.size() > static_cast<size_t>(kThreadLimit);
    if (more) messages.erase(messages.begin());
    Json list = Json::array();
    for (const auto& m : messages) list.push_back(message_json(m, c));
    audit_one(c, "read", "messages", id, id);
    return json_response(200, Json{{"client_id", id}, {"messages", list}, {"more", more}, {"unread", db->unread_count(id, c.user.id)}});
  }

  Response post_message(const Request& req, const Caller& c, const std::string& id) {
    client_for(c, id, true);
    const Json body = parse_body(req);
    const std::string text = message_text(body);
    store::Message m{store::new_id("m_"), id, c.user.id, c.user.name, c.user.role == Role::kClient, text, store::now_ms()};
    db->add_message(m);
    // What one writes is read by oneself.
    db->mark_read(id, c.user.id, m.id);
    audit_one(c, "create", "message", m.id, id);
    return json_response(201, message_json(m, c));
  }

  Response read_messages(const Request& req, const Caller& c, const std::string& id) {
    client_for(c, id, true);
    const Json body = parse_body(req);
    const std::string up_to = require_string(body, "up_to", 64);
    if (!db->mark_read(id, c.user.id, up_to))
      throw HttpError{404, "not_found", "no message " + up_to + " in this thread", "$.up_to"};
    return json_response(200, Json{{"client_id", id}, {"unread", db->unread_count(id, c.user.id)}});
  }

  // A message's text: plain text of 1 to 2,000 characters (line breaks and
  // tabs allowed, no other control characters), trimmed.
  static std::string message_text(const Json& body) {
    if (!body.is_object() || !body.contains("body") || !body["body"].is_string())
      throw HttpError{400, "invalid_body", "expected the message as a string", "$.body"};
    std::string text = body["body"].get<std::string>();
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) throw HttpError{400, "invalid_body", "the message is empty", "$.body"};
    text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    size_t characters = 0;
    for (unsigned char ch : text) {
      if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7f)
        throw HttpError{400, "invalid_body", "the message holds a control character", "$.body"};
      if ((ch & 0xc0) != 0x80) ++characters;  // UTF-8 lead bytes: the parser has checked the encoding
    }
    if (characters > 2000)
      throw HttpError{400, "invalid_body", "expected at most 2000 characters, found " + std::to_string(characters), "$.body"};
    return text;
  }

  // ---- assessments and programs ------------------------------------------

  Response create_assessment(const Request& req, const Caller& c, const std::string& id) {
    require_practitioner(c);
    client_for(c, id, false);
    require_json_content(req);
    auto parsed = intake::parse(req.body, *kb, "body");
    if (!parsed.intake) bad_input(parsed.problems, "invalid_intake");
    const auto a = assess::assess(*kb, *parsed.intake);
    // What is stored is the intake as validated, never the raw body.
    store::Document d{store::new_id("a_"), id, "", kb->version, parsed.canonical, render::assessment_json(*kb, a), c.user.id,
                      store::now_ms(),     ""};
    db->add_document(store::DocKind::kAssessment, d);
    audit_one(c, "create", "assessment", d.id, id);
    Json out = Json::parse(d.output);
    out["id"] = d.id;
    out["client_id"] = id;
    if (!parsed.ignored.empty()) out["ignored_fields"] = parsed.ignored;
    return json_response(201, out);
  }

  Response list_docs(const Caller& c, const std::string& client_id, store::DocKind kind) {
    const bool assessments = kind == store::DocKind::kAssessment;
    // Clients see their programs, not the practitioner's assessments.
    client_for(c, client_id, !assessments);
    Json list = Json::array();
    std::vector<store::AuditEntry> entries;
    for (const auto& d : db->documents_of_client(kind, client_id)) {
      Json item{{"id", d.id}, {"created_at", d.created_at}, {"knowledge_base", d.kb_version}};
      if (!d.parent_id.empty()) item["assessment_id"] = d.parent_id;
      if (!assessments) {
        const Json v = version_json(d, Reader::kCareTeam);
        item["version"] = v["version"];
        item["supersedes"] = v["supersedes"];
      }
      list.push_back(item);
      entries.push_back({0, store::now_ms(), c.user.id, "read", assessments ? "assessment" : "program", d.id, client_id});
    }
    if (entries.empty())
      entries.push_back({0, store::now_ms(), c.user.id, "read", assessments ? "assessment" : "program", "", client_id});
    audit.record(entries);
    return json_response(200, Json{{assessments ? "assessments" : "programs", list}});
  }

  Response get_assessment(const Caller& c, const std::string& id) {
    auto d = db->document(store::DocKind::kAssessment, id);
    if (!d) throw HttpError{404, "not_found", "no such assessment"};
    client_for(c, d->client_id, false);
    audit_one(c, "read", "assessment", id, d->client_id);
    return json_response(200, document_view(*d, store::DocKind::kAssessment, Reader::kCareTeam));
  }

  // Re-plans a stored program: deterministic from its intake and constraints.
  struct Planned {
    intake::Intake in;
    assess::Assessment a;
    plan::Program p;
  };

  // The program a stored version describes: planned from its assessment and
  // constraints, then its edits, then each adaptation to the logs it names.
  // Edits that no longer apply are a 409, or, with `edit_problems`, returned
  // there (and no program).
  Planned replan(const store::Document& assessment, const Json& constraints, std::vector<Problem>* edit_problems = nullptr) {
    auto parsed = intake::parse(assessment.input, *kb, "stored intake");
    if (!parsed.intake)
      throw HttpError{409, "stale", "the stored intake no longer validates against knowledge base " + kb->version};
    plan::Overrides ov;
    ov.weeks = constraints["weeks"].get<int>();
    ov.days_per_week = constraints["days_per_week"].get<int>();
    ov.minutes = constraints["minutes_per_session"].get<int>();
    ov.start = Date::parse(constraints["start_date"].get<std::string>());
    Planned out{*parsed.intake, {}, {}};
    out.a = assess::apply_review(assess::assess(*kb, out.in), report::review_of(assessment));
    auto c = plan::resolve(*kb, out.in, ov, *ov.start);
    out.p = plan::plan(*kb, out.a, c);
    if (const auto edits = constraints.value("edits", Json::array()); !edits.empty()) {
      auto edited = plan::apply_edits(*kb, out.a, std::move(out.p), parse_edits(edits));
      if (!edited.program && edit_problems != nullptr) {
        *edit_problems = std::move(edited.problems);
        return out;
      }
      if (!edited.program)
        throw HttpError{409, "stale", "the program's edits no longer apply under knowledge base " + kb->version};
      out.p = std::move(*edited.program);
    }
    for (const auto& adaptation : constraints.value("adaptations", Json::array())) {
      std::vector<track::SessionLog> logs;
      for (const auto& id : adaptation.at("logs")) {
        const auto doc = db->document(store::DocKind::kLog, id.get<std::string>());
        if (!doc) throw HttpError{409, "conflict", "a log the program was adapted to is gone"};
        if (auto parsed = track::parse_log(doc->input, *kb, "stored log"); parsed.log) logs.push_back(std::move(*parsed.log));
      }
      out.p = track::adapt(*kb, out.a, out.p, logs, *Date::parse(adaptation.at("as_of").get<std::string>())).program;
    }
    return out;
  }

  Response create_program(const Request& req, const Caller& c, const std::string& client_id) {
    require_practitioner(c);
    client_for(c, client_id, false);
    const Json body = parse_body(req);
    if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
    std::optional<store::Document> assessment;
    if (body.contains("assessment")) {
      const std::string aid = require_string(body, "assessment");
      assessment = db->document(store::DocKind::kAssessment, aid);
      if (!assessment || assessment->client_id != client_id)
        throw HttpError{400, "invalid_body", "expected an assessment of this client", "$.assessment"};
    } else {
      auto all = db->documents_of_client(store::DocKind::kAssessment, client_id);
      if (all.empty()) throw HttpError{409, "conflict", "the client has no assessment yet"};
      assessment = all.back();
    }
    auto parsed = intake::parse(assessment->input, *kb, "stored intake");
    if (!parsed.intake)
      throw HttpError{409, "stale", "the stored intake no longer validates against knowledge base " + kb->version};
    // A template of the caller's: its exercises and doses, checked by the
    // engine for this client; its shape fills what the request leaves out.
    std::optional<store::Template> tmpl;
    Json tmpl_body;
    if (body.contains("template")) {
      const std::string tid = require_string(body, "template", 64);
      tmpl = db->template_by_id(tid);
      if (!tmpl || tmpl->owner_id != c.user.id || tmpl->kind != "program")
        throw HttpError{400, "invalid_body", "expected one of your program templates", "$.template"};
      tmpl_body = stored_object(tmpl->body, "template");
    }
    plan::Overrides ov;
    // Compared as the number it is, before any conversion: 4294967297 is no week count.
    auto int_field = [&](const char* key, int lo, int hi) -> std::optional<int> {
      if (!body.contains(key)) return std::nullopt;
      if (!body[key].is_number_integer() || body[key].get<double>() < lo || body[key].get<double>() > hi)
        throw HttpError{400, "invalid_body", "expected a whole number " + std::to_string(lo) + "-" + std::to_string(hi),
                        std::string("$.") + key};
      return body[key].get<int>();
    };
    ov.weeks = int_field("weeks", 1, 52);
    ov.days_per_week = int_field("days_per_week", 1, 7);
    ov.minutes = int_field("minutes_per_session", 5, 180);
    if (tmpl) {
      if (!ov.weeks && tmpl_body.contains("weeks")) ov.weeks = tmpl_body["weeks"].get<int>();
      if (!ov.days_per_week && tmpl_body.contains("days_per_week")) ov.days_per_week = tmpl_body["days_per_week"].get<int>();
      if (!ov.minutes && tmpl_body.contains("minutes_per_session")) ov.minutes = tmpl_body["minutes_per_session"].get<int>();
    }
    if (auto start = optional_string(body, "start_date", 10)) {
      ov.start = Date::parse(*start);
      if (!ov.start) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", "$.start_date"};
    }
    const auto constraints = plan::resolve(*kb, *parsed.intake, ov, today());
    Json stored{{"assessment", assessment->id},
                {"weeks", constraints.weeks},
                {"days_per_week", constraints.days_per_week},
                {"minutes_per_session", constraints.minutes},
                {"start_date", constraints.start.iso()}};
    // Planned from the findings as the practitioner confirmed them.
    const auto a = assess::apply_review(assess::assess(*kb, *parsed.intake), report::review_of(*assessment));
    auto p = plan::plan(*kb, a, constraints);
    if (tmpl) {
      const auto edits = template_edits(p, tmpl_body);
      auto edited = plan::apply_edits(*kb, a, std::move(p), edits);
      if (!edited.program) {
        // Name the template's exercise each problem is about, not an edit the caller never sent.
        Json problems = Json::array();
        std::string first;
        for (const auto& pr : edited.problems) {
          std::string what = pr.path;
          const auto open = what.find('['), close = what.find(']');
          if (open != std::string::npos && close != std::string::npos) {
            const size_t k = std::stoul(what.substr(open + 1, close - open - 1));
            if (k < edits.size()) what = edits[k].exercise.str();
          }
          const std::string message = "the template's " + what + ": expected " + pr.expected + ", found " + pr.found;
          if (first.empty()) first = message;
          problems.push_back({{"path", "$.template"}, {"expected", pr.expected}, {"found", pr.found}, {"message", message}});
        }
        throw HttpError{400, "template_not_applicable", "the template does not fit this client: " + first, "$.template", problems};
      }
      p = std::move(*edited.program);
      Json stored_edits = Json::array();
      for (const auto& e : edits) stored_edits.push_back(edit_json(e));
      stored["edits"] = stored_edits;
      stored["template"] = Json{{"id", tmpl->id}, {"name", tmpl->name}};
    }
    store::Document d{store::new_id("p_"),          client_id, assessment->id,  kb->version, stored.dump(),
                      render::program_json(*kb, p), c.user.id, store::now_ms(), ""};
    db->add_document(store::DocKind::kProgram, d);
    audit_one(c, "create", "program", d.id, client_id);
    return json_response(201, program_body(d));
  }

  // A program's place among its versions: version (1 for the planned one),
  // the version it revised, and the practitioner's edits so far.
  static Json version_json(const store::Document& d, Reader reader) {
    const Json input = stored_object(d.input, "program constraints");
    Json out{{"version", input.value("version", 1)},
             {"supersedes", input.contains("supersedes") ? input["supersedes"] : Json(nullptr)},
             {"edits", input.value("edits", Json::array())}};
    if (input.contains("template")) out["template"] = input["template"];
    if (input.contains("reason") && reader == Reader::kCareTeam) out["reason"] = input["reason"];
    return out;
  }

  // The stored program with its ids in front, without re-serialising it.
  static std::string program_text(const store::Document& d, Reader reader) {
    const auto brace = d.output.find('{');
    if (brace == std::string::npos) throw store::StoreError("stored program is not a JSON object");
    std::string head = "{\n  \"id\": " + Json(d.id).dump() + ",\n  \"client_id\": " + Json(d.client_id).dump() +
                       ",\n  \"assessment_id\": " + Json(d.parent_id).dump() + ",";
    const Json version = version_json(d, reader);
    for (auto it = version.begin(); it != version.end(); ++it) head += "\n  " + Json(it.key()).dump() + ": " + it->dump() + ",";
    return head + d.output.substr(brace + 1);
  }

  // A program version as its care team sees it (the answers of planning,
  // editing and adapting, which only the care team does).
  Json program_body(const store::Document& d) {
    Json program = stored_object(d.output, "program");
    Json out{{"id", d.id.empty() ? Json(nullptr) : Json(d.id)}, {"client_id", d.client_id}, {"assessment_id", d.parent_id}};
    out.update(version_json(d, Reader::kCareTeam));
    out.update(program);
    return out;
  }

  Response get_program(const Caller& c, const std::string& id, const std::string& format) {
    auto d = db->document(store::DocKind::kProgram, id);
    if (!d) throw HttpError{404, "not_found", "no such program"};
    const auto cl = client_for(c, d->client_id, true);
    audit_one(c, "read", "program", id, d->client_id);
    if (format == "json") return raw_json(program_text(*d, reader_of(c)));
    auto assessment = db->document(store::DocKind::kAssessment, d->parent_id);
    if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
    const auto planned = replan(*assessment, stored_object(d->input, "program constraints"));
    const render::Header header{cl.name, planned.in.preferences.timezone};
    Response r;
    if (format == "ics") {
      r.content_type = "text/calendar; charset=utf-8";
      r.body = render::program_ics(*kb, planned.p, header);
      r.headers.emplace_back("Content-Disposition", "attachment; filename=\"rebalance-" + id + ".ics\"");
    } else {
      r.content_type = "text/html; charset=utf-8";
      r.body = render::program_html(*kb, planned.a, planned.p, header);
    }
    return r;
  }

  Response create_log(const Request& req, const Caller& c, const std::string& program_id) {
    auto program = db->document(store::DocKind::kProgram, program_id);
    if (!program) throw HttpError{404, "not_found", "no such program"};
    client_for(c, program->client_id, true);
    require_json_content(req);
    auto parsed = track::parse_log(req.body, *kb, "body");
    if (!parsed.log) bad_input(parsed.problems, "invalid_log");
    if (!parsed.log->program.empty() && parsed.log->program != program_id)
      throw HttpError{400, "invalid_log", "expected the program of the URL", "$.program"};
    // What is stored is the log as validated, never the raw body.
    store::Document d{store::new_id("l_"), program->client_id, program_id, kb->version, parsed.canonical, "",
                      c.user.id,           store::now_ms(),    ""};
    // The log and its audit entry commit together, in a shared group commit.
    audit.record({{store::DocKind::kLog, d}},
                 {store::AuditEntry{0, store::now_ms(), c.user.id, "create", "log", d.id, program->client_id}});
    Json out{{"id", d.id}, {"program", program_id}};
    out["log"] = Json::parse(parsed.canonical);
    if (!parsed.ignored.empty()) out["ignored_fields"] = parsed.ignored;
    return json_response(201, out);
  }

  Response list_logs(const Caller& c, const std::string& program_id) {
    auto program = db->document(store::DocKind::kProgram, program_id);
    if (!program) throw HttpError{404, "not_found", "no such program"};
    client_for(c, program->client_id, true);
    Json list = Json::array();
    for (const auto& d : db->logs_of_program(program_id))
      list.push_back({{"id", d.id},
                      {"created_at", d.created_at},
                      {"created_by", d.created_by},
                      {"log", stored_input(d, store::DocKind::kLog)}});
    audit_one(c, "read", "log", program_id, program->client_id);
    return json_response(200, Json{{"logs", list}});
  }

  // ---- validation, revisions, adherence ------------------------------------

  Response validate_intake(const Request& req) {
    parse_body(req);
    const auto parsed = intake::parse(req.body, *kb, "body");
    return json_response(200, Json{{"valid", parsed.intake.has_value()}, {"problems", problems_json(parsed.problems)}});
  }

  // An edit as stored: what parse_edits reads back.
  static Json edit_json(const plan::Edit& e) {
    static const char* const kOps[] = {"swap", "dose", "remove", "add", "reassess"};
    if (e.op == plan::Edit::Op::kReassess)
      return Json{{"op", "reassess"}, {"week", e.week.value_or(0)}, {"date", e.date ? e.date->iso() : std::string()}};
    Json j{{"op", kOps[static_cast<int>(e.op)]}, {"exercise", e.exercise.str()}};
    if (e.with) j["with"] = e.with->str();
    if (e.sets) j["sets"] = *e.sets;
    if (e.reps) j["reps"] = *e.reps;
    if (e.hold_seconds) j["hold_seconds"] = *e.hold_seconds;
    if (e.from) j["from"] = e.from->iso();
    if (e.only_on) j["only_on"] = e.only_on->iso();
    if (e.day) j["day"] = *e.day;
    if (e.side) j["side"] = std::string(to_string(*e.side));
    return j;
  }

  // Edits as received (`$.edits`), checked for shape; what they mean is the
  // engine's to judge (plan::apply_edits).
  static std::vector<plan::Edit> parse_edits(const Json& edits) {
    if (!edits.is_array() || edits.size() > 200)
      throw HttpError{400, "invalid_body", "expected a list of at most 200 edits", "$.edits"};
    std::vector<plan::Edit> out;
    for (size_t i = 0; i < edits.size(); ++i) {
      const Json& e = edits[i];
      const std::string path = "$.edits[" + std::to_string(i) + "]";
      if (!e.is_object()) throw HttpError{400, "invalid_body", "expected an edit object", path};
      auto text = [&](const char* key) {
        if (!e.contains(key) || !e[key].is_string() || e[key].get<std::string>().empty() ||
            e[key].get<std::string>().size() > 100)
          throw HttpError{400, "invalid_body", "expected an exercise id", path + "." + key};
        return ExerciseId(e[key].get<std::string>());
      };
      auto number = [&](const char* key) -> std::optional<double> {
        if (!e.contains(key)) return std::nullopt;
        if (!e[key].is_number()) throw HttpError{400, "invalid_body", "expected a number", path + "." + key};
        return e[key].get<double>();
      };
      auto whole = [&](const char* key) -> std::optional<int> {
        const auto v = number(key);
        if (!v) return std::nullopt;
        if (!e[key].is_number_integer() || *v < -1e6 || *v > 1e6)
          throw HttpError{400, "invalid_body", "expected a whole number", path + "." + key};
        return static_cast<int>(*v);
      };
      plan::Edit edit;
      const std::string op = e.contains("op") && e["op"].is_string() ? e["op"].get<std::string>() : "";
      if (op == "swap")
        edit.op = plan::Edit::Op::kSwap;
      else if (op == "dose")
        edit.op = plan::Edit::Op::kDose;
      else if (op == "remove")
        edit.op = plan::Edit::Op::kRemove;
      else if (op == "add")
        edit.op = plan::Edit::Op::kAdd;
      else if (op == "reassess")
        edit.op = plan::Edit::Op::kReassess;
      else
        throw HttpError{400, "invalid_body", "expected op swap, dose, remove, add or reassess", path + ".op"};
      if (edit.op == plan::Edit::Op::kReassess) {
        edit.week = whole("week");
        if (!edit.week) throw HttpError{400, "invalid_body", "expected the week of the re-assessment", path + ".week"};
        edit.date = e.contains("date") && e["date"].is_string() ? Date::parse(e["date"].get<std::string>()) : std::nullopt;
        if (!edit.date) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", path + ".date"};
        out.push_back(std::move(edit));
        continue;
      }
      edit.exercise = text("exercise");
      if (edit.op == plan::Edit::Op::kSwap) edit.with = text("with");
      if (e.contains("from")) {
        edit.from = e["from"].is_string() ? Date::parse(e["from"].get<std::string>()) : std::nullopt;
        if (!edit.from) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", path + ".from"};
      }
      if (e.contains("only_on")) {
        edit.only_on = e["only_on"].is_string() ? Date::parse(e["only_on"].get<std::string>()) : std::nullopt;
        if (!edit.only_on) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", path + ".only_on"};
      }
      if (e.contains("day")) {
        edit.day = whole("day");
        if (!edit.day || *edit.day < 1 || *edit.day > 7)
          throw HttpError{400, "invalid_body", "expected a session number 1-7", path + ".day"};
      }
      if (e.contains("side")) {
        const std::string side = e["side"].is_string() ? e["side"].get<std::string>() : "";
        if (side != "left" && side != "right") throw HttpError{400, "invalid_body", "expected \"left\" or \"right\"", path + ".side"};
        edit.side = side == "left" ? Side::kLeft : Side::kRight;
      }
      if (edit.op == plan::Edit::Op::kDose) {
        edit.sets = whole("sets");
        edit.reps = whole("reps");
        edit.hold_seconds = number("hold_seconds");
      }
      out.push_back(std::move(edit));
    }
    return out;
  }

  // POST /programs/{id}/revisions {"edits": [...], "dry_run"?, "reason"?}:
  // the edits are added to the version's own, re-applied to the planned
  // program, and stored as the next version (past logs keep their sessions:
  // edits change exercises and doses, never the schedule).
  Response revise_program(const Request& req, const Caller& c, const std::string& id) {
    require_practitioner(c);
    auto d = db->document(store::DocKind::kProgram, id);
    if (!d) throw HttpError{404, "not_found", "no such program"};
    client_for(c, d->client_id, false);
    const Json body = parse_body(req);
    if (!body.is_object() || !body.contains("edits"))
      throw HttpError{400, "invalid_body", "expected {\"edits\": [...]}", "$.edits"};
    const bool dry_run = dry_run_of(body);
    const auto reason = optional_string(body, "reason", 500);
    auto edits = parse_edits(body["edits"]);  // shape, with paths relative to this request
    Json stored = stored_object(d->input, "program constraints");
    Json all = stored.value("edits", Json::array());
    const size_t earlier = all.size();
    // An edit changes the program from today on: past weeks never change.
    // Stored as validated, never as received.
    for (auto& e : edits) {
      e.from = today();
      all.push_back(edit_json(e));
    }
    auto assessment = db->document(store::DocKind::kAssessment, d->parent_id);
    if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
    stored["edits"] = all;
    std::vector<Problem> problems;
    auto planned = replan(*assessment, stored, &problems);
    if (!problems.empty()) {
      // Number the problems as the caller numbered its edits.
      for (auto& p : problems) {
        const std::string prefix = "$.edits[";
        if (p.path.rfind(prefix, 0) != 0) continue;
        const size_t close = p.path.find(']');
        const size_t index = std::stoul(p.path.substr(prefix.size(), close - prefix.size()));
        if (index < earlier) continue;  // an earlier version's edit: keep its number in the whole list
        p.path = prefix + std::to_string(index - earlier) + p.path.substr(close);
      }
      bad_input(problems, "invalid_edit");
    }
    const auto [next, status] = next_version(c, *d, std::move(stored), reason, planned.p, dry_run);
    return json_response(status, program_body(next));
  }

  // The version after `d`: its constraints (`stored`, with the edits and
  // adaptations so far), the program they give, and why it was made. A dry
  // run answers it without storing it (and without an id): 200; else 201.
  std::pair<store::Document, int> next_version(const Caller& c, const store::Document& d, Json stored,
                                               const std::optional<std::string>& reason, const plan::Program& program,
                                               bool dry_run) {
    stored["supersedes"] = d.id;
    stored["version"] = stored.value("version", 1) + 1;
    stored.erase("reason");
    if (reason) stored["reason"] = *reason;
    store::Document next{dry_run ? "" : store::new_id("p_"), d.client_id, d.parent_id,     kb->version, stored.dump(),
                         render::program_json(*kb, program), c.user.id,   store::now_ms(), ""};
    if (dry_run) return {next, 200};
    db->add_document(store::DocKind::kProgram, next);
    audit_one(c, "create", "program", next.id, next.client_id);
    return {next, 201};
  }

  // The optional "dry_run" of a body.
  static bool dry_run_of(const Json& body) {
    if (!body.contains("dry_run")) return false;
    if (!body["dry_run"].is_boolean()) throw HttpError{400, "invalid_body", "expected true or false", "$.dry_run"};
    return body["dry_run"].get<bool>();
  }

  // POST /programs/{id}/adapt {"dry_run"?}: the weeks from today on
  // regenerated from the logs of this program and the versions it revised
  // (track::adapt); stored as the next version when anything changes.
  Response adapt_program(const Request& req, const Caller& c, const std::string& id) {
    require_practitioner(c);
    auto d = db->document(store::DocKind::kProgram, id);
    if (!d) throw HttpError{404, "not_found", "no such program"};
    client_for(c, d->client_id, false);
    bool dry_run = false;
    if (!req.body.empty()) {
      const Json body = parse_body(req);
      if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
      dry_run = dry_run_of(body);
    }
    auto assessment = db->document(store::DocKind::kAssessment, d->parent_id);
    if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
    Json stored = stored_object(d->input, "program constraints");
    auto planned = replan(*assessment, stored);
    const auto log_docs = report::log_documents_of_versions(*d, db->documents_of_client(store::DocKind::kProgram, d->client_id),
                                                            db->documents_of_client(store::DocKind::kLog, d->client_id));
    std::vector<track::SessionLog> logs;
    Json log_ids = Json::array();
    for (const auto& l : log_docs)
      if (auto parsed = track::parse_log(l.input, *kb, "stored log"); parsed.log) {
        logs.push_back(std::move(*parsed.log));
        log_ids.push_back(l.id);
      }
    const Date as_of = today();
    // Adapting twice to the same logs would step ahead twice: once per set of logs.
    const Json previous = stored.value("adaptations", Json::array());
    const bool nothing_new = !previous.empty() && previous.back().at("logs") == log_ids;
    const auto adapted =
        nothing_new ? track::Adaptation{planned.p, {}, {}, 0} : track::adapt(*kb, planned.a, planned.p, logs, as_of);
    Json changes = Json::array();
    for (const auto& ch : adapted.changes) {
      Json j{{"kind", std::string(track::to_string(ch.kind))},
             {"from_week", ch.from_week},
             {"reason", ch.reason},
             {"source", ch.source}};
      if (ch.date) j["date"] = ch.date->iso();
      if (ch.exercise) j["exercise"] = ch.exercise->str();
      if (ch.replacement) j["replacement"] = ch.replacement->str();
      changes.push_back(j);
    }
    Json flags = Json::array();
    for (const auto& f : adapted.flags) {
      Json exercises = Json::array();
      for (const auto& e : f.exercises) exercises.push_back(e.str());
      flags.push_back(Json{{"date", f.date.iso()}, {"reason", f.reason}, {"source", f.source}, {"exercises", exercises}});
    }
    auto answer = [&](const store::Document& doc, int status) {
      Json out = program_body(doc);
      out["changes"] = changes;
      out["flags"] = flags;
      return json_response(status, out);
    };
    if (adapted.changes.empty()) return answer(*d, 200);
    Json adaptations = stored.value("adaptations", Json::array());
    adaptations.push_back({{"as_of", as_of.iso()}, {"logs", log_ids}});
    stored["adaptations"] = adaptations;
    const auto [next, status] =
        next_version(c, *d, std::move(stored), "adapted to the logs as of " + as_of.iso(), adapted.program, dry_run);
    return answer(next, status);
  }

  Response compare_assessments(const Request& req, const Caller& c, const std::string& id) {
    auto later = db->document(store::DocKind::kAssessment, id);
    if (!later) throw HttpError{404, "not_found", "no such assessment"};
    client_for(c, later->client_id, false);
    std::optional<store::Document> earlier;
    const std::string with = query_param(req, "with");
    if (!with.empty()) {
      earlier = db->document(store::DocKind::kAssessment, with);
      if (!earlier || earlier->client_id != later->client_id)
        throw HttpError{400, "invalid_query", "expected an assessment of the same client", "with"};
    } else {
      const auto all = db->documents_of_client(store::DocKind::kAssessment, later->client_id);
      for (const auto& d : all) {
        if (d.id == later->id) break;
        earlier = d;
      }
      if (!earlier) throw HttpError{409, "conflict", "no earlier assessment of this client to compare with"};
    }
    auto before_in = intake::parse(earlier->input, *kb, "stored intake");
    auto after_in = intake::parse(later->input, *kb, "stored intake");
    if (!before_in.intake || !after_in.intake)
      throw HttpError{409, "stale", "a stored intake no longer validates against knowledge base " + kb->version};
    const auto before = assess::apply_review(assess::assess(*kb, *before_in.intake), report::review_of(*earlier));
    const auto after = assess::apply_review(assess::assess(*kb, *after_in.intake), report::review_of(*later));
    const auto comparison = track::compare(*kb, *before_in.intake, before, *after_in.intake, after);
    Json out{{"before", earlier->id}, {"after", later->id}};
    out.update(Json::parse(render::comparison_json(*kb, comparison)));
    audit.record({store::AuditEntry{0, store::now_ms(), c.user.id, "read", "assessment", earlier->id, later->client_id},
                  store::AuditEntry{0, store::now_ms(), c.user.id, "read", "assessment", later->id, later->client_id}});
    return json_response(200, out);
  }

  // ---- calendar feed -------------------------------------------------------

  // The owner's or the client's own: a colleague's access ends with the
  // sharing, and a feed is a standing link to the client's schedule.
  Response manage_calendar_feed(const Request& req, const Caller& c, const std::string& id) {
    const auto cl = client_for(c, id, true);
    if (c.user.role == Role::kPractitioner) require_owner(c, cl);
    if (req.method == "DELETE") {
      if (!db->revoke_calendar_feed(id)) throw HttpError{404, "not_found", "the client has no calendar feed"};
      audit_one(c, "delete", "calendar_feed", id, id);
      return json_response(200, Json{{"status", "revoked"}});
    }
    const std::string token = random_token();
    db->set_calendar_feed(id, token_hash(token), c.user.id, store::now_s());
    audit_one(c, "create", "calendar_feed", id, id);
    return json_response(201, Json{{"url", options.public_url + "/api/v1/calendar/" + token + ".ics"}});
  }

  // Upcoming sessions and re-assessments of the client's latest program.
  Response calendar_feed(std::string token) {
    if (token.size() > 4 && token.ends_with(".ics")) token.resize(token.size() - 4);
    const auto client_id = token.size() <= 128 ? db->client_of_calendar_feed(token_hash(token)) : std::nullopt;
    if (!client_id) throw HttpError{404, "not_found", "no such calendar feed (it may have been revoked)"};
    const auto client = db->client(*client_id);
    const auto programs = db->documents_of_client(store::DocKind::kProgram, *client_id);
    if (!client || programs.empty()) throw HttpError{404, "not_found", "no program to show yet"};
    const auto assessment = db->document(store::DocKind::kAssessment, programs.back().parent_id);
    if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
    auto planned = replan(*assessment, stored_object(programs.back().input, "program constraints"));
    const Date from = today();
    std::erase_if(planned.p.sessions, [&](const plan::Session& s) { return s.date < from; });
    std::erase_if(planned.p.reassessments, [&](const plan::Reassessment& r) { return r.date < from; });
    audit.record({store::AuditEntry{0, store::now_ms(), "", "read", "calendar_feed", programs.back().id, *client_id}});
    Response r;
    r.content_type = "text/calendar; charset=utf-8";
    r.body = render::program_ics(*kb, planned.p, render::Header{client->name, planned.in.preferences.timezone});
    return r;
  }

  // Adherence to a program, counting the logs of every version of it.
  track::Adherence adherence_of(const store::Document& program) {
    const auto programs = db->documents_of_client(store::DocKind::kProgram, program.client_id);
    const auto logs = db->documents_of_client(store::DocKind::kLog, program.client_id);
    return track::adherence(report::planned_sessions(program), report::logs_of_versions(*kb, program, programs, logs), today());
  }

  static Json percent(const std::optional<double>& v) {
    if (!v) return nullptr;
    return std::round(*v * 10) / 10;
  }

  Response program_adherence(const Caller& c, const std::string& id) {
    auto d = db->document(store::DocKind::kProgram, id);
    if (!d) throw HttpError{404, "not_found", "no such program"};
    client_for(c, d->client_id, true);
    Json out{{"program_id", id}};
    out.update(Json::parse(render::adherence_json(adherence_of(*d))));
    audit_one(c, "read", "adherence", id, d->client_id);
    return json_response(200, out);
  }

  Response progress(const Caller& c, const std::string& id, bool html) {
    const auto cl = client_for(c, id, false);
    report::ClientDocuments docs{cl.name, db->documents_of_client(store::DocKind::kAssessment, id),
                                 db->documents_of_client(store::DocKind::kProgram, id),
                                 db->documents_of_client(store::DocKind::kLog, id)};
    const auto p = report::progress_of(*kb, docs, today());
    audit_one(c, "read", "progress", id, id);
    if (!html) return raw_json(render::progress_json(*kb, p));
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = render::progress_html(*kb, p);
    return r;
  }

  // The client's latest program at a glance, for the client list.
  Json adherence_summary(const store::Client& client) {
    const auto programs = db->documents_of_client(store::DocKind::kProgram, client.id);
    if (programs.empty()) return nullptr;
    const auto& latest = programs.back();
    auto logs = report::logs_of_versions(*kb, latest, programs, db->documents_of_client(store::DocKind::kLog, client.id));
    const auto planned = report::planned_sessions(latest);
    const auto a = track::adherence(planned, logs, today());
    Json latest_log = latest_log_summary(planned, logs);
    return Json{{"program_id", latest.id},
                {"consistency_percent", percent(a.consistency_percent)},
                {"current_streak", a.current_streak},
                {"missed_sessions", a.missed.size()},
                {"last_log_date", a.last_log ? Json(a.last_log->iso()) : Json(nullptr)},
                {"latest_log", latest_log},
                {"attention", attention(std::move(logs))}};
  }

  // The latest logged session as the client list shows it: when, how many of
  // its planned exercises were skipped, and the client's note (the start of
  // it: the whole is on the client's Progress page).
  static Json latest_log_summary(const std::vector<track::PlannedSession>& planned, const std::vector<track::SessionLog>& logs) {
    if (logs.empty()) return nullptr;
    const track::SessionLog* last = &logs.front();
    for (const auto& l : logs)
      if (!(l.date < last->date)) last = &l;  // the latest date; of equal dates, the later log
    int skipped = 0;
    for (const auto& ps : planned)
      if (ps.week == last->week && ps.day == last->day)
        for (const auto& e : ps.exercises)
          if (std::none_of(last->items.begin(), last->items.end(), [&](const track::LogItem& i) { return i.exercise == e; })) ++skipped;
    constexpr size_t kNoteShown = 160;
    std::string note = last->note;
    if (note.size() > kNoteShown) {
      size_t cut = kNoteShown;
      while (cut > 0 && (static_cast<unsigned char>(note[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
      note = note.substr(0, cut) + "…";
    }
    return Json{{"date", last->date.iso()},
                {"week", last->week},
                {"day", last->day},
                {"skipped", skipped},
                {"note", note.empty() ? Json(nullptr) : Json(note)}};
  }

  // Why the practitioner should look at a client now: the back-off rules of
  // the knowledge base applied to each session's highest pain, with the date
  // of the latest session and the rule's source.
  Json attention(std::vector<track::SessionLog> logs) const {
    std::stable_sort(logs.begin(), logs.end(), [](const auto& x, const auto& y) { return x.date < y.date; });
    std::vector<std::pair<Date, int>> pains;
    for (const auto& l : logs) {
      int p = l.pain;
      for (const auto& i : l.items) p = std::max(p, i.pain.value_or(0));
      pains.emplace_back(l.date, p);
    }
    const auto why = track::back_off_reason(pains, kb->progression.from_logs);
    if (!why) return nullptr;
    return Json{{"reason", *why}, {"date", pains.back().first.iso()}, {"source", kb->progression.from_logs.regress_source}};
  }

  static Date today() {
    const int64_t days = store::now_s() / 86400;
    return Date::from_days(days);
  }
};

Api::Api(std::shared_ptr<const kb::KnowledgeBase> kb, std::shared_ptr<store::Store> store, ApiOptions options)
    : impl_(std::make_unique<Impl>(std::move(kb), std::move(store), std::move(options))) {}

Api::~Api() = default;

Response Api::handle(const Request& request) { return impl_->handle(request); }

void Api::set_public_url(std::string url) { impl_->options.public_url = std::move(url); }

const std::vector<RouteInfo>& Api::routes() { return kRoutes; }

std::string Api::loggable_path(const std::string& path) {
  static const std::vector<Route> routes = split_routes();
  const auto parts = split_path(path);
  for (const auto& route : routes) {
    if (route.info->secret_parameter.empty() || route.parts.size() != parts.size()) continue;
    std::string shown;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      const std::string& part = route.parts[i];
      if (part.front() == '{')
        shown += "/" + (part.substr(1, part.size() - 2) == route.info->secret_parameter ? std::string("[redacted]") : parts[i]);
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
