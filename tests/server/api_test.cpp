// The API in-process (no sockets): accounts, the clinic's workflow, errors,
// and the authorization matrix: every route as every role.
#include "server/api.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "render/render.h"
#include "report/progress.h"
#include "server/api_fixture.h"
#include "server/static_files.h"
#include "test_support.h"

namespace rebalance {
namespace {

TEST_F(ApiTest, SetupCreatesTheFirstAdminOnce) {
  auto r =
      call("POST", "/api/v1/auth/setup", "", R"({"token": "wrong", "email": "a@x.org", "name": "A", "password": "0123456789"})");
  EXPECT_EQ(r.status, 403);
  r = call("POST", "/api/v1/auth/setup", "",
           R"({"token": "setup-secret", "email": "a@x.org", "name": "A", "password": "0123456789"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["user"]["role"], "admin");
  r = call("POST", "/api/v1/auth/setup", "",
           R"({"token": "setup-secret", "email": "b@x.org", "name": "B", "password": "0123456789"})");
  EXPECT_EQ(r.status, 403);
}

TEST_F(ApiTest, ThePractitionersWorkflowEndToEnd) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto r = call("GET", "/api/v1/programs/" + s.program, p);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["schema"], "rebalance.program/1");
  EXPECT_EQ(json(r)["weeks"], 4);
  r = call("GET", "/api/v1/programs/" + s.program + "/calendar.ics", s.client_token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/calendar; charset=utf-8");
  EXPECT_EQ(r.body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  r = call("GET", "/api/v1/programs/" + s.program + "/handout.html", p);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Week 4"), std::string::npos);
  r = call("GET", "/api/v1/programs/" + s.program + "/logs", p);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(json(r)["logs"].size(), 1u);
  EXPECT_EQ(json(r)["logs"][0]["log"]["effort"], 5);
  r = call("GET", "/api/v1/clients", p);
  ASSERT_EQ(json(r)["clients"].size(), 1u);
  r = call("GET", "/api/v1/clients/" + s.client + "/export", p);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["assessments"].size(), 1u);
  EXPECT_EQ(json(r)["programs"].size(), 1u);
  EXPECT_EQ(json(r)["logs"].size(), 1u);
}

TEST_F(ApiTest, TheClientListShowsTheLatestSessionsSkippedWorkAndTheClientsNote) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  // The clinic's log did one exercise of week 1, day 1 and said nothing.
  auto r = call("GET", "/api/v1/programs/" + s.program, p);
  const Json program = json(r);
  size_t planned = 0;
  for (const auto& session : program["sessions"])
    if (session["week"] == 1 && session["day"] == 1) planned = session["items"].size();
  ASSERT_GT(planned, 1u);
  r = call("GET", "/api/v1/clients", p);
  EXPECT_EQ(json(r)["clients"][0]["has_account"], true) << "the client joined through the clinic's invite";
  Json latest = json(r)["clients"][0]["adherence"]["latest_log"];
  EXPECT_EQ(latest["date"], "2026-11-30");
  EXPECT_EQ(latest["skipped"], static_cast<int>(planned) - 1);
  EXPECT_TRUE(latest["note"].is_null());
  // A later session with a long note: the list shows its start, cut on a character.
  const std::string note = "side plank on the left very hard " + std::string(200, 'x') + " é";
  r = call("POST", "/api/v1/programs/" + s.program + "/logs", s.client_token,
           Json{{"schema", "rebalance.log/1"}, {"week", 1}, {"day", 2}, {"date", "2026-12-02"}, {"effort", 6}, {"pain", 2},
                {"note", note}, {"items", Json::array()}}
               .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  r = call("GET", "/api/v1/clients", p);
  latest = json(r)["clients"][0]["adherence"]["latest_log"];
  EXPECT_EQ(latest["date"], "2026-12-02");
  const std::string shown = latest["note"];
  EXPECT_EQ(shown.rfind("side plank on the left very hard", 0), 0u);
  EXPECT_LT(shown.size(), note.size());
  EXPECT_EQ(shown.substr(shown.size() - 3), "…");
}

TEST_F(ApiTest, TheClientListSaysWhoHasNotJoinedYet) {
  const std::string p = add_account("p@x.org", "practitioner");
  auto r = call("POST", "/api/v1/clients", p, R"({"name": "Not Yet", "email": "n@x.org"})");
  ASSERT_EQ(r.status, 201);
  r = call("GET", "/api/v1/clients", p);
  EXPECT_EQ(json(r)["clients"][0]["has_account"], false);
}

TEST_F(ApiTest, ExerciseDrawingsArePublicCachedAndKnowTheirExercise) {
  for (const char* kind : {"illustration", "animation"}) {
    const Response r = call("GET", std::string("/api/v1/exercises/glute_bridge/") + kind + ".svg");
    ASSERT_EQ(r.status, 200) << kind;
    EXPECT_EQ(r.content_type, "image/svg+xml");
    EXPECT_EQ(r.body.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(r.body.find("<animate") != std::string::npos, std::string(kind) == "animation");
    std::string etag;
    for (const auto& [name, value] : r.headers)
      if (name == "ETag") etag = value;
    ASSERT_FALSE(etag.empty());
    EXPECT_NE(etag.find(kb_->version), std::string::npos) << "the ETag names the knowledge-base version";
    Request again;
    again.method = "GET";
    again.path = std::string("/api/v1/exercises/glute_bridge/") + kind + ".svg";
    again.headers["if-none-match"] = etag;
    const Response cached = api_->handle(again);
    EXPECT_EQ(cached.status, 304);
    EXPECT_TRUE(cached.body.empty());
  }
  EXPECT_EQ(call("GET", "/api/v1/exercises/no_such_exercise/illustration.svg").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/exercises/%2e%2e/illustration.svg").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/exercises/glute_bridge/illustration.svg").status, 405);
}

TEST_F(ApiTest, BadIntakeIs400WithTheEnginesMessageAndPath) {
  const std::string p = add_account("p@x.org", "practitioner");
  auto r = call("POST", "/api/v1/clients", p, R"({"name": "X"})");
  const std::string client = json(r)["id"];
  r = call("POST", "/api/v1/clients/" + client + "/assessments", p,
           R"({"schema": "rebalance.intake/1", "rom": [{"test": "hip_extension", "side": "left", "degrees": "abc"}]})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.rom[0].degrees");
  EXPECT_EQ(json(r)["error"]["message"], "body: $.rom[0].degrees: expected a number of degrees (-90 to 200), found \"abc\"");
  r = call("POST", "/api/v1/clients/" + client + "/assessments", p, "{nope");
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/api/v1/clients/" + client + "/assessments", p, "{}", "text/plain");
  EXPECT_EQ(r.status, 415);
  r = call("POST", "/api/v1/clients", p, R"({"name": 5})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.name");
}

TEST_F(ApiTest, BadLogIs400) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto r = call(
      "POST", "/api/v1/programs/" + s.program + "/logs", s.client_token,
      R"({"week": 1, "day": 1, "date": "2026-11-30", "effort": 11, "pain": 0, "items": [{"exercise": "nope", "sets_done": 1}]})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["problems"].size(), 2u);
}

TEST_F(ApiTest, LoginIsThrottledPerAccountWithAGrowingDelay) {
  int64_t now = 1'000'000;
  server::ApiOptions options;
  options.clock = [&] { return now; };
  restart(options);
  add_account("p@x.org", "practitioner");
  const std::string wrong = R"({"email": "p@x.org", "password": "wrong password"})";
  const std::string right = R"({"email": "p@x.org", "password": "correct horse battery"})";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(call("POST", "/api/v1/auth/login", "", wrong).status, 401);
  auto r = call("POST", "/api/v1/auth/login", "", right);
  ASSERT_EQ(r.status, 429) << "even the right password waits its turn";
  EXPECT_EQ(r.headers.at(0), (std::pair<std::string, std::string>{"Retry-After", "1"}));
  now += 1;
  EXPECT_EQ(call("POST", "/api/v1/auth/login", "", wrong).status, 401);
  EXPECT_EQ(call("POST", "/api/v1/auth/login", "", right).status, 429);
  now += 2;
  EXPECT_EQ(call("POST", "/api/v1/auth/login", "", right).status, 200) << "after the delay";
  EXPECT_EQ(call("POST", "/api/v1/auth/login", "", wrong).status, 401) << "a success starts the account afresh";
}

TEST_F(ApiTest, CookieSessionsNeedTheCsrfHeaderForWrites) {
  add_account("p@x.org", "practitioner");
  const std::string token = login("p@x.org");
  Request r;
  r.method = "POST";
  r.path = "/api/v1/clients";
  r.headers["cookie"] = "theme=dark; rb_session=" + token;
  r.headers["content-type"] = "application/json";
  r.body = R"({"name": "X"})";
  EXPECT_EQ(api_->handle(r).status, 403);
  auto me = call("GET", "/api/v1/auth/me", token);
  r.headers["x-csrf-token"] = json(me)["csrf_token"];
  EXPECT_EQ(api_->handle(r).status, 201);
}

TEST_F(ApiTest, LogoutEndsTheSession) {
  const std::string p = add_account("p@x.org", "practitioner");
  EXPECT_EQ(call("POST", "/api/v1/auth/logout", p).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", p).status, 401);
}

// Sessions are trusted for a while without asking the database
// (server/session_cache.h): at once in the process that ends one, and in
// another process serving the same database within the cache's time to live.
TEST_F(ApiTest, ALogoutReachesAnotherProcessWithinTheSessionCachesTimeToLive) {
  server::ApiOptions options;
  options.session_cache_ms = 300;
  restart(options);
  const std::string p = add_account("p@x.org", "practitioner");
  server::Api other(kb_, db_, options);  // another process on the same database
  auto ask = [&](server::Api& api) {
    Request r;
    r.method = "GET";
    r.path = "/api/v1/auth/me";
    r.headers["authorization"] = "Bearer " + p;
    return api.handle(r).status;
  };
  ASSERT_EQ(ask(other), 200);  // `other` now trusts the session
  ASSERT_EQ(call("POST", "/api/v1/auth/logout", p).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", p).status, 401) << "at once where it ended";
  const auto ended = std::chrono::steady_clock::now();
  int status = ask(other);
  while (status == 200 && std::chrono::steady_clock::now() - ended < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    status = ask(other);
  }
  EXPECT_EQ(status, 401);
  EXPECT_LE(std::chrono::steady_clock::now() - ended, std::chrono::milliseconds(300 + 200)) << "within the time to live";
  // A password reset ends every session of the account in this process at once.
  const std::string q = add_account("q@x.org", "practitioner");
  const std::string admin = add_account("a@x.org", "admin");
  const std::string q_id = json(call("GET", "/api/v1/auth/me", q))["user"]["id"];
  const std::string token = json(call("POST", "/api/v1/users/" + q_id + "/password-reset", admin))["token"];
  ASSERT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", token}, {"password", "another long one"}}.dump()).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", q).status, 401);
}

TEST_F(ApiTest, DeletingAClientRemovesAllTheirDataAndKeepsTheAuditEntry) {
  const std::string admin = add_account("admin@x.org", "admin");
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client, p).status, 204);
  EXPECT_EQ(call("GET", "/api/v1/clients/" + s.client, p).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program, p).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", s.client_token).status, 401) << "the client's account and sessions are gone";
  EXPECT_TRUE(db_->documents_of_client(store::DocKind::kLog, s.client).empty());
  const auto audit = json(call("GET", "/api/v1/audit", admin));
  bool deletion = false;
  for (const auto& e : audit["entries"]) deletion = deletion || (e["action"] == "delete" && e["resource_id"] == s.client);
  EXPECT_TRUE(deletion);
  EXPECT_EQ(audit.dump().find("Dana"), std::string::npos) << "the audit trail keeps no health data";
}

