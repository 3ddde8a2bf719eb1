// Programs: planned from an assessment (or a template), read as JSON,
// calendar or handout, edited and adapted to the logs as new versions.
#include <algorithm>

#include "render/render.h"
#include "report/progress.h"
#include "server/detail/api_internal.h"
#include "track/adapt.h"

namespace rebalance::server {

// The program a stored version describes: planned from its assessment and
// constraints, then its edits, then each adaptation to the logs it names.
// Edits that no longer apply are a 409, or, with `edit_problems`, returned
// there (and no program).
Api::Impl::Planned Api::Impl::replan(const store::Document& assessment, const Json& constraints, std::vector<Problem>* edit_problems) {
  auto parsed = intake::parse(assessment.input, *kb, "stored intake");
  if (!parsed.intake)
    throw HttpError{409, "stale", "the stored intake no longer validates against knowledge base " + kb->version};
  plan::Overrides ov;
  ov.weeks = constraints["weeks"].get<int>();
  ov.days_per_week = constraints["days_per_week"].get<int>();
  ov.minutes = constraints["minutes_per_session"].get<int>();
  ov.start = Date::parse(constraints["start_date"].get<std::string>());
  Planned out{*parsed.intake, {}, {}};
  out.a = assess::apply_review(assess::assess(*kb, out.in), report::review_of(assessment));
  auto c = plan::resolve(*kb, out.in, ov, *ov.start);
  out.p = plan::plan(*kb, out.a, c);
  if (const auto edits = constraints.value("edits", Json::array()); !edits.empty()) {
    auto edited = plan::apply_edits(*kb, out.a, std::move(out.p), parse_edits(edits));
    if (!edited.program && edit_problems != nullptr) {
      *edit_problems = std::move(edited.problems);
      return out;
    }
    if (!edited.program)
      throw HttpError{409, "stale", "the program's edits no longer apply under knowledge base " + kb->version};
    out.p = std::move(*edited.program);
  }
  for (const auto& adaptation : constraints.value("adaptations", Json::array())) {
    std::vector<track::SessionLog> logs;
    for (const auto& id : adaptation.at("logs")) {
      const auto doc = db->document(store::DocKind::kLog, id.get<std::string>());
      if (!doc) throw HttpError{409, "conflict", "a log the program was adapted to is gone"};
      if (auto parsed = track::parse_log(doc->input, *kb, "stored log"); parsed.log) logs.push_back(std::move(*parsed.log));
    }
    out.p = track::adapt(*kb, out.a, out.p, logs, *Date::parse(adaptation.at("as_of").get<std::string>())).program;
  }
  return out;
}

Response Api::Impl::create_program(const Request& req, const Caller& c, const std::string& client_id) {
  client_for(c, client_id, false);
  const Json body = parse_body(req);
  if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
  std::optional<store::Document> assessment;
  if (body.contains("assessment")) {
    const std::string aid = require_string(body, "assessment");
    assessment = db->document(store::DocKind::kAssessment, aid);
    if (!assessment || assessment->client_id != client_id)
      throw HttpError{400, "invalid_body", "expected an assessment of this client", "$.assessment"};
  } else {
    auto all = db->documents_of_client(store::DocKind::kAssessment, client_id);
    if (all.empty()) throw HttpError{409, "conflict", "the client has no assessment yet"};
    assessment = all.back();
  }
  auto parsed = intake::parse(assessment->input, *kb, "stored intake");
  if (!parsed.intake)
    throw HttpError{409, "stale", "the stored intake no longer validates against knowledge base " + kb->version};
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
  const auto constraints = plan::resolve(*kb, *parsed.intake, ov, today());
  Json stored{{"assessment", assessment->id},
              {"weeks", constraints.weeks},
              {"days_per_week", constraints.days_per_week},
              {"minutes_per_session", constraints.minutes},
              {"start_date", constraints.start.iso()}};
  // Planned from the findings as the practitioner confirmed them.
  const auto a = assess::apply_review(assess::assess(*kb, *parsed.intake), report::review_of(*assessment));
  auto p = plan::plan(*kb, a, constraints);
  if (tmpl) {
    const auto edits = template_edits(p, tmpl_body);
    auto edited = plan::apply_edits(*kb, a, std::move(p), edits);
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
    p = std::move(*edited.program);
    Json stored_edits = Json::array();
    for (const auto& e : edits) stored_edits.push_back(edit_json(e));
    stored["edits"] = stored_edits;
    stored["template"] = Json{{"id", tmpl->id}, {"name", tmpl->name}};
  }
  store::Document d{store::new_id("p_"),          client_id, assessment->id,  kb->version, stored.dump(),
                    render::program_json(*kb, p), c.user.id, store::now_ms(), ""};
  db->add_document(store::DocKind::kProgram, d);
  audit_one(c, "create", "program", d.id, client_id);
  return json_response(201, program_body(d));
}

// A program's place among its versions: version (1 for the planned one),
// the version it revised, and the practitioner's edits so far.
Json Api::Impl::version_json(const store::Document& d, Reader reader) {
  const Json input = stored_object(d.input, "program constraints");
  Json out{{"version", input.value("version", 1)},
           {"supersedes", input.contains("supersedes") ? input["supersedes"] : Json(nullptr)},
           {"edits", input.value("edits", Json::array())}};
  if (input.contains("template")) out["template"] = input["template"];
  if (input.contains("reason") && reader == Reader::kCareTeam) out["reason"] = input["reason"];
  return out;
}

// The stored program with its ids in front, without re-serialising it.
std::string Api::Impl::program_text(const store::Document& d, Reader reader) {
  const auto brace = d.output.find('{');
  if (brace == std::string::npos) throw store::StoreError("stored program is not a JSON object");
  std::string head = "{\n  \"id\": " + Json(d.id).dump() + ",\n  \"client_id\": " + Json(d.client_id).dump() +
                     ",\n  \"assessment_id\": " + Json(d.parent_id).dump() + ",";
  const Json version = version_json(d, reader);
  for (auto it = version.begin(); it != version.end(); ++it) head += "\n  " + Json(it.key()).dump() + ": " + it->dump() + ",";
  return head + d.output.substr(brace + 1);
}

// A program version as its care team sees it (the answers of planning,
// editing and adapting, which only the care team does).
Json Api::Impl::program_body(const store::Document& d) {
  Json program = stored_object(d.output, "program");
  Json out{{"id", d.id.empty() ? Json(nullptr) : Json(d.id)}, {"client_id", d.client_id}, {"assessment_id", d.parent_id}};
  out.update(version_json(d, Reader::kCareTeam));
  out.update(program);
  return out;
}

Response Api::Impl::get_program(const Caller& c, const std::string& id, const std::string& format) {
  auto d = db->document(store::DocKind::kProgram, id);
  if (!d) throw HttpError{404, "not_found", "no such program"};
  const auto cl = client_for(c, d->client_id, true);
  audit_one(c, "read", "program", id, d->client_id);
  if (format == "json") return raw_json(program_text(*d, reader_of(c)));
  auto assessment = db->document(store::DocKind::kAssessment, d->parent_id);
  if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
  const auto planned = replan(*assessment, stored_object(d->input, "program constraints"));
  const render::Header header{cl.name, planned.in.preferences.timezone};
  Response r;
  if (format == "ics") {
    r.content_type = "text/calendar; charset=utf-8";
    r.body = render::program_ics(*kb, planned.p, header);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"rebalance-" + id + ".ics\"");
  } else {
    r.content_type = "text/html; charset=utf-8";
    r.body = render::program_html(*kb, planned.a, planned.p, header);
  }
  return r;
}

