// The service as an attacker tries it: hostile bodies, the authorization
// matrix over a client's whole lifecycle (share, unshare, hand-over, invite,
// accept, feed, reset, delete), what a client may read, login throttling
// under concurrency, and what the access log may show. Every test here is a
// regression test of a finding of the security review (issue 10).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "server/api_fixture.h"
#include "server/schema_check.h"

namespace rebalance {
namespace {

std::string nested_arrays(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

const char* kLog = R"({"schema": "rebalance.log/1", "week": 1, "day": 1, "date": "2026-11-30", "effort": 5, "pain": 1})";

// ---- one parsing policy for every body -------------------------------------

TEST_F(ApiTest, AHostileLogCanNeitherCrashALaterReadNorGrowItsAnswer) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  const std::string logs = "/api/v1/programs/" + s.program + "/logs";
  std::string body = kLog;
  body.pop_back();
  // 100,000 nested arrays in an extra field: refused before anything is stored.
  auto r = call("POST", logs, s.client_token, body + R"(, "extra": )" + nested_arrays(100000) + "}");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json(r)["error"]["code"], "invalid_log");
  EXPECT_NE(json(r)["error"]["message"].get<std::string>().find("nested at most"), std::string::npos) << r.body;
  // Nesting within the limit in an unknown field, and 600 KB of text: the log
  // is kept, those fields are not.
  r = call("POST", logs, s.client_token,
           body + R"(, "extra": )" + nested_arrays(4) + R"(, "junk": ")" + std::string(200000, 'x') + "\"}");
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 300);
  EXPECT_EQ(json(r)["ignored_fields"], Json::array({"$.extra", "$.junk"}));
  EXPECT_FALSE(json(r)["log"].contains("junk"));
  r = call("GET", logs, p);
  ASSERT_EQ(r.status, 200);
  EXPECT_LT(r.body.size(), 4000u) << "the stored log is what was validated";
  EXPECT_EQ(json(r)["logs"].size(), 2u);
  r = call("GET", "/api/v1/clients/" + s.client + "/export", s.client_token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("xxxxxxxx"), std::string::npos);
}

// A log stored before the policy existed (raw, with a bomb in it) is served
// bounded: reads never re-parse it without limits.
TEST_F(ApiTest, ALogStoredBeforeThePolicyIsServedBounded) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  std::string raw = kLog;
  raw.pop_back();
  db_->add_document(store::DocKind::kLog, store::Document{"l_bomb", s.client, s.program, kb_->version,
                                                          raw + R"(, "extra": )" + nested_arrays(100000) + "}", "",
                                                          "u_someone", store::now_ms(), ""});
  db_->add_document(store::DocKind::kLog, store::Document{"l_junk", s.client, s.program, kb_->version,
                                                          raw + R"(, "junk": ")" + std::string(600000, 'x') + "\"}", "",
                                                          "u_someone", store::now_ms(), ""});
  db_->add_document(store::DocKind::kLog, store::Document{"l_small", s.client, s.program, kb_->version,
                                                          raw + R"(, "junk": ")" + std::string(10000, 'x') + "\"}", "",
                                                          "u_someone", store::now_ms(), ""});
  for (const std::string& path : {"/api/v1/programs/" + s.program + "/logs", "/api/v1/clients/" + s.client + "/export",
                                  "/api/v1/clients/" + s.client + "/progress", "/api/v1/programs/" + s.program + "/adherence"}) {
    const auto r = call("GET", path, p);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body.substr(0, 200);
    EXPECT_LT(r.body.size(), 200000u) << path << ": " << r.body.substr(0, 2000);
    EXPECT_EQ(r.body.find("xxxxxxxx"), std::string::npos) << path << ": a log that validates is served as validated";
  }
  // By id: the clinic's own log may share its millisecond with these three,
  // and the list is in (created_at, id) order.
  const Json answer = json(call("GET", "/api/v1/programs/" + s.program + "/logs", p));
  std::map<std::string, Json> listed;
  for (const auto& entry : answer["logs"]) listed[entry["id"].get<std::string>()] = entry["log"];
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_TRUE(listed["l_bomb"].is_null()) << "the bomb cannot be read back, and says so";
  EXPECT_TRUE(listed["l_junk"].is_null()) << "nor a log larger than any log may be";
  EXPECT_EQ(listed["l_small"]["effort"], 5) << "a log that validates is served as validated";
  EXPECT_FALSE(listed["l_small"].contains("junk"));
}

TEST_F(ApiTest, RepeatedKeysAndOutOfRangeNumbersAreRefusedInEveryBody) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto r = call("POST", "/api/v1/programs/" + s.program + "/logs", s.client_token,
                R"({"week": 1, "day": 1, "date": "2026-11-30", "effort": 5, "pain": 1, "pain": 0})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.pain");
  EXPECT_EQ(json(r)["error"]["message"], "body: $.pain: expected each key once in an object, found \"pain\" again");
  r = call("POST", "/api/v1/clients", p, R"({"name": "A", "name": "B"})");
  EXPECT_EQ(r.status, 400) << "small bodies too";
  r = call("POST", "/api/v1/clients/" + s.client + "/assessments", p,
           R"({"schema": "rebalance.intake/1", "client": {"age": 40, "age": 41}})");
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["path"], "$.client.age");
  r = call("POST", "/api/v1/clients/" + s.client + "/programs", p, R"({"weeks": 4294967297})");
  ASSERT_EQ(r.status, 400) << "not 1 week: " << r.body.substr(0, 200);
  EXPECT_EQ(json(r)["error"]["path"], "$.weeks");
  r = call("POST", "/api/v1/clients/" + s.client + "/programs", p, R"({"days_per_week": -4294967293})");
  EXPECT_EQ(r.status, 400);
  r = call("POST", "/api/v1/clients/" + s.client + "/programs", p, R"({"minutes_per_session": 1e999})");
  EXPECT_EQ(r.status, 400);
  r = call("PATCH", "/api/v1/assessments/" + s.assessment, p, R"({"notes": )" + nested_arrays(50) + "}");
  EXPECT_EQ(r.status, 400);
}

