// Who is on the other end of a connection behind a reverse proxy: the
// client's address and whether they came over HTTPS, from the socket's peer
// and the proxy's headers (Forwarded, RFC 7239; X-Forwarded-For and
// X-Forwarded-Proto). Pure: no sockets.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rebalance::server {

// An address or network the operator trusts to report clients:
// "203.0.113.7", "10.0.0.0/8", "::1", "fd00::/8".
class TrustedProxies {
 public:
  // Empty when every entry parses; else one message per bad entry.
  static std::optional<TrustedProxies> parse(const std::vector<std::string>& entries, std::vector<std::string>* errors);
  TrustedProxies() = default;

  bool empty() const { return networks_.empty(); }
  // True when `address` (an IPv4 or IPv6 literal) lies in a trusted network.
  bool contains(const std::string& address) const;

 private:
  struct Network {
    int family = 0;  // AF_INET or AF_INET6
    unsigned char bytes[16] = {};
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

struct Origin {
  std::string address;  // the client's address
  bool https = false;   // the client reached the proxy over HTTPS
};

// The origin of a request that arrived from `peer` with `headers` (lower-case
// names, repeated headers joined with ", ").
// - No trusted proxies configured: the address is the peer's; HTTPS is taken
//   from X-Forwarded-Proto or Forwarded proto= (case-insensitive) as a
//   same-host proxy reports it (it only decides Secure cookies and HSTS for
//   the one who sent it).
// - Peer trusted: the address is the rightmost one in Forwarded for= (else
//   X-Forwarded-For) that is not itself a trusted proxy; a hop that is no
//   valid address stops the walk at the last trusted one. HTTPS as above.
// - Peer not trusted: the peer's address, and the headers are ignored.
Origin origin_of(const std::string& peer, const std::map<std::string, std::string>& headers, const TrustedProxies& trusted);

}  // namespace rebalance::server