TEST_F(ApiTest, ReadsAndWritesOfClientDataAreAudited) {
  const std::string admin = add_account("admin@x.org", "admin");
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  call("GET", "/api/v1/programs/" + s.program, s.client_token);
  const auto entries = json(call("GET", "/api/v1/audit", admin))["entries"];
  std::set<std::string> seen;
  for (const auto& e : entries) seen.insert(e["action"].get<std::string>() + " " + e["resource"].get<std::string>());
  for (const char* want : {"create client", "create assessment", "create program", "create log", "read program"})
    EXPECT_TRUE(seen.count(want)) << want;
  EXPECT_EQ(call("GET", "/api/v1/audit", p).status, 403);
}

// handle_async answers once the response's durable writes are durable (a
// read's audit entry; a log with its entry), without a thread waiting for
// them; handle commits them before it returns. Neither gives them out.
TEST_F(ApiTest, AnAnswerGoesOutOnlyOnceItsAuditEntryAndLogAreDurable) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto request = [&](const std::string& method, const std::string& path, const std::string& body) {
    Request r;
    r.method = method;
    r.path = path;
    r.headers["authorization"] = "Bearer " + s.client_token;
    if (!body.empty()) r.headers["content-type"] = "application/json";
    r.body = body;
    r.remote = "127.0.0.1";
    return r;
  };
  auto reads_of_program = [&] {
    int n = 0;
    for (const auto& e : db_->audit(0, 100000)) n += e.action == "read" && e.resource_id == s.program;
    return n;
  };
  const int before = reads_of_program();

  std::promise<std::pair<Response, int>> read;
  api_->handle_async(request("GET", "/api/v1/programs/" + s.program, ""),
                     [&](Response r) { read.set_value({std::move(r), reads_of_program()}); });
  auto [got, reads_when_answered] = read.get_future().get();
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(json(got)["id"], s.program);
  EXPECT_EQ(reads_when_answered, before + 1) << "the read was audited before the answer went out";
  EXPECT_TRUE(got.durable_audit.empty());

  std::promise<std::pair<Response, bool>> logged;
  api_->handle_async(request("POST", "/api/v1/programs/" + s.program + "/logs",
                             R"({"schema": "rebalance.log/1", "week": 1, "day": 2, "date": "2026-12-01", "effort": 4, "pain": 0})"),
                     [&](Response r) {
                       const bool stored = r.status == 201 && db_->document(store::DocKind::kLog, json(r)["id"]);
                       logged.set_value({std::move(r), stored});
                     });
  auto [log, stored] = logged.get_future().get();
  EXPECT_EQ(log.status, 201) << log.body;
  EXPECT_TRUE(stored) << "the log was durable before its 201";
  EXPECT_TRUE(log.durable_documents.empty());

  // Answers with nothing to commit come back at once, on the calling thread.
  bool answered = false;
  api_->handle_async(request("GET", "/api/v1/auth/me", ""), [&](Response r) {
    answered = true;
    EXPECT_EQ(r.status, 200);
  });
  EXPECT_TRUE(answered);

  const Response synchronous = call("GET", "/api/v1/programs/" + s.program, s.client_token);
  EXPECT_EQ(synchronous.status, 200);
  EXPECT_TRUE(synchronous.durable_audit.empty());
  EXPECT_EQ(reads_of_program(), before + 2);
}