TEST_F(ApiTest, WhatIsStoredIsWhatWasValidatedNeverTheRawBody) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  Json intake = Json::parse(rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json"));
  intake["tracking_pixel"] = "https://evil.example/x.gif";
  intake["client"]["favourite_colour"] = "red";
  auto r = call("POST", "/api/v1/clients/" + s.client + "/assessments", p, intake.dump());
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 300);
  EXPECT_EQ(json(r)["ignored_fields"], Json::array({"$.client.favourite_colour", "$.tracking_pixel"}));
  const std::string id = json(r)["id"];
  const auto stored = db_->document(store::DocKind::kAssessment, id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->input.find("evil.example"), std::string::npos);
  EXPECT_EQ(stored->input.find("favourite_colour"), std::string::npos);
  // Parsing the stored intake again gives the same findings.
  EXPECT_EQ(json(call("GET", "/api/v1/assessments/" + id, p))["output"]["findings"],
            json(call("GET", "/api/v1/assessments/" + s.assessment, p))["output"]["findings"]);

  // A program edit is stored as parsed, not as sent.
  const Json program = json(call("GET", "/api/v1/programs/" + s.program, p));
  const std::string first = program["sessions"][0]["items"][0]["exercise"];
  r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p,
           R"({"edits": [{"op": "dose", "exercise": ")" + first + R"(", "sets": 2, "smuggled": ")" + std::string(5000, 'y') +
               R"("}]})");
  ASSERT_EQ(r.status, 201) << r.body.substr(0, 300);
  const auto version = db_->document(store::DocKind::kProgram, json(r)["id"].get<std::string>());
  ASSERT_TRUE(version);
  EXPECT_EQ(version->input.find("smuggled"), std::string::npos);
}

// ---- the authorization matrix over the lifecycle -----------------------------

// Who a caller is to the client a request names.
enum class Who { kAnonymous, kOwner, kColleague, kFormer, kStranger, kClient, kForeignClient, kAdmin };

const char* name_of(Who w) {
  static const char* const kNames[] = {"anonymous",          "owner",  "colleague (shared)", "former carer",
                                       "stranger practitioner", "client", "foreign client",     "admin"};
  return kNames[static_cast<int>(w)];
}

// What a route allows; the expected status of each caller follows from it.
enum class Rule {
  kPublic,          // anyone, no login: `public_status`
  kAnyUser,         // any logged-in user
  kAdminOnly,       // admins; everyone else 403
  kPractitioners,   // practitioners (their own collection); clients and admins 403
  kPeopleList,      // practitioners and clients; admins 403
  kCareAndClient,   // the care team and the client; admins 403 (role first); others 404
  kCareOnly,        // the care team; clients and admins 403 (role first); other practitioners 404
  kOwner,           // the owner; the colleague 403; clients and admins 403; others 404
  kOwnerOrClient,   // the owner or the client; the colleague and admins 403; others 404
  kOwnPractitioner, // a practitioner's own thing (a template of the owner's): the owner; other practitioners 404; clients, admins 403
};

// The role is judged first, from the route table, for every route alike: a
// role a route does not admit gets 403 without the client being looked up.
int expected(Rule rule, Who who, int ok) {
  if (who == Who::kAnonymous) return rule == Rule::kPublic ? ok : 401;
  const bool care = who == Who::kOwner || who == Who::kColleague;
  const bool practitioner = care || who == Who::kFormer || who == Who::kStranger;
  const bool client = who == Who::kClient || who == Who::kForeignClient;
  const bool admin = who == Who::kAdmin;
  switch (rule) {
    case Rule::kPublic:
    case Rule::kAnyUser:
      return ok;
    case Rule::kAdminOnly:
      return admin ? ok : 403;
    case Rule::kPractitioners:
      return practitioner ? ok : 403;
    case Rule::kPeopleList:
      return admin ? 403 : ok;
    case Rule::kCareAndClient:
      return care || who == Who::kClient ? ok : admin ? 403 : 404;
    case Rule::kCareOnly:
      return care ? ok : (client || admin) ? 403 : 404;
    case Rule::kOwner:
      return who == Who::kOwner ? ok : (who == Who::kColleague || client || admin) ? 403 : 404;
    case Rule::kOwnerOrClient:
      return who == Who::kOwner || who == Who::kClient ? ok : (who == Who::kColleague || admin) ? 403 : 404;
    case Rule::kOwnPractitioner:
      return who == Who::kOwner ? ok : practitioner ? 404 : 403;
  }
  return 0;
}

// One client's world for a phase of the lifecycle, with every kind of caller.
struct World {
  std::string client, assessment, program, log;
  std::map<Who, std::string> tokens;
  std::map<Who, std::pair<std::string, std::string>> logins;  // email, password
};

