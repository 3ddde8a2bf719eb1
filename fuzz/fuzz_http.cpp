// Fuzzes HTTP request parsing (Beast's parser with the server's limits) and
// everything after it: the request as the API sees it, routing,
// authentication and the handlers, as an anonymous caller or, when the input
// says so, as a practitioner or a client. Findings: a crash, a sanitizer
// report or a 5xx.
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <cstdint>

#include "fuzz/service.h"
#include "server/detail/http_request.h"

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto& s = rebalance::fuzz::service();
  static const rebalance::server::TrustedProxies trusted = *rebalance::server::TrustedProxies::parse({"127.0.0.1"}, nullptr);
  if (size == 0) return 0;
  // The first byte picks the caller; the rest is the request on the wire.
  const uint8_t who = data[0] % 3;
  http::request_parser<http::string_body> parser;
  parser.body_limit(rebalance::server::detail::kBodyLimit);
  parser.header_limit(rebalance::server::detail::kHeaderLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  boost::asio::const_buffer rest(data + 1, size - 1);
  while (!parser.is_done() && rest.size() > 0) {
    const size_t used = parser.put(rest, ec);
    if (ec == http::error::need_more) break;
    if (ec) return 0;
    if (used == 0) break;
    rest += used;
  }
  if (!parser.is_done()) {
    if (!parser.got_some()) return 0;  // nothing on the wire
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return 0;
  }
  auto req = rebalance::server::detail::to_request(parser.get(), "127.0.0.1", trusted);
  if (who != 0 && !req.headers.count("authorization"))
    req.headers["authorization"] = "Bearer " + (who == 1 ? s.practitioner : s.client_token);
  rebalance::fuzz::expect_no_server_error(s.api->handle(req));
  return 0;
}