// With an embedded database, the quick routes (a stored program, a log) and
// the app's files are answered on the network thread; the rest go to workers.
TEST_F(ApiTest, OnlyQuickRoutesRunOnTheNetworkThread) {
  auto inline_ = [&](const std::string& method, const std::string& path) {
    Request r;
    r.method = method;
    r.path = path;
    return api_->runs_inline(r);
  };
  EXPECT_TRUE(inline_("GET", "/api/v1/programs/p_1"));
  EXPECT_TRUE(inline_("HEAD", "/api/v1/programs/p_1"));
  EXPECT_TRUE(inline_("POST", "/api/v1/programs/p_1/logs"));
  EXPECT_TRUE(inline_("GET", "/assets/index-abc.js"));
  EXPECT_FALSE(inline_("POST", "/api/v1/auth/login")) << "password hashing takes a while";
  EXPECT_FALSE(inline_("POST", "/api/v1/clients/c_1/assessments")) << "the engine runs";
  EXPECT_FALSE(inline_("GET", "/api/v1/programs/p_1/handout.html"));
  EXPECT_FALSE(inline_("GET", "/api/v1/clients"));
  for (const auto& route : server::Api::routes()) {
    if (route.quick) {
      EXPECT_TRUE(route.method == "GET" || route.pattern == "/api/v1/programs/{id}/logs") << route.pattern;
    }
  }
}

TEST_F(ApiTest, AClientIsHandedOverToAColleague) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const std::string p2 = add_account("p2@x.org", "practitioner");
  const std::string admin = add_account("admin@x.org", "admin");
  const auto s = clinic(p1, "dana@x.org");
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/transfer", p2, R"({"practitioner": "p2@x.org"})").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/transfer", s.client_token, R"({"practitioner": "p2@x.org"})").status,
            403);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/transfer", p1, R"({"practitioner": "admin@x.org"})").status, 400);
  auto r = call("POST", "/api/v1/clients/" + s.client + "/transfer", p1, R"({"practitioner": "p2@x.org"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/clients/" + s.client, p1).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program, p2).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program, s.client_token).status, 200) << "the client keeps their program";
  (void)admin;
}

TEST_F(ApiTest, TheProgramIsPlannedFromTheFindingsAsReviewed) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto r = call("PATCH", "/api/v1/assessments/" + s.assessment, p,
                R"({"dismiss": [{"muscle": "iliopsoas", "side": "both", "state": "tight"}],
                    "add": [{"muscle": "tibialis_anterior", "side": "left", "state": "weak", "severity": "moderate", "note": "heel walk failed"}],
                    "notes": "Reviewed at the first visit."})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["review"]["notes"], "Reviewed at the first visit.");
  r = call("POST", "/api/v1/clients/" + s.client + "/programs", p,
           R"({"assessment": ")" + s.assessment + R"(", "start_date": "2026-11-30"})");
  ASSERT_EQ(r.status, 201) << r.body;
  bool iliopsoas = false, tibialis = false;
  const Json program = json(r);
  for (const auto& session : program["sessions"])
    for (const auto& item : session["items"])
      for (const auto& t : item["targets"]) {
        iliopsoas = iliopsoas || t["muscle"] == "iliopsoas";
        tibialis = tibialis || (t["muscle"] == "tibialis_anterior" && t["side"] == "left" && t["state"] == "weak");
      }
  EXPECT_FALSE(iliopsoas) << "a dismissed finding is not targeted";
  EXPECT_TRUE(tibialis) << "an added finding is targeted";
  r = call("PATCH", "/api/v1/assessments/" + s.assessment, p,
           R"({"add": [{"muscle": "tibialis", "side": "left", "state": "weak"}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.add[0].muscle");
  EXPECT_EQ(call("PATCH", "/api/v1/assessments/" + s.assessment, s.client_token, R"({"notes": "x"})").status, 403);
}

