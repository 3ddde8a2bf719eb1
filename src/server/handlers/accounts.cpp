// Accounts and sessions: first-admin setup, login and logout, invitations,
// password resets, the admin's accounts list and audit trail.
#include "server/auth.h"
#include "server/detail/api_internal.h"

namespace rebalance::server {

Response Api::Impl::start_session(const Request& req, const store::User& user, int status) {
  const std::string token = random_token();
  store::Session s{token_hash(token), user.id, random_token(), store::now_s() + options.session_seconds};
  db->create_session(s);
  Response r = json_response(
      status, Json{{"user", user_json(user)}, {"token", token}, {"csrf_token", s.csrf_token}, {"expires_at", s.expires_at}});
  r.headers.emplace_back("Set-Cookie", "rb_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                           std::to_string(options.session_seconds) + (req.https ? "; Secure" : ""));
  r.user_id = user.id;
  return r;
}

void Api::Impl::check_password_strength(const std::string& password) {
  if (password.size() < 10 || password.size() > 200)
    throw HttpError{400, "weak_password", "expected a password of 10 to 200 characters", "$.password"};
}

// A new account from {"email", "name", "password"}: validated, the email
// not yet taken, the password hashed.
store::User Api::Impl::account_from(const Json& body, Role role) {
  store::User u;
  u.id = store::new_id("u_");
  u.email = require_string(body, "email");
  if (!valid_email(u.email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
  u.name = require_string(body, "name");
  const std::string password = require_string(body, "password");
  check_password_strength(password);
  if (db->user_by_email(u.email)) throw HttpError{409, "conflict", "an account with this email exists", "$.email"};
  u.role = role;
  u.password_hash = hash_password(password);
  u.created_at = store::now_s();
  return u;
}

Response Api::Impl::setup(const Request& req) {
  const Json body = parse_body(req);
  const std::string token = require_string(body, "token");
  if (options.setup_token.empty() || !same_secret(token, options.setup_token) || db->count_users() > 0)
    throw HttpError{403, "forbidden", "setup is closed or the token is wrong"};
  store::User u = account_from(body, Role::kAdmin);
  db->create_user(u);
  return start_session(req, u, 201);
}

// The attempt is counted before the password is checked, in one atomic
// step with the decision (store::begin_login_attempt), so concurrent
// guesses cannot slip past the limit; an unknown email is checked against
// a dummy hash, so it takes as long as a known one.
Response Api::Impl::login(const Request& req) {
  const Json body = parse_body(req);
  const std::string email = require_string(body, "email");
  const std::string password = require_string(body, "password");
  const int64_t wait =
      db->begin_login_attempt(email, req.remote, options.clock(), options.account_throttle, options.address_throttle);
  if (wait > 0) {
    Response r = error_response(HttpError{
        429, "too_many_attempts", "too many login attempts; try again in " + std::to_string(wait) + " s"});
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
  }
  auto user = db->user_by_email(email);
  const bool good = verify_password(user ? user->password_hash : dummy_hash, password) && user;
  if (!good) throw HttpError{401, "invalid_credentials", "wrong email or password"};
  db->login_succeeded(email, req.remote);
  return start_session(req, *user, 200);
}

Response Api::Impl::logout(const Caller& c) {
  db->delete_session(c.session.token_hash);
  sessions.forget_session(c.session.token_hash);
  Response r = json_response(200, Json{{"status", "logged out"}});
  r.headers.emplace_back("Set-Cookie", "rb_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

Response Api::Impl::accept_invite(const Request& req) {
  const Json body = parse_body(req);
  const std::string token = require_string(body, "token");
  const std::string email = require_string(body, "email");
  if (!valid_email(email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
  const std::string password = require_string(body, "password");
  check_password_strength(password);
  store::User u;
  u.id = store::new_id("u_");
  u.email = email;
  u.password_hash = hash_password(password);
  u.created_at = store::now_s();
  switch (db->redeem_invite(token_hash(token), store::now_s(), u)) {
    case store::Store::Redeemed::kOk:
      break;
    case store::Store::Redeemed::kInvalid:
      throw HttpError{403, "forbidden", "the invite is unknown, used or expired"};
    case store::Store::Redeemed::kClientHasAccount:
      throw HttpError{409, "conflict",
                      "you already have an account: log in, or ask your practitioner for a new password link"};
    case store::Store::Redeemed::kEmailTaken:
      throw HttpError{409, "conflict", "an account with this email exists", "$.email"};
  }
  return start_session(req, u, 201);
}

// A one-time password-reset link for `user_id`, issued by `by`.
Json Api::Impl::new_reset(const std::string& user_id, const std::string& by) {
  const std::string token = random_token();
  const int64_t now = store::now_s();
  const store::PasswordReset reset{store::new_id("r_"), token_hash(token), user_id, by, now, now + options.reset_seconds};
  db->create_reset(reset);
  return Json{{"kind", "password_reset"},
              {"id", reset.id},
              {"token", token},
              {"link", options.public_url + "/reset#" + token},
              {"expires_at", reset.expires_at}};
}

Response Api::Impl::issue_reset(const Caller& c, const std::string& user_id) {
  if (!db->user_by_id(user_id)) throw HttpError{404, "not_found", "no such account"};
  Json out = new_reset(user_id, c.user.id);
  audit_one(c, "reset", "user", user_id, "");
  return json_response(201, out);
}

Response Api::Impl::reset_password(const Request& req) {
  const Json body = parse_body(req);
  const std::string token = require_string(body, "token");
  const std::string password = require_string(body, "password");
  check_password_strength(password);
  auto user_id = db->use_reset(token_hash(token), store::now_s());
  if (!user_id) throw HttpError{403, "forbidden", "the reset link is unknown, used or expired"};
  db->set_password(*user_id, hash_password(password));
  db->delete_sessions_of(*user_id);
  sessions.forget_user(*user_id);
  Response r = json_response(200, Json{{"status", "password changed; log in again"}});
  r.user_id = *user_id;
  return r;
}

Response Api::Impl::create_user(const Request& req, const Caller& c) {
  const Json body = parse_body(req);
  auto parsed = store::parse_role(require_string(body, "role"));
  if (!parsed || *parsed == Role::kClient)
    throw HttpError{400, "invalid_body", "expected \"practitioner\" or \"admin\" (clients join by invite)", "$.role"};
  store::User u = account_from(body, *parsed);
  db->create_user(u);
  audit_one(c, "create", "user", u.id, "");
  return json_response(201, user_json(u));
}

// The admin's list of accounts, for issuing password resets: never a
// password hash, only whether one is set.
Response Api::Impl::list_users(const Caller& c) {
  Json users = Json::array();
  for (const auto& u : db->list_users()) {
    Json j = user_json(u);
    j["created_at"] = u.created_at;
    j["has_password"] = !u.password_hash.empty();
    users.push_back(j);
  }
  return audited(json_response(200, Json{{"users", users}}), c, "read", "users", "", "");
}

Response Api::Impl::audit_trail(const Request& req) {
  int64_t after = 0;
  if (const std::string value = query_param(req, "after"); !value.empty()) {
    try {
      after = std::stoll(value);
    } catch (const std::exception&) {
      throw HttpError{400, "invalid_query", "expected after=<entry id>", "after"};
    }
  }
  Json entries = Json::array();
  for (const auto& e : db->audit(after, 500))
    entries.push_back({{"id", e.id},
                       {"at", e.at},
                       {"user_id", e.user_id},
                       {"action", e.action},
                       {"resource", e.resource},
                       {"resource_id", e.resource_id},
                       {"client_id", e.client_id}});
  return json_response(200, Json{{"entries", entries}});
}

}  // namespace rebalance::server
