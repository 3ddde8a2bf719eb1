// The HTTP/1.1 server (Boost.Beast, C++20 coroutines): keep-alive, a fixed
// number of threads, 1 MiB body limit, security headers on every response,
// one JSON access-log line per request, graceful shutdown on SIGTERM/SIGINT.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "server/api.h"

namespace rebalance::server {

struct HttpOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;
  int threads = 2;   // network threads
  int workers = 64;  // threads that run API calls (they block on the database)
  bool access_log = true;
  // Called once listening, with the actual port (useful with port 0).
  std::function<void(uint16_t)> on_listening;
};

// Serves `api` until SIGTERM or SIGINT, then stops accepting, finishes the
// requests in flight and returns. Throws std::runtime_error when it cannot
// listen.
void serve(Api& api, const HttpOptions& options);

}  // namespace rebalance::server