TEST_F(ApiTest, AnAdminIssuesAOneTimePasswordResetLink) {
  const std::string admin = add_account("admin@x.org", "admin");
  const std::string p = add_account("p@x.org", "practitioner");
  const std::string id = json(call("GET", "/api/v1/auth/me", p))["user"]["id"];
  EXPECT_EQ(call("POST", "/api/v1/users/" + id + "/password-reset", p).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/users/u_nobody/password-reset", admin).status, 404);
  auto r = call("POST", "/api/v1/users/" + id + "/password-reset", admin);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string token = json(r)["token"];
  EXPECT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", token}, {"password", "short"}}.dump()).status, 400);
  r = call("POST", "/api/v1/auth/reset", "", Json{{"token", token}, {"password", "a brand new password"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/auth/me", p).status, 401) << "old sessions end";
  EXPECT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", token}, {"password", "another new password"}}.dump()).status,
            403)
      << "the link works once";
  EXPECT_FALSE(login("p@x.org", "a brand new password").empty());
}

TEST_F(ApiTest, AnAdminListsEveryAccountWithoutPasswordHashes) {
  const std::string admin = add_account("admin@x.org", "admin");
  const std::string p = add_account("p@x.org", "practitioner");
  clinic(p, "dana@x.org");
  EXPECT_EQ(call("GET", "/api/v1/users", p).status, 403);
  const auto r = call("GET", "/api/v1/users", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json users = json(r)["users"];
  ASSERT_EQ(users.size(), 3u);
  std::set<std::string> roles;
  for (const auto& u : users) {
    roles.insert(u["role"].get<std::string>());
    EXPECT_TRUE(u["has_password"].get<bool>());
    EXPECT_FALSE(u.contains("password_hash"));
  }
  EXPECT_EQ(roles, (std::set<std::string>{"admin", "practitioner", "client"}));
  EXPECT_EQ(r.body.find("argon2"), std::string::npos) << "no hash leaves the server";
  // The admin resets the client's password from that list.
  std::string client_id;
  for (const auto& u : users)
    if (u["role"] == "client") client_id = u["id"];
  const auto reset = call("POST", "/api/v1/users/" + client_id + "/password-reset", admin);
  ASSERT_EQ(reset.status, 201) << reset.body;
  EXPECT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", json(reset)["token"]}, {"password", "a new client password"}}.dump())
                .status,
            200);
  EXPECT_FALSE(login("dana@x.org", "a new client password").empty());
}

TEST_F(ApiTest, AClientAndTheirPractitionerWriteToEachOtherWithUnreadCounts) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  const std::string thread = "/api/v1/clients/" + s.client + "/messages";
  auto r = call("GET", thread, s.client_token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json(r)["messages"].empty());
  EXPECT_EQ(json(r)["unread"], 0);

  r = call("POST", thread, s.client_token, R"({"body": "  Side plank on the left is very hard.\n"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["body"], "Side plank on the left is very hard.") << "trimmed";
  EXPECT_EQ(json(r)["from"], "client");
  EXPECT_EQ(json(r)["mine"], true);

  // The practitioner sees it as unread in the client list and in the thread.
  auto list = json(call("GET", "/api/v1/clients", p));
  EXPECT_EQ(list["clients"][0]["unread_messages"], 1);
  r = call("GET", thread, p);
  ASSERT_EQ(r.status, 200);
  Json t = json(r);
  ASSERT_EQ(t["messages"].size(), 1u);
  EXPECT_EQ(t["messages"][0]["mine"], false);
  EXPECT_EQ(t["messages"][0]["author_name"], "Dana Example");
  EXPECT_FALSE(t["messages"][0].contains("author_id"));
  EXPECT_EQ(t["unread"], 1) << "reading the thread does not mark it read by itself";
  r = call("POST", thread + "/read", p, Json{{"up_to", t["messages"][0]["id"]}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["unread"], 0);
  EXPECT_EQ(json(call("GET", "/api/v1/clients", p))["clients"][0]["unread_messages"], 0);

  // The answer is unread for the client until they read it; the client's own
  // message never counts for them.
  r = call("POST", thread, p, R"({"body": "Do it from the knees this week."})");
  ASSERT_EQ(r.status, 201);
  const std::string answer = json(r)["id"];
  EXPECT_EQ(json(call("GET", "/api/v1/clients", s.client_token))["clients"][0]["unread_messages"], 1);
  t = json(call("GET", thread, s.client_token));
  ASSERT_EQ(t["messages"].size(), 2u);
  EXPECT_EQ(t["messages"][1]["body"], "Do it from the knees this week.") << "oldest first";
  EXPECT_EQ(t["messages"][1]["from"], "care_team");
  EXPECT_EQ(json(call("POST", thread + "/read", s.client_token, Json{{"up_to", answer}}.dump()))["unread"], 0);
  // A mark never moves back.
  EXPECT_EQ(call("POST", thread + "/read", s.client_token, Json{{"up_to", t["messages"][0]["id"]}}.dump()).status, 200);
  EXPECT_EQ(json(call("GET", thread, s.client_token))["unread"], 0);

  // Bad input: where and what.
  r = call("POST", thread, p, R"({"body": "   "})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.body");
  EXPECT_EQ(call("POST", thread, p, Json{{"body", std::string(2001, 'x')}}.dump()).status, 400);
  EXPECT_EQ(call("POST", thread, p, Json{{"body", std::string(2000, 'x')}}.dump()).status, 201);
  EXPECT_EQ(call("POST", thread, p, Json{{"body", "bell \x07"}}.dump()).status, 400);
  EXPECT_EQ(call("POST", thread, p, R"({"text": "wrong key"})").status, 400);
  r = call("POST", thread + "/read", p, R"({"up_to": "m_nothere"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(json(r)["error"]["path"], "$.up_to");
  // Another client's message id cannot mark this thread.
  const auto other = clinic(p, "eve@x.org");
  const auto foreign = json(call("POST", "/api/v1/clients/" + other.client + "/messages", other.client_token, R"({"body": "hi"})"));
  EXPECT_EQ(call("POST", thread + "/read", p, Json{{"up_to", foreign["id"]}}.dump()).status, 404);

  // The thread is in the client's export, and goes with the client.
  const Json exported = json(call("GET", "/api/v1/clients/" + s.client + "/export", s.client_token));
  EXPECT_EQ(exported["messages"].size(), 3u);
  ASSERT_EQ(call("DELETE", "/api/v1/clients/" + s.client, p).status, 204);
  EXPECT_TRUE(db_->messages_of(s.client, 100).empty());
}

TEST_F(ApiTest, AClientIsSharedWithAColleagueWhoMayWorkButNotDelete) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const std::string p2 = add_account("p2@x.org", "practitioner");
  const auto s = clinic(p1, "dana@x.org");
  EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program, p2).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/share", p2, R"({"practitioner": "p2@x.org"})").status, 404);
  auto r = call("POST", "/api/v1/clients/" + s.client + "/share", p1, R"({"practitioner": "p2@x.org"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json list = json(call("GET", "/api/v1/clients", p2));
  ASSERT_EQ(list["clients"].size(), 1u);
  EXPECT_EQ(list["clients"][0]["shared"], true);
  EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program, p2).status, 200);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/programs", p2, R"({"start_date": "2026-11-30"})").status, 201);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client, p2).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/transfer", p2, R"({"practitioner": "p2@x.org"})").status, 403);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/share", p2, R"({"practitioner": "p1@x.org"})").status, 403);
  r = call("POST", "/api/v1/clients/" + s.client + "/unshare", p1, R"({"practitioner": "p2@x.org"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program, p2).status, 404);
}

TEST_F(ApiTest, UnknownRoutesAndMethods) {
  EXPECT_EQ(call("GET", "/api/v1/nothing").status, 404);
  EXPECT_EQ(call("PUT", "/api/v1/clients").status, 405);
  EXPECT_EQ(call("GET", "/api/v1/clients").status, 401);
  EXPECT_EQ(json(call("GET", "/api/v1/clients"))["error"]["code"], "unauthenticated");
}

TEST_F(ApiTest, ProgramRevisionsAreVersionsThatCarryTheirEdits) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  const Json v1 = json(call("GET", "/api/v1/programs/" + s.program, p1));
  EXPECT_EQ(v1["version"], 1);
  EXPECT_TRUE(v1["supersedes"].is_null());
  const std::string first = v1["sessions"][0]["items"][0]["exercise"];

  // A dry run answers the edited program and stores nothing.
  const std::string dose = R"({"edits": [{"op": "dose", "exercise": ")" + first + R"(", "sets": 2}], "dry_run": true})";
  auto r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p1, dose);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json(r)["id"].is_null());
  EXPECT_EQ(json(r)["sessions"][0]["items"][0]["sets"], 2);
  EXPECT_EQ(json(call("GET", "/api/v1/clients/" + s.client + "/programs", p1))["programs"].size(), 1u);

  r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p1,
           R"({"edits": [{"op": "dose", "exercise": ")" + first + R"(", "sets": 2}], "reason": "sore after week 1"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const Json v2 = json(r);
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["supersedes"], s.program);
  EXPECT_EQ(v2["reason"], "sore after week 1");
  for (const auto& session : v2["sessions"])
    for (const auto& item : session["items"])
      if (item["exercise"] == first) {
        EXPECT_EQ(item["sets"], 2);
      }
  const Json stored = json(call("GET", "/api/v1/programs/" + v2["id"].get<std::string>(), p1));
  EXPECT_EQ(stored["edits"].size(), 1u);
  EXPECT_EQ(stored["sessions"], v2["sessions"]) << "what was previewed is what is served";
  const Json list = json(call("GET", "/api/v1/clients/" + s.client + "/programs", p1))["programs"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1]["version"], 2);
  EXPECT_EQ(list[1]["supersedes"], s.program);
  // The calendar and handout are of the edited program.
  r = call("GET", "/api/v1/programs/" + v2["id"].get<std::string>() + "/handout.html", p1);
  EXPECT_EQ(r.status, 200);
  // The client's handout shows the new dose, not the practitioners' note about it.
  const auto row = r.body.find("<a href=\"#how-" + first + "\">");
  ASSERT_NE(row, std::string::npos);
  EXPECT_EQ(r.body.substr(r.body.find("<td>", row + 1), 10), "<td>2 sets") << r.body.substr(row, 200);
  EXPECT_EQ(r.body.find("dose set by the practitioner"), std::string::npos);

  // A revision of a revision keeps the earlier edits; problems are numbered
  // as the caller numbered its own edits.
  r = call("POST", "/api/v1/programs/" + v2["id"].get<std::string>() + "/revisions", p1,
           R"({"edits": [{"op": "remove", "exercise": ")" + v1["sessions"][0]["items"][1]["exercise"].get<std::string>() +
               R"("}, {"op": "swap", "exercise": ")" + first + R"(", "with": "no_such"}]})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json(r)["error"]["path"], "$.edits[1].with");
  r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p1, R"({"edits": [{"op": "stretch"}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.edits[0].op");
  r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p1,
           R"({"edits": [{"op": "dose", "exercise": ")" + first + R"(", "sets": 10, "hold_seconds": 600}]})");
  EXPECT_EQ(r.status, 400) << "the session would blow the 20-minute budget";
  EXPECT_NE(json(r)["error"]["message"].get<std::string>().find("expected sessions within 20 minutes"), std::string::npos)
      << r.body;
}

