#include "server/session_cache.h"

#include <unordered_map>

namespace rebalance::server {

SessionCache::SessionCache(int64_t ttl_ms, size_t capacity) : ttl_ms_(ttl_ms), capacity_(capacity) {}

std::optional<SessionCache::Entry> SessionCache::find(const std::string& token_hash, int64_t now_ms, int64_t now_s) const {
  if (!enabled()) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(token_hash);
  if (it == entries_.end() || now_ms - it->second.checked_ms >= ttl_ms_ || it->second.session.expires_at <= now_s)
    return std::nullopt;
  return it->second;
}

void SessionCache::put(const store::User& user, const store::Session& session, int64_t now_ms) {
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_ && !entries_.count(session.token_hash)) {
    // Full: drop what has outlived its time to live, else everything (the
    // database answers again; nothing but speed is lost).
    std::erase_if(entries_, [&](const auto& kv) { return now_ms - kv.second.checked_ms >= ttl_ms_; });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_[session.token_hash] = Entry{user, session, now_ms};
}

void SessionCache::forget_session(const std::string& token_hash) {
  std::lock_guard lock(mutex_);
  entries_.erase(token_hash);
}

void SessionCache::forget_user(const std::string& user_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.user.id == user_id; });
}

void SessionCache::forget_client(const std::string& client_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const auto& kv) { return kv.second.user.client_id == client_id; });
}

}  // namespace rebalance::server
