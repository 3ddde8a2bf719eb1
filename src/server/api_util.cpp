// The helpers every handler of the API shares (src/server/detail/api_internal.h).
#include <sstream>

#include "server/detail/api_internal.h"

namespace rebalance::server {


Response json_response(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  return r;
}

void unreadable(const std::string& what, const std::vector<Problem>& problems) {
  throw HttpError{409, "stale", "the stored " + what + " cannot be read back: " + format_problem(problems.front())};
}

Response error_response(const HttpError& e) {
  Json err{{"code", e.code}, {"message", e.message}};
  if (!e.path.empty()) err["path"] = e.path;
  if (!e.problems.is_null()) err["problems"] = e.problems;
  return json_response(e.status, Json{{"error", err}});
}

Json problems_json(const std::vector<Problem>& problems) {
  Json list = Json::array();
  for (const auto& p : problems)
    list.push_back({{"path", p.path}, {"expected", p.expected}, {"found", p.found}, {"message", format_problem(p)}});
  return list;
}

// Problems from the engine's validators become a 400 naming the first path.
void bad_input(const std::vector<Problem>& problems, const std::string& code) {
  const Problem& first = problems.front();
  throw HttpError{400, code, format_problem(first), first.path, problems_json(problems)};
}

void require_json_content(const Request& req) {
  const auto it = req.headers.find("content-type");
  if (it == req.headers.end() || it->second.rfind("application/json", 0) != 0)
    throw HttpError{415, "unsupported_media_type", "expected a JSON body (Content-Type: application/json)"};
}

Json parse_body(const Request& req) {
  require_json_content(req);
  detail::Problems problems("body");
  auto body = detail::parse_untrusted<Json>(req.body, problems, kBodyLimits);
  if (!body) bad_input(problems.list(), "invalid_json");
  return std::move(*body);
}

std::string require_string(const Json& body, const std::string& key, size_t max) {
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  if (!body.contains(key) || !body[key].is_string() || body[key].get<std::string>().empty() ||
      body[key].get<std::string>().size() > max)
    throw HttpError{400, "invalid_body", "expected a non-empty string of at most " + std::to_string(max) + " characters",
                    "$." + key};
  return body[key].get<std::string>();
}

std::optional<std::string> optional_string(const Json& body, const std::string& key, size_t max) {
  if (!body.contains(key)) return std::nullopt;
  if (!body[key].is_string() || body[key].get<std::string>().size() > max)
    throw HttpError{400, "invalid_body", "expected a string of at most " + std::to_string(max) + " characters", "$." + key};
  return body[key].get<std::string>();
}

std::string cookie(const Request& req, const std::string& name) {
  const auto it = req.headers.find("cookie");
  if (it == req.headers.end()) return "";
  std::stringstream in(it->second);
  std::string part;
  while (std::getline(in, part, ';')) {
    const auto start = part.find_first_not_of(' ');
    if (start == std::string::npos) continue;
    part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  }
  return "";
}

// The value of `name` in the query string ("a=1&b=2"), empty when absent.
// Values are ids and numbers: no percent-decoding.
std::string query_param(const Request& req, const std::string& name) {
  std::stringstream in(req.query);
  std::string part;
  while (std::getline(in, part, '&'))
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
  return "";
}

bool valid_email(const std::string& email) {
  const auto at = email.find('@');
  return at != std::string::npos && at > 0 && at + 1 < email.size() && email.find(' ') == std::string::npos &&
         email.size() <= 200;
}



bool may_read(Reader reader, store::DocKind kind) { return reader == Reader::kCareTeam || kind != store::DocKind::kAssessment; }

Json client_view(const store::Client& c, Reader reader) {
  Json j{{"id", c.id}, {"name", c.name}, {"email", c.email}};
  if (reader == Reader::kCareTeam) j["notes"] = c.notes;
  j["practitioner_id"] = c.practitioner_id;
  j["created_at"] = c.created_at;
  j["updated_at"] = c.updated_at;
  return j;
}

Json user_json(const store::User& u) {
  Json j{{"id", u.id}, {"email", u.email}, {"name", u.name}, {"role", std::string(store::to_string(u.role))}};
  if (!u.client_id.empty()) j["client_id"] = u.client_id;
  return j;
}

// A stored document as JSON, read under the body policy: one stored before
// that policy (or damaged) is answered as null, never re-parsed unbounded.
Json stored_json(const std::string& text, size_t max_bytes) {
  if (text.empty()) return nullptr;
  detail::Problems problems("stored document");
  auto doc = detail::parse_untrusted<Json>(text, problems, {max_bytes, kBodyLimits.max_depth});
  return doc ? std::move(*doc) : Json(nullptr);
}

// A stored JSON object the service itself wrote (constraints, program): a
// 409 when it cannot be read back.
Json stored_object(const std::string& text, const std::string& what) {
  Json doc = stored_json(text);
  if (!doc.is_object()) throw HttpError{409, "stale", "the stored " + what + " cannot be read back"};
  return doc;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.emplace_back(path, start, end - start);
    start = end + 1;
  }
  return parts;
}

Response raw_json(std::string body) {
  Response r;
  r.body = std::move(body);
  return r;
}

Date today() {
  const int64_t days = store::now_s() / 86400;
  return Date::from_days(days);
}

}  // namespace rebalance::server