TEST_F(ApiTest, AdherenceCountsLogsOfEveryVersionOfAProgram) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  // Four weeks long past: every session is due.
  auto r = call("POST", "/api/v1/clients/" + s.client + "/programs", p1,
                R"({"assessment": ")" + s.assessment + R"(", "weeks": 4, "days_per_week": 3, "start_date": "2025-01-06"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string old = json(r)["id"];
  for (const char* log : {R"({"week": 1, "day": 1, "date": "2025-01-06", "effort": 5, "pain": 1})",
                          R"({"week": 1, "day": 2, "date": "2025-01-08", "effort": 5, "pain": 1})"})
    ASSERT_EQ(call("POST", "/api/v1/programs/" + old + "/logs", s.client_token, log).status, 201);
  r = call("POST", "/api/v1/programs/" + old + "/revisions", p1, R"({"edits": []})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string v2 = json(r)["id"];
  ASSERT_EQ(call("POST", "/api/v1/programs/" + v2 + "/logs", s.client_token,
                 R"({"week": 2, "day": 1, "date": "2025-01-13", "effort": 5, "pain": 1})")
                .status,
            201);
  r = call("GET", "/api/v1/programs/" + v2 + "/adherence", s.client_token);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json a = json(r);
  EXPECT_EQ(a["due_sessions"], 12);
  EXPECT_EQ(a["completed_sessions"], 3);
  EXPECT_EQ(a["consistency_percent"], 25.0);
  EXPECT_EQ(a["longest_streak"], 2);
  EXPECT_EQ(a["current_streak"], 0);
  EXPECT_EQ(a["missed"].size(), 9u);
  EXPECT_EQ(a["missed"][0]["date"], "2025-01-10");
  EXPECT_TRUE(a["next"].is_null());
  EXPECT_EQ(a["weeks"].size(), 4u);
  EXPECT_EQ(a["weeks"][0]["completed_sessions"], 2);
  // The client list shows the latest program at a glance.
  const Json clients = json(call("GET", "/api/v1/clients", p1))["clients"];
  ASSERT_EQ(clients.size(), 1u);
  EXPECT_EQ(clients[0]["adherence"]["program_id"], v2);
  EXPECT_EQ(clients[0]["adherence"]["consistency_percent"], 25.0);
  EXPECT_EQ(clients[0]["adherence"]["missed_sessions"], 9);
  EXPECT_EQ(clients[0]["adherence"]["last_log_date"], "2025-01-13");
  EXPECT_TRUE(clients[0]["adherence"]["attention"].is_null());
  // A painful session puts the client in front of the practitioner.
  ASSERT_EQ(call("POST", "/api/v1/programs/" + v2 + "/logs", s.client_token,
                 R"({"week": 2, "day": 2, "date": "2025-01-15", "effort": 5, "pain": 2,
                     "items": [{"exercise": "glute_bridge", "sets_done": 2, "pain": 6}]})")
                .status,
            201);
  const Json attention = json(call("GET", "/api/v1/clients", p1))["clients"][0]["adherence"]["attention"];
  EXPECT_EQ(attention["reason"], "pain 6/10 (at least 5/10)");
  EXPECT_EQ(attention["date"], "2025-01-15");
  EXPECT_FALSE(attention["source"].get<std::string>().empty());
}