// An edit as stored: what parse_edits reads back.
Json Api::Impl::edit_json(const plan::Edit& e) {
  static const char* const kOps[] = {"swap", "dose", "remove", "add", "reassess"};
  if (e.op == plan::Edit::Op::kReassess)
    return Json{{"op", "reassess"}, {"week", e.week.value_or(0)}, {"date", e.date ? e.date->iso() : std::string()}};
  Json j{{"op", kOps[static_cast<int>(e.op)]}, {"exercise", e.exercise.str()}};
  if (e.with) j["with"] = e.with->str();
  if (e.sets) j["sets"] = *e.sets;
  if (e.reps) j["reps"] = *e.reps;
  if (e.hold_seconds) j["hold_seconds"] = *e.hold_seconds;
  if (e.from) j["from"] = e.from->iso();
  if (e.only_on) j["only_on"] = e.only_on->iso();
  if (e.day) j["day"] = *e.day;
  if (e.side) j["side"] = std::string(to_string(*e.side));
  return j;
}

// Edits as received (`$.edits`), checked for shape; what they mean is the
// engine's to judge (plan::apply_edits).
std::vector<plan::Edit> Api::Impl::parse_edits(const Json& edits) {
  if (!edits.is_array() || edits.size() > 200)
    throw HttpError{400, "invalid_body", "expected a list of at most 200 edits", "$.edits"};
  std::vector<plan::Edit> out;
  for (size_t i = 0; i < edits.size(); ++i) {
    const Json& e = edits[i];
    const std::string path = "$.edits[" + std::to_string(i) + "]";
    if (!e.is_object()) throw HttpError{400, "invalid_body", "expected an edit object", path};
    auto text = [&](const char* key) {
      if (!e.contains(key) || !e[key].is_string() || e[key].get<std::string>().empty() ||
          e[key].get<std::string>().size() > 100)
        throw HttpError{400, "invalid_body", "expected an exercise id", path + "." + key};
      return ExerciseId(e[key].get<std::string>());
    };
    auto number = [&](const char* key) -> std::optional<double> {
      if (!e.contains(key)) return std::nullopt;
      if (!e[key].is_number()) throw HttpError{400, "invalid_body", "expected a number", path + "." + key};
      return e[key].get<double>();
    };
    auto whole = [&](const char* key) -> std::optional<int> {
      const auto v = number(key);
      if (!v) return std::nullopt;
      if (!e[key].is_number_integer() || *v < -1e6 || *v > 1e6)
        throw HttpError{400, "invalid_body", "expected a whole number", path + "." + key};
      return static_cast<int>(*v);
    };
    plan::Edit edit;
    const std::string op = e.contains("op") && e["op"].is_string() ? e["op"].get<std::string>() : "";
    if (op == "swap")
      edit.op = plan::Edit::Op::kSwap;
    else if (op == "dose")
      edit.op = plan::Edit::Op::kDose;
    else if (op == "remove")
      edit.op = plan::Edit::Op::kRemove;
    else if (op == "add")
      edit.op = plan::Edit::Op::kAdd;
    else if (op == "reassess")
      edit.op = plan::Edit::Op::kReassess;
    else
      throw HttpError{400, "invalid_body", "expected op swap, dose, remove, add or reassess", path + ".op"};
    if (edit.op == plan::Edit::Op::kReassess) {
      edit.week = whole("week");
      if (!edit.week) throw HttpError{400, "invalid_body", "expected the week of the re-assessment", path + ".week"};
      edit.date = e.contains("date") && e["date"].is_string() ? Date::parse(e["date"].get<std::string>()) : std::nullopt;
      if (!edit.date) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", path + ".date"};
      out.push_back(std::move(edit));
      continue;
    }
    edit.exercise = text("exercise");
    if (edit.op == plan::Edit::Op::kSwap) edit.with = text("with");
    if (e.contains("from")) {
      edit.from = e["from"].is_string() ? Date::parse(e["from"].get<std::string>()) : std::nullopt;
      if (!edit.from) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", path + ".from"};
    }
    if (e.contains("only_on")) {
      edit.only_on = e["only_on"].is_string() ? Date::parse(e["only_on"].get<std::string>()) : std::nullopt;
      if (!edit.only_on) throw HttpError{400, "invalid_body", "expected a date YYYY-MM-DD", path + ".only_on"};
    }
    if (e.contains("day")) {
      edit.day = whole("day");
      if (!edit.day || *edit.day < 1 || *edit.day > 7)
        throw HttpError{400, "invalid_body", "expected a session number 1-7", path + ".day"};
    }
    if (e.contains("side")) {
      const std::string side = e["side"].is_string() ? e["side"].get<std::string>() : "";
      if (side != "left" && side != "right") throw HttpError{400, "invalid_body", "expected \"left\" or \"right\"", path + ".side"};
      edit.side = side == "left" ? Side::kLeft : Side::kRight;
    }
    if (edit.op == plan::Edit::Op::kDose) {
      edit.sets = whole("sets");
      edit.reps = whole("reps");
      edit.hold_seconds = number("hold_seconds");
    }
    out.push_back(std::move(edit));
  }
  return out;
}