class LifecycleMatrix : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    // The matrix makes many failed logins on purpose: throttling is tested elsewhere.
    server::ApiOptions options;
    options.account_throttle = store::ThrottlePolicy{100000, 100000, 60, 1, 1};
    options.address_throttle = options.account_throttle;
    restart(options);
    admin_ = add_account("admin@x.org", "admin");
    for (const char* p : {"p1", "p2", "p3", "p4"}) practitioners_[p] = add_account(std::string(p) + "@x.org", "practitioner");
    foreign_ = clinic(practitioners_["p4"], "foreign@x.org");
  }

  // A client of p1 with two assessments (for the comparison), a program and
  // a log, then `phase`: "shared" (with p2), "unshared" (p2's sharing
  // ended), "handed over" (from p1 to p3; p2 stays a stranger).
  World world(const std::string& phase, const std::string& email) {
    auto s = clinic(practitioners_["p1"], email);
    EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/assessments", practitioners_["p1"],
                   rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json"))
                  .status,
              201);
    const std::string share = "/api/v1/clients/" + s.client + "/share";
    World w{s.client, s.assessment, s.program, s.log, {}, {}};
    w.tokens[Who::kClient] = s.client_token;
    w.tokens[Who::kForeignClient] = foreign_.client_token;
    w.tokens[Who::kAdmin] = admin_;
    const std::string pw = "correct horse battery";
    w.logins[Who::kClient] = {email, "client password 1"};
    w.logins[Who::kForeignClient] = {"foreign@x.org", "client password 1"};
    w.logins[Who::kAdmin] = {"admin@x.org", pw};
    if (phase == "shared") {
      EXPECT_EQ(call("POST", share, practitioners_["p1"], R"({"practitioner": "p2@x.org"})").status, 200);
      w.tokens[Who::kOwner] = practitioners_["p1"];
      w.tokens[Who::kColleague] = practitioners_["p2"];
      w.tokens[Who::kStranger] = practitioners_["p3"];
      w.logins[Who::kOwner] = {"p1@x.org", pw};
      w.logins[Who::kColleague] = {"p2@x.org", pw};
      w.logins[Who::kStranger] = {"p3@x.org", pw};
    } else if (phase == "unshared") {
      EXPECT_EQ(call("POST", share, practitioners_["p1"], R"({"practitioner": "p2@x.org"})").status, 200);
      EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/unshare", practitioners_["p1"], R"({"practitioner": "p2@x.org"})")
                    .status,
                200);
      w.tokens[Who::kOwner] = practitioners_["p1"];
      w.tokens[Who::kFormer] = practitioners_["p2"];
      w.tokens[Who::kStranger] = practitioners_["p3"];
      w.logins[Who::kOwner] = {"p1@x.org", pw};
      w.logins[Who::kFormer] = {"p2@x.org", pw};
      w.logins[Who::kStranger] = {"p3@x.org", pw};
    } else {
      EXPECT_EQ(call("POST", share, practitioners_["p1"], R"({"practitioner": "p2@x.org"})").status, 200);
      EXPECT_EQ(call("POST", "/api/v1/clients/" + s.client + "/transfer", practitioners_["p1"], R"({"practitioner": "p3@x.org"})")
                    .status,
                200);
      w.tokens[Who::kOwner] = practitioners_["p3"];
      w.tokens[Who::kFormer] = practitioners_["p1"];
      w.tokens[Who::kStranger] = practitioners_["p2"];
      w.logins[Who::kOwner] = {"p3@x.org", pw};
      w.logins[Who::kFormer] = {"p1@x.org", pw};
      w.logins[Who::kStranger] = {"p2@x.org", pw};
    }
    return w;
  }

  // A new session of `who` (for logging out without ending the world's).
  std::string fresh_session(World& w, Who who) { return login(w.logins[who].first, w.logins[who].second); }

  std::string admin_;
  std::map<std::string, std::string> practitioners_;
  Setup foreign_;
};

struct Case {
  std::string method;
  std::string pattern;  // as in Api::routes(), to check that every route is here
  Rule rule;
  int ok;  // the status when allowed
  // The concrete path and body for a world (called before every request,
  // so that a case may set up what it needs, such as a link to revoke).
  std::function<std::pair<std::string, std::string>(World&)> request;
  bool own_world = false;  // it ends the world: every caller tries it on a world of its own
};