TEST_F(ApiTest, ValidationAnswersTheSameProblemsAsAssessing) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  const std::string bad =
      R"({"schema": "rebalance.intake/1", "client": {"age": 300}, "rom": [{"test": "hip_extension", "side": "left", "degrees": "abc"}]})";
  auto r = call("POST", "/api/v1/intake/validate", p1, bad);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(json(r)["valid"]);
  const Json problems = json(r)["problems"];
  const auto assessed = call("POST", "/api/v1/clients/" + s.client + "/assessments", p1, bad);
  ASSERT_EQ(assessed.status, 400);
  EXPECT_EQ(problems, json(assessed)["error"]["problems"]);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[1]["path"], "$.rom[0].degrees");
  r = call("POST", "/api/v1/intake/validate", p1, R"({"schema": "rebalance.intake/1"})");
  EXPECT_TRUE(json(r)["valid"]);
  EXPECT_TRUE(json(r)["problems"].empty());
}

TEST_F(ApiTest, AReassessmentIsComparedWithTheOneBefore) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const std::string p2 = add_account("p2@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  auto r = call("GET", "/api/v1/assessments/" + s.assessment + "/comparison", p1);
  EXPECT_EQ(r.status, 409) << "nothing earlier to compare with";
  // Four weeks later: the straight-leg raise gained 12 and 3 degrees (MDC 7).
  Json later = Json::parse(rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json"));
  later["rom"][2]["degrees"] = 80;
  later["rom"][3]["degrees"] = 74;
  r = call("POST", "/api/v1/clients/" + s.client + "/assessments", p1, later.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string second = json(r)["id"];
  r = call("GET", "/api/v1/assessments/" + second + "/comparison", p1);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json c = json(r);
  EXPECT_EQ(c["before"], s.assessment);
  EXPECT_EQ(c["schema"], "rebalance.comparison/1");
  std::map<std::string, std::string> verdicts;
  for (const auto& m : c["measures"])
    if (m["measure"] == "rom.straight_leg_raise") verdicts[m["side"]] = m["verdict"];
  EXPECT_EQ(verdicts["left"], "improved");
  EXPECT_EQ(verdicts["right"], "within_error");
  EXPECT_EQ(call("GET", "/api/v1/assessments/" + second + "/comparison?with=" + s.assessment, p1).body, r.body);
  EXPECT_EQ(call("GET", "/api/v1/assessments/" + second + "/comparison", p2).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/assessments/" + second + "/comparison", s.client_token).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/assessments/" + second + "/comparison?with=a_nope", p1).status, 400);
}

TEST_F(ApiTest, ACalendarFeedListsUpcomingSessionsUntilRevoked) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  auto r = call("POST", "/api/v1/clients/" + s.client + "/calendar-feed", s.client_token);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string url = json(r)["url"];
  const std::string path = url.substr(url.find("/api/v1/calendar/"));
  r = call("GET", path);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/calendar; charset=utf-8");
  EXPECT_NE(r.body.find("BEGIN:VEVENT"), std::string::npos);
  EXPECT_NE(r.body.find("re-assessment after week"), std::string::npos) << "re-assessments are in the feed too";
  // A new link replaces the old one; revoking ends it.
  r = call("POST", "/api/v1/clients/" + s.client + "/calendar-feed", p1);
  ASSERT_EQ(r.status, 201);
  const std::string second = json(r)["url"];
  EXPECT_EQ(call("GET", path).status, 404);
  EXPECT_EQ(call("GET", second.substr(second.find("/api/v1/calendar/"))).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client + "/calendar-feed", p1).status, 200);
  EXPECT_EQ(call("GET", second.substr(second.find("/api/v1/calendar/"))).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client + "/calendar-feed", p1).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/calendar/" + std::string(300, 'a')).status, 404);
}

TEST_F(ApiTest, TheProgressReportMatchesWhatTheExportGivesTheCommandLine) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  Json later = Json::parse(rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json"));
  later["rom"][2]["degrees"] = 80;
  ASSERT_EQ(call("POST", "/api/v1/clients/" + s.client + "/assessments", p1, later.dump()).status, 201);
  auto r = call("GET", "/api/v1/clients/" + s.client + "/progress", p1);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json report = json(r);
  EXPECT_EQ(report["schema"], "rebalance.progress/1");
  EXPECT_EQ(report["client"], "Dana Example");
  EXPECT_EQ(report["program_id"], s.program);
  EXPECT_EQ(report["sessions"].size(), 1u);
  EXPECT_EQ(report["sessions"][0]["effort"], 5);
  EXPECT_EQ(report["adherence"]["completed_sessions"], 1);
  EXPECT_FALSE(report["comparison"].is_null());
  EXPECT_EQ(report["comparison"]["before"], s.assessment);
  r = call("GET", "/api/v1/clients/" + s.client + "/progress.html", p1);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("<svg"), std::string::npos) << "charts are drawn in the page";
  EXPECT_EQ(call("GET", "/api/v1/clients/" + s.client + "/progress", s.client_token).status, 403);

  // The export read back gives the same report (the command line's path).
  const auto exported = call("GET", "/api/v1/clients/" + s.client + "/export", p1);
  const auto read = report::read_export(exported.body, "export.json");
  ASSERT_TRUE(read.documents) << (read.problems.empty() ? "" : format_problem(read.problems[0]));
  const auto again = report::progress_of(*kb_, *read.documents, *Date::parse(report["as_of"].get<std::string>()));
  EXPECT_EQ(Json::parse(render::progress_json(*kb_, again)), report);
}

