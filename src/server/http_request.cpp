// The API's Request from a request Beast parsed (server/detail/http_request.h).
#include <boost/beast/http.hpp>
#include <cctype>

#include "server/detail/http_request.h"

namespace rebalance::server {

namespace http = boost::beast::http;

Request detail::to_request(http::request<http::string_body>& msg, const std::string& peer, const TrustedProxies& trusted) {
  Request req;
  req.method = std::string(msg.method_string());
  const std::string target(msg.target());
  const auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = target.substr(q + 1);
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto [it, fresh] = req.headers.emplace(name, std::string(field.value()));
    if (!fresh) it->second += ", " + std::string(field.value());
  }
  req.body = std::move(msg.body());
  const Origin origin = origin_of(peer, req.headers, trusted);
  req.remote = origin.address;
  req.https = origin.https;
  return req;
}

}  // namespace rebalance::server