TEST_F(LifecycleMatrix, EveryRouteAsEveryCallerThroughShareUnshareAndHandOver) {
  int unique = 0;
  auto fixed = [](std::string path, std::string body = "") {
    return [path, body](World&) { return std::pair{path, body}; };
  };
  auto client_path = [](std::string suffix, std::string body = "") {
    return [suffix, body](World& w) { return std::pair{"/api/v1/clients/" + w.client + suffix, body}; };
  };
  auto program_path = [](std::string suffix, std::string body = "") {
    return [suffix, body](World& w) { return std::pair{"/api/v1/programs/" + w.program + suffix, body}; };
  };
  const std::string intake = rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/self-check.json");
  const std::vector<Case> cases = {
      {"GET", "/healthz", Rule::kPublic, 200, fixed("/healthz")},
      {"GET", "/api/v1/healthz", Rule::kPublic, 200, fixed("/api/v1/healthz")},
      {"GET", "/api/v1/openapi.json", Rule::kPublic, 200, fixed("/api/v1/openapi.json")},
      {"POST", "/api/v1/auth/setup", Rule::kPublic, 403,
       fixed("/api/v1/auth/setup", R"({"token": "setup-secret", "email": "z@x.org", "name": "Z", "password": "0123456789ab"})")},
      {"POST", "/api/v1/auth/login", Rule::kPublic, 401,
       fixed("/api/v1/auth/login", R"({"email": "p1@x.org", "password": "not the password"})")},
      {"GET", "/api/v1/auth/me", Rule::kAnyUser, 200, fixed("/api/v1/auth/me")},
      {"GET", "/api/v1/auth/session", Rule::kPublic, 200, fixed("/api/v1/auth/session")},
      {"POST", "/api/v1/auth/accept-invite", Rule::kPublic, 403,
       fixed("/api/v1/auth/accept-invite", R"({"token": "nope", "email": "y@x.org", "password": "0123456789ab"})")},
      {"POST", "/api/v1/users", Rule::kAdminOnly, 201,
       [&](World&) {
         return std::pair{std::string("/api/v1/users"),
                          Json{{"email", "n" + std::to_string(++unique) + "@x.org"},
                               {"name", "N"},
                               {"role", "practitioner"},
                               {"password", "0123456789ab"}}
                              .dump()};
       }},
      {"POST", "/api/v1/users/{id}/password-reset", Rule::kAdminOnly, 201,
       [&](World&) {
         const std::string id = json(call("GET", "/api/v1/auth/me", practitioners_["p3"]))["user"]["id"];
         return std::pair{"/api/v1/users/" + id + "/password-reset", std::string()};
       }},
      {"POST", "/api/v1/auth/reset", Rule::kPublic, 403,
       fixed("/api/v1/auth/reset", R"({"token": "nope", "password": "0123456789ab"})")},
      {"GET", "/api/v1/audit", Rule::kAdminOnly, 200, fixed("/api/v1/audit")},
      {"GET", "/api/v1/clients", Rule::kPeopleList, 200, fixed("/api/v1/clients")},
      {"POST", "/api/v1/clients", Rule::kPractitioners, 201, fixed("/api/v1/clients", R"({"name": "New"})")},
      {"GET", "/api/v1/clients/{id}", Rule::kCareAndClient, 200, client_path("")},
      {"PATCH", "/api/v1/clients/{id}", Rule::kCareOnly, 200, client_path("", R"({"notes": "n"})")},
      {"POST", "/api/v1/clients/{id}/invite", Rule::kOwner, 201, client_path("/invite")},
      {"GET", "/api/v1/clients/{id}/links", Rule::kOwner, 200, client_path("/links")},
      {"DELETE", "/api/v1/clients/{id}/links/{link}", Rule::kOwner, 200,
       [&](World& w) {
         // A fresh pending reset of the client's account, made by the owner.
         const auto r = call("POST", "/api/v1/clients/" + w.client + "/invite", w.tokens[Who::kOwner]);
         return std::pair{"/api/v1/clients/" + w.client + "/links/" + json(r)["id"].get<std::string>(), std::string()};
       }},
      {"GET", "/api/v1/clients/{id}/export", Rule::kCareAndClient, 200, client_path("/export")},
      {"GET", "/api/v1/clients/{id}/messages", Rule::kCareAndClient, 200, client_path("/messages")},
      {"POST", "/api/v1/clients/{id}/messages", Rule::kCareAndClient, 201, client_path("/messages", R"({"body": "How are the bridges going?"})")},
      {"POST", "/api/v1/clients/{id}/messages/read", Rule::kCareAndClient, 200,
       [&](World& w) {
         const auto r = call("POST", "/api/v1/clients/" + w.client + "/messages", w.tokens[Who::kClient], R"({"body": "Fine"})");
         return std::pair{"/api/v1/clients/" + w.client + "/messages/read",
                          Json{{"up_to", json(r)["id"]}}.dump()};
       }},
      {"GET", "/api/v1/users", Rule::kAdminOnly, 200, fixed("/api/v1/users")},
      {"GET", "/api/v1/templates", Rule::kPractitioners, 200, fixed("/api/v1/templates")},
      {"POST", "/api/v1/templates", Rule::kPractitioners, 201,
       fixed("/api/v1/templates", R"({"kind": "test_set", "name": "Quick", "tests": ["rom.thomas_test"]})")},
      {"DELETE", "/api/v1/templates/{id}", Rule::kOwnPractitioner, 200,
       [&](World& w) {
         const auto r = call("POST", "/api/v1/templates", w.tokens[Who::kOwner],
                             R"({"kind": "test_set", "name": "Mine", "tests": ["rom.thomas_test"]})");
         return std::pair{"/api/v1/templates/" + json(r)["id"].get<std::string>(), std::string()};
       }},
      {"POST", "/api/v1/clients/{id}/assessments", Rule::kCareOnly, 201, client_path("/assessments", intake)},
      {"GET", "/api/v1/clients/{id}/assessments", Rule::kCareOnly, 200, client_path("/assessments")},
      {"GET", "/api/v1/assessments/{id}", Rule::kCareOnly, 200,
       [](World& w) { return std::pair{"/api/v1/assessments/" + w.assessment, std::string()}; }},
      {"PATCH", "/api/v1/assessments/{id}", Rule::kCareOnly, 200,
       [](World& w) { return std::pair{"/api/v1/assessments/" + w.assessment, std::string(R"({"notes": "reviewed"})")}; }},
      {"GET", "/api/v1/assessments/{id}/comparison", Rule::kCareOnly, 200,
       [&](World& w) {
         const auto list = json(call("GET", "/api/v1/clients/" + w.client + "/assessments", w.tokens[Who::kOwner]));
         return std::pair{"/api/v1/assessments/" + list["assessments"].back()["id"].get<std::string>() + "/comparison",
                          std::string()};
       }},
      {"POST", "/api/v1/clients/{id}/programs", Rule::kCareOnly, 201,
       [](World& w) {
         return std::pair{"/api/v1/clients/" + w.client + "/programs",
                          R"({"assessment": ")" + w.assessment + R"(", "start_date": "2026-11-30"})"};
       }},
      {"GET", "/api/v1/clients/{id}/programs", Rule::kCareAndClient, 200, client_path("/programs")},
      {"GET", "/api/v1/programs/{id}", Rule::kCareAndClient, 200, program_path("")},
      {"GET", "/api/v1/programs/{id}/calendar.ics", Rule::kCareAndClient, 200, program_path("/calendar.ics")},
      {"GET", "/api/v1/programs/{id}/handout.html", Rule::kCareAndClient, 200, program_path("/handout.html")},
      {"POST", "/api/v1/programs/{id}/logs", Rule::kCareAndClient, 201, program_path("/logs", kLog)},
      {"GET", "/api/v1/programs/{id}/logs", Rule::kCareAndClient, 200, program_path("/logs")},
      {"GET", "/api/v1/programs/{id}/adherence", Rule::kCareAndClient, 200, program_path("/adherence")},
      {"POST", "/api/v1/programs/{id}/revisions", Rule::kCareOnly, 200,
       program_path("/revisions", R"({"edits": [], "dry_run": true})")},
      {"POST", "/api/v1/programs/{id}/adapt", Rule::kCareOnly, 200, program_path("/adapt", R"({"dry_run": true})")},
      {"GET", "/api/v1/exercises", Rule::kPublic, 200, fixed("/api/v1/exercises")},
      {"GET", "/api/v1/exercises/{id}", Rule::kPublic, 200, fixed("/api/v1/exercises/glute_bridge")},
      {"GET", "/api/v1/exercises/{id}/illustration.svg", Rule::kPublic, 200,
       fixed("/api/v1/exercises/glute_bridge/illustration.svg")},
      {"GET", "/api/v1/exercises/{id}/animation.svg", Rule::kPublic, 200, fixed("/api/v1/exercises/glute_bridge/animation.svg")},
      {"GET", "/api/v1/muscles", Rule::kPublic, 200, fixed("/api/v1/muscles")},
      {"GET", "/api/v1/tests", Rule::kPublic, 200, fixed("/api/v1/tests")},
      {"GET", "/api/v1/guidance", Rule::kPublic, 200, fixed("/api/v1/guidance")},
      {"GET", "/api/v1/vocabulary", Rule::kPublic, 200, fixed("/api/v1/vocabulary")},
      {"POST", "/api/v1/intake/validate", Rule::kAnyUser, 200, fixed("/api/v1/intake/validate", intake)},
      {"POST", "/api/v1/clients/{id}/calendar-feed", Rule::kOwnerOrClient, 201, client_path("/calendar-feed")},
      {"DELETE", "/api/v1/clients/{id}/calendar-feed", Rule::kOwnerOrClient, 200,
       [&](World& w) {
         EXPECT_EQ(call("POST", "/api/v1/clients/" + w.client + "/calendar-feed", w.tokens[Who::kOwner]).status, 201);
         return std::pair{"/api/v1/clients/" + w.client + "/calendar-feed", std::string()};
       }},
      {"GET", "/api/v1/calendar/{token}", Rule::kPublic, 404, fixed("/api/v1/calendar/" + std::string(64, 'a') + ".ics")},
      {"GET", "/api/v1/clients/{id}/progress", Rule::kCareOnly, 200, client_path("/progress")},
      {"GET", "/api/v1/clients/{id}/progress.html", Rule::kCareOnly, 200, client_path("/progress.html")},
      // Unsharing someone the client is not shared with changes nothing.
      {"POST", "/api/v1/clients/{id}/unshare", Rule::kOwner, 200, client_path("/unshare", R"({"practitioner": "p4@x.org"})")},
      {"POST", "/api/v1/clients/{id}/share", Rule::kOwner, 200, client_path("/share", R"({"practitioner": "p4@x.org"})")},
      // Last: these end the world (the owner is the last caller).
      {"POST", "/api/v1/auth/logout", Rule::kAnyUser, 200, fixed("/api/v1/auth/logout")},
      {"POST", "/api/v1/clients/{id}/transfer", Rule::kOwner, 200, client_path("/transfer", R"({"practitioner": "p4@x.org"})"),
       true},
      {"DELETE", "/api/v1/clients/{id}", Rule::kOwner, 204, client_path(""), true},
  };

  // Every route of the API is in the table, once.
  std::set<std::string> listed;
  for (const auto& k : cases) EXPECT_TRUE(listed.insert(k.method + " " + k.pattern).second) << "twice: " << k.pattern;
  for (const auto& route : server::Api::routes())
    EXPECT_TRUE(listed.erase(route.method + " " + route.pattern)) << "not in the matrix: " << route.method << " " << route.pattern;
  EXPECT_TRUE(listed.empty()) << "no such route: " << *listed.begin();

  std::map<std::string, const server::RouteInfo*> routes;
  for (const auto& route : server::Api::routes()) routes[route.method + " " + route.pattern] = &route;
  const Json openapi = json(call("GET", "/api/v1/openapi.json"));
  const rebalance::testing::SchemaCheck schemas(openapi["components"]["schemas"]);
  std::set<std::string> checked;  // routes whose answer was validated against their schema

  int phase_number = 0;
  for (const std::string phase : {"shared", "unshared", "handed over"}) {
    World world_of_phase = world(phase, "c" + std::to_string(++phase_number) + "@x.org");
    World& w = world_of_phase;
    const std::string name = json(call("GET", "/api/v1/clients/" + w.client, w.tokens[Who::kOwner]))["name"];
    // The owner last: a case that ends the world ends it after everyone else tried.
    std::vector<Who> order = {Who::kAnonymous, Who::kForeignClient, Who::kAdmin, Who::kStranger};
    if (w.tokens.count(Who::kFormer)) order.push_back(Who::kFormer);
    if (w.tokens.count(Who::kColleague)) order.push_back(Who::kColleague);
    order.push_back(Who::kClient);
    order.push_back(Who::kOwner);
    for (const auto& k : cases) {
      for (Who who : order) {
        SCOPED_TRACE(phase + ": " + k.method + " " + k.pattern + " as " + name_of(who));
        World own;
        if (k.own_world) own = world(phase, "w" + std::to_string(++unique) + "@x.org");
        World& w = k.own_world ? own : world_of_phase;
        auto [path, body] = k.request(w);
        std::string token = who == Who::kAnonymous ? "" : w.tokens[who];
        // Logging out ends the caller's session: use a new one.
        if (k.pattern == "/api/v1/auth/logout" && who != Who::kAnonymous) token = fresh_session(w, who);
        const auto r = call(k.method, path, token, body);
        const int want = expected(k.rule, who, k.ok);
        EXPECT_EQ(r.status, want) << r.body.substr(0, 300);
        // A success is what the route table (and so the OpenAPI document) says it is.
        const server::RouteInfo& route = *routes.at(k.method + " " + k.pattern);
        if (r.status == route.success_status) {
          EXPECT_EQ(r.content_type.substr(0, route.content_type.size()), route.content_type);
          if (!route.response_schema.empty()) {
            const auto problems = schemas.problems(Json::parse(r.body), openapi["components"]["schemas"][route.response_schema]);
            EXPECT_TRUE(problems.empty()) << route.response_schema << ": " << problems.front();
            checked.insert(route.method + " " + route.pattern);
          }
        } else if (r.status >= 400) {
          const auto problems = schemas.problems(Json::parse(r.body), openapi["components"]["schemas"]["Error"]);
          EXPECT_TRUE(problems.empty()) << "Error: " << problems.front();
        }
        // A refusal tells an outsider nothing about the client.
        const bool outsider = who == Who::kStranger || who == Who::kFormer || who == Who::kForeignClient ||
                              who == Who::kAdmin || who == Who::kAnonymous;
        if (outsider && (r.status < 200 || r.status >= 300)) {
          if (path.find(w.client) == std::string::npos) {
            EXPECT_EQ(r.body.find(w.client), std::string::npos) << "leaked the client id";
          }
          EXPECT_EQ(r.body.find(name), std::string::npos) << "leaked the name";
        }
      }
    }
  }
  // Every route that names a response schema was seen answering it.
  for (const auto& [key, route] : routes)
    if (!route->response_schema.empty() && route->success_status != 204) {
      const bool some_case_succeeds = std::any_of(cases.begin(), cases.end(), [&](const Case& k) {
        return k.method + " " + k.pattern == key && k.ok == route->success_status;
      });
      if (some_case_succeeds) {
        EXPECT_TRUE(checked.count(key)) << "never validated: " << key;
      }
    }
}

