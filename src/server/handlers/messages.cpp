// Messages: one thread per client between the client and their care team.
#include "server/detail/api_internal.h"

namespace rebalance::server {

// A thread's messages as the caller reads them: whether each is theirs,
// who wrote it (by name) and when; never another user's id.
Json Api::Impl::message_json(const store::Message& m, const Caller& c) {
  return Json{{"id", m.id},
              {"from", m.from_client ? "client" : "care_team"},
              {"author_name", m.author_name},
              {"mine", m.author_id == c.user.id},
              {"body", m.body},
              {"created_at", m.created_at}};
}

Response Api::Impl::list_messages(const Caller& c, const std::string& id) {
  client_for(c, id, true);
  auto messages = db->messages_of(id, kThreadLimit + 1);
  const bool more = messages.size() > static_cast<size_t>(kThreadLimit);
  if (more) messages.erase(messages.begin());
  Json list = Json::array();
  for (const auto& m : messages) list.push_back(message_json(m, c));
  return audited(json_response(200, Json{{"client_id", id},
                                         {"messages", list},
                                         {"more", more},
                                         {"unread", db->unread_count(id, c.user.id)}}),
                 c, "read", "messages", id, id);
}

Response Api::Impl::post_message(const Request& req, const Caller& c, const std::string& id) {
  client_for(c, id, true);
  const Json body = parse_body(req);
  const std::string text = message_text(body);
  store::Message m{store::new_id("m_"), id, c.user.id, c.user.name, c.user.role == Role::kClient, text, store::now_ms()};
  db->add_message(m);
  // What one writes is read by oneself.
  db->mark_read(id, c.user.id, m.id);
  audit_one(c, "create", "message", m.id, id);
  return json_response(201, message_json(m, c));
}

Response Api::Impl::read_messages(const Request& req, const Caller& c, const std::string& id) {
  client_for(c, id, true);
  const Json body = parse_body(req);
  const std::string up_to = require_string(body, "up_to", 64);
  if (!db->mark_read(id, c.user.id, up_to))
    throw HttpError{404, "not_found", "no message " + up_to + " in this thread", "$.up_to"};
  return json_response(200, Json{{"client_id", id}, {"unread", db->unread_count(id, c.user.id)}});
}

// A message's text: plain text of 1 to 2,000 characters (line breaks and
// tabs allowed, no other control characters), trimmed.
std::string Api::Impl::message_text(const Json& body) {
  if (!body.is_object() || !body.contains("body") || !body["body"].is_string())
    throw HttpError{400, "invalid_body", "expected the message as a string", "$.body"};
  std::string text = body["body"].get<std::string>();
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) throw HttpError{400, "invalid_body", "the message is empty", "$.body"};
  text = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
  size_t characters = 0;
  for (unsigned char ch : text) {
    if ((ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') || ch == 0x7f)
      throw HttpError{400, "invalid_body", "the message holds a control character", "$.body"};
    if ((ch & 0xc0) != 0x80) ++characters;  // UTF-8 lead bytes: the parser has checked the encoding
  }
  if (characters > 2000)
    throw HttpError{400, "invalid_body", "expected at most 2000 characters, found " + std::to_string(characters), "$.body"};
  return text;
}

}  // namespace rebalance::server