TEST_F(ApiTest, AdaptingToTheLogsStoresAVersionThatReplaysExactly) {
  const std::string p1 = add_account("p1@x.org", "practitioner");
  const auto s = clinic(p1, "c1@x.org");
  // A program that began on the Monday two weeks before this week's.
  const Date today = Date::from_days(store::now_s() / 86400);
  const Date start = today.plus_days(-today.weekday() - 14);
  auto r = call("POST", "/api/v1/clients/" + s.client + "/programs", p1,
                R"({"assessment": ")" + s.assessment + R"(", "weeks": 8, "minutes_per_session": 40, "start_date": ")" +
                    start.iso() + "\"}");
  ASSERT_EQ(r.status, 201) << r.body;
  const Json program = json(r);
  const std::string id = program["id"];
  // Every session before today done as prescribed, effort 4, pain 0.
  for (const auto& session : program["sessions"]) {
    if (!(*Date::parse(session["date"].get<std::string>()) < today)) continue;
    Json items = Json::array();
    for (const auto& item : session["items"]) {
      Json done{{"exercise", item["exercise"]}, {"sets_done", item["sets"]}};
      if (item.contains("reps"))
        done["reps_done"] = Json(std::vector<int>(item["sets"].get<size_t>(), item["reps"].get<int>()));
      else
        done["hold_seconds_done"] = item["hold_seconds"];
      items.push_back(done);
    }
    Json log{{"week", session["week"]}, {"day", session["day"]}, {"date", session["date"]}, {"effort", 4}, {"pain", 0},
             {"items", items}};
    ASSERT_EQ(call("POST", "/api/v1/programs/" + id + "/logs", s.client_token, log.dump()).status, 201);
  }
  r = call("POST", "/api/v1/programs/" + id + "/adapt", p1, R"({"dry_run": true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json(r)["id"].is_null());
  ASSERT_FALSE(json(r)["changes"].empty());
  EXPECT_EQ(json(r)["changes"][0]["kind"], "progressed");
  r = call("POST", "/api/v1/programs/" + id + "/adapt", p1);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json v2 = json(r);
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["supersedes"], id);
  // What is served is what was computed; a later edit keeps the adaptation.
  EXPECT_EQ(json(call("GET", "/api/v1/programs/" + v2["id"].get<std::string>(), p1))["sessions"], v2["sessions"]);
  r = call("POST", "/api/v1/programs/" + v2["id"].get<std::string>() + "/revisions", p1, R"({"edits": [], "dry_run": true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["sessions"], v2["sessions"]) << "replaying the stored adaptation gives the same weeks";
  EXPECT_EQ(call("GET", "/api/v1/programs/" + v2["id"].get<std::string>() + "/handout.html", p1).status, 200);
  // Nothing new to adapt to: no new version.
  r = call("POST", "/api/v1/programs/" + v2["id"].get<std::string>() + "/adapt", p1);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ApiTest, TheTestLibraryCarriesTheWholeLimitTheEngineJudgesWith) {
  const Json doc = json(call("GET", "/api/v1/tests"));
  size_t banded = 0, positioned = 0;
  for (const auto& t : kb_->tests) {
    const auto it = std::find_if(doc["tests"].begin(), doc["tests"].end(), [&](const Json& j) {
      return j["id"] == t.id.str() && j["section"] == std::string(kb::to_string(t.section));
    });
    ASSERT_NE(it, doc["tests"].end()) << t.id.str();
    ASSERT_EQ((*it)["rules"].size(), t.rules.size()) << t.id.str();
    for (size_t i = 0; i < t.rules.size(); ++i) {
      const auto& r = t.rules[i];
      const Json& rj = (*it)["rules"][i];
      EXPECT_EQ(rj.value("position", ""), r.position) << r.id;
      if (!r.position.empty()) ++positioned;
      if (r.comparison == kb::Comparison::kEquals) continue;
      const Json& th = rj["threshold"];
      // For every client a form may describe, the limit read from the JSON
      // is the engine's (Threshold::for_client).
      for (const Sex sex : {Sex::kUnknown, Sex::kFemale, Sex::kMale})
        for (const std::optional<int> age : {std::optional<int>(), std::optional<int>(25), std::optional<int>(41),
                                             std::optional<int>(55), std::optional<int>(72)}) {
          const double want = r.threshold.for_client(sex, age).value;
          std::optional<double> got;
          for (const auto& b : th.value("bands", Json::array())) {
            if (b.contains("sex") && (sex == Sex::kUnknown || b["sex"] != (sex == Sex::kFemale ? "female" : "male"))) continue;
            if ((b.contains("age_min") || b.contains("age_max")) &&
                (!age || (b.contains("age_min") && *age < b["age_min"].get<int>()) ||
                 (b.contains("age_max") && *age > b["age_max"].get<int>())))
              continue;
            got = b["value"].get<double>();
            break;
          }
          if (!got && th.contains("by_sex")) {
            const Json& by = th["by_sex"];
            got = sex == Sex::kFemale && by.contains("female") ? by["female"].get<double>()
                  : sex == Sex::kMale && by.contains("male")   ? by["male"].get<double>()
                                                               : by["default"].get<double>();
          }
          if (!got) got = th["value"].get<double>();
          EXPECT_DOUBLE_EQ(*got, want) << r.id << " sex " << static_cast<int>(sex) << " age " << age.value_or(-1);
        }
      if (!r.threshold.bands.empty()) ++banded;
    }
  }
  EXPECT_GT(banded, 0u) << "some limits go by age and sex";
  EXPECT_GT(positioned, 0u) << "some rules hold for one test position";
}

