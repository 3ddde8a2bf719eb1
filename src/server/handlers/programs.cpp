// Programs: planned from an assessment (or a template), read as JSON,
// calendar or handout, edited and adapted to the logs as new versions.
// Every stored version is read as its record (src/record): what is served
// is what was stored; only a new version is planned.
#include <algorithm>

#include "render/render.h"
#include "report/progress.h"
#include "server/detail/api_internal.h"
#include "track/adapt.h"

namespace rebalance::server {

record::ProgramCache::Answer Api::Impl::kept_program(const store::Document& row) {
  auto answer = program_cache.decode(row);
  if (!answer.record) unreadable("program " + row.id, answer.problems);
  return answer;
}

std::shared_ptr<const record::ProgramRecord> Api::Impl::program_record(const store::Document& row) {
  return kept_program(row).record;
}

report::ProgramReader Api::Impl::program_reader() {
  return [this](const store::Document& row) { return program_record(row); };
}

report::SupersedesReader Api::Impl::supersedes_reader() const {
  return [](const store::Document& row) {
    auto decoded = record::decode_program_supersedes(row);
    if (!decoded.value) unreadable("program " + row.id, decoded.problems);
    return std::move(*decoded.value);
  };
}

Api::Impl::ProgramHead Api::Impl::program_head(const Caller& c, const std::string& id, bool client_may_access) {
  auto head = db->document_head(store::DocKind::kProgram, id);
  if (!head) throw HttpError{404, "not_found", "no such program"};
  auto client = client_for(c, head->client_id, client_may_access);
  return {std::move(*head), std::move(client)};
}

Api::Impl::StoredProgram Api::Impl::program_for(const Caller& c, const std::string& id, bool client_may_access) {
  // Who may read it is decided on the row's head; a version's bytes are read
  // only when its record is not kept.
  auto [head, client] = program_head(c, id, client_may_access);
  auto answer = program_cache.kept(head);
  if (!answer) {
    const auto row = db->document(store::DocKind::kProgram, id);
    if (!row) throw HttpError{404, "not_found", "no such program"};  // deleted in between
    answer = kept_program(*row);
  }
  return {std::move(client), std::move(answer->record), std::move(answer->renderings)};
}

record::AssessmentRecord Api::Impl::assessment_record(const store::Document& row) const {
  auto decoded = record::decode_assessment_record(*kb, row);
  if (!decoded.value) unreadable("assessment " + row.id, decoded.problems);
  return std::move(*decoded.value);
}

record::AssessmentRecord Api::Impl::assessment_of(const record::ProgramRecord& program) const {
  const auto row = db->document(store::DocKind::kAssessment, program.assessment_id);
  if (!row) throw HttpError{409, "conflict", "the program's assessment is gone"};
  return assessment_record(*row);
}

// The stored findings as the practitioner reviewed them. What the program
// must respect (pain, screening, equipment, red flags) is not part of the
// stored findings: it is what today's knowledge base makes of the stored
// intake, so a new version never misses a contraindication it knows of.
assess::Assessment Api::Impl::planning_assessment(const record::AssessmentRecord& assessment) const {
  if (!assessment.intake)
    throw HttpError{409, "stale", "the stored intake no longer validates against knowledge base " + kb->version};
  auto a = assessment.reviewed();
  for (const auto& f : a.findings)
    if (!kb->is_muscle_or_group(f.muscle))
      throw HttpError{409, "stale",
                      "the stored findings name " + f.muscle.str() + ", which knowledge base " + kb->version + " does not know"};
  a.restrictions = assess::assess(*kb, *assessment.intake).restrictions;
  return a;
}

// The program a version's constraints describe under today's knowledge
// base: planned from its assessment's findings and its shape, then its
// edits, then each adaptation to the logs it names. Edits that no longer
// apply are a 409, or, with `edit_problems`, returned there (and no
// program).
Api::Impl::Planned Api::Impl::replan(const record::AssessmentRecord& assessment, const record::ProgramRecord& version,
                                     std::vector<Problem>* edit_problems) {
  Planned out{*assessment.intake, planning_assessment(assessment), {}};
  plan::Overrides ov;
  ov.weeks = version.shape.weeks;
  ov.days_per_week = version.shape.days_per_week;
  ov.minutes = version.shape.minutes_per_session;
  ov.start = version.shape.start_date;
  out.p = plan::plan(*kb, out.a, plan::resolve(*kb, out.in, ov, *ov.start));
  if (!version.edits.empty()) {
    auto edited = plan::apply_edits(*kb, out.a, std::move(out.p), version.edits);
    if (!edited.program && edit_problems != nullptr) {
      *edit_problems = std::move(edited.problems);
      return out;
    }
    if (!edited.program) throw HttpError{409, "stale", "the program's edits no longer apply under knowledge base " + kb->version};
    out.p = std::move(*edited.program);
  }
  for (const auto& adaptation : version.adaptations) {
    std::vector<track::SessionLog> logs;
    for (const auto& id : adaptation.logs) {
      const auto doc = db->document(store::DocKind::kLog, id);
      if (!doc) throw HttpError{409, "conflict", "a log the program was adapted to is gone"};
      if (auto parsed = track::parse_log(doc->input, *kb, "stored log"); parsed.log) logs.push_back(std::move(*parsed.log));
    }
    out.p = track::adapt(*kb, out.a, out.p, logs, adaptation.as_of).program;
  }
  return out;
}

Response Api::Impl::create_program(const Request& req, const Caller& c, const std::string& client_id) {
  client_for(c, client_id, false);
  const Json body = parse_body(req);
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  std::optional<store::Document> row;
  if (body.contains("assessment")) {
    const std::string aid = require_string(body, "assessment");
    row = db->document(store::DocKind::kAssessment, aid);
    if (!row || row->client_id != client_id)
      throw HttpError{400, "invalid_body", "expected an assessment of this client", "$.assessment"};
  } else {
    auto all = db->documents_of_client(store::DocKind::kAssessment, client_id);
    if (all.empty()) throw HttpError{409, "conflict", "the client has no assessment yet"};
    row = all.back();
  }
  const auto assessment = assessment_record(*row);
  // Planned from the stored findings as the practitioner confirmed them.
  const auto a = planning_assessment(assessment);
  // A template of the caller's: its exercises and doses, checked by the
  // engine for this client; its shape fills what the request leaves out.
  std::optional<store::Template> tmpl;
  Json tmpl_body;
  if (body.contains("template")) {
    const std::string tid = require_string(body, "template", 64);
    tmpl = db->template_by_id(tid);
    if (!tmpl || tmpl->owner_id != c.user.id || tmpl->kind != "program")
      throw HttpError{400, "invalid_body", "expected one of your program templates", "$.template"};
    tmpl_body = stored_object(tmpl->body, "template");
  }
  plan::Overrides ov;
  // Compared as the number it is, before any conversion: 4294967297 is no week count.
  auto int_field = [&](const char* key, int lo, int hi) -> std::optional<int> {
    if (!body.contains(key)) return std::nullopt;
    if (!body[key].is_number_integer() || body[key].get<double>() < lo || body[key].get<double>() > hi)
      throw HttpError{400, "invalid_body", "expected a whole number " + std::to_string(lo) + "-" + std::to_string(hi),
                      std::string("$.") + key};
    return body[key].get<int>();
  };
  ov.weeks = int_field("weeks", 1, 52);
  ov.days_per_week = int_field("days_per_week", 1, 7);
  ov.minutes = int_field("minutes_per_session", 5, 180);
  if (tmpl) {
    if (!ov.weeks && tmpl_body.contains("weeks")) ov.weeks = tmpl_body["weeks"].get<int>();
    if (!ov.days_per_week && tmpl_body.contains("days_per_week")) ov.days_per_week = tmpl_body["days_per_week"].get<int>();
    if (!ov.minutes && tmpl_body.contains("minutes_per_session")) ov.minutes = tmpl_body["minutes_per_session"].get<int>();
  }
  if (auto start = optional_string(body, "start_date", 10)) {
    ov.start = Date::parse(*start);
    if (!ov.start) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", "$.start_date"};
  }
  const auto constraints = plan::resolve(*kb, *assessment.intake, ov, today());
  record::ProgramRecord version;
  version.id = store::new_id("p_");
  version.client_id = client_id;
  version.assessment_id = assessment.id;
  version.kb_version = kb->version;
  version.created_at = store::now_ms();
  version.created_by = c.user.id;
  version.shape = {constraints.weeks, constraints.days_per_week, constraints.minutes, constraints.start};
  version.program = plan::plan(*kb, a, constraints);
  if (tmpl) {
    const auto edits = template_edits(version.program, tmpl_body);
    auto edited = plan::apply_edits(*kb, a, std::move(version.program), edits);
    if (!edited.program) {
      // Name the template's exercise each problem is about, not an edit the caller never sent.
      Json problems = Json::array();
      std::string first;
      for (const auto& pr : edited.problems) {
        std::string what = pr.path;
        const auto open = what.find('['), close = what.find(']');
        if (open != std::string::npos && close != std::string::npos) {
          const size_t k = std::stoul(what.substr(open + 1, close - open - 1));
          if (k < edits.size()) what = edits[k].exercise.str();
        }
        const std::string message = "the template's " + what + ": expected " + pr.expected + ", found " + pr.found;
        if (first.empty()) first = message;
        problems.push_back({{"path", "$.template"}, {"expected", pr.expected}, {"found", pr.found}, {"message", message}});
      }
      throw HttpError{400, "template_not_applicable", "the template does not fit this client: " + first, "$.template", problems};
    }
    version.program = std::move(*edited.program);
    version.edits = edits;
    version.from_template = record::TemplateRef{tmpl->id, tmpl->name};
  }
  store_version(c, version);
  return json_response(201, program_body(version, Reader::kCareTeam));
}

// Stores a new version through its codec, keeps its record, audits it.
void Api::Impl::store_version(const Caller& c, const record::ProgramRecord& version) {
  const store::Document row = record::encode_program_record(*kb, version);
  db->add_document(store::DocKind::kProgram, row);
  program_cache.keep(row, version);
  audit_one(c, "create", "program", version.id, version.client_id);
}

// A program's place among its versions: version (1 for the planned one),
// the version it revised, the practitioner's edits so far, the template it
// started from and (for the care team) why it was made.
Json Api::Impl::version_json(const record::ProgramRecord& r, Reader reader) {
  Json out{{"version", r.version},
           {"supersedes", r.supersedes.empty() ? Json(nullptr) : Json(r.supersedes)},
           {"edits", Json::parse(record::encode_edits(r.edits))}};
  if (r.from_template) out["template"] = Json{{"id", r.from_template->id}, {"name", r.from_template->name}};
  if (r.reason && reader == Reader::kCareTeam) out["reason"] = *r.reason;
  return out;
}

// A program version as `reader` sees it: its ids and place among the
// versions, then the stored program (`rebalance.program/1`).
Json Api::Impl::program_body(const record::ProgramRecord& r, Reader reader) const {
  Json out{{"id", r.id.empty() ? Json(nullptr) : Json(r.id)}, {"client_id", r.client_id}, {"assessment_id", r.assessment_id}};
  out.update(version_json(r, reader));
  out.update(Json::parse(record::encode_program(*kb, r.program)));
  return out;
}

// The stored version as JSON, calendar or handout: one record, read as
// stored (with the findings of its assessment as stored and reviewed).
Response Api::Impl::get_program(const Caller& c, const std::string& id, const std::string& format) {
  const auto stored = program_for(c, id, true);
  const auto& client = stored.client;
  const auto& version = stored.record;
  if (format == "json") {
    // A version never changes: its JSON is made once for each kind of reader.
    const Reader reader = reader_of(c);
    Response r;
    r.body = *stored.renderings->get(static_cast<size_t>(reader),
                                     [&] { return json_response(200, program_body(*version, reader)).body; });
    return audited(std::move(r), c, "read", "program", id, client.id);
  }
  const auto assessment = assessment_of(*version);
  const auto in = record::render_input(*version, &assessment, client.name);
  Response r;
  if (format == "ics") {
    r.content_type = "text/calendar; charset=utf-8";
    r.body = render::program_ics(*kb, in.program, in.header);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"rebalance-" + id + ".ics\"");
  } else {
    r.content_type = "text/html; charset=utf-8";
    r.body = render::program_html(*kb, in.assessment, in.program, in.header);
  }
  return audited(std::move(r), c, "read", "program", id, client.id);
}

