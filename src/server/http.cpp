// Boost.Beast lives in this file only.
#include "server/http.h"

#include "server/detail/http_request.h"

#include <algorithm>
#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
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

using detail::kBodyLimit;
using detail::kHeaderLimit;
using detail::to_request;

// What the server shares between its sessions: the sessions themselves, so
// that shutdown can close the idle ones, and the connection counts the caps
// are held against.
struct State {
  std::mutex mutex;
  std::list<std::pair<beast::tcp_stream*, bool*>> sessions;  // stream, busy flag
  std::map<std::string, int> per_address;                   // open connections by peer address
  int open = 0;
  std::atomic<bool> stopping{false};
};

// JSON string contents: quotes, backslashes and control characters escaped;
// bytes that are not ASCII are escaped as \u00XX, so that any input (raw
// path bytes included) gives a valid line.
std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (u < 0x20 || u >= 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

// One access-log line: valid JSON whatever the request held, secrets in
// paths redacted (Api::loggable_path), at most 300 bytes of path.
struct LogEntry {
  std::string method;
  std::string path;
  int status = 0;
  double ms = 0;
  std::string user;
  std::string address;  // the client (behind a trusted proxy: the one it names)
  std::string peer;     // the socket's peer, when not the client
};

void log_line(const LogEntry& e) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.3f", e.ms);
  std::string line = std::string("{\"time\":\"") + when + "\",\"method\":\"" + json_escape(e.method.substr(0, 16)) +
                     "\",\"path\":\"" + json_escape(Api::loggable_path(e.path).substr(0, 300)) +
                     "\",\"status\":" + std::to_string(e.status) + ",\"duration_ms\":" + ms + ",\"user\":\"" +
                     json_escape(e.user) + "\",\"address\":\"" + json_escape(e.address) + "\"";
  if (!e.peer.empty() && e.peer != e.address) line += ",\"peer\":\"" + json_escape(e.peer) + "\"";
  line += "}\n";
  std::fputs(line.c_str(), stderr);
}

// The body is moved out of `r`: a program is tens of kilobytes.
http::response<http::string_body> to_beast(Response& r, unsigned version, bool keep_alive, bool head) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "rebalance");
  if (!r.content_type.empty()) res.set(http::field::content_type, r.content_type);
  const bool cache_set =
      std::any_of(r.headers.begin(), r.headers.end(), [](const auto& h) { return h.first == "Cache-Control"; });
  if (!cache_set) res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Referrer-Policy", "no-referrer");
  // One policy for every answer; a response may only tighten it (an image
  // says so with Content-Security-Policy-Override).
  const auto tighter = std::find_if(r.headers.begin(), r.headers.end(),
                                    [](const auto& h) { return h.first == "Content-Security-Policy-Override"; });
  res.set("Content-Security-Policy",
          tighter != r.headers.end()
              ? tighter->second + "; frame-ancestors 'none'"
              : "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  for (const auto& [name, value] : r.headers)
    if (name != "Content-Security-Policy-Override") res.insert(name, value);
  res.keep_alive(keep_alive);
  if (head) {
    // HEAD: the headers GET would send, Content-Length included, no body.
    res.content_length(r.body.size());
  } else {
    res.body() = std::move(r.body);
    res.prepare_payload();
  }
  return res;
}

Response simple_error(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  r.body = "{\n  \"error\": {\n    \"code\": \"" + code + "\",\n    \"message\": \"" + json_escape(message) + "\"\n  }\n}\n";
  return r;
}

// Answers `req` with Api::handle_async: on this thread when the API says
// the request runs inline, else on the worker pool (the call may block on
// the database). Completes on the session's network thread once the
// response's durable writes are, without a thread waiting for them.
template <typename Token>
auto async_answer(Api& api, const Request& req, asio::thread_pool& workers, Token&& token) {
  return asio::async_initiate<Token, void(Response)>(
      [&api, &req, &workers](auto handler) {
        using Handler = decltype(handler);
        auto held = std::make_shared<Handler>(std::move(handler));
        // Tracked: the server's io_context runs until every answer is back.
        auto executor = asio::prefer(asio::get_associated_executor(*held), asio::execution::outstanding_work.tracked);
        std::function<void(Response)> done = [held, executor](Response r) {
          asio::post(executor, [held, r = std::move(r)]() mutable {
            Handler resume = std::move(*held);
            resume(std::move(r));
          });
        };
        if (api.runs_inline(req))
          api.handle_async(req, std::move(done));
        else
          asio::post(workers, [&api, &req, done = std::move(done)]() mutable { api.handle_async(req, std::move(done)); });
      },
      token);
}

