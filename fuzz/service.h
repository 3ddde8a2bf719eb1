// The service in-process for the fuzzers: an Api over a throwaway SQLite
// database (in $TMPDIR, removed at exit) holding a practitioner, a client
// who joined, an assessment and a program, with both callers' tokens.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

#include "kb/kb.h"
#include "server/api.h"
#include "store/store.h"

namespace rebalance::fuzz {

struct Service {
  std::shared_ptr<const kb::KnowledgeBase> kb;
  std::shared_ptr<store::Store> db;
  std::unique_ptr<server::Api> api;
  std::string practitioner, client_token, client, assessment, program;

  server::Response call(const std::string& method, const std::string& path, const std::string& token,
                        const std::string& body = "") {
    server::Request r;
    r.method = method;
    r.path = path;
    r.remote = "127.0.0.1";
    if (!token.empty()) r.headers["authorization"] = "Bearer " + token;
    if (!body.empty() || method == "POST" || method == "PATCH") {
      r.headers["content-type"] = "application/json";
      r.body = body;
    }
    return api->handle(r);
  }

  // Aborts (a finding) when a setup step fails: the fuzzer would test nothing.
  nlohmann::json expect(const server::Response& r, int status) {
    if (r.status != status) std::abort();
    return nlohmann::json::parse(r.body);
  }
};

inline Service& service() {
  static Service* s = [] {
    auto* out = new Service;
    const auto dir = std::filesystem::temp_directory_path() / ("rebalance-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    static const std::string kDir = dir.string();
    std::atexit([] { std::filesystem::remove_all(kDir); });
    out->kb = kb::load(REBALANCE_DATA_DIR);
    out->db = store::open_sqlite((dir / "fuzz.db").string());
    out->db->migrate();
    server::ApiOptions options;
    options.setup_token = "fuzz-setup";
    out->api = std::make_unique<server::Api>(out->kb, out->db, options);
    const std::string admin =
        out->expect(out->call("POST", "/api/v1/auth/setup", "",
                              R"({"token": "fuzz-setup", "email": "admin@x.org", "name": "A", "password": "0123456789ab"})"),
                    201)["token"];
    out->expect(out->call("POST", "/api/v1/users", admin,
                          R"({"email": "p@x.org", "name": "P", "role": "practitioner", "password": "0123456789ab"})"),
                201);
    out->practitioner =
        out->expect(out->call("POST", "/api/v1/auth/login", "", R"({"email": "p@x.org", "password": "0123456789ab"})"), 200)["token"];
    out->client = out->expect(out->call("POST", "/api/v1/clients", out->practitioner, R"({"name": "Dana"})"), 201)["id"];
    const std::string intake =
        R"({"schema": "rebalance.intake/1", "client": {"age": 41}, "lifestyle": {"sitting_hours_per_day": 9, "activities": ["desk_work"]},
            "rom": [{"test": "thomas_test", "side": "left", "result": "positive"}, {"test": "straight_leg_raise", "side": "right", "degrees": 60}]})";
    out->assessment =
        out->expect(out->call("POST", "/api/v1/clients/" + out->client + "/assessments", out->practitioner, intake), 201)["id"];
    out->program = out->expect(out->call("POST", "/api/v1/clients/" + out->client + "/programs", out->practitioner,
                                         R"({"weeks": 4, "start_date": "2026-11-30"})"),
                               201)["id"];
    const std::string invite =
        out->expect(out->call("POST", "/api/v1/clients/" + out->client + "/invite", out->practitioner), 201)["token"];
    out->client_token = out->expect(out->call("POST", "/api/v1/auth/accept-invite", "",
                                              nlohmann::json{{"token", invite}, {"email", "dana@x.org"}, {"password", "0123456789ab"}}
                                                  .dump()),
                                    201)["token"];
    return out;
  }();
  return *s;
}

// A server error is a finding: bad input must never be one.
inline void expect_no_server_error(const server::Response& r) {
  if (r.status >= 500) std::abort();
}

}  // namespace rebalance::fuzz
