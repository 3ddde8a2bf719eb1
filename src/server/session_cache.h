// The sessions a process has checked recently, so that a request needs no
// database round trip to know who is calling.
//
// How an ended session stops working: in the process that ends it (logout,
// a password reset, a deleted client's account) at once, because that
// process forgets it here; in every other process serving the same database
// within the cache's time to live (ApiOptions::session_cache_ms, 5 s by
// default), because an entry older than that is checked against the
// database again. A session's own expiry is always honoured. 0 turns the
// cache off (every request asks the database).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/store.h"

namespace rebalance::server {

class SessionCache {
 public:
  struct Entry {
    store::User user;
    store::Session session;
    int64_t checked_ms = 0;  // when the database last said it is valid
  };

  // Holds at most `capacity` sessions; entries live `ttl_ms`.
  SessionCache(int64_t ttl_ms, size_t capacity);

  // The session `token_hash` names, if checked less than the time to live
  // ago and not expired at `now_s`.
  std::optional<Entry> find(const std::string& token_hash, int64_t now_ms, int64_t now_s) const;
  void put(const store::User& user, const store::Session& session, int64_t now_ms);

  void forget_session(const std::string& token_hash);
  // Every session of an account (a password reset ends them all).
  void forget_user(const std::string& user_id);
  // Every session of a client's account (the client deleted).
  void forget_client(const std::string& client_id);

  bool enabled() const { return ttl_ms_ > 0; }

 private:
  int64_t ttl_ms_;
  size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace rebalance::server
