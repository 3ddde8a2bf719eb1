// Boost.Beast lives in this file only.
#include "server/http.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <list>
#include <mutex>
#include <thread>
#include <utility>  // Boost 1.74's asio/awaitable.hpp needs it first with g++ 12
#include <vector>

namespace rebalance::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using namespace std::chrono_literals;

constexpr size_t kBodyLimit = 1u << 20;

// What the server shares between its sessions: the sessions themselves, so
// that shutdown can close the idle ones.
struct State {
  std::mutex mutex;
  std::list<std::pair<beast::tcp_stream*, bool*>> sessions;  // stream, busy flag
  std::atomic<bool> stopping{false};
};

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out;
}

void log_line(const std::string& method, const std::string& path, int status, double ms, const std::string& user) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char line[1024];
  std::snprintf(line, sizeof line,
                "{\"time\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%d,\"duration_ms\":%.3f,\"user\":\"%s\"}\n", when,
                json_escape(method).c_str(), json_escape(path.substr(0, 300)).c_str(), status, ms, json_escape(user).c_str());
  std::fputs(line, stderr);
}

http::response<http::string_body> to_beast(const Response& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "rebalance");
  if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
  const bool cache_set =
      std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Cache-Control"; });
  if (!cache_set) res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  res.set("Content-Security-Policy",
          "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  for (const auto& [name, value] : r.headers) res.insert(name, value);
  res.keep_alive(keep_alive);
  res.body() = r.body;
  res.prepare_payload();
  return res;
}

Response simple_error(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  r.body = "{\n  \"error\": {\n    \"code\": \"" + code + "\",\n    \"message\": \"" + json_escape(message) + "\"\n  }\n}\n";
  return r;
}

asio::awaitable<void> session(tcp::socket socket, Api& api, State& state, asio::thread_pool& workers, bool access_log) {
  beast::tcp_stream stream(std::move(socket));
  bool busy = false;
  std::list<std::pair<beast::tcp_stream*, bool*>>::iterator self;
  {
    std::lock_guard lock(state.mutex);
    self = state.sessions.insert(state.sessions.end(), {&stream, &busy});
  }
  std::string remote;
  {
    boost::system::error_code ec;
    const auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) remote = ep.address().to_string();
  }
  beast::flat_buffer buffer;
  while (!state.stopping) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    parser.header_limit(16 * 1024);
    stream.expires_after(60s);
    boost::system::error_code ec;
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        stream.expires_after(10s);
        auto res = to_beast(simple_error(413, "too_large", "the request is over the 1 MiB limit"), 11, false);
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      } else if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted && ec != beast::error::timeout &&
                 ec != asio::error::connection_reset && ec != asio::error::eof) {
        stream.expires_after(10s);
        auto res = to_beast(simple_error(400, "bad_request", "malformed HTTP request"), 11, false);
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
      }
      break;
    }
    busy = true;
    const auto started = std::chrono::steady_clock::now();
    auto& msg = parser.get();
    Request req;
    req.method = std::string(msg.method_string());
    const std::string target(msg.target());
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query = target.substr(q + 1);
    for (const auto& field : msg) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req.headers[name] = std::string(field.value());
    }
    req.body = std::move(msg.body());
    req.remote = remote;
    // The API call blocks (database work, waiting for the audit group
    // commit): it runs on the worker pool, so that many requests can wait
    // together and share one commit, then the reply resumes on this strand.
    // (An awaited post would resume on this strand: co_spawn runs the call
    // on the pool and hands the result back.)
    Response response = co_await asio::co_spawn(
        workers, [&api, &req]() -> asio::awaitable<Response> { co_return api.handle(req); }, asio::use_awaitable);
    const bool keep_alive = msg.keep_alive() && !state.stopping;
    auto res = to_beast(response, msg.version(), keep_alive);
    if (req.method == "HEAD") res.body().clear();
    stream.expires_after(30s);
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    busy = false;
    if (access_log)
      log_line(req.method, req.path, response.status,
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(), response.user_id);
    if (ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::lock_guard lock(state.mutex);
  state.sessions.erase(self);
}

asio::awaitable<void> accept_loop(asio::io_context& ioc, tcp::acceptor& acceptor, Api& api, State& state,
                                  asio::thread_pool& workers, bool access_log) {
  while (!state.stopping) {
    boost::system::error_code ec;
    // Each connection on its own strand: its coroutine and its shutdown
    // never run at the same time.
    tcp::socket socket = co_await acceptor.async_accept(asio::make_strand(ioc), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (state.stopping || ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving the others
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket), api, state, workers, access_log), asio::detached);
  }
}

}  // namespace

void serve(Api& api, const HttpOptions& options) {
  asio::io_context ioc(options.threads);
  State state;
  tcp::acceptor acceptor(ioc);
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options.bind, ec);
  if (ec) throw std::runtime_error("--bind: expected an IP address, found \"" + options.bind + "\"");
  const tcp::endpoint endpoint(address, options.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw std::runtime_error("cannot listen on " + options.bind + ":" + std::to_string(options.port) + ": " + ec.message());
  if (options.on_listening) options.on_listening(acceptor.local_endpoint().port());

  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int) {
    if (error) return;
    state.stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    // Idle keep-alive connections are closed now; busy ones after their reply.
    std::lock_guard lock(state.mutex);
    for (auto& entry : state.sessions) {
      beast::tcp_stream* stream = entry.first;
      asio::post(stream->get_executor(), [&state, stream] {
        std::lock_guard inner(state.mutex);
        for (auto& [s, busy] : state.sessions)
          if (s == stream && !*busy) s->cancel();
      });
    }
  });
  asio::thread_pool workers(static_cast<size_t>(options.workers));
  asio::co_spawn(ioc, accept_loop(ioc, acceptor, api, state, workers, options.access_log), asio::detached);

  std::vector<std::thread> pool;
  for (int i = 1; i < options.threads; ++i) pool.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  workers.join();
}

}  // namespace rebalance::server
