// The API's one route table: for each route its method, path pattern, who may
// call it, the status and media type of success, the request and response
// schemas, a summary, and its handler. Dispatch (api.cpp) and the OpenAPI
// document (openapi.cpp) both read it, so they cannot disagree; a test calls
// every route as a caller it admits and checks the answer against this table.
#include "render/render.h"
#include "server/detail/api_internal.h"

namespace rebalance::server {
namespace {

using Impl = Api::Impl;
using Call = Impl::Call;

constexpr Access kPublic = Access::kPublic;
constexpr Access kOptional = Access::kOptionalLogin;
constexpr Access kLogin = Access::kLoggedIn;
constexpr unsigned kNone = 0;
constexpr unsigned kCare = kPractitioners;
constexpr unsigned kPeople = kPractitioners | kClients;
const std::string kJson = "application/json";
const std::string kCalendar = "text/calendar";
const std::string kHtml = "text/html";
const std::string kSvg = "image/svg+xml";
constexpr bool kQuick = true;  // RouteInfo::quick

// Sorted by resource; the order is the OpenAPI document's.
std::vector<RouteEntry> build() {
  std::vector<RouteEntry> t = {
      // ---- the service and the knowledge base (public) ----
      {{"GET", "/healthz", kPublic, kNone, 200, kJson, "", "Health",
        "Liveness: the process answers and its database is reachable", "", kQuick},
       [](Impl& a, const Call&) { return a.health(); }},
      {{"GET", "/api/v1/healthz", kPublic, kNone, 200, kJson, "", "Health", "Liveness, under the API prefix", "",
        kQuick},
       [](Impl& a, const Call&) { return a.health(); }},
      {{"GET", "/api/v1/openapi.json", kPublic, kNone, 200, kJson, "", "", "This OpenAPI document"},
       [](Impl&, const Call&) { return raw_json(openapi_document()); }},
      {{"GET", "/api/v1/exercises", kPublic, kNone, 200, kJson, "", "ExerciseList", "The exercise library"},
       [](Impl& a, const Call&) { return raw_json(render::exercises_json(*a.kb, nullptr)); }},
      {{"GET", "/api/v1/exercises/{id}", kPublic, kNone, 200, kJson, "", "Exercise", "One exercise"},
       [](Impl& a, const Call& c) { return a.exercise(c.param("id")); }},
      {{"GET", "/api/v1/exercises/{id}/illustration.svg", kPublic, kNone, 200, kSvg, "", "",
        "The exercise drawn (SVG): start pose faint, key pose in full, an arrow for the movement; ETag by "
        "knowledge-base version"},
       [](Impl& a, const Call& c) { return a.figure(c.req, c.param("id"), false); }},
      {{"GET", "/api/v1/exercises/{id}/animation.svg", kPublic, kNone, 200, kSvg, "", "",
        "The exercise as an animated loop (SVG animation, no script); ETag by knowledge-base version"},
       [](Impl& a, const Call& c) { return a.figure(c.req, c.param("id"), true); }},
      {{"GET", "/api/v1/muscles", kPublic, kNone, 200, kJson, "", "", "Muscles and groups"},
       [](Impl& a, const Call&) { return raw_json(render::muscles_json(*a.kb)); }},
      {{"GET", "/api/v1/tests", kPublic, kNone, 200, kJson, "", "", "Assessment tests with norms and measurement error"},
       [](Impl& a, const Call&) { return raw_json(render::tests_json(*a.kb)); }},
      {{"GET", "/api/v1/guidance", kPublic, kNone, 200, kJson, "", "",
        "Prevention tips and functional-training guidance"},
       [](Impl& a, const Call&) { return raw_json(render::guidance_json(*a.kb)); }},
      {{"GET", "/api/v1/vocabulary", kPublic, kNone, 200, kJson, "", "Vocabulary",
        "The knowledge base's vocabularies the app offers: red flags, screening items, posture observations, "
        "movement tests, regions, equipment, with names and hints"},
       [](Impl& a, const Call&) { return raw_json(render::vocabulary_json(*a.kb)); }},

      // ---- accounts and sessions ----
      {{"POST", "/api/v1/auth/setup", kPublic, kNone, 201, kJson, "Setup", "Session",
        "Create the first admin with the one-time setup token"},
       [](Impl& a, const Call& c) { return a.setup(c.req); }},
      {{"POST", "/api/v1/auth/login", kPublic, kNone, 200, kJson, "Login", "Session",
        "Log in with email and password; sets the session cookie"},
       [](Impl& a, const Call& c) { return a.login(c.req); }},
      {{"POST", "/api/v1/auth/logout", kLogin, kAnyRole, 200, kJson, "", "Status", "End the current session"},
       [](Impl& a, const Call& c) { return a.logout(c.who()); }},
      {{"GET", "/api/v1/auth/me", kLogin, kAnyRole, 200, kJson, "", "Me",
        "The logged-in user and the CSRF token of the session", "", kQuick},
       [](Impl&, const Call& c) {
         return json_response(200, Json{{"user", user_json(c.who().user)}, {"csrf_token", c.who().session.csrf_token}});
       }},
      {{"GET", "/api/v1/auth/session", kOptional, kNone, 200, kJson, "", "Me",
        "Like auth/me, but 200 with a null user when nobody is logged in (for the app's first load)", "", kQuick},
       [](Impl&, const Call& c) {
         return json_response(200, c.caller ? Json{{"user", user_json(c.who().user)}, {"csrf_token", c.who().session.csrf_token}}
                                             : Json{{"user", nullptr}});
       }},
      {{"POST", "/api/v1/auth/accept-invite", kPublic, kNone, 201, kJson, "AcceptInvite", "Session",
        "A client creates their account with an invite token"},
       [](Impl& a, const Call& c) { return a.accept_invite(c.req); }},
      {{"POST", "/api/v1/auth/reset", kPublic, kNone, 200, kJson, "PasswordReset", "Status",
        "Set a new password with a reset token (ends the account's sessions)"},
       [](Impl& a, const Call& c) { return a.reset_password(c.req); }},
      {{"POST", "/api/v1/users", kLogin, kAdmins, 201, kJson, "NewUser", "User",
        "Admin: create a practitioner or admin account"},
       [](Impl& a, const Call& c) { return a.create_user(c.req, c.who()); }},
      {{"GET", "/api/v1/users", kLogin, kAdmins, 200, kJson, "", "UserList",
        "Admin: every account (name, email, role, whether a password is set)"},
       [](Impl& a, const Call& c) { return a.list_users(c.who()); }},
      {{"POST", "/api/v1/users/{id}/password-reset", kLogin, kAdmins, 201, kJson, "", "Link",
        "Admin: issue a one-time password-reset link for an account"},
       [](Impl& a, const Call& c) { return a.issue_reset(c.who(), c.param("id")); }},
      {{"GET", "/api/v1/audit", kLogin, kAdmins, 200, kJson, "", "AuditTrail",
        "Admin: the audit trail (who read or wrote what, when; ?after=ID pages on)"},
       [](Impl& a, const Call& c) { return a.audit_trail(c.req); }},

      // ---- clients ----
      {{"GET", "/api/v1/clients", kLogin, kPeople, 200, kJson, "", "ClientList",
        "Practitioner: their clients and those shared with them, each with their latest program at a glance; client: "
        "their own record"},
       [](Impl& a, const Call& c) { return a.list_clients(c.who()); }},
      {{"POST", "/api/v1/clients", kLogin, kCare, 201, kJson, "NewClient", "Client", "Add a client"},
       [](Impl& a, const Call& c) { return a.create_client(c.req, c.who()); }},
      {{"GET", "/api/v1/clients/{id}", kLogin, kPeople, 200, kJson, "", "Client", "One client"},
       [](Impl& a, const Call& c) { return a.get_client(c.who(), c.param("id")); }},
      {{"PATCH", "/api/v1/clients/{id}", kLogin, kCare, 200, kJson, "ClientChange", "Client",
        "Change a client's name, email or notes"},
       [](Impl& a, const Call& c) { return a.update_client(c.req, c.who(), c.param("id")); }},
      {{"DELETE", "/api/v1/clients/{id}", kLogin, kCare, 204, "", "", "", "Owner: delete a client and all their health data"},
       [](Impl& a, const Call& c) { return a.delete_client(c.who(), c.param("id")); }},
      {{"POST", "/api/v1/clients/{id}/invite", kLogin, kCare, 201, kJson, "", "Link",
        "Owner: a one-time link for the client to join (or, once they have an account, to set a new password)"},
       [](Impl& a, const Call& c) { return a.invite(c.who(), c.param("id")); }},
      {{"GET", "/api/v1/clients/{id}/links", kLogin, kCare, 200, kJson, "", "ClientLinks",
        "Owner: the client's pending invites and password resets and their calendar feed"},
       [](Impl& a, const Call& c) { return a.client_links(c.who(), c.param("id")); }},
      {{"DELETE", "/api/v1/clients/{id}/links/{link}", kLogin, kCare, 200, kJson, "", "Status",
        "Owner: revoke a pending invite or reset, or the feed"},
       [](Impl& a, const Call& c) { return a.revoke_client_link(c.who(), c.param("id"), c.param("link")); }},
      {{"POST", "/api/v1/clients/{id}/transfer", kLogin, kCare, 200, kJson, "Colleague", "Client",
        "Owner: hand the client over to another practitioner (by email); ends sharing and the links others made"},
       [](Impl& a, const Call& c) { return a.transfer(c.req, c.who(), c.param("id")); }},
      {{"POST", "/api/v1/clients/{id}/share", kLogin, kCare, 200, kJson, "Colleague", "Sharing",
        "Owner: share the client with a colleague (by email)"},
       [](Impl& a, const Call& c) { return a.share(c.req, c.who(), c.param("id"), true); }},
      {{"POST", "/api/v1/clients/{id}/unshare", kLogin, kCare, 200, kJson, "Colleague", "Sharing",
        "Owner: stop sharing the client with a colleague; revokes the links the colleague made"},
       [](Impl& a, const Call& c) { return a.share(c.req, c.who(), c.param("id"), false); }},
      {{"GET", "/api/v1/clients/{id}/export", kLogin, kPeople, 200, kJson, "", "Export",
        "Everything stored about a client that the caller may read, as JSON (rebalance.export/1)"},
       [](Impl& a, const Call& c) { return a.export_client(c.who(), c.param("id")); }},

      // ---- messages ----
      {{"GET", "/api/v1/clients/{id}/messages", kLogin, kPeople, 200, kJson, "", "MessageThread",
        "The client's thread with their care team (the last 500 messages) and how many are unread by the caller"},
       [](Impl& a, const Call& c) { return a.list_messages(c.who(), c.param("id")); }},
      {{"POST", "/api/v1/clients/{id}/messages", kLogin, kPeople, 201, kJson, "NewMessage", "Message",
        "The client or their care team writes in the thread"},
       [](Impl& a, const Call& c) { return a.post_message(c.req, c.who(), c.param("id")); }},
      {{"POST", "/api/v1/clients/{id}/messages/read", kLogin, kPeople, 200, kJson, "ReadMark", "Unread",
        "Mark the thread read by the caller up to a message ({\"up_to\": id})"},
       [](Impl& a, const Call& c) { return a.read_messages(c.req, c.who(), c.param("id")); }},

      // ---- templates ----
      {{"GET", "/api/v1/templates", kLogin, kCare, 200, kJson, "", "TemplateList",
        "Practitioner: their own templates (?kind=program or test_set)"},
       [](Impl& a, const Call& c) { return a.list_templates(c.req, c.who()); }},
      {{"POST", "/api/v1/templates", kLogin, kCare, 201, kJson, "NewTemplate", "Template",
        "Practitioner: save a template: a program's first week (from_program) or a set of assessment tests (tests)"},
       [](Impl& a, const Call& c) { return a.create_template(c.req, c.who()); }},
      {{"DELETE", "/api/v1/templates/{id}", kLogin, kCare, 200, kJson, "", "Deleted",
        "Practitioner: delete one of their templates"},
       [](Impl& a, const Call& c) { return a.delete_template(c.who(), c.param("id")); }},

      // ---- assessments ----
      {{"POST", "/api/v1/clients/{id}/assessments", kLogin, kCare, 201, kJson, "Intake", "Findings",
        "Assess an intake (rebalance.intake/1): returns the findings"},
       [](Impl& a, const Call& c) { return a.create_assessment(c.req, c.who(), c.param("id")); }},
      {{"GET", "/api/v1/clients/{id}/assessments", kLogin, kCare, 200, kJson, "", "AssessmentList",
        "A client's assessments"},
       [](Impl& a, const Call& c) { return a.list_docs(c.who(), c.param("id"), store::DocKind::kAssessment); }},
      {{"GET", "/api/v1/assessments/{id}", kLogin, kCare, 200, kJson, "", "StoredDocument",
        "One assessment with its intake, findings and review"},
       [](Impl& a, const Call& c) { return a.get_assessment(c.who(), c.param("id")); }},
      {{"PATCH", "/api/v1/assessments/{id}", kLogin, kCare, 200, kJson, "Review", "StoredDocument",
        "Review the findings: dismiss or add findings, keep clinical notes"},
       [](Impl& a, const Call& c) { return a.review_assessment(c.req, c.who(), c.param("id")); }},
      {{"GET", "/api/v1/assessments/{id}/comparison", kLogin, kCare, 200, kJson, "", "",
        "This assessment against an earlier one (?with=ID, default the one before): changes judged against each "
        "test's MDC"},
       [](Impl& a, const Call& c) { return a.compare_assessments(c.req, c.who(), c.param("id")); }},
      {{"POST", "/api/v1/intake/validate", kLogin, kAnyRole, 200, kJson, "Intake", "Validation",
        "Check an intake or a draft without storing it: every problem, as assessing it would report (200 either way)"},
       [](Impl& a, const Call& c) { return a.validate_intake(c.req); }},

      // ---- programs ----
      {{"POST", "/api/v1/clients/{id}/programs", kLogin, kCare, 201, kJson, "NewProgram", "Program",
        "Plan a program from an assessment (default the latest) and constraints, or from a template"},
       [](Impl& a, const Call& c) { return a.create_program(c.req, c.who(), c.param("id")); }},
      {{"GET", "/api/v1/clients/{id}/programs", kLogin, kPeople, 200, kJson, "", "ProgramList", "A client's programs"},
       [](Impl& a, const Call& c) { return a.list_docs(c.who(), c.param("id"), store::DocKind::kProgram); }},
      {{"GET", "/api/v1/programs/{id}", kLogin, kPeople, 200, kJson, "", "Program",
        "One program version (rebalance.program/1) with its place among the versions", "", kQuick},
       [](Impl& a, const Call& c) { return a.get_program(c.who(), c.param("id"), "json"); }},
      {{"GET", "/api/v1/programs/{id}/calendar.ics", kLogin, kPeople, 200, kCalendar, "", "",
        "The program as an iCalendar file"},
       [](Impl& a, const Call& c) { return a.get_program(c.who(), c.param("id"), "ics"); }},
      {{"GET", "/api/v1/programs/{id}/handout.html", kLogin, kPeople, 200, kHtml, "", "",
        "The program as a printable handout"},
       [](Impl& a, const Call& c) { return a.get_program(c.who(), c.param("id"), "html"); }},
      {{"POST", "/api/v1/programs/{id}/revisions", kLogin, kCare, 201, kJson, "Revision", "Program",
        "Edit a program (swap, dose, remove, add, reassess) as a new version; dry_run previews it (200)"},
       [](Impl& a, const Call& c) { return a.revise_program(c.req, c.who(), c.param("id")); }},
      {{"POST", "/api/v1/programs/{id}/adapt", kLogin, kCare, 201, kJson, "Adapt", "Program",
        "Regenerate the weeks ahead from the client's logs (progress, hold, ease, repeat a missed week) as a new "
        "version; dry_run previews it, and nothing to change answers the program as it is (200)"},
       [](Impl& a, const Call& c) { return a.adapt_program(c.req, c.who(), c.param("id")); }},

      // ---- logs, adherence, progress ----
      {{"POST", "/api/v1/programs/{id}/logs", kLogin, kPeople, 201, kJson, "SessionLog", "LoggedSession",
        "Log a session (rebalance.log/1)", "", kQuick},
       [](Impl& a, const Call& c) { return a.create_log(c.req, c.who(), c.param("id")); }},
      {{"GET", "/api/v1/programs/{id}/logs", kLogin, kPeople, 200, kJson, "", "LogList", "A program's session logs", "",
        kQuick},
       [](Impl& a, const Call& c) { return a.list_logs(c.who(), c.param("id")); }},
      {{"GET", "/api/v1/programs/{id}/adherence", kLogin, kPeople, 200, kJson, "", "Adherence",
        "Planned against logged sessions: consistency, streaks, missed sessions, per week"},
       [](Impl& a, const Call& c) { return a.program_adherence(c.who(), c.param("id")); }},
      {{"GET", "/api/v1/clients/{id}/progress", kLogin, kCare, 200, kJson, "", "Progress",
        "Progress report (rebalance.progress/1): adherence, effort and pain, re-assessment"},
       [](Impl& a, const Call& c) { return a.progress(c.who(), c.param("id"), false); }},
      {{"GET", "/api/v1/clients/{id}/progress.html", kLogin, kCare, 200, kHtml, "", "",
        "The progress report as a page with charts"},
       [](Impl& a, const Call& c) { return a.progress(c.who(), c.param("id"), true); }},

      // ---- calendar feeds ----
      {{"POST", "/api/v1/clients/{id}/calendar-feed", kLogin, kPeople, 201, kJson, "", "FeedUrl",
        "Owner or the client: a secret calendar-feed URL of upcoming sessions and re-assessments (replaces any "
        "earlier one)"},
       [](Impl& a, const Call& c) { return a.manage_calendar_feed(c.req, c.who(), c.param("id")); }},
      {{"DELETE", "/api/v1/clients/{id}/calendar-feed", kLogin, kPeople, 200, kJson, "", "Status",
        "Owner or the client: revoke the calendar-feed URL"},
       [](Impl& a, const Call& c) { return a.manage_calendar_feed(c.req, c.who(), c.param("id")); }},
      {{"GET", "/api/v1/calendar/{token}", kPublic, kNone, 200, kCalendar, "", "",
        "The calendar feed (iCalendar) a secret URL names; no login, for calendar apps", "token"},
       [](Impl& a, const Call& c) { return a.calendar_feed(c.param("token")); }},
  };
  return t;
}

}  // namespace

const std::vector<RouteEntry>& route_table() {
  static const std::vector<RouteEntry> table = build();
  return table;
}

}  // namespace rebalance::server