// Edits as received (`$.edits`), checked for shape by the edits' codec;
// what they mean is the engine's to judge (plan::apply_edits).
std::vector<plan::Edit> Api::Impl::request_edits(const Json& edits) {
  auto decoded = record::decode_edits(edits.dump(), "body", "$.edits");
  if (!decoded.value) bad_input(decoded.problems, "invalid_body");
  return std::move(*decoded.value);
}

// POST /programs/{id}/revisions {"edits": [...], "dry_run"?, "reason"?}:
// the edits are added to the version's own, re-applied to the planned
// program, and stored as the next version (past logs keep their sessions:
// edits change exercises and doses, never the schedule).
Response Api::Impl::revise_program(const Request& req, const Caller& c, const std::string& id) {
  const auto version = program_for(c, id, false).record;
  const Json body = parse_body(req);
  if (!body.is_object() || !body.contains("edits"))
    throw HttpError{400, "invalid_body", "expected {\"edits\": [...]}", "$.edits"};
  const bool dry_run = dry_run_of(body);
  const auto reason = optional_string(body, "reason", 500);
  auto edits = request_edits(body["edits"]);  // shape, with paths relative to this request
  record::ProgramRecord next = *version;
  const size_t earlier = next.edits.size();
  // An edit changes the program from today on: past weeks never change.
  for (auto& e : edits) {
    e.from = today();
    next.edits.push_back(std::move(e));
  }
  std::vector<Problem> problems;
  auto planned = replan(assessment_of(*version), next, &problems);
  if (!problems.empty()) {
    // Number the problems as the caller numbered its edits.
    for (auto& p : problems) {
      const std::string prefix = "$.edits[";
      if (p.path.rfind(prefix, 0) != 0) continue;
      const size_t close = p.path.find(']');
      const size_t index = std::stoul(p.path.substr(prefix.size(), close - prefix.size()));
      if (index < earlier) continue;  // an earlier version's edit: keep its number in the whole list
      p.path = prefix + std::to_string(index - earlier) + p.path.substr(close);
    }
    bad_input(problems, "invalid_edit");
  }
  next.reason = reason;
  next.program = std::move(planned.p);
  const auto [stored, status] = next_version(c, *version, std::move(next), dry_run);
  return json_response(status, program_body(stored, Reader::kCareTeam));
}