TEST_F(ApiTest, TheOpenApiSchemasUseOnlyWhatTheValidatorChecksAndEveryReferenceResolves) {
  const Json doc = json(call("GET", "/api/v1/openapi.json"));
  const Json& schemas = doc["components"]["schemas"];
  const rebalance::testing::SchemaCheck check(schemas);
  for (const auto& [name, schema] : schemas.items()) {
    const auto unknown = check.unknown_keywords(schema, name);
    EXPECT_TRUE(unknown.empty()) << unknown.front();
  }
  for (const auto& route : server::Api::routes()) {
    for (const std::string& name : {route.request_schema, route.response_schema})
      EXPECT_TRUE(name.empty() || schemas.contains(name)) << route.pattern << " names " << name;
    // The documents the API is about have a schema, not just "object".
    if (route.content_type == "application/json" && route.method == "GET" && route.pattern.find("/programs/{id}") != std::string::npos &&
        route.pattern.ends_with("{id}")) {
      EXPECT_EQ(route.response_schema, "Program");
    }
  }
  // A schema can fail: a program without sessions is not a Program.
  Json program = {{"schema", "rebalance.program/1"}, {"knowledge_base", {{"version", "x"}}}, {"weeks", 1}};
  EXPECT_FALSE(check.problems(program, schemas["Program"]).empty());
}