// POST /programs/{id}/revisions {"edits": [...], "dry_run"?, "reason"?}:
// the edits are added to the version's own, re-applied to the planned
// program, and stored as the next version (past logs keep their sessions:
// edits change exercises and doses, never the schedule).
Response Api::Impl::revise_program(const Request& req, const Caller& c, const std::string& id) {
  auto d = db->document(store::DocKind::kProgram, id);
  if (!d) throw HttpError{404, "not_found", "no such program"};
  client_for(c, d->client_id, false);
  const Json body = parse_body(req);
  if (!body.is_object() || !body.contains("edits"))
    throw HttpError{400, "invalid_body", "expected {\"edits\": [...]}", "$.edits"};
  const bool dry_run = dry_run_of(body);
  const auto reason = optional_string(body, "reason", 500);
  auto edits = parse_edits(body["edits"]);  // shape, with paths relative to this request
  Json stored = stored_object(d->input, "program constraints");
  Json all = stored.value("edits", Json::array());
  const size_t earlier = all.size();
  // An edit changes the program from today on: past weeks never change.
  // Stored as validated, never as received.
  for (auto& e : edits) {
    e.from = today();
    all.push_back(edit_json(e));
  }
  auto assessment = db->document(store::DocKind::kAssessment, d->parent_id);
  if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
  stored["edits"] = all;
  std::vector<Problem> problems;
  auto planned = replan(*assessment, stored, &problems);
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
  const auto [next, status] = next_version(c, *d, std::move(stored), reason, planned.p, dry_run);
  return json_response(status, program_body(next));
}