TEST_F(ApiTest, AProgramSavedAsATemplateStartsAnotherClientsProgramCheckedByTheEngine) {
  const std::string p = add_account("p@x.org", "practitioner");
  const std::string other = add_account("q@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto r = call("POST", "/api/v1/templates", p, Json{{"kind", "program"}, {"name", "Desk worker, 3 days"}, {"from_program", s.program}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const Json tmpl = json(r);
  const std::string id = tmpl["id"];
  const Json days = tmpl["body"]["days"];
  ASSERT_EQ(days.size(), 3u) << "the first week's sessions, apart";
  EXPECT_EQ(r.body.find("Dana"), std::string::npos) << "no client data in a template";
  EXPECT_EQ(json(call("GET", "/api/v1/templates?kind=program", p))["templates"].size(), 1u);
  EXPECT_TRUE(json(call("GET", "/api/v1/templates", other))["templates"].empty()) << "templates are their owner's";

  // A runner without a chair cannot do the template's box squat: the engine says so.
  const std::string runner_intake = rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/runner-knee.json");
  r = call("POST", "/api/v1/clients", p, R"({"name": "Rob Runner"})");
  const std::string rob = json(r)["id"];
  ASSERT_EQ(call("POST", "/api/v1/clients/" + rob + "/assessments", p, runner_intake).status, 201);
  r = call("POST", "/api/v1/clients/" + rob + "/programs", p, Json{{"template", id}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["code"], "template_not_applicable");
  EXPECT_NE(json(r)["error"]["message"].get<std::string>().find("needs equipment not available"), std::string::npos) << r.body;

  // Another runner, with a chair and a wall at home, starts from the template:
  // the exercises planned for the knee give way to the template's.
  Json eve_intake = Json::parse(runner_intake);
  eve_intake["preferences"]["equipment"] = {"mat", "band", "dumbbell", "chair", "wall"};
  r = call("POST", "/api/v1/clients", p, R"({"name": "Eve Example"})");
  const std::string eve = json(r)["id"];
  r = call("POST", "/api/v1/clients/" + eve + "/assessments", p, eve_intake.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  r = call("POST", "/api/v1/clients/" + eve + "/programs", p, Json{{"template", id}, {"start_date", "2026-11-30"}}.dump());
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 600);
  const Json program = json(r);
  for (const auto& day : days) {
    std::multiset<std::string> want, got;
    for (const auto& e : day["exercises"]) want.insert(e["exercise"].get<std::string>());
    for (const auto& session : program["sessions"])
      if (session["week"] == 1 && session["day"] == day["day"])
        for (const auto& item : session["items"]) got.insert(item["exercise"].get<std::string>());
    EXPECT_EQ(got, want) << "week 1, session " << day["day"] << " holds the template's exercises";
  }
  EXPECT_EQ(program["days_per_week"], tmpl["body"]["days_per_week"]);
  EXPECT_FALSE(program["edits"].empty()) << "the template is the engine's edits, replayed with every version";
  EXPECT_EQ(call("GET", "/api/v1/programs/" + program["id"].get<std::string>(), p).status, 200);

  // Someone else's template, or one that does not fit the client, says so where and what.
  r = call("POST", "/api/v1/clients/" + eve + "/programs", other, Json{{"template", id}}.dump());
  EXPECT_EQ(r.status, 404) << "not their client";
  const auto mine = clinic(other, "zed@x.org");
  r = call("POST", "/api/v1/clients/" + mine.client + "/programs", other, Json{{"template", id}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.template");
  // A template with an exercise this client may not do (a red flag stops everything).
  r = call("POST", "/api/v1/clients", p, R"({"name": "Red Flag"})");
  const std::string red = json(r)["id"];
  ASSERT_EQ(call("POST", "/api/v1/clients/" + red + "/assessments", p,
                 rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/red-flag-stop.json"))
                .status,
            201);
  r = call("POST", "/api/v1/clients/" + red + "/programs", p, Json{{"template", id}}.dump());
  EXPECT_EQ(r.status, 400) << r.body.substr(0, 300);
  EXPECT_EQ(json(r)["error"]["code"], "template_not_applicable");
  EXPECT_NE(json(r)["error"]["message"].get<std::string>().find("the template's "), std::string::npos);

  // Test sets: tests of the knowledge base, each once.
  r = call("POST", "/api/v1/templates", p, R"({"kind": "test_set", "name": "Hips", "tests": ["rom.thomas_test", "rom.nope"]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.tests[1]");
  r = call("POST", "/api/v1/templates", p, R"({"kind": "test_set", "name": "Hips", "tests": ["rom.thomas_test", "rom.thomas_test"]})");
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/api/v1/templates", p, R"({"kind": "test_set", "name": "Hips", "tests": ["rom.thomas_test"]})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(call("POST", "/api/v1/templates", p, R"({"kind": "menu", "name": "X"})").status, 400);

  EXPECT_EQ(call("DELETE", "/api/v1/templates/" + id, other).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/templates/" + id, p).status, 200);
  EXPECT_EQ(json(call("GET", "/api/v1/templates?kind=program", p))["templates"].size(), 0u);
  EXPECT_EQ(call("GET", "/api/v1/templates?kind=menu", p).status, 400);
}

TEST_F(ApiTest, APractitionerMovesAReassessmentOffAPublicHolidayAsANewVersion) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");  // 4 weeks from Mon 30 Nov 2026: the re-assessment falls in late December
  const Json program = json(call("GET", "/api/v1/programs/" + s.program, p));
  ASSERT_FALSE(program["reassessments"].empty());
  const int week = program["reassessments"][0]["week"];
  const std::string was = program["reassessments"][0]["date"];
  const Date moved = Date::from_days(Date::parse(was)->days() + 3);
  auto r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p,
                Json{{"edits", {{{"op", "reassess"}, {"week", week}, {"date", moved.iso()}}}},
                     {"reason", "the re-assessment fell on a public holiday"}}
                    .dump());
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 400);
  const Json v2 = json(r);
  EXPECT_EQ(v2["reassessments"][0]["date"], moved.iso());
  EXPECT_EQ(v2["sessions"], program["sessions"]) << "only the date moves";
  EXPECT_EQ(v2["edits"][0]["op"], "reassess");
  // Replayed when read back.
  EXPECT_EQ(json(call("GET", "/api/v1/programs/" + v2["id"].get<std::string>(), p))["reassessments"][0]["date"], moved.iso());
  r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p,
           Json{{"edits", {{{"op", "reassess"}, {"week", week}, {"date", "2027-06-01"}}}}, {"dry_run", true}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.edits[0].date");
  r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p,
           Json{{"edits", {{{"op", "reassess"}, {"week", week}}}}, {"dry_run", true}}.dump());
  EXPECT_EQ(r.status, 400);
}

TEST_F(ApiTest, GuidanceIsPublic) {
  const auto r = call("GET", "/api/v1/guidance");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["prevention_tips"].size(), 6u);
  EXPECT_EQ(json(r)["prevention_tips"][0]["text"], "Maintain good posture throughout the day.");
}

TEST(StaticFiles, TheAppIsServedWithItsRoutesAndCachedAssets) {
  const auto root = std::filesystem::temp_directory_path() / ("rebalance-web-" + std::to_string(::getpid()));
  std::filesystem::create_directories(root / "assets");
  {
    std::ofstream(root / "index.html") << "<!doctype html><title>app</title>";
    std::ofstream(root / "assets" / "index-abc123.js") << "console.log(1)";
  }
  const server::StaticFiles web(root);
  ASSERT_TRUE(web.loaded());
  auto r = web.find("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "<!doctype html><title>app</title>");
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  r = web.find("/clients/c_1/program");
  ASSERT_TRUE(r) << "an app route reloads into the app";
  EXPECT_EQ(r->body, "<!doctype html><title>app</title>");
  r = web.find("/assets/index-abc123.js");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(r->headers.at(0).second, "public, max-age=31536000, immutable");
  EXPECT_FALSE(web.find("/assets/missing.js")) << "a missing file is a 404, not the app";
  EXPECT_FALSE(web.find("/api/v1/nothing"));
  EXPECT_FALSE(web.find("/../../etc/passwd.txt"));
  EXPECT_FALSE(server::StaticFiles(root / "nowhere").loaded());
  std::filesystem::remove_all(root);
}

// The browser app's types are generated from a copy of the document
// (web/openapi.json, `npm run gen:api`); the copy must be what the server says.
TEST_F(ApiTest, TheWebAppsCopyOfTheOpenApiDocumentIsCurrent) {
  const auto copy = std::filesystem::path(REBALANCE_DATA_DIR).parent_path() / "web" / "openapi.json";
  ASSERT_TRUE(std::filesystem::exists(copy)) << copy;
  EXPECT_EQ(Json::parse(rebalance::testing::read_file(copy.string())), json(call("GET", "/api/v1/openapi.json")))
      << "regenerate it: cd web && REBALANCE_BINARY=../build/rebalance npm run api:update";
}

TEST_F(ApiTest, OpenApiDescribesEveryRouteAndNothingElse) {
  // The document is built from the route table; the authorization matrix
  // (security_test.cpp) calls every route as every kind of caller and
  // validates each success against the schema the document names.
  const auto doc = json(call("GET", "/api/v1/openapi.json"));
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> routes;
  for (const auto& route : server::Api::routes()) {
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    EXPECT_TRUE(routes.insert(method + " " + route.pattern).second) << "twice: " << route.pattern;
  }
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) EXPECT_TRUE(routes.erase(method + " " + path)) << method << " " << path;
  EXPECT_TRUE(routes.empty()) << "not described: " << *routes.begin();
}

}  // namespace
}  // namespace rebalance
