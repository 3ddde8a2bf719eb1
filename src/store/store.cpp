// What both stores share: names of roles and kinds, ids, clocks, the
// throttling rule and the revocation of links after access ends.
#include "store/store.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>

namespace rebalance::store {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kPractitioner:
      return "practitioner";
    case Role::kClient:
      return "client";
  }
  return "client";
}

std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "practitioner") return Role::kPractitioner;
  if (text == "client") return Role::kClient;
  return std::nullopt;
}

std::string_view to_string(ClientLink::Kind kind) {
  switch (kind) {
    case ClientLink::Kind::kInvite:
      return "invite";
    case ClientLink::Kind::kPasswordReset:
      return "password_reset";
    case ClientLink::Kind::kCalendarFeed:
      return "calendar_feed";
  }
  return "invite";
}

const char* kind_name(DocKind kind) {
  switch (kind) {
    case DocKind::kAssessment:
      return "assessment";
    case DocKind::kProgram:
      return "program";
    case DocKind::kLog:
      return "log";
  }
  return "log";
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}
int64_t now_s() { return now_ms() / 1000; }

std::string new_id(const std::string& prefix) {
  unsigned char bytes[16];
  randombytes_buf(bytes, sizeof bytes);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return prefix + hex;
}

int64_t throttle_wait(const ThrottlePolicy& policy, int attempts, int64_t window_start, int64_t last_at, int64_t now) {
  if (attempts <= 0 || now >= window_start + policy.window_seconds) return 0;  // a new window
  if (attempts >= policy.max_attempts) return window_start + policy.window_seconds - now;
  if (attempts < policy.free_attempts) return 0;
  int64_t delay = policy.first_delay_seconds;
  for (int i = policy.free_attempts; i < attempts && delay < policy.max_delay_seconds; ++i) delay *= 2;
  delay = std::min(delay, policy.max_delay_seconds);
  return std::max<int64_t>(0, last_at + delay - now);
}

const std::vector<std::string>& revoke_links_of_former_carers_sql() {
  // Who keeps access to client $1: the owner, colleagues it is shared with,
  // admins, and the client's own account.
  static const std::string carers =
      "(SELECT practitioner_id FROM clients WHERE id = $1 "
      "UNION SELECT practitioner_id FROM client_shares WHERE client_id = $1 "
      "UNION SELECT id FROM users WHERE role = 'admin' "
      "UNION SELECT id FROM users WHERE role = 'client' AND client_id = $1)";
  static const std::vector<std::string> statements = {
      "DELETE FROM invites WHERE client_id = $1 AND used_at = 0 AND created_by NOT IN " + carers,
      "DELETE FROM password_resets WHERE used_at = 0 AND user_id IN (SELECT id FROM users WHERE role = 'client' AND "
      "client_id = $1) AND created_by NOT IN " + carers,
      "DELETE FROM calendar_feeds WHERE client_id = $1 AND created_by NOT IN " + carers,
  };
  return statements;
}

}  // namespace rebalance::store
