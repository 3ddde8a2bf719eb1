// Calendar feeds: a secret URL of a client's upcoming sessions for calendar
// apps.
#include "render/render.h"
#include "server/auth.h"
#include "server/detail/api_internal.h"

namespace rebalance::server {

// The owner's or the client's own: a colleague's access ends with the
// sharing, and a feed is a standing link to the client's schedule.
Response Api::Impl::manage_calendar_feed(const Request& req, const Caller& c, const std::string& id) {
  const auto cl = client_for(c, id, true);
  if (c.user.role == Role::kPractitioner) require_owner(c, cl);
  if (req.method == "DELETE") {
    if (!db->revoke_calendar_feed(id)) throw HttpError{404, "not_found", "the client has no calendar feed"};
    audit_one(c, "delete", "calendar_feed", id, id);
    return json_response(200, Json{{"status", "revoked"}});
  }
  const std::string token = random_token();
  db->set_calendar_feed(id, token_hash(token), c.user.id, store::now_s());
  audit_one(c, "create", "calendar_feed", id, id);
  return json_response(201, Json{{"url", options.public_url + "/api/v1/calendar/" + token + ".ics"}});
}

// Upcoming sessions and re-assessments of the client's latest program, as
// stored.
Response Api::Impl::calendar_feed(std::string token) {
  if (token.size() > 4 && token.ends_with(".ics")) token.resize(token.size() - 4);
  const auto client_id = token.size() <= 128 ? db->client_of_calendar_feed(token_hash(token)) : std::nullopt;
  if (!client_id) throw HttpError{404, "not_found", "no such calendar feed (it may have been revoked)"};
  const auto client = db->client(*client_id);
  const auto programs = db->documents_of_client(store::DocKind::kProgram, *client_id);
  if (!client || programs.empty()) throw HttpError{404, "not_found", "no program to show yet"};
  const auto version = program_record(programs.back());
  const auto assessment = assessment_of(*version);
  auto in = record::render_input(*version, &assessment, client->name);
  const Date from = today();
  std::erase_if(in.program.sessions, [&](const plan::Session& s) { return s.date < from; });
  std::erase_if(in.program.reassessments, [&](const plan::Reassessment& r) { return r.date < from; });
  audit.record({store::AuditEntry{0, store::now_ms(), "", "read", "calendar_feed", version->id, *client_id}});
  Response r;
  r.content_type = "text/calendar; charset=utf-8";
  r.body = render::program_ics(*kb, in.program, in.header);
  return r;
}

}  // namespace rebalance::server