// After `what` (unshare, hand-over), what the leaving practitioner made
// (invites, resets, feeds) no longer works, and a colleague cannot mint any.
TEST_F(LifecycleMatrix, AccessEndsWithItsLinksWhenASharingEndsOrTheClientIsHandedOver) {
  // A colleague with a share mints nothing that outlives it.
  World w = world("shared", "c@x.org");
  EXPECT_EQ(call("POST", "/api/v1/clients/" + w.client + "/invite", w.tokens[Who::kColleague]).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/clients/" + w.client + "/calendar-feed", w.tokens[Who::kColleague]).status, 403);
  // Links a colleague made before this rule (straight into the store) end with the sharing.
  const std::string p2_id = json(call("GET", "/api/v1/auth/me", practitioners_["p2"]))["user"]["id"];
  db_->create_invite(store::Invite{"i_legacy", server::token_hash("legacy-invite"), w.client, p2_id, 0, store::now_s() + 3600, 0});
  db_->set_calendar_feed(w.client, server::token_hash("legacy-feed"), p2_id, 0);
  EXPECT_EQ(call("GET", "/api/v1/calendar/legacy-feed.ics").status, 200);
  ASSERT_EQ(call("POST", "/api/v1/clients/" + w.client + "/unshare", w.tokens[Who::kOwner], R"({"practitioner": "p2@x.org"})")
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/calendar/legacy-feed.ics").status, 404);
  EXPECT_EQ(call("POST", "/api/v1/auth/accept-invite", "",
                 R"({"token": "legacy-invite", "email": "second@x.org", "password": "0123456789ab"})")
                .status,
            403);

  // A hand-over revokes the previous owner's pending invite, reset and feed.
  const auto fresh = clinic(practitioners_["p1"], "fresh@x.org");
  auto r = call("POST", "/api/v1/clients", practitioners_["p1"], R"({"name": "Not yet joined"})");
  const std::string pending = json(r)["id"];
  r = call("POST", "/api/v1/clients/" + pending + "/invite", practitioners_["p1"]);
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(json(r)["kind"], "invite");
  const std::string invite = json(r)["token"];
  r = call("POST", "/api/v1/clients/" + pending + "/calendar-feed", practitioners_["p1"]);
  const std::string feed = json(r)["url"].get<std::string>().substr(json(r)["url"].get<std::string>().find("/api/v1/"));
  ASSERT_EQ(call("GET", feed).status, 404) << "no program yet, but the feed exists";
  ASSERT_EQ(call("POST", "/api/v1/clients/" + pending + "/transfer", practitioners_["p1"], R"({"practitioner": "p3@x.org"})")
                .status,
            200);
  EXPECT_TRUE(json(call("GET", "/api/v1/clients/" + pending + "/links", practitioners_["p3"]))["links"].empty());
  EXPECT_EQ(call("POST", "/api/v1/auth/accept-invite", "",
                 Json{{"token", invite}, {"email", "late@x.org"}, {"password", "0123456789ab"}}.dump())
                .status,
            403);
  r = call("POST", "/api/v1/clients/" + fresh.client + "/invite", practitioners_["p1"]);
  ASSERT_EQ(r.status, 201);
  const std::string reset = json(r)["token"];
  ASSERT_EQ(call("POST", "/api/v1/clients/" + fresh.client + "/transfer", practitioners_["p1"], R"({"practitioner": "p3@x.org"})")
                .status,
            200);
  EXPECT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", reset}, {"password", "0123456789ab"}}.dump()).status, 403);
}

TEST_F(LifecycleMatrix, AClientHasOneAccountAndANewInviteIsAPasswordReset) {
  const auto s = clinic(practitioners_["p1"], "dana@x.org");  // invited and joined
  auto r = call("POST", "/api/v1/clients/" + s.client + "/invite", practitioners_["p1"]);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["kind"], "password_reset");
  EXPECT_EQ(json(r)["email"], "dana@x.org");
  EXPECT_NE(json(r)["link"].get<std::string>().find("/reset#"), std::string::npos);
  const std::string reset = json(r)["token"];
  ASSERT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", reset}, {"password", "dana's new password"}}.dump()).status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/auth/me", s.client_token).status, 401) << "the old sessions end";
  EXPECT_FALSE(login("dana@x.org", "dana's new password").empty());

  // An invite minted before the client joined cannot make a second account.
  r = call("POST", "/api/v1/clients", practitioners_["p1"], R"({"name": "Eve"})");
  const std::string eve = json(r)["id"];
  const std::string first = json(call("POST", "/api/v1/clients/" + eve + "/invite", practitioners_["p1"]))["token"];
  const std::string second = json(call("POST", "/api/v1/clients/" + eve + "/invite", practitioners_["p1"]))["token"];
  EXPECT_EQ(call("POST", "/api/v1/auth/accept-invite", "",
                 Json{{"token", first}, {"email", "eve@x.org"}, {"password", "0123456789ab"}}.dump())
                .status,
            201);
  r = call("POST", "/api/v1/auth/accept-invite", "",
           Json{{"token", second}, {"email", "eve2@x.org"}, {"password", "0123456789ab"}}.dump());
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(json(r)["error"]["message"].get<std::string>().find("already have an account"), std::string::npos);
}

TEST_F(LifecycleMatrix, TheOwnerListsAndRevokesAClientsLinks) {
  const auto s = clinic(practitioners_["p1"], "dana@x.org");
  const std::string owner = practitioners_["p1"];
  auto r = call("POST", "/api/v1/clients/" + s.client + "/invite", owner);
  const std::string reset_id = json(r)["id"], reset = json(r)["token"];
  r = call("POST", "/api/v1/clients/" + s.client + "/calendar-feed", s.client_token);
  const std::string url = json(r)["url"];
  r = call("GET", "/api/v1/clients/" + s.client + "/links", owner);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json links = json(r);
  EXPECT_EQ(links["account"]["email"], "dana@x.org");
  ASSERT_EQ(links["links"].size(), 2u);
  EXPECT_EQ(links["links"][0]["kind"], "password_reset");
  EXPECT_EQ(links["links"][1]["kind"], "calendar_feed");
  EXPECT_TRUE(links["links"][1]["expires_at"].is_null());
  EXPECT_EQ(links.dump().find(reset), std::string::npos) << "a listing never shows a secret";
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client + "/links/" + reset_id, owner).status, 200);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client + "/links/" + reset_id, owner).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/auth/reset", "", Json{{"token", reset}, {"password", "0123456789ab"}}.dump()).status, 403);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + s.client + "/links/" + links["links"][1]["id"].get<std::string>(), owner).status,
            200);
  EXPECT_EQ(call("GET", url.substr(url.find("/api/v1/"))).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/clients/" + foreign_.client + "/links/" + reset_id, owner).status, 404);
}

