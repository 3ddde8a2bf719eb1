// The client behind a reverse proxy: whose address counts (throttling, the
// access log) and whether they came over HTTPS (Secure cookies, HSTS).
#include "server/forwarded.h"

#include <gtest/gtest.h>

namespace rebalance::server {
namespace {

TrustedProxies trusted(const std::vector<std::string>& entries) {
  std::vector<std::string> errors;
  auto t = TrustedProxies::parse(entries, &errors);
  EXPECT_TRUE(t) << (errors.empty() ? "" : errors[0]);
  return t ? *t : TrustedProxies();
}

TEST(TrustedProxies, AddressesAndNetworksOfBothFamilies) {
  const auto t = trusted({"127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"});
  EXPECT_TRUE(t.contains("127.0.0.1"));
  EXPECT_FALSE(t.contains("127.0.0.2"));
  EXPECT_TRUE(t.contains("10.200.3.4"));
  EXPECT_FALSE(t.contains("11.0.0.1"));
  EXPECT_TRUE(t.contains("fd12::5"));
  EXPECT_TRUE(t.contains("::1"));
  EXPECT_FALSE(t.contains("fe80::1"));
  EXPECT_FALSE(t.contains("not an address"));
  EXPECT_TRUE(trusted({"192.168.1.0/23"}).contains("192.168.0.9")) << "a prefix that is not a whole byte";
  EXPECT_FALSE(trusted({"192.168.1.0/23"}).contains("192.168.2.1"));
}

TEST(TrustedProxies, ABadEntryIsNamed) {
  std::vector<std::string> errors;
  EXPECT_FALSE(TrustedProxies::parse({"10.0.0.1", "proxy.local", "10.0.0.0/33", "::1/x"}, &errors));
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(errors[0].find("\"proxy.local\""), std::string::npos);
}

TEST(Origin, WithoutTrustedProxiesThePeerIsTheClient) {
  const auto o = origin_of("198.51.100.7", {{"x-forwarded-for", "203.0.113.1"}}, TrustedProxies());
  EXPECT_EQ(o.address, "198.51.100.7") << "anyone can send the header";
}

TEST(Origin, BehindATrustedProxyTheRightmostUntrustedHopIsTheClient) {
  const auto t = trusted({"127.0.0.1", "10.0.0.0/8"});
  // A client may send its own X-Forwarded-For; the proxy appends the real peer.
  EXPECT_EQ(origin_of("127.0.0.1", {{"x-forwarded-for", "6.6.6.6, 203.0.113.9"}}, t).address, "203.0.113.9");
  EXPECT_EQ(origin_of("127.0.0.1", {{"x-forwarded-for", "203.0.113.9, 10.1.1.1"}}, t).address, "203.0.113.9")
      << "past a second trusted proxy";
  EXPECT_EQ(origin_of("127.0.0.1", {{"forwarded", "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\""}}, t).address,
            "2001:db8:cafe::17");
  EXPECT_EQ(origin_of("127.0.0.1", {{"forwarded", "for=203.0.113.5:8443"}}, t).address, "203.0.113.5");
  EXPECT_EQ(origin_of("127.0.0.1", {}, t).address, "127.0.0.1") << "no header: the proxy itself";
  EXPECT_EQ(origin_of("127.0.0.1", {{"x-forwarded-for", "unknown"}}, t).address, "127.0.0.1")
      << "a hop that is no address is not a key an attacker may choose";
  EXPECT_EQ(origin_of("198.51.100.7", {{"x-forwarded-for", "203.0.113.1"}}, t).address, "198.51.100.7")
      << "an untrusted peer's header is ignored";
}

TEST(Origin, HttpsAsTheProxySaysItInAnyCase) {
  EXPECT_TRUE(origin_of("127.0.0.1", {{"x-forwarded-proto", "https"}}, TrustedProxies()).https);
  EXPECT_TRUE(origin_of("127.0.0.1", {{"x-forwarded-proto", "HTTPS"}}, TrustedProxies()).https);
  EXPECT_TRUE(origin_of("127.0.0.1", {{"forwarded", "for=1.2.3.4;proto=https"}}, TrustedProxies()).https);
  EXPECT_TRUE(origin_of("127.0.0.1", {{"forwarded", "for=1.2.3.4; Proto=\"HTTPS\""}}, TrustedProxies()).https);
  EXPECT_FALSE(origin_of("127.0.0.1", {{"x-forwarded-proto", "http"}}, TrustedProxies()).https);
  EXPECT_FALSE(origin_of("127.0.0.1", {}, TrustedProxies()).https);
  const auto t = trusted({"127.0.0.1"});
  EXPECT_TRUE(origin_of("127.0.0.1", {{"x-forwarded-proto", "https"}}, t).https);
  EXPECT_FALSE(origin_of("198.51.100.7", {{"x-forwarded-proto", "https"}}, t).https) << "only from a trusted proxy";
}

}  // namespace
}  // namespace rebalance::server
