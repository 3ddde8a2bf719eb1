// A parsed Beast request as the API's Request: shared by the HTTP server and
// the fuzzer of request parsing and routing. Includes Beast's message types:
// only those two translation units include it.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>

#include "server/api.h"
#include "server/forwarded.h"

namespace rebalance::server::detail {

// Limits of the request parser: larger bodies answer 413, larger headers 431.
inline constexpr size_t kBodyLimit = 1u << 20;
inline constexpr size_t kHeaderLimit = 16u << 10;

// The target split into path and query, header names in lower case
// (repeated headers joined with ", "), the body moved out of `msg`, and the
// client's origin decided from `peer` and the trusted proxies.
Request to_request(boost::beast::http::request<boost::beast::http::string_body>& msg, const std::string& peer,
                   const TrustedProxies& trusted);

}  // namespace rebalance::server::detail