asio::awaitable<void> session(tcp::socket socket, std::string peer, Api& api, State& state, asio::thread_pool& workers,
                              const HttpOptions& options) {
  beast::tcp_stream stream(std::move(socket));
  bool busy = false;
  std::list<std::pair<beast::tcp_stream*, bool*>>::iterator self;
  {
    std::lock_guard lock(state.mutex);
    self = state.sessions.insert(state.sessions.end(), {&stream, &busy});
  }
  beast::flat_buffer buffer;
  while (!state.stopping) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(kBodyLimit);
    parser.header_limit(kHeaderLimit);
    // A whole request (headers and body) within a minute: a slow sender
    // holds one connection slot for a minute at most.
    stream.expires_after(60s);
    boost::system::error_code ec;
    const auto started = std::chrono::steady_clock::now();
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      std::optional<Response> refusal;
      if (ec == http::error::header_limit)
        refusal = simple_error(431, "headers_too_large", "the request's headers are over the 16 KiB limit");
      else if (ec == http::error::body_limit)
        refusal = simple_error(413, "too_large", "the request is over the 1 MiB limit");
      else if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted && ec != beast::error::timeout &&
               ec != asio::error::connection_reset && ec != asio::error::eof && ec != http::error::partial_message)
        refusal = simple_error(400, "bad_request", "malformed HTTP request");
      if (refusal) {
        stream.expires_after(10s);
        auto res = to_beast(*refusal, 11, false, false);
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
        if (options.access_log) {
          const bool got_header = parser.is_header_done();
          log_line({got_header ? std::string(parser.get().method_string()) : "-",
                    got_header ? std::string(parser.get().target()) : "-", refusal->status,
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(), "", peer,
                    ""});
        }
      }
      break;
    }
    busy = true;
    auto& msg = parser.get();
    Request req = to_request(msg, peer, options.trusted_proxies);
    // The reply waits for its audit entries' group commit without holding a
    // thread, so that many requests share one commit.
    Response response = co_await async_answer(api, req, workers, asio::use_awaitable);
    const bool keep_alive = msg.keep_alive() && !state.stopping;
    auto res = to_beast(response, msg.version(), keep_alive, req.method == "HEAD");
    stream.expires_after(30s);
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    busy = false;
    if (options.access_log)
      log_line({req.method, req.path, response.status,
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
                response.user_id, req.remote, peer});
    if (ec || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::lock_guard lock(state.mutex);
  state.sessions.erase(self);
  --state.open;
  if (--state.per_address[peer] == 0) state.per_address.erase(peer);
}

// A connection past a cap: a short 503 and close, within a few seconds.
asio::awaitable<void> refuse(tcp::socket socket, std::string peer, std::string why, bool access_log) {
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(5s);
  Response r = simple_error(503, "too_many_connections", why + "; try again shortly");
  r.headers.emplace_back("Retry-After", "1");
  auto res = to_beast(r, 11, false, false);
  boost::system::error_code ec;
  co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (access_log) log_line({"-", "-", 503, 0, "", peer, ""});
}

// The network threads: one io_context each, so that a connection's work
// stays on one thread with no strand, and a thread hands no work to another.
// Connections are dealt out in turn.
class NetworkThreads {
 public:
  explicit NetworkThreads(int threads) {
    for (int i = 0; i < std::max(1, threads); ++i) contexts_.push_back(std::make_unique<asio::io_context>(1));
  }
  asio::io_context& first() { return *contexts_.front(); }
  asio::io_context& next() { return *contexts_[next_++ % contexts_.size()]; }
  // Runs every context, one on this thread, until all have run out of work.
  void run() {
    std::vector<std::thread> pool;
    for (size_t i = 1; i < contexts_.size(); ++i) {
      // Kept running while the first context accepts: a context with no
      // connection yet would otherwise return at once.
      guards_.push_back(asio::make_work_guard(*contexts_[i]));
      pool.emplace_back([this, i] { contexts_[i]->run(); });
    }
    contexts_.front()->run();
    for (auto& t : pool) t.join();
  }
  // Called when the server stops accepting: the other contexts stop once
  // their connections are done.
  void release() {
    for (auto& g : guards_) g.reset();
  }

 private:
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  size_t next_ = 0;  // the accept loop's only
};

asio::awaitable<void> accept_loop(asio::io_context& ioc, NetworkThreads& network, tcp::acceptor& acceptor, Api& api,
                                  State& state, asio::thread_pool& workers, const HttpOptions& options) {
  asio::steady_timer pause(ioc);
  auto backoff = 10ms;
  while (!state.stopping) {
    boost::system::error_code ec;
    // Each connection on one network thread: its coroutine and its shutdown
    // never run at the same time.
    tcp::socket socket = co_await acceptor.async_accept(network.next(), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (state.stopping || ec == asio::error::operation_aborted) break;
      // Out of descriptors (or another resource): the pending connection
      // stays in the backlog, so accepting again at once would spin. Wait,
      // longer each time, while the open connections go on being served.
      pause.expires_after(backoff);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, 1s);
      continue;
    }
    backoff = 10ms;
    std::string peer;
    if (const auto ep = socket.remote_endpoint(ec); !ec) peer = ep.address().to_string();
    std::string refused;
    {
      std::lock_guard lock(state.mutex);
      if (state.open >= options.max_connections)
        refused = "the server has " + std::to_string(options.max_connections) + " connections open";
      else if (state.per_address[peer] >= options.max_connections_per_address && !options.trusted_proxies.contains(peer))
        refused = "this address has " + std::to_string(options.max_connections_per_address) + " connections open";
      if (refused.empty()) {
        ++state.open;
        ++state.per_address[peer];
      } else if (state.per_address[peer] == 0) {
        state.per_address.erase(peer);
      }
    }
    auto executor = socket.get_executor();
    if (!refused.empty()) {
      asio::co_spawn(executor, refuse(std::move(socket), peer, refused, options.access_log), asio::detached);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    asio::co_spawn(executor, session(std::move(socket), std::move(peer), api, state, workers, options), asio::detached);
  }
}

}  // namespace

void serve(Api& api, const HttpOptions& options) {
  NetworkThreads network(options.threads);
  asio::io_context& ioc = network.first();
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
    network.release();
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
  asio::co_spawn(ioc, accept_loop(ioc, network, acceptor, api, state, workers, options), asio::detached);
  network.run();
  workers.join();
}

}  // namespace rebalance::server
