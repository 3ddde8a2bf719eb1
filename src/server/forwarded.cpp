#include "server/forwarded.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace rebalance::server {
namespace {

std::string trim(std::string s) {
  const auto start = s.find_first_not_of(" \t");
  if (start == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return s.substr(start, end - start + 1);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t at = s.find(sep, start);
    out.push_back(trim(s.substr(start, at == std::string::npos ? std::string::npos : at - start)));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

// The bytes of an address literal, or family 0.
struct Parsed {
  int family = 0;
  unsigned char bytes[16] = {};
};

Parsed parse_address(const std::string& text) {
  Parsed p;
  if (inet_pton(AF_INET, text.c_str(), p.bytes) == 1)
    p.family = AF_INET;
  else if (inet_pton(AF_INET6, text.c_str(), p.bytes) == 1)
    p.family = AF_INET6;
  return p;
}

// A node of Forwarded for= or X-Forwarded-For, without quotes, brackets and
// port: `"[2001:db8::1]:4711"` -> `2001:db8::1`, `192.0.2.1:80` -> `192.0.2.1`.
std::string node_address(std::string node) {
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"') node = node.substr(1, node.size() - 2);
  if (!node.empty() && node.front() == '[') {
    const auto close = node.find(']');
    return close == std::string::npos ? "" : node.substr(1, close - 1);
  }
  if (std::count(node.begin(), node.end(), ':') == 1) node = node.substr(0, node.find(':'));
  return node;
}

bool https_from(const std::map<std::string, std::string>& headers) {
  if (const auto it = headers.find("forwarded"); it != headers.end()) {
    // The last element is the one our proxy added.
    const auto elements = split(it->second, ',');
    for (const auto& pair : split(elements.back(), ';')) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos || lower(trim(pair.substr(0, eq))) != "proto") continue;
      std::string value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
      return lower(value) == "https";
    }
  }
  if (const auto it = headers.find("x-forwarded-proto"); it != headers.end())
    return lower(split(it->second, ',').back()) == "https";
  return false;
}

// The client address a proxy chain reports, walking from the right past
// trusted proxies; empty when the chain names none that is valid.
std::string client_from_chain(const std::vector<std::string>& hops, const TrustedProxies& trusted) {
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    const std::string address = node_address(*it);
    if (parse_address(address).family == 0) return "";
    if (!trusted.contains(address)) return address;
  }
  return "";
}

}  // namespace

std::optional<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries, std::vector<std::string>* errors) {
  TrustedProxies out;
  bool good = true;
  for (const auto& entry : entries) {
    const auto slash = entry.find('/');
    const Parsed p = parse_address(entry.substr(0, slash));
    Network n;
    n.family = p.family;
    std::memcpy(n.bytes, p.bytes, sizeof n.bytes);
    const int bits = p.family == AF_INET ? 32 : 128;
    n.prefix = bits;
    if (p.family != 0 && slash != std::string::npos) {
      const std::string prefix = entry.substr(slash + 1);
      const bool digits = !prefix.empty() && prefix.size() <= 3 &&
                          std::all_of(prefix.begin(), prefix.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
      n.prefix = digits ? std::stoi(prefix) : -1;
    }
    if (p.family == 0 || n.prefix < 0 || n.prefix > bits) {
      good = false;
      if (errors != nullptr) errors->push_back("expected an IP address or network (10.0.0.1, 10.0.0.0/8, ::1), found \"" + entry + "\"");
      continue;
    }
    out.networks_.push_back(n);
  }
  if (!good) return std::nullopt;
  return out;
}

bool TrustedProxies::contains(const std::string& address) const {
  const Parsed p = parse_address(address);
  if (p.family == 0) return false;
  for (const auto& n : networks_) {
    if (n.family != p.family) continue;
    int bits = n.prefix;
    bool same = true;
    for (int i = 0; bits > 0 && same; ++i, bits -= 8) {
      const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
      same = (n.bytes[i] & mask) == (p.bytes[i] & mask);
    }
    if (same) return true;
  }
  return false;
}

Origin origin_of(const std::string& peer, const std::map<std::string, std::string>& headers, const TrustedProxies& trusted) {
  if (trusted.empty()) return Origin{peer, https_from(headers)};
  if (!trusted.contains(peer)) return Origin{peer, false};
  std::string client;
  if (const auto it = headers.find("forwarded"); it != headers.end()) {
    std::vector<std::string> hops;
    for (const auto& element : split(it->second, ','))
      for (const auto& pair : split(element, ';')) {
        const auto eq = pair.find('=');
        if (eq != std::string::npos && lower(trim(pair.substr(0, eq))) == "for") hops.push_back(trim(pair.substr(eq + 1)));
      }
    client = client_from_chain(hops, trusted);
  } else if (const auto xff = headers.find("x-forwarded-for"); xff != headers.end()) {
    client = client_from_chain(split(xff->second, ','), trusted);
  }
  return Origin{client.empty() ? peer : client, https_from(headers)};
}

}  // namespace rebalance::server
