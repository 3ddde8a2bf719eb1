// JSON writers. The only render file that includes nlohmann/json.
#include <cmath>
#include <nlohmann/json.hpp>

#include "render/render.h"

namespace rebalance::render {
namespace {

using Json = nlohmann::ordered_json;

double round_to(double v, int decimals) {
  const double f = std::pow(10.0, decimals);
  return std::round(v * f) / f;
}

std::string side(Side s) { return std::string(to_string(s)); }

// Objects on the program's per-item paths are filled key by key: an
// initializer list builds and copies a temporary array per pair, several
// times the cost of the object itself.
Json target_json(const plan::Target& t) {
  Json j;
  j["muscle"] = t.muscle.str();
  j["side"] = to_string(t.side);
  j["state"] = to_string(t.state);
  return j;
}

Json evidence_json(const assess::Evidence& e) {
  Json j;
  j["input"] = e.input;
  if (!e.test.empty()) j["test"] = e.test;
  if (e.side) j["side"] = side(*e.side);
  j["observed"] = e.observed;
  if (!e.expected.empty()) j["expected"] = e.expected;
  if (!e.rule.empty()) j["rule"] = e.rule;
  j["source"] = e.source;
  j["supports"] = e.supports;
  if (!e.protocol.empty()) j["protocol"] = e.protocol;
  return j;
}

Json dose_fields(Json j, const kb::Dose& d) {
  j["sets"] = d.sets;
  if (d.reps) j["reps"] = *d.reps;
  if (d.hold_seconds > 0) j["hold_seconds"] = d.hold_seconds;
  j["per_side"] = d.per_side;
  return j;
}

std::string dump(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

Json exercise_json(const kb::KnowledgeBase& kb, const kb::Exercise& e) {
  Json j;
  j["id"] = e.id.str();
  j["name"] = e.name;
  j["phase"] = std::string(to_string(e.phase));
  Json primary = Json::array(), secondary = Json::array();
  for (const auto& m : e.primary) primary.push_back(m.str());
  for (const auto& m : e.secondary) secondary.push_back(m.str());
  j["targets"] = {{"primary", primary}, {"secondary", secondary}};
  j["equipment"] = e.equipment;
  j["position"] = e.position;
  j["difficulty"] = e.difficulty;
  j["progression"] = e.progression ? Json(e.progression->str()) : Json(nullptr);
  j["regression"] = e.regression ? Json(e.regression->str()) : Json(nullptr);
  j["loads"] = e.loads;
  Json ci = Json::array();
  for (const auto& c : e.contraindications)
    ci.push_back({{"region", c.region}, {"min_intensity", c.min_intensity}, {"reason", c.reason}});
  j["contraindications"] = std::move(ci);
  j["tags"] = e.tags;
  j["instructions"] = e.instructions;
  j["cues"] = e.cues;
  Json dose = dose_fields(Json::object(), e.dose);
  dose["tempo"] = e.dose.tempo;
  dose["rest_seconds"] = e.dose.rest_seconds;
  j["dose"] = std::move(dose);
  j["estimated_minutes"] = round_to(e.minutes(e.dose), 1);
  j["source"] = e.source;
  (void)kb;
  return j;
}

}  // namespace

std::string assessment_json(const kb::KnowledgeBase& kb, const assess::Assessment& a) {
  Json j;
  j["schema"] = "rebalance.assessment/1";
  j["knowledge_base"] = {{"version", version_of(kb, a.kb_version)}};
  Json findings = Json::array();
  for (const auto& f : a.findings) {
    Json fj;
    fj["muscle"] = f.muscle.str();
    fj["side"] = side(f.side);
    fj["state"] = std::string(to_string(f.state));
    fj["severity"] = std::string(to_string(f.severity));
    fj["confidence"] = round_to(f.confidence, 2);
    if (f.conflicting()) fj["conflicting_evidence"] = true;
    Json ev = Json::array();
    for (const auto& e : f.evidence) ev.push_back(evidence_json(e));
    fj["evidence"] = std::move(ev);
    findings.push_back(std::move(fj));
  }
  j["findings"] = std::move(findings);
  Json asym = Json::array();
  for (const auto& x : a.asymmetries) {
    Json aj;
    aj["measure"] = x.measure;
    if (x.capacity) {
      aj["lsi_percent"] = round_to(x.lsi_percent, 1);
      if (x.weaker_side) aj["weaker_side"] = side(*x.weaker_side);
      if (x.method == "lsi") aj["threshold_percent"] = x.threshold_percent;
      if (x.involved_side) aj["involved_side"] = side(*x.involved_side);
      if (x.lsi_involved_percent) aj["lsi_involved_percent"] = round_to(*x.lsi_involved_percent, 1);
    }
    if (x.difference) {
      aj["difference"] = round_to(*x.difference, 1);
      aj["unit"] = x.unit;
    }
    if (x.limited_side) aj["limited_side"] = side(*x.limited_side);
    if (!x.capacity && x.weaker_side && !x.limited_side) aj["weaker_side"] = side(*x.weaker_side);
    if (x.threshold && x.method != "lsi") aj["threshold"] = round_to(*x.threshold, 2);
    if (x.difference_cm) aj["difference_cm"] = round_to(*x.difference_cm, 1);
    if (x.composite_left || x.composite_right) {
      Json comp;
      if (x.composite_left) comp["left"] = round_to(*x.composite_left, 1);
      if (x.composite_right) comp["right"] = round_to(*x.composite_right, 1);
      aj["composite_percent"] = std::move(comp);
    }
    aj["method"] = x.method;
    aj["source"] = x.source;
    aj["inputs"] = x.inputs;
    asym.push_back(std::move(aj));
  }
  j["asymmetries"] = std::move(asym);
  Json ratios = Json::array();
  for (const auto& r : a.ratios) {
    Json rj;
    rj["name"] = r.name;
    rj["side"] = side(r.side);
    rj["value"] = round_to(r.value, 2);
    if (r.normal_min) rj["normal_min"] = *r.normal_min;
    if (r.normal_max) rj["normal_max"] = *r.normal_max;
    rj["method"] = r.method;
    if (r.default_method) rj["protocol"] = "default method: " + r.method + "; " + r.method_text;
    rj["flag"] = r.flag;
    rj["source"] = r.source;
    rj["inputs"] = r.inputs;
    ratios.push_back(std::move(rj));
  }
  j["ratios"] = std::move(ratios);
  Json patterns = Json::array();
  for (const auto& p : a.patterns)
    patterns.push_back({{"id", p.id}, {"confidence", round_to(p.confidence, 2)}, {"matched", p.matched}, {"source", p.source}});
  j["patterns"] = std::move(patterns);
  Json referrals = Json::array();
  for (const auto& r : a.referrals) {
    Json rj;
    rj["reason"] = r.reason;
    rj["region"] = r.region;
    if (!r.flag.empty()) rj["flag"] = r.flag;
    rj["scope"] = r.systemic ? "whole_program" : (r.reason == "screening" ? "excluded_work" : "region");
    rj["urgency"] = std::string(kb::to_string(r.urgency));
    rj["detail"] = r.detail;
    rj["input"] = r.input;
    rj["source"] = r.source;
    referrals.push_back(std::move(rj));
  }
  j["referrals"] = std::move(referrals);
  if (a.movement_screen) {
    const auto& s = *a.movement_screen;
    Json sj{{"total", s.fms_total}, {"complete", s.complete}, {"cutoff_at_most", s.cutoff}};
    if (s.complete) sj["at_or_below_cutoff"] = s.at_or_below_cutoff;
    sj["source"] = s.source;
    j["movement_screen"] = std::move(sj);
  }
  if (a.lifestyle_only)
    j["note"] =
        "Findings come from lifestyle alone (no tests): confidence is low; an assessment by a professional would confirm them.";
  return dump(j);
}

std::string program_json(const kb::KnowledgeBase& kb, const plan::Program& p) {
  Json j;
  j["schema"] = "rebalance.program/1";
  j["knowledge_base"] = {{"version", version_of(kb, p.kb_version)}};
  j["weeks"] = p.weeks;
  j["days_per_week"] = p.days_per_week;
  j["minutes_per_session"] = p.minutes_per_session;
  j["start_date"] = p.start.iso();
  Json omitted = Json::array();
  for (const auto& o : p.omitted) {
    Json oj;
    if (o.finding) oj["finding"] = target_json(*o.finding);
    if (o.exercise) oj["exercise"] = o.exercise->str();
    oj["reason"] = o.reason;
    omitted.push_back(std::move(oj));
  }
  j["omitted"] = std::move(omitted);
  Json sessions = Json::array();
  for (const auto& s : p.sessions) {
    Json sj;
    sj["week"] = s.week;
    sj["day"] = s.day;
    sj["date"] = s.date.iso();
    sj["estimated_minutes"] = s.estimated_minutes;
    Json items = Json::array();
    for (const auto& item : s.items) {
      Json ij;
      ij["exercise"] = item.exercise.str();
      ij["phase"] = std::string(to_string(item.phase));
      ij = dose_fields(std::move(ij), item.dose);
      if (item.extra_sets_left || item.extra_sets_right) {
        Json& by_side = ij["sets_by_side"];
        by_side["left"] = item.dose.sets + item.extra_sets_left.value_or(0);
        by_side["right"] = item.dose.sets + item.extra_sets_right.value_or(0);
      }
      Json targets = Json::array();
      for (const auto& t : item.targets) targets.push_back(target_json(t));
      ij["targets"] = std::move(targets);
      if (!item.dose.tempo.empty()) ij["tempo"] = item.dose.tempo;
      ij["rest_seconds"] = item.dose.rest_seconds;
      ij["estimated_minutes"] = round_to(item.minutes, 1);
      if (!item.note.empty()) ij["note"] = item.note;
      items.push_back(std::move(ij));
    }
    sj["items"] = std::move(items);
    sessions.push_back(std::move(sj));
  }
  j["sessions"] = std::move(sessions);
  Json re = Json::array();
  for (const auto& r : p.reassessments) re.push_back({{"week", r.week}, {"date", r.date.iso()}});
  j["reassessments"] = std::move(re);
  j["progression_rules"] = p.progression_notes;
  return dump(j);
}

std::string exercises_json(const kb::KnowledgeBase& kb, const kb::Exercise* only) {
  if (only != nullptr) return dump(exercise_json(kb, *only));
  Json arr = Json::array();
  for (const auto& e : kb.exercises) arr.push_back(exercise_json(kb, e));
  return dump(Json{{"knowledge_base", {{"version", kb.version}}}, {"exercises", arr}});
}

std::string muscles_json(const kb::KnowledgeBase& kb) {
  Json muscles = Json::array();
  for (const auto& m : kb.muscles) {
    Json opp = Json::array();
    for (const auto& o : m.opposing) opp.push_back(o.str());
    Json groups = Json::array();
    for (const auto& g : kb.groups)
      for (const auto& member : g.members)
        if (member == m.id) groups.push_back(g.id.str());
    muscles.push_back({{"id", m.id.str()},
                       {"name", m.name},
                       {"groups", groups},
                       {"region", m.region},
                       {"midline", m.midline},
                       {"action", m.action},
                       {"opposing", opp},
                       {"tendency", m.tendency},
                       {"source", m.source}});
  }
  Json groups = Json::array();
  for (const auto& g : kb.groups) {
    Json members = Json::array();
    for (const auto& m : g.members) members.push_back(m.str());
    groups.push_back({{"id", g.id.str()}, {"name", g.name}, {"members", members}});
  }
  return dump(Json{{"knowledge_base", {{"version", kb.version}}}, {"groups", groups}, {"muscles", muscles}});
}

std::string tests_json(const kb::KnowledgeBase& kb) {
  Json tests = Json::array();
  for (const auto& t : kb.tests) {
    Json tj;
    tj["id"] = t.id.str();
    tj["section"] = std::string(kb::to_string(t.section));
    tj["name"] = t.name;
    tj["sided"] = t.sided;
    tj["measures"] = t.measures;
    tj["default_protocol"] = t.default_protocol;
    if (!t.positions.empty()) {
      tj["positions"] = t.positions;
      tj["default_position"] = t.default_position;
    }
    if (!t.methods.empty()) {
      tj["methods"] = t.methods;
      tj["default_method"] = t.default_method;
    }
    tj["how_to"] = t.how_to;
    tj["watch"] = t.watch;
    tj["positive"] = t.positive;
    Json normal = Json::object();
    for (const auto& [measure, range] : t.normal) {
      Json r;
      if (range.min) r["min"] = range.min->value;
      if (range.max) r["max"] = range.max->value;
      if (!range.equals.empty()) r["equals"] = range.equals;
      normal[measure] = std::move(r);
    }
    tj["normal"] = std::move(normal);
    if (t.error) {
      Json e;
      if (t.error->sem) e["sem"] = *t.error->sem;
      if (t.error->mdc) e["mdc"] = *t.error->mdc;
      e["unit"] = t.error->unit;
      e["source"] = t.error->source;
      tj["measurement_error"] = std::move(e);
    } else {
      tj["measurement_error"] = nullptr;
      tj["measurement_error_note"] = t.error_note;
    }
    Json rules = Json::array();
    for (const auto& r : t.rules) {
      Json rj{{"id", r.id}, {"measure", r.measure}};
      if (r.comparison == kb::Comparison::kEquals)
        rj["equals"] = r.equals;
      else
        rj[r.comparison == kb::Comparison::kBelow ? "below" : "above"] = r.threshold.value;
      if (r.comparison != kb::Comparison::kEquals) {
        // The whole limit the engine holds a client against (by sex, then by
        // age and sex band), so a form shows the reference that is judged.
        const auto& th = r.threshold;
        Json tj2 = Json::object();
        if (th.female || th.male) {
          Json by{{"default", th.value}};
          if (th.female) by["female"] = *th.female;
          if (th.male) by["male"] = *th.male;
          tj2["by_sex"] = std::move(by);
        } else {
          tj2["value"] = th.value;
        }
        if (!th.bands.empty()) {
          Json bands = Json::array();
          for (const auto& b : th.bands) {
            Json bj{{"value", b.value}, {"label", b.label}};
            if (b.age_min) bj["age_min"] = *b.age_min;
            if (b.age_max) bj["age_max"] = *b.age_max;
            if (b.sex) bj["sex"] = *b.sex == Sex::kFemale ? "female" : "male";
            if (b.moderate) bj["moderate"] = *b.moderate;
            if (b.severe) bj["severe"] = *b.severe;
            bands.push_back(std::move(bj));
          }
          tj2["bands"] = std::move(bands);
        }
        rj["threshold"] = std::move(tj2);
      }
      if (!r.position.empty()) rj["position"] = r.position;
      Json implies = Json::array();
      for (const auto& im : r.implies)
        implies.push_back({{"muscle", im.muscle.str()}, {"state", std::string(to_string(im.state))}});
      rj["implies"] = std::move(implies);
      rj["source"] = r.source;
      rules.push_back(std::move(rj));
    }
    tj["rules"] = std::move(rules);
    tj["source"] = t.source;
    tests.push_back(std::move(tj));
  }
  return dump(Json{{"knowledge_base", {{"version", kb.version}}}, {"tests", tests}});
}

std::string guidance_json(const kb::KnowledgeBase& kb) {
  const auto& g = kb.guidance;
  Json tips = Json::array();
  for (size_t i = 0; i < g.prevention_tips.size(); ++i) tips.push_back({{"text", g.prevention_tips[i]}});
  return dump(Json{{"knowledge_base", {{"version", kb.version}}},
                   {"prevention_tips", tips},
                   {"prevention_source", g.prevention_source},
                   {"functional",
                    {{"text", g.functional_text},
                     {"days_per_week", {{"min", g.functional_days_min}, {"max", g.functional_days_max}}},
                     {"source", g.functional_source}}},
                   {"consistency", {{"text", g.consistency_text}, {"source", g.consistency_source}}},
                   {"disclaimer", g.disclaimer}});
}

std::string vocabulary_json(const kb::KnowledgeBase& kb) {
  auto terms = [](const std::vector<kb::Term>& list, bool with_midline) {
    Json out = Json::array();
    for (const auto& t : list) {
      Json j{{"id", t.id}, {"name", t.name}};
      if (with_midline) j["midline"] = t.midline;
      out.push_back(std::move(j));
    }
    return out;
  };
  auto observations = [](const std::vector<kb::Observation>& list, bool with_view) {
    Json out = Json::array();
    for (const auto& o : list) {
      Json j{{"id", o.id}, {"name", o.name}};
      if (with_view && !o.view.empty()) j["view"] = o.view;
      j["sided"] = o.sided;
      out.push_back(std::move(j));
    }
    return out;
  };
  auto optional_number = [](Json& j, const char* key, const std::optional<double>& v) {
    if (v) j[key] = *v;
  };

  Json activities = Json::array();
  for (const auto& a : kb.activities) activities.push_back({{"id", a.id}, {"name", a.name}});

  Json red_flags = Json::array();
  for (const auto& f : kb.safety.red_flags)
    red_flags.push_back({{"id", f.id},
                         {"name", f.name},
                         {"systemic", f.systemic},
                         {"urgency", std::string(kb::to_string(f.urgency))},
                         {"detail", f.detail}});
  Json clusters = Json::array();
  for (const auto& c : kb.safety.clusters) {
    Json j{{"id", c.id}, {"name", c.name}, {"flags", c.flags}, {"min_count", c.min_count}};
    if (c.age_at_least) j["age_at_least"] = *c.age_at_least;
    j["urgency"] = std::string(kb::to_string(c.urgency));
    j["systemic"] = c.systemic;
    clusters.push_back(std::move(j));
  }
  Json screening = Json::array();
  for (const auto& s : kb.safety.screening) {
    Json parameters = Json::array();
    for (const auto& prm : s.parameters)
      parameters.push_back({{"id", prm.id}, {"name", prm.name}, {"kind", prm.kind}, {"required", prm.required}});
    screening.push_back({{"id", s.id}, {"name", s.name}, {"parameters", parameters}, {"referral", s.referral.has_value()}});
  }

  Json posture = Json::array();
  for (const auto& o : kb.posture) {
    const char* kind = o.kind == kb::PostureKind::kNumber ? "number" : o.kind == kb::PostureKind::kSide ? "side" : "boolean";
    Json j{{"id", o.id}, {"kind", kind}, {"name", o.name}};
    if (!o.hint.empty()) j["hint"] = o.hint;
    if (o.kind == kb::PostureKind::kNumber) {
      j["unit"] = o.unit;
      optional_number(j, "min", o.min);
      optional_number(j, "max", o.max);
      optional_number(j, "below", o.below);
      optional_number(j, "above", o.above);
      j["judged"] = !o.implies.empty();
    }
    if (!o.side_key.empty()) j["side_key"] = o.side_key;
    posture.push_back(std::move(j));
  }

  Json clearing = Json::array();
  for (const auto& c : kb.movement.fms_clearing) clearing.push_back({{"id", c.id}, {"name", c.name}, {"test", c.test}});

  Json patterns = Json::array();
  for (const auto& pt : kb.patterns) patterns.push_back({{"id", pt.id}, {"name", pt.name}});
  Json ratios = Json::array();
  for (const auto& r : kb.ratios) ratios.push_back({{"id", r.name}, {"name", r.name_text}});
  Json profiles = Json::array();
  for (const auto& sp : kb.sport_profiles) profiles.push_back({{"id", sp.id}, {"name", sp.name}, {"activities", sp.activities}});

  return dump(Json{{"knowledge_base", {{"version", kb.version}}},
                   {"regions", terms(kb.vocabulary.region_list, true)},
                   {"equipment", terms(kb.vocabulary.equipment_list, false)},
                   {"positions", terms(kb.vocabulary.position_list, false)},
                   {"tags", terms(kb.vocabulary.tag_list, false)},
                   {"activities", activities},
                   {"sitting", {{"hours_at_least", kb.sitting.hours_at_least}}},
                   {"red_flags", red_flags},
                   {"red_flag_clusters", clusters},
                   {"severe_pain", {{"min_intensity", kb.safety.severe_pain_min}}},
                   {"screening", screening},
                   {"posture", posture},
                   {"movement",
                    {{"overhead_squat", observations(kb.movement.overhead_squat, true)},
                     {"single_leg_squat", observations(kb.movement.single_leg_squat, false)},
                     {"fms", {{"tests", observations(kb.movement.fms_tests, false)}, {"clearing", clearing}}}}},
                   {"patterns", patterns},
                   {"ratios", ratios},
                   {"sport_profiles", profiles}});
}

namespace {

Json comparison_value(const kb::KnowledgeBase& kb, const track::Comparison& c) {
  auto number = [](const std::optional<double>& v, int decimals = 1) { return v ? Json(round_to(*v, decimals)) : Json(nullptr); };
  Json findings = Json::array();
  for (const auto& f : c.findings) {
    const kb::Muscle* m = kb.muscle(f.muscle);
    findings.push_back({{"muscle", f.muscle.str()},
                        {"name", m != nullptr ? m->name : f.muscle.str()},
                        {"side", side(f.side)},
                        {"state", std::string(to_string(f.state))},
                        {"before", f.before ? Json(std::string(to_string(*f.before))) : Json(nullptr)},
                        {"after", f.after ? Json(std::string(to_string(*f.after))) : Json(nullptr)},
                        {"change", std::string(track::to_string(f.change))}});
  }
  Json measures = Json::array();
  for (const auto& m : c.measures) {
    Json j{{"measure", m.measure}, {"side", side(m.side)}, {"unit", m.unit}};
    if (m.before_positive) {
      j["before"] = *m.before_positive ? "positive" : "negative";
      j["after"] = *m.after_positive ? "positive" : "negative";
    } else {
      j["before"] = number(m.before);
      j["after"] = number(m.after);
      j["delta"] = number(m.delta);
      j["higher_is_better"] = m.higher_is_better;
      j["mdc"] = number(m.mdc, 2);
      if (!m.mdc_source.empty()) j["mdc_source"] = m.mdc_source;
    }
    j["verdict"] = std::string(track::to_string(m.verdict));
    measures.push_back(std::move(j));
  }
  Json asymmetries = Json::array();
  for (const auto& a : c.asymmetries)
    asymmetries.push_back({{"measure", a.measure},
                           {"before_lsi_percent", number(a.before_lsi)},
                           {"after_lsi_percent", number(a.after_lsi)},
                           {"before_difference", number(a.before_difference)},
                           {"after_difference", number(a.after_difference)},
                           {"unit", a.unit},
                           {"change", std::string(track::to_string(a.change))},
                           {"verdict", std::string(track::to_string(a.verdict))}});
  Json ratios = Json::array();
  for (const auto& r : c.ratios)
    ratios.push_back({{"name", r.name},
                      {"side", side(r.side)},
                      {"before", round_to(r.before, 2)},
                      {"after", round_to(r.after, 2)},
                      {"delta", round_to(r.delta, 2)},
                      {"normal_min", number(r.normal_min, 2)},
                      {"normal_max", number(r.normal_max, 2)},
                      {"before_flag", r.before_flag},
                      {"after_flag", r.after_flag},
                      {"verdict", std::string(track::to_string(r.verdict))}});
  return Json{
      {"summary",
       {{"resolved", c.resolved}, {"improved", c.improved}, {"unchanged", c.unchanged}, {"worse", c.worse}, {"new", c.added}}},
      {"findings", findings},
      {"measures", measures},
      {"asymmetries", asymmetries},
      {"ratios", ratios}};
}

Json adherence_value(const track::Adherence& a) {
  auto ref = [](const track::SessionRef& r) { return Json{{"week", r.week}, {"day", r.day}, {"date", r.date.iso()}}; };
  Json weeks = Json::array();
  for (const auto& w : a.weeks)
    weeks.push_back({{"week", w.week},
                     {"planned_sessions", w.planned_sessions},
                     {"due_sessions", w.due_sessions},
                     {"completed_sessions", w.completed_sessions},
                     {"planned_items", w.planned_items},
                     {"completed_items", w.completed_items}});
  Json missed = Json::array();
  for (const auto& m : a.missed) missed.push_back(ref(m));
  return Json{{"as_of", a.as_of.iso()},
              {"due_sessions", a.due_sessions},
              {"completed_sessions", a.completed_sessions},
              {"consistency_percent", a.consistency_percent ? Json(round_to(*a.consistency_percent, 1)) : Json(nullptr)},
              {"current_streak", a.current_streak},
              {"longest_streak", a.longest_streak},
              {"missed", missed},
              {"next", a.next ? ref(*a.next) : Json(nullptr)},
              {"last_log_date", a.last_log ? Json(a.last_log->iso()) : Json(nullptr)},
              {"weeks", weeks}};
}

}  // namespace

std::string comparison_json(const kb::KnowledgeBase& kb, const track::Comparison& c) {
  Json out{{"schema", "rebalance.comparison/1"}, {"knowledge_base", {{"version", kb.version}}}};
  out.update(comparison_value(kb, c));
  return dump(out);
}

std::string adherence_json(const track::Adherence& a) { return dump(adherence_value(a)); }

std::string progress_json(const kb::KnowledgeBase& kb, const track::Progress& p) {
  Json sessions = Json::array();
  for (const auto& s : p.sessions)
    sessions.push_back(
        {{"date", s.date.iso()}, {"week", s.week}, {"day", s.day}, {"effort", s.effort}, {"pain", s.pain}, {"note", s.note}});
  Json comparison = nullptr;
  if (p.comparison) {
    comparison = Json{{"before", p.before_id}, {"after", p.after_id}};
    comparison.update(comparison_value(kb, *p.comparison));
  }
  return dump(Json{{"schema", "rebalance.progress/1"},
                   {"knowledge_base", {{"version", kb.version}}},
                   {"client", p.client},
                   {"as_of", p.as_of.iso()},
                   {"program_id", p.program_id.empty() ? Json(nullptr) : Json(p.program_id)},
                   {"adherence", p.adherence ? adherence_value(*p.adherence) : Json(nullptr)},
                   {"sessions", sessions},
                   {"comparison", comparison}});
}

}  // namespace rebalance::render

namespace rebalance::render {

std::string keypoints_json(const figure::KeypointSeries& s) {
  const auto& o = s.options;
  Json head;
  head["schema"] = "rebalance.keypoints/1";
  head["exercise"] = s.exercise;
  head["layout"] = s.layout;
  head["names"] = s.names;
  head["image"] = {{"width", o.width}, {"height", o.height}};
  head["fps"] = o.fps;
  head["camera"] = {{"yaw", s.camera.yaw}, {"pitch", s.camera.pitch}};
  head["reps"] = o.reps;
  head["seconds_per_rep"] = round_to(s.seconds_per_rep, 3);
  head["pixels_per_body_height"] = round_to(s.scale, 2);
  head["truth"] = {{"asymmetry", o.asymmetry},
                   {"less_motion_side", o.asymmetry > 0 ? "right" : "none"},
                   {"noise_px", o.noise_px},
                   {"seed", o.seed}};
  head["point_format"] = {"x", "y", "depth", "visible"};
  // Metadata pretty, one frame per line: readable and still compact.
  std::string out = head.dump(2);
  out.resize(out.size() - 2);  // drop "\n}"
  out += ",\n  \"frames\": [";
  for (size_t i = 0; i < s.frames.size(); ++i) {
    const auto& f = s.frames[i];
    Json points = Json::array();
    for (const auto& p : f.points)
      points.push_back({round_to(p.x, 2), round_to(p.y, 2), round_to(p.depth, 2), p.occluded ? 0 : 1});
    Json frame{{"t", round_to(f.t, 4)}, {"rep", f.rep}, {"phase", f.phase}, {"points", points}};
    out += (i ? ",\n    " : "\n    ") + frame.dump();
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace rebalance::render
