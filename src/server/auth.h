// Passwords and tokens (libsodium): argon2id password hashes, 256-bit random
// tokens stored only as keyed hashes.
#pragma once

#include <string>

namespace rebalance::server {

// REQUIRES: sodium_init() succeeded (store::open_* does it).
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);
// 32 random bytes, hex.
std::string random_token();
// BLAKE2b-256 of a token, hex: what the database keeps.
std::string token_hash(const std::string& token);
// Constant-time comparison.
bool same_secret(const std::string& a, const std::string& b);

}  // namespace rebalance::server