// ---- what a client may read ---------------------------------------------------

TEST_F(ApiTest, AClientReadsNoPractitionerOnlyDataAnywhere) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  ASSERT_EQ(call("PATCH", "/api/v1/clients/" + s.client, p, R"({"notes": "PRIVATE-CLIENT-NOTE"})").status, 200);
  ASSERT_EQ(call("PATCH", "/api/v1/assessments/" + s.assessment, p, R"({"notes": "PRIVATE-CLINICAL-NOTE"})").status, 200);
  const Json program = json(call("GET", "/api/v1/programs/" + s.program, p));
  auto r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p,
                R"({"edits": [], "reason": "PRIVATE-VERSION-REASON"})");
  ASSERT_EQ(r.status, 201);
  const std::string v2 = json(r)["id"];
  for (const std::string& path : std::vector<std::string>{"/api/v1/clients", "/api/v1/clients/" + s.client, "/api/v1/clients/" + s.client + "/export",
        "/api/v1/clients/" + s.client + "/programs", "/api/v1/programs/" + v2, "/api/v1/programs/" + v2 + "/logs",
        "/api/v1/programs/" + v2 + "/handout.html", "/api/v1/programs/" + v2 + "/adherence"}) {
    r = call("GET", path, s.client_token);
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find("PRIVATE-"), std::string::npos) << path << " shows the client practitioner-only data";
  }
  const Json exported = json(call("GET", "/api/v1/clients/" + s.client + "/export", s.client_token));
  EXPECT_EQ(exported["audience"], "client");
  EXPECT_FALSE(exported.contains("assessments"));
  EXPECT_EQ(exported["programs"].size(), 2u);
  // The care team's export has it all.
  const Json full = json(call("GET", "/api/v1/clients/" + s.client + "/export", p));
  EXPECT_EQ(full["audience"], "care_team");
  EXPECT_NE(full.dump().find("PRIVATE-CLINICAL-NOTE"), std::string::npos);
  EXPECT_NE(full.dump().find("PRIVATE-CLIENT-NOTE"), std::string::npos);
  EXPECT_NE(json(call("GET", "/api/v1/programs/" + v2, p)).dump().find("PRIVATE-VERSION-REASON"), std::string::npos);
  (void)program;
}

// ---- login -----------------------------------------------------------------

