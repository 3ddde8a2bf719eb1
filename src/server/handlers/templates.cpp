// Templates: a practitioner's own program templates (a program's first week,
// no client data) and assessment test sets.
#include <algorithm>
#include <set>

#include "server/detail/api_internal.h"

namespace rebalance::server {

Json Api::Impl::template_json(const store::Template& t) {
  return Json{{"id", t.id}, {"kind", t.kind}, {"name", t.name}, {"body", stored_json(t.body)}, {"created_at", t.created_at}};
}

Response Api::Impl::list_templates(const Request& req, const Caller& c) {
  const std::string kind = query_param(req, "kind");
  if (!kind.empty() && kind != "program" && kind != "test_set")
    throw HttpError{400, "invalid_query", "expected kind=program or kind=test_set", "kind"};
  Json list = Json::array();
  for (const auto& t : db->templates_of(c.user.id, kind)) list.push_back(template_json(t));
  return json_response(200, Json{{"templates", list}});
}

// A template holds no client data: a program template is the exercises of
// a program's first week with their doses and the program's shape; a test
// set is a list of the knowledge base's tests ("section.id").
Response Api::Impl::create_template(const Request& req, const Caller& c) {
  const Json body = parse_body(req);
  store::Template t;
  t.id = store::new_id("t_");
  t.owner_id = c.user.id;
  t.name = require_string(body, "name", 80);
  t.kind = require_string(body, "kind", 20);
  t.created_at = store::now_s();
  if (db->templates_of(c.user.id, "").size() >= 200)
    throw HttpError{409, "conflict", "you have 200 templates: delete some before saving more"};
  if (t.kind == "program") {
    const std::string pid = require_string(body, "from_program", 64);
    const auto d = db->document(store::DocKind::kProgram, pid);
    if (!d) throw HttpError{400, "invalid_body", "expected one of your clients' programs", "$.from_program"};
    client_for(c, d->client_id, false);
    const auto version = program_record(*d);
    const plan::Program& program = version->program;
    // The first week, session by session: a template keeps the days apart.
    Json days = Json::array();
    bool any = false;
    for (const auto& session : program.sessions) {
      if (session.week != 1) continue;
      Json exercises = Json::array();
      for (const auto& item : session.items) {
        if (kb->exercise(item.exercise) == nullptr) continue;
        Json e{{"exercise", item.exercise.str()}, {"sets", item.dose.sets}};
        if (item.dose.reps) e["reps"] = *item.dose.reps;
        if (item.dose.hold_seconds > 0) e["hold_seconds"] = item.dose.hold_seconds;
        exercises.push_back(e);
        any = true;
      }
      days.push_back(Json{{"day", session.day}, {"exercises", exercises}});
    }
    if (!any) throw HttpError{400, "invalid_body", "the program has no exercises in its first week", "$.from_program"};
    t.body = Json{{"days", days},
                  {"weeks", program.weeks},
                  {"days_per_week", program.days_per_week},
                  {"minutes_per_session", program.minutes_per_session}}
                 .dump();
  } else if (t.kind == "test_set") {
    if (!body.contains("tests") || !body["tests"].is_array() || body["tests"].empty() || body["tests"].size() > 100)
      throw HttpError{400, "invalid_body", "expected a list of 1 to 100 tests", "$.tests"};
    Json tests = Json::array();
    std::set<std::string> seen;
    for (size_t i = 0; i < body["tests"].size(); ++i) {
      const Json& v = body["tests"][i];
      const std::string path = "$.tests[" + std::to_string(i) + "]";
      const std::string key = v.is_string() ? v.get<std::string>() : "";
      const auto dot = key.find('.');
      const bool known = dot != std::string::npos && std::any_of(kb->tests.begin(), kb->tests.end(), [&](const kb::Test& x) {
        return kb::to_string(x.section) == key.substr(0, dot) && x.id.str() == key.substr(dot + 1);
      });
      if (!known) throw HttpError{400, "invalid_body", "expected a test of the knowledge base (section.id)", path};
      if (!seen.insert(key).second) throw HttpError{400, "invalid_body", "the test " + key + " is listed twice", path};
      tests.push_back(key);
    }
    t.body = Json{{"tests", tests}}.dump();
  } else {
    throw HttpError{400, "invalid_body", "expected kind program or test_set", "$.kind"};
  }
  db->add_template(t);
  audit_one(c, "create", "template", t.id, "");
  return json_response(201, template_json(t));
}

Response Api::Impl::delete_template(const Caller& c, const std::string& id) {
  if (!db->delete_template(id, c.user.id)) throw HttpError{404, "not_found", "no such template of yours"};
  audit_one(c, "delete", "template", id, "");
  return json_response(200, Json{{"deleted", id}});
}

// The edits that turn a program planned from the findings into a
// template's, session number by session number (every week's day 1, day
// 2, ...): exercises the template's day lacks are removed, its own added,
// and a dose it sets apart from the exercise's standard one is kept. The
// engine judges them as any practitioner's edits (contraindications,
// budget, ranges).
std::vector<plan::Edit> Api::Impl::template_edits(const plan::Program& p, const Json& tmpl) const {
  std::vector<plan::Edit> edits;
  for (const auto& day : tmpl.value("days", Json::array())) {
    const int number = day.value("day", 1);
    std::vector<std::string> planned, wanted;
    for (const auto& s : p.sessions)
      if (s.week == 1 && s.day == number)
        for (const auto& i : s.items) planned.push_back(i.week1_exercise.str());
    for (const auto& e : day.value("exercises", Json::array())) wanted.push_back(e.value("exercise", ""));
    auto edit = [&](plan::Edit::Op op, const std::string& id) {
      plan::Edit e;
      e.op = op;
      e.exercise = ExerciseId(id);
      e.day = number;
      return e;
    };
    for (const auto& id : planned)
      if (std::find(wanted.begin(), wanted.end(), id) == wanted.end()) edits.push_back(edit(plan::Edit::Op::kRemove, id));
    for (const auto& t : day.value("exercises", Json::array())) {
      const std::string id = t.value("exercise", "");
      if (std::find(planned.begin(), planned.end(), id) == planned.end()) edits.push_back(edit(plan::Edit::Op::kAdd, id));
      const kb::Exercise* ex = kb->exercise(ExerciseId(id));
      if (ex == nullptr) continue;
      plan::Edit d = edit(plan::Edit::Op::kDose, id);
      if (t.contains("sets") && t["sets"].is_number_integer() && t["sets"].get<int>() != ex->dose.sets) d.sets = t["sets"].get<int>();
      if (t.contains("reps") && t["reps"].is_number_integer() && ex->dose.reps && t["reps"].get<int>() != *ex->dose.reps)
        d.reps = t["reps"].get<int>();
      if (t.contains("hold_seconds") && t["hold_seconds"].is_number() && t["hold_seconds"].get<double>() != ex->dose.hold_seconds)
        d.hold_seconds = t["hold_seconds"].get<double>();
      if (d.sets || d.reps || d.hold_seconds) edits.push_back(d);
    }
  }
  return edits;
}

}  // namespace rebalance::server