// The version after `previous`: `next` (its constraints, with the edits and
// adaptations so far, the program they gave under today's knowledge base,
// and why it was made) numbered, dated and stored. A dry run answers it
// without storing it (and without an id): 200; else 201.
std::pair<record::ProgramRecord, int> Api::Impl::next_version(const Caller& c, const record::ProgramRecord& previous,
                                                              record::ProgramRecord next, bool dry_run) {
  next.id = dry_run ? "" : store::new_id("p_");
  next.supersedes = previous.id;
  next.version = previous.version + 1;
  next.kb_version = kb->version;
  next.program.kb_version = kb->version;
  next.created_by = c.user.id;
  next.created_at = store::now_ms();
  if (dry_run) return {std::move(next), 200};
  store_version(c, next);
  return {std::move(next), 201};
}

// The optional "dry_run" of a body.
bool Api::Impl::dry_run_of(const Json& body) {
  if (!body.contains("dry_run")) return false;
  if (!body["dry_run"].is_boolean()) throw HttpError{400, "invalid_body", "expected true or false", "$.dry_run"};
  return body["dry_run"].get<bool>();
}

// POST /programs/{id}/adapt {"dry_run"?}: the weeks from today on
// regenerated from the logs of this program and the versions it revised
// (track::adapt); stored as the next version when anything changes.
Response Api::Impl::adapt_program(const Request& req, const Caller& c, const std::string& id) {
  const auto version = program_for(c, id, false).record;
  bool dry_run = false;
  if (!req.body.empty()) {
    const Json body = parse_body(req);
    if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
    dry_run = dry_run_of(body);
  }
  auto planned = replan(assessment_of(*version), *version);
  const auto log_docs =
      report::log_documents_of_versions(*version, db->documents_of_client(store::DocKind::kProgram, version->client_id),
                                        db->documents_of_client(store::DocKind::kLog, version->client_id), supersedes_reader());
  std::vector<track::SessionLog> logs;
  std::vector<std::string> log_ids;
  for (const auto& l : log_docs)
    if (auto parsed = track::parse_log(l.input, *kb, "stored log"); parsed.log) {
      logs.push_back(std::move(*parsed.log));
      log_ids.push_back(l.id);
    }
  const Date as_of = today();
  // Adapting twice to the same logs would step ahead twice: once per set of logs.
  const bool nothing_new = !version->adaptations.empty() && version->adaptations.back().logs == log_ids;
  const auto adapted =
      nothing_new ? track::Adaptation{planned.p, {}, {}, 0} : track::adapt(*kb, planned.a, planned.p, logs, as_of);
  Json changes = Json::array();
  for (const auto& ch : adapted.changes) {
    Json j{{"kind", std::string(track::to_string(ch.kind))},
           {"from_week", ch.from_week},
           {"reason", ch.reason},
           {"source", ch.source}};
    if (ch.date) j["date"] = ch.date->iso();
    if (ch.exercise) j["exercise"] = ch.exercise->str();
    if (ch.replacement) j["replacement"] = ch.replacement->str();
    changes.push_back(j);
  }
  Json flags = Json::array();
  for (const auto& f : adapted.flags) {
    Json exercises = Json::array();
    for (const auto& e : f.exercises) exercises.push_back(e.str());
    flags.push_back(Json{{"date", f.date.iso()}, {"reason", f.reason}, {"source", f.source}, {"exercises", exercises}});
  }
  auto answer = [&](const record::ProgramRecord& r, int status) {
    Json out = program_body(r, Reader::kCareTeam);
    out["changes"] = changes;
    out["flags"] = flags;
    return json_response(status, out);
  };
  if (adapted.changes.empty()) return answer(*version, 200);
  record::ProgramRecord next = *version;
  next.adaptations.push_back({as_of, log_ids});
  next.reason = "adapted to the logs as of " + as_of.iso();
  next.program = adapted.program;
  const auto [stored, status] = next_version(c, *version, std::move(next), dry_run);
  return answer(stored, status);
}

}  // namespace rebalance::server