TEST_F(ApiTest, ConcurrentGuessesCannotSlipPastTheLoginLimit) {
  // A still clock: the throttle counts in whole seconds, and a second that
  // ticks over between the third failure and a later guess would let that
  // guess through legitimately (a flaky failure on a loaded machine).
  server::ApiOptions options;
  options.clock = [] { return int64_t{1'800'000'000}; };
  restart(options);
  add_account("p@x.org", "practitioner");
  std::atomic<int> checked{0}, throttled{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 64; ++t)
    threads.emplace_back([&] {
      const auto r = call("POST", "/api/v1/auth/login", "", R"({"email": "p@x.org", "password": "a wrong guess"})");
      (r.status == 401 ? checked : r.status == 429 ? throttled : other)++;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(checked.load(), 3) << "three guesses are checked, not 64";
  EXPECT_EQ(throttled.load(), 61);
}

TEST_F(ApiTest, AnUnknownEmailTakesAsLongAsAKnownOne) {
  add_account("p@x.org", "practitioner");
  auto timed = [&](const std::string& email, const std::string& address) {
    const auto start = std::chrono::steady_clock::now();
    const auto r = call("POST", "/api/v1/auth/login", "", Json{{"email", email}, {"password", "a wrong guess"}}.dump(),
                        "application/json", address);
    EXPECT_EQ(r.status, 401);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  double known = 0, unknown = 0;
  for (int i = 0; i < 3; ++i) {
    known += timed("p@x.org", "10.0.0." + std::to_string(i));
    unknown += timed("nobody" + std::to_string(i) + "@x.org", "10.0.1." + std::to_string(i));
  }
  EXPECT_GT(unknown, known * 0.5) << "an unknown email answers as slowly (argon2id of a dummy hash): " << unknown << " s vs "
                                  << known << " s";
}

TEST_F(ApiTest, BehindOneProxyAddressEachClientIsThrottledOnItsOwn) {
  // With --trusted-proxy, the HTTP layer puts the forwarded client in `remote`:
  // twenty failures from one client do not lock out another.
  server::ApiOptions options;
  options.address_throttle = store::ThrottlePolicy{5, 5, 900, 60, 60};
  restart(options);
  add_account("p@x.org", "practitioner");
  for (int i = 0; i < 20; ++i)
    call("POST", "/api/v1/auth/login", "", Json{{"email", "guess" + std::to_string(i) + "@x.org"}, {"password", "0123456789"}}.dump(),
         "application/json", "203.0.113.66");
  const auto r = call("POST", "/api/v1/auth/login", "", R"({"email": "p@x.org", "password": "correct horse battery"})",
                      "application/json", "203.0.113.7");
  EXPECT_EQ(r.status, 200) << r.body;
  const auto attacker = call("POST", "/api/v1/auth/login", "", R"({"email": "p@x.org", "password": "correct horse battery"})",
                             "application/json", "203.0.113.66");
  EXPECT_EQ(attacker.status, 429) << "the guessing address waits";
}

// ---- HTTP details ------------------------------------------------------------

TEST_F(ApiTest, HeadIsAnsweredLikeGet) {
  EXPECT_EQ(call("HEAD", "/api/v1/guidance").status, 200);
  EXPECT_EQ(call("HEAD", "/healthz").status, 200);
  EXPECT_NE(call("HEAD", "/").status, 404);
  EXPECT_EQ(call("HEAD", "/api/v1/clients").status, 401);
}

TEST_F(ApiTest, OverHttpsTheCookieIsSecureAndBrowsersAreToldToStay) {
  add_account("p@x.org", "practitioner");
  Request r;
  r.method = "POST";
  r.path = "/api/v1/auth/login";
  r.headers["content-type"] = "application/json";
  r.body = R"({"email": "p@x.org", "password": "correct horse battery"})";
  r.remote = "127.0.0.1";
  auto header = [](const Response& res, const std::string& name) {
    for (const auto& [n, v] : res.headers)
      if (n == name) return v;
    return std::string();
  };
  auto plain = api_->handle(r);
  EXPECT_EQ(header(plain, "Set-Cookie").find("Secure"), std::string::npos);
  EXPECT_TRUE(header(plain, "Strict-Transport-Security").empty());
  r.https = true;
  auto tls = api_->handle(r);
  EXPECT_NE(header(tls, "Set-Cookie").find("; Secure"), std::string::npos);
  EXPECT_EQ(header(tls, "Strict-Transport-Security"), "max-age=31536000");
}

TEST(AccessLog, SecretsInPathsAreRedacted) {
  EXPECT_EQ(server::Api::loggable_path("/api/v1/calendar/0123abcd.ics"), "/api/v1/calendar/[redacted]");
  EXPECT_EQ(server::Api::loggable_path("/api/v1/programs/p_1"), "/api/v1/programs/p_1");
  EXPECT_EQ(server::Api::loggable_path("/api/v1/calendar/a/b"), "/api/v1/calendar/a/b") << "not the feed route";
}

TEST_F(ApiTest, TheOpenApiDocumentSaysWhichRoutesArePublic) {
  const Json doc = json(call("GET", "/api/v1/openapi.json"));
  for (const auto& route : server::Api::routes()) {
    std::string method = route.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const Json& op = doc["paths"][route.pattern][method];
    EXPECT_EQ(op["security"].empty(), route.access == server::Access::kPublic) << route.pattern;
    EXPECT_TRUE(op["responses"].contains(std::to_string(route.success_status))) << route.pattern;
  }
  EXPECT_TRUE(doc["paths"]["/api/v1/guidance"]["get"]["security"].empty());
  EXPECT_TRUE(doc["paths"]["/api/v1/calendar/{token}"]["get"]["security"].empty());
  // Anyone may ask whether they are logged in: the empty requirement comes first.
  EXPECT_EQ(doc["paths"]["/api/v1/auth/session"]["get"]["security"][0], Json::object());
  EXPECT_FALSE(doc["paths"]["/api/v1/intake/validate"]["post"]["security"].empty());
}

}  // namespace
}  // namespace rebalance
