// The HTTP/1.1 server (Boost.Beast, C++20 coroutines): keep-alive, a fixed
// number of threads, 1 MiB body and 16 KiB header limits, capped
// connections (in all and per address), security headers on every response,
// one JSON access-log line per answer (parser errors included), graceful
// shutdown on SIGTERM/SIGINT.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "server/api.h"
#include "server/forwarded.h"

namespace rebalance::server {

struct HttpOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;
  // Network threads, one io_context each: they read requests, answer the
  // ones the API runs inline (Api::runs_inline) and write every response.
  int threads = 2;
  // Threads that run the other API calls (they may block on the database).
  // No thread waits for a group commit: an answer goes out from the commit's
  // completion (Api::handle_async).
  int workers = 64;
  bool access_log = true;
  // Connections open at once, in all and from one address (a trusted proxy
  // is not limited per address). Past a cap a new connection is answered 503
  // and closed; the open ones are served as before.
  int max_connections = 4096;
  int max_connections_per_address = 256;
  // Proxies whose Forwarded / X-Forwarded-For headers name the client.
  TrustedProxies trusted_proxies;
  // Called once listening, with the actual port (useful with port 0).
  std::function<void(uint16_t)> on_listening;
};

// Serves `api` until SIGTERM or SIGINT, then stops accepting, finishes the
// requests in flight and returns. Throws std::runtime_error when it cannot
// listen.
void serve(Api& api, const HttpOptions& options);

}  // namespace rebalance::server
