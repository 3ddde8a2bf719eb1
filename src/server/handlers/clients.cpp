// Clients: the practitioner's list (with each client's latest program at a
// glance), a client's record, invitations and links, sharing and hand-over,
// and the export of everything stored about a client.
#include <algorithm>
#include <limits>

#include "render/render.h"
#include "report/progress.h"
#include "server/auth.h"
#include "server/detail/api_internal.h"
#include "track/adapt.h"
#include "track/adherence.h"

namespace rebalance::server {

Response Api::Impl::list_clients(const Caller& c) {
  if (c.user.role == Role::kClient) {
    auto own = db->client(c.user.client_id);
    Json list = Json::array();
    if (own) {
      Json j = client_view(*own, Reader::kClient);
      j["adherence"] = adherence_summary(*own);
      j["unread_messages"] = db->unread_count(own->id, c.user.id);
      list.push_back(j);
    }
    return audited(json_response(200, Json{{"clients", list}}), c, "read", "client", c.user.client_id,
                   c.user.client_id);
  }
  Json list = Json::array();
  std::vector<store::AuditEntry> entries;
  auto row = [&](const store::Client& cl, bool owned) {
    Json j = client_view(cl, reader_of(c));
    if (!owned) j["shared"] = true;
    j["adherence"] = adherence_summary(cl);
    // Whether the client has joined: the owner's invite becomes a new-password link then.
    if (owned) j["has_account"] = db->client_account(cl.id).has_value();
    j["unread_messages"] = db->unread_count(cl.id, c.user.id);
    list.push_back(j);
    entries.push_back({0, store::now_ms(), c.user.id, "read", "client", cl.id, cl.id});
  };
  for (const auto& cl : db->clients_of(c.user.id)) row(cl, true);
  for (const auto& cl : db->clients_shared_with(c.user.id)) row(cl, false);
  return audited(json_response(200, Json{{"clients", list}}), std::move(entries));
}

Response Api::Impl::create_client(const Request& req, const Caller& c) {
  const Json body = parse_body(req);
  store::Client cl;
  cl.id = store::new_id("c_");
  cl.practitioner_id = c.user.id;
  cl.name = require_string(body, "name");
  cl.email = optional_string(body, "email", 200).value_or("");
  if (!cl.email.empty() && !valid_email(cl.email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
  cl.notes = optional_string(body, "notes", 5000).value_or("");
  cl.created_at = cl.updated_at = store::now_s();
  db->create_client(cl);
  audit_one(c, "create", "client", cl.id, cl.id);
  return json_response(201, client_view(cl, reader_of(c)));
}

Response Api::Impl::get_client(const Caller& c, const std::string& id) {
  const auto cl = client_for(c, id, true);
  Json out = client_view(cl, reader_of(c));
  // A colleague works with the client; only the owner manages access.
  if (c.user.role == Role::kPractitioner && cl.practitioner_id != c.user.id) out["shared"] = true;
  out["unread_messages"] = db->unread_count(id, c.user.id);
  return audited(json_response(200, out), c, "read", "client", id, id);
}

Response Api::Impl::update_client(const Request& req, const Caller& c, const std::string& id) {
  auto cl = client_for(c, id, false);
  const Json body = parse_body(req);
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  if (body.contains("name")) cl.name = require_string(body, "name");
  if (auto email = optional_string(body, "email", 200)) {
    if (!email->empty() && !valid_email(*email)) throw HttpError{400, "invalid_body", "expected an email address", "$.email"};
    cl.email = *email;
  }
  if (auto notes = optional_string(body, "notes", 5000)) cl.notes = *notes;
  cl.updated_at = store::now_s();
  db->update_client(cl);
  audit_one(c, "update", "client", id, id);
  return json_response(200, client_view(cl, reader_of(c)));
}

Response Api::Impl::delete_client(const Caller& c, const std::string& id) {
  const auto cl = client_for(c, id, false);
  require_owner(c, cl);
  db->delete_client(id, c.user.id);
  sessions.forget_client(id);
  program_cache.forget_client(id);
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

// A link for the client: to join, or, once they have an account (a
// client has one), to set a new password for it. The owner's alone: a
// colleague's access ends with the sharing, and so must what it mints.
Response Api::Impl::invite(const Caller& c, const std::string& id) {
  const auto cl = client_for(c, id, false);
  require_owner(c, cl);
  if (const auto account = db->client_account(id)) {
    Json out = new_reset(account->id, c.user.id);
    out["email"] = account->email;
    audit_one(c, "reset", "user", account->id, id);
    return json_response(201, out);
  }
  const std::string token = random_token();
  const int64_t now = store::now_s();
  const store::Invite invite{store::new_id("i_"), token_hash(token), id, c.user.id, now, now + options.invite_seconds, 0};
  db->create_invite(invite);
  audit_one(c, "create", "invite", id, id);
  return json_response(201, Json{{"kind", "invite"},
                                 {"id", invite.id},
                                 {"token", token},
                                 {"link", options.public_url + "/invite#" + token},
                                 {"expires_at", invite.expires_at}});
}

// What gives access to the client besides the care team's logins: the
// client's account, pending invites and resets, the calendar feed.
Response Api::Impl::client_links(const Caller& c, const std::string& id) {
  const auto cl = client_for(c, id, false);
  require_owner(c, cl);
  Json links = Json::array();
  for (const auto& l : db->links_of_client(id, store::now_s())) {
    Json j{{"id", l.id}, {"kind", std::string(store::to_string(l.kind))}, {"created_by", l.created_by},
           {"created_at", l.created_at}};
    j["expires_at"] = l.expires_at > 0 ? Json(l.expires_at) : Json(nullptr);
    links.push_back(j);
  }
  const auto account = db->client_account(id);
  Json out{{"client_id", id},
           {"account", account ? Json{{"id", account->id}, {"email", account->email}, {"created_at", account->created_at}}
                               : Json(nullptr)},
           {"links", links}};
  return audited(json_response(200, out), c, "read", "links", id, id);
}

Response Api::Impl::revoke_client_link(const Caller& c, const std::string& id, const std::string& link) {
  const auto cl = client_for(c, id, false);
  require_owner(c, cl);
  if (link.size() > 64 || !db->revoke_link(id, link)) throw HttpError{404, "not_found", "the client has no such link"};
  audit_one(c, "revoke", "link", link, id);
  return json_response(200, Json{{"id", link}, {"status", "revoked"}});
}

// The practitioner account a body's "practitioner" email names (sharing, hand-over).
std::optional<store::User> Api::Impl::practitioner_named(const Json& body) {
  auto user = db->user_by_email(require_string(body, "practitioner"));
  if (!user || user->role != Role::kPractitioner)
    throw HttpError{400, "invalid_body", "expected the email of a practitioner account", "$.practitioner"};
  return user;
}

Response Api::Impl::share(const Request& req, const Caller& c, const std::string& id, bool on) {
  auto cl = client_for(c, id, false);
  require_owner(c, cl);
  const auto colleague = practitioner_named(parse_body(req));
  if (colleague->id == c.user.id)
    throw HttpError{400, "invalid_body", "expected the email of another practitioner account", "$.practitioner"};
  if (on)
    db->share_client(id, colleague->id);
  else
    db->unshare_client(id, colleague->id);
  audit_one(c, on ? "share" : "unshare", "client", id, id);
  return json_response(200, Json{{"client_id", id}, {"practitioner", colleague->email}, {"shared", on}});
}

Response Api::Impl::transfer(const Request& req, const Caller& c, const std::string& id) {
  auto cl = client_for(c, id, false);
  require_owner(c, cl);
  const auto to = practitioner_named(parse_body(req));
  if (to->id == c.user.id)
    throw HttpError{400, "invalid_body", "expected the email of another practitioner account", "$.practitioner"};
  const int64_t now = store::now_s();
  db->transfer_client(id, to->id, now);
  audit_one(c, "transfer", "client", id, id);
  cl.practitioner_id = to->id;
  cl.updated_at = now;
  return json_response(200, client_view(cl, reader_of(c)));
}

Response Api::Impl::export_client(const Caller& c, const std::string& id) {
  const auto cl = client_for(c, id, true);
  const Reader reader = reader_of(c);
  Json out{{"schema", "rebalance.export/1"},
           {"exported_at", store::now_ms()},
           {"audience", reader == Reader::kClient ? "client" : "care_team"},
           {"client", client_view(cl, reader)}};
  for (auto [kind, key] : {std::pair{store::DocKind::kAssessment, "assessments"},
                           std::pair{store::DocKind::kProgram, "programs"}, std::pair{store::DocKind::kLog, "logs"}}) {
    if (!may_read(reader, kind)) continue;
    Json list = Json::array();
    for (const auto& d : db->documents_of_client(kind, id)) list.push_back(document_view(d, kind, reader));
    out[key] = list;
  }
  Json messages = Json::array();
  for (const auto& m : db->messages_of(id, std::numeric_limits<int>::max())) messages.push_back(message_json(m, c));
  out["messages"] = messages;
  return audited(json_response(200, out), c, "export", "client", id, id);
}

Json Api::Impl::percent(const std::optional<double>& v) {
  if (!v) return nullptr;
  return std::round(*v * 10) / 10;
}

// The client's latest program at a glance, for the client list.
Json Api::Impl::adherence_summary(const store::Client& client) {
  const auto programs = db->documents_of_client(store::DocKind::kProgram, client.id);
  if (programs.empty()) return nullptr;
  // Only the latest version's planned sessions and every version's link to
  // the one before: a list of many clients decodes no program it has seen.
  const auto& latest = programs.back();
  const auto plan = program_cache.planned(latest);
  if (!plan.sessions) unreadable("program " + latest.id, plan.problems);
  const auto& planned = *plan.sessions;
  auto logs = report::logs_of_versions(*kb, latest, programs, db->documents_of_client(store::DocKind::kLog, client.id),
                                       supersedes_reader());
  const auto a = track::adherence(planned, logs, today());
  Json latest_log = latest_log_summary(planned, logs);
  return Json{{"program_id", latest.id},
              {"consistency_percent", percent(a.consistency_percent)},
              {"current_streak", a.current_streak},
              {"missed_sessions", a.missed.size()},
              {"last_log_date", a.last_log ? Json(a.last_log->iso()) : Json(nullptr)},
              {"latest_log", latest_log},
              {"attention", attention(std::move(logs))}};
}

// The latest logged session as the client list shows it: when, how many of
// its planned exercises were skipped, and the client's note (the start of
// it: the whole is on the client's Progress page).
Json Api::Impl::latest_log_summary(const std::vector<track::PlannedSession>& planned, const std::vector<track::SessionLog>& logs) {
  if (logs.empty()) return nullptr;
  const track::SessionLog* last = &logs.front();
  for (const auto& l : logs)
    if (!(l.date < last->date)) last = &l;  // the latest date; of equal dates, the later log
  int skipped = 0;
  for (const auto& ps : planned)
    if (ps.week == last->week && ps.day == last->day)
      for (const auto& e : ps.exercises)
        if (std::none_of(last->items.begin(), last->items.end(), [&](const track::LogItem& i) { return i.exercise == e; })) ++skipped;
  constexpr size_t kNoteShown = 160;
  std::string note = last->note;
  if (note.size() > kNoteShown) {
    size_t cut = kNoteShown;
    while (cut > 0 && (static_cast<unsigned char>(note[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
    note = note.substr(0, cut) + "…";
  }
  return Json{{"date", last->date.iso()},
              {"week", last->week},
              {"day", last->day},
              {"skipped", skipped},
              {"note", note.empty() ? Json(nullptr) : Json(note)}};
}

// Why the practitioner should look at a client now: the back-off rules of
// the knowledge base applied to each session's highest pain, with the date
// of the latest session and the rule's source.
Json Api::Impl::attention(std::vector<track::SessionLog> logs) const {
  std::stable_sort(logs.begin(), logs.end(), [](const auto& x, const auto& y) { return x.date < y.date; });
  std::vector<std::pair<Date, int>> pains;
  for (const auto& l : logs) {
    int p = l.pain;
    for (const auto& i : l.items) p = std::max(p, i.pain.value_or(0));
    pains.emplace_back(l.date, p);
  }
  const auto why = track::back_off_reason(pains, kb->progression.from_logs);
  if (!why) return nullptr;
  return Json{{"reason", *why}, {"date", pains.back().first.iso()}, {"source", kb->progression.from_logs.regress_source}};
}

}  // namespace rebalance::server