// The version after `d`: its constraints (`stored`, with the edits and
// adaptations so far), the program they give, and why it was made. A dry
// run answers it without storing it (and without an id): 200; else 201.
std::pair<store::Document, int> Api::Impl::next_version(const Caller& c, const store::Document& d, Json stored,
                                             const std::optional<std::string>& reason, const plan::Program& program,
                                             bool dry_run) {
  stored["supersedes"] = d.id;
  stored["version"] = stored.value("version", 1) + 1;
  stored.erase("reason");
  if (reason) stored["reason"] = *reason;
  store::Document next{dry_run ? "" : store::new_id("p_"), d.client_id, d.parent_id,     kb->version, stored.dump(),
                       render::program_json(*kb, program), c.user.id,   store::now_ms(), ""};
  if (dry_run) return {next, 200};
  db->add_document(store::DocKind::kProgram, next);
  audit_one(c, "create", "program", next.id, next.client_id);
  return {next, 201};
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
  auto d = db->document(store::DocKind::kProgram, id);
  if (!d) throw HttpError{404, "not_found", "no such program"};
  client_for(c, d->client_id, false);
  bool dry_run = false;
  if (!req.body.empty()) {
    const Json body = parse_body(req);
    if (!body.is_object()) throw HttpError{400, "invalid_body", "expected a JSON object", "$"};
    dry_run = dry_run_of(body);
  }
  auto assessment = db->document(store::DocKind::kAssessment, d->parent_id);
  if (!assessment) throw HttpError{409, "conflict", "the program's assessment is gone"};
  Json stored = stored_object(d->input, "program constraints");
  auto planned = replan(*assessment, stored);
  const auto log_docs = report::log_documents_of_versions(*d, db->documents_of_client(store::DocKind::kProgram, d->client_id),
                                                          db->documents_of_client(store::DocKind::kLog, d->client_id));
  std::vector<track::SessionLog> logs;
  Json log_ids = Json::array();
  for (const auto& l : log_docs)
    if (auto parsed = track::parse_log(l.input, *kb, "stored log"); parsed.log) {
      logs.push_back(std::move(*parsed.log));
      log_ids.push_back(l.id);
    }
  const Date as_of = today();
  // Adapting twice to the same logs would step ahead twice: once per set of logs.
  const Json previous = stored.value("adaptations", Json::array());
  const bool nothing_new = !previous.empty() && previous.back().at("logs") == log_ids;
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
  auto answer = [&](const store::Document& doc, int status) {
    Json out = program_body(doc);
    out["changes"] = changes;
    out["flags"] = flags;
    return json_response(status, out);
  };
  if (adapted.changes.empty()) return answer(*d, 200);
  Json adaptations = stored.value("adaptations", Json::array());
  adaptations.push_back({{"as_of", as_of.iso()}, {"logs", log_ids}});
  stored["adaptations"] = adaptations;
  const auto [next, status] =
      next_version(c, *d, std::move(stored), "adapted to the logs as of " + as_of.iso(), adapted.program, dry_run);
  return answer(next, status);
}

}  // namespace rebalance::server
