// The API in-process over a temporary SQLite database: accounts, a client
// with an assessment, a program, an account and a log, and calls as any of
// them. Shared by the API and the security tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "kb/kb.h"
#include "server/api.h"
#include "server/auth.h"
#include "store/store.h"
#include "test_support.h"

namespace rebalance {

using Json = nlohmann::json;
using server::Request;
using server::Response;

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() / ("rebalance-api-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    db_ = store::open_sqlite(path_.string());
    db_->migrate();
    kb_ = kb::load(REBALANCE_DATA_DIR);
    server::ApiOptions options;
    options.setup_token = "setup-secret";
    restart(options);
  }
  // A new Api over the same database, with `options`.
  void restart(const server::ApiOptions& options) {
    api_.reset();
    api_ = std::make_unique<server::Api>(kb_, db_, options);
  }
  void TearDown() override {
    api_.reset();
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  Response call(const std::string& method, const std::string& path, const std::string& token = "", const std::string& body = "",
                const std::string& content_type = "application/json", const std::string& remote = "127.0.0.1") {
    Request r;
    r.method = method;
    const auto q = path.find('?');
    r.path = path.substr(0, q);
    if (q != std::string::npos) r.query = path.substr(q + 1);
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    if (!body.empty()) {
      r.body = body;
      r.headers["content-type"] = content_type;
    }
    r.remote = remote;
    return api_->handle(r);
  }

  static Json json(const Response& r) { return Json::parse(r.body); }

  std::string add_account(const std::string& email, const std::string& role) {
    store::User u;
    u.id = store::new_id("u_");
    u.email = email;
    u.name = email;
    u.role = *store::parse_role(role);
    u.password_hash = server::hash_password("correct horse battery");
    u.created_at = store::now_s();
    db_->create_user(u);
    return login(email);
  }

  std::string login(const std::string& email, const std::string& password = "correct horse battery") {
    const auto r = call("POST", "/api/v1/auth/login", "", Json{{"email", email}, {"password", password}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json(r)["token"].get<std::string>() : "";
  }

  // A client of the practitioner with an assessment, a program and a log;
  // returns {client id, program id, client token}.
  struct Setup {
    std::string client, assessment, program, log, client_token;
  };
  Setup clinic(const std::string& practitioner_token, const std::string& client_email) {
    Setup s;
    auto r = call("POST", "/api/v1/clients", practitioner_token, R"({"name": "Dana Example", "email": ")" + client_email + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    s.client = json(r)["id"];
    r = call("POST", "/api/v1/clients/" + s.client + "/assessments", practitioner_token,
             rebalance::testing::read_file(std::string(REBALANCE_EXAMPLES_DIR) + "/office-worker.json"));
    EXPECT_EQ(r.status, 201) << r.body;
    s.assessment = json(r)["id"];
    r = call("POST", "/api/v1/clients/" + s.client + "/programs", practitioner_token,
             R"({"assessment": ")" + s.assessment + R"(", "weeks": 4, "start_date": "2026-11-30"})");
    EXPECT_EQ(r.status, 201) << r.body;
    s.program = json(r)["id"];
    r = call("POST", "/api/v1/clients/" + s.client + "/invite", practitioner_token);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string invite = json(r)["token"];
    r = call("POST", "/api/v1/auth/accept-invite", "",
             Json{{"token", invite}, {"email", client_email}, {"password", "client password 1"}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    s.client_token = json(r)["token"];
    r = call("POST", "/api/v1/programs/" + s.program + "/logs", s.client_token,
             R"({"schema": "rebalance.log/1", "week": 1, "day": 1, "date": "2026-11-30", "effort": 5, "pain": 1,
                 "items": [{"exercise": "glute_bridge", "sets_done": 3, "reps_done": [15, 15, 12]}]})");
    EXPECT_EQ(r.status, 201) << r.body;
    s.log = json(r)["id"];
    return s;
  }

  std::filesystem::path path_;
  std::shared_ptr<store::Store> db_;
  std::shared_ptr<const kb::KnowledgeBase> kb_;
  std::unique_ptr<server::Api> api_;
};


}  // namespace rebalance
