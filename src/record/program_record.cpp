// The program codec: `rebalance.program/1` and a version's stored
// constraints <-> ProgramRecord. The program is written by
// render::program_json alone; this file reads it back.
#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "record/detail/read.h"
#include "record/record.h"

namespace rebalance::record {
namespace {

using read::Json;
using read::ObjectReader;
using read::Problems;
using read::take;
using Ordered = nlohmann::ordered_json;

// Bounds of a stored program: the contract's ranges for its shape, and
// generous limits for what the engine derives (no engine dose comes near).
constexpr int kMaxSets = 1000;
constexpr int kMaxReps = 100000;
constexpr double kMaxSeconds = 86400;
constexpr double kMaxMinutes = 100000;
constexpr size_t kMaxEdits = 200;
constexpr int kMaxWhole = 1000000;  // an edit's numbers, judged later by the engine

std::optional<plan::Target> read_target(ObjectReader& r) {
  auto muscle = read::id(r, "muscle", "a muscle or group id");
  auto side = read::side(r, "side", true);
  auto state = read::state(r, "state");
  if (!muscle || !side || !state) return std::nullopt;
  return plan::Target{MuscleId(*muscle), *side, *state};
}

std::optional<plan::Item> read_item(ObjectReader& r) {
  plan::Item item;
  bool ok = true;
  if (auto exercise = read::id(r, "exercise", "an exercise id")) {
    item.exercise = ExerciseId(*exercise);
    item.week1_exercise = item.exercise;
  } else {
    ok = false;
  }
  take(read::phase(r, "phase"), item.phase, ok);
  take(r.integer("sets", true, 1, kMaxSets, "a number of sets 1-" + std::to_string(kMaxSets)), item.dose.sets, ok);
  if (r.has("reps"))
    take(r.integer("reps", false, 0, kMaxReps, "a number of repetitions 0-" + std::to_string(kMaxReps)), item.dose.reps, ok);
  if (auto hold = read::optional_number(r, "hold_seconds", 0, kMaxSeconds, "seconds", ok)) item.dose.hold_seconds = *hold;
  take(r.boolean("per_side", true), item.dose.per_side, ok);
  if (const Json* by_side = r.get("sets_by_side")) {
    ObjectReader s(r.problems(), *by_side, r.path_of("sets_by_side"));
    const std::string expected = "the sets of that side";
    auto left = s.integer("left", true, 1, kMaxSets, expected);
    auto right = s.integer("right", true, 1, kMaxSets, expected);
    if (!s.ok() || !left || !right) {
      ok = false;
    } else if (*left < item.dose.sets || *right < item.dose.sets) {
      r.problems().add(s.path(), "sets on each side, at least the item's " + std::to_string(item.dose.sets), *by_side);
      ok = false;
    } else {
      // The engine keeps the smaller side as the dose and the rest as extra sets.
      if (*left > item.dose.sets) item.extra_sets_left = *left - item.dose.sets;
      if (*right > item.dose.sets) item.extra_sets_right = *right - item.dose.sets;
    }
  }
  read::list(r, "targets", true, item.targets, read_target, ok);
  if (auto tempo = read::optional_string(r, "tempo", ok)) item.dose.tempo = *tempo;
  if (auto rest = read::optional_number(r, "rest_seconds", 0, kMaxSeconds, "seconds", ok)) item.dose.rest_seconds = *rest;
  if (auto minutes = read::optional_number(r, "estimated_minutes", 0, kMaxMinutes, "minutes", ok)) item.minutes = *minutes;
  if (auto note = read::optional_string(r, "note", ok)) item.note = *note;
  if (!ok) return std::nullopt;
  return item;
}

std::optional<plan::Session> read_session(ObjectReader& r) {
  plan::Session s;
  bool ok = true;
  take(r.integer("week", true, 1, 52, "a week 1-52"), s.week, ok);
  take(r.integer("day", true, 1, 7, "a session of the week 1-7"), s.day, ok);
  take(read::date(r, "date", true), s.date, ok);
  take(r.number("estimated_minutes", true, 0, kMaxMinutes, "minutes"), s.estimated_minutes, ok);
  read::list(r, "items", true, s.items, read_item, ok);
  if (!ok) return std::nullopt;
  return s;
}

std::optional<plan::Omission> read_omission(ObjectReader& r) {
  plan::Omission o;
  bool ok = true;
  if (const Json* finding = r.get("finding")) {
    ObjectReader f(r.problems(), *finding, r.path_of("finding"));
    if (f.ok())
      take(read_target(f), o.finding, ok);
    else
      ok = false;
  }
  if (r.has("exercise")) {
    if (auto exercise = read::id(r, "exercise", "an exercise id"))
      o.exercise = ExerciseId(*exercise);
    else
      ok = false;
  }
  take(r.string("reason", true), o.reason, ok);
  if (!ok) return std::nullopt;
  return o;
}

// The program document into `p`; false on any problem.
bool read_program(ObjectReader& root, plan::Program& p) {
  bool ok = true;
  auto schema = root.string("schema", true, "\"rebalance.program/1\"");
  if (schema && *schema != "rebalance.program/1")
    root.problems().add(root.path_of("schema"), "\"rebalance.program/1\"", Json(*schema));
  if (!schema || *schema != "rebalance.program/1") ok = false;
  take(read::kb_version(root), p.kb_version, ok);
  take(root.integer("weeks", true, 1, 52, "a number of weeks 1-52"), p.weeks, ok);
  take(root.integer("days_per_week", true, 1, 7, "days per week 1-7"), p.days_per_week, ok);
  take(root.integer("minutes_per_session", true, 5, 180, "minutes per session 5-180"), p.minutes_per_session, ok);
  take(read::date(root, "start_date", true), p.start, ok);
  read::list(root, "omitted", true, p.omitted, read_omission, ok);
  read::list(root, "sessions", true, p.sessions, read_session, ok);
  read::each(
      root, "reassessments", false,
      [&](ObjectReader& r) {
        auto week = r.integer("week", true, 1, 52, "a week 1-52");
        auto date = read::date(r, "date", true);
        if (week && date)
          p.reassessments.push_back({*week, *date});
        else
          ok = false;
      },
      ok);
  if (root.has("progression_rules")) take(root.strings("progression_rules", false), p.progression_notes, ok);
  return ok;
}

// ---- edits -----------------------------------------------------------------

constexpr std::pair<const char*, plan::Edit::Op> kOps[] = {{"swap", plan::Edit::Op::kSwap},
                                                           {"dose", plan::Edit::Op::kDose},
                                                           {"remove", plan::Edit::Op::kRemove},
                                                           {"add", plan::Edit::Op::kAdd},
                                                           {"reassess", plan::Edit::Op::kReassess}};

const char* op_name(plan::Edit::Op op) {
  for (const auto& [name, value] : kOps)
    if (value == op) return name;
  return "dose";
}

std::optional<plan::Edit> read_edit(ObjectReader& r) {
  const std::string ops = "op swap, dose, remove, add or reassess";
  const auto op = r.string("op", true, ops);
  if (!op) return std::nullopt;
  const auto* known = std::find_if(std::begin(kOps), std::end(kOps), [&](const auto& k) { return *op == k.first; });
  if (known == std::end(kOps)) {
    r.problems().add(r.path_of("op"), ops, Json(*op));
    return std::nullopt;
  }
  plan::Edit e;
  e.op = known->second;
  bool ok = true;
  if (e.op == plan::Edit::Op::kReassess) {
    take(r.integer("week", true, -kMaxWhole, kMaxWhole, "the week of the re-assessment"), e.week, ok);
    take(read::date(r, "date", true), e.date, ok);
    if (!ok) return std::nullopt;
    return e;
  }
  auto exercise = [&](const char* key) -> std::optional<ExerciseId> {
    auto id = r.string(key, true, "an exercise id");
    if (id && (id->empty() || id->size() > 100)) {
      r.problems().add(r.path_of(key), "an exercise id", Json(*id));
      id.reset();
    }
    if (!id) return std::nullopt;
    return ExerciseId(*id);
  };
  take(exercise("exercise"), e.exercise, ok);
  if (e.op == plan::Edit::Op::kSwap) take(exercise("with"), e.with, ok);
  if (r.has("from")) take(read::date(r, "from", false), e.from, ok);
  if (r.has("only_on")) take(read::date(r, "only_on", false), e.only_on, ok);
  if (r.has("day")) take(r.integer("day", false, 1, 7, "a session number 1-7"), e.day, ok);
  if (r.has("side")) {
    auto side = read::side(r, "side", false);
    if (side && *side == Side::kBoth) {
      r.problems().add(r.path_of("side"), "\"left\" or \"right\"", Json("both"));
      side.reset();
    }
    take(side, e.side, ok);
  }
  if (e.op == plan::Edit::Op::kDose) {
    const std::string whole = "a whole number";
    if (r.has("sets")) take(r.integer("sets", false, -kMaxWhole, kMaxWhole, whole), e.sets, ok);
    if (r.has("reps")) take(r.integer("reps", false, -kMaxWhole, kMaxWhole, whole), e.reps, ok);
    if (r.has("hold_seconds")) take(r.number("hold_seconds", false, -kMaxWhole, kMaxWhole, "a number"), e.hold_seconds, ok);
  }
  if (!ok) return std::nullopt;
  return e;
}

std::vector<plan::Edit> read_edits(Problems& problems, const Json& list, const std::string& path, bool& ok) {
  std::vector<plan::Edit> out;
  if (!list.is_array() || list.size() > kMaxEdits) {
    problems.add(path, "a list of at most " + std::to_string(kMaxEdits) + " edits", list);
    ok = false;
    return out;
  }
  for (size_t i = 0; i < list.size(); ++i) {
    ObjectReader r(problems, list[i], detail::child_path(path, i));
    auto edit = r.ok() ? read_edit(r) : std::nullopt;
    if (edit)
      out.push_back(std::move(*edit));
    else
      ok = false;
  }
  return out;
}

Ordered edit_value(const plan::Edit& e) {
  if (e.op == plan::Edit::Op::kReassess)
    return Ordered{{"op", "reassess"}, {"week", e.week.value_or(0)}, {"date", e.date ? e.date->iso() : std::string()}};
  Ordered j{{"op", op_name(e.op)}, {"exercise", e.exercise.str()}};
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

Ordered edits_value(const std::vector<plan::Edit>& edits) {
  Ordered list = Ordered::array();
  for (const auto& e : edits) list.push_back(edit_value(e));
  return list;
}

// ---- constraints ---------------------------------------------------------------

// A version's constraints (a program row's input) into `out`, whose
// assessment is the row's; false on any problem.
bool read_constraints(ObjectReader& r, ProgramRecord& out) {
  bool ok = true;
  if (auto a = read::optional_string(r, "assessment", ok); a && *a != out.assessment_id) {
    r.problems().add(r.path_of("assessment"), "the row's assessment " + out.assessment_id, Json(*a));
    ok = false;
  }
  take(r.integer("weeks", true, 1, 52, "a number of weeks 1-52"), out.shape.weeks, ok);
  take(r.integer("days_per_week", true, 1, 7, "days per week 1-7"), out.shape.days_per_week, ok);
  take(r.integer("minutes_per_session", true, 5, 180, "minutes per session 5-180"), out.shape.minutes_per_session, ok);
  take(read::date(r, "start_date", true), out.shape.start_date, ok);
  if (const Json* edits = r.get("edits")) out.edits = read_edits(r.problems(), *edits, r.path_of("edits"), ok);
  if (const Json* t = r.get("template")) {
    ObjectReader tr(r.problems(), *t, r.path_of("template"));
    auto id = tr.string("id", true);
    auto name = tr.string("name", true);
    if (id && name)
      out.from_template = TemplateRef{*id, *name};
    else
      ok = false;
  }
  read::each(
      r, "adaptations", false,
      [&](ObjectReader& a) {
        auto as_of = read::date(a, "as_of", true);
        auto logs = a.strings("logs", true);
        if (as_of && logs)
          out.adaptations.push_back({*as_of, std::move(*logs)});
        else
          ok = false;
      },
      ok);
  if (r.has("version")) take(r.integer("version", false, 1, kMaxWhole, "a version number"), out.version, ok);
  if (auto supersedes = read::optional_string(r, "supersedes", ok)) out.supersedes = *supersedes;
  if (out.version > 1 && out.supersedes.empty()) {
    r.problems().add(r.path_of("supersedes"), "the version that version " + std::to_string(out.version) + " revised", "nothing");
    ok = false;
  }
  if (auto reason = read::optional_string(r, "reason", ok)) out.reason = *reason;
  return ok;
}

}  // namespace

Decoded<plan::Program> decode_program(std::string_view json, const std::string& file) {
  return read::document<plan::Program>(json, file, read_program);
}

std::string encode_program(const kb::KnowledgeBase& kb, const plan::Program& program) {
  return render::program_json(kb, program);
}

Decoded<std::vector<plan::Edit>> decode_edits(std::string_view json, const std::string& file, const std::string& path) {
  Decoded<std::vector<plan::Edit>> out;
  Problems problems(file);
  const auto doc = detail::parse_untrusted<Json>(json, problems, {kMaxStoredBytes, kMaxStoredDepth});
  bool ok = doc.has_value();
  std::vector<plan::Edit> edits;
  if (doc) edits = read_edits(problems, *doc, path, ok);
  out.problems = problems.list();
  if (ok && out.problems.empty()) out.value = std::move(edits);
  return out;
}

std::string encode_edits(const std::vector<plan::Edit>& edits) { return edits_value(edits).dump(); }

std::string encode_constraints(const ProgramRecord& r) {
  Ordered j{{"assessment", r.assessment_id},
            {"weeks", r.shape.weeks},
            {"days_per_week", r.shape.days_per_week},
            {"minutes_per_session", r.shape.minutes_per_session},
            {"start_date", r.shape.start_date.iso()}};
  if (!r.edits.empty()) j["edits"] = edits_value(r.edits);
  if (r.from_template) j["template"] = Ordered{{"id", r.from_template->id}, {"name", r.from_template->name}};
  if (!r.adaptations.empty()) {
    Ordered list = Ordered::array();
    for (const auto& a : r.adaptations) list.push_back(Ordered{{"as_of", a.as_of.iso()}, {"logs", a.logs}});
    j["adaptations"] = list;
  }
  if (!r.supersedes.empty()) j["supersedes"] = r.supersedes;
  if (r.version != 1) j["version"] = r.version;
  if (r.reason) j["reason"] = *r.reason;
  return j.dump();
}

namespace {

// The version's record without its program: the row's columns and its
// input (the stored constraints, edits and place among the versions).
Decoded<ProgramRecord> decode_version(const store::Document& row) {
  ProgramRecord r;
  r.id = row.id;
  r.client_id = row.client_id;
  r.assessment_id = row.parent_id;
  r.kb_version = row.kb_version;
  r.created_at = row.created_at;
  r.created_by = row.created_by;
  return read::document<ProgramRecord>(row.input, "stored program " + row.id + " input",
                                       [&](ObjectReader& root, ProgramRecord& into) {
                                         into = r;
                                         return read_constraints(root, into);
                                       });
}

}  // namespace

Decoded<ProgramRecord> decode_program_record(const store::Document& row) {
  const std::string name = "stored program " + row.id;
  auto constraints = decode_version(row);
  auto program = decode_program(row.output, name + " output");
  Decoded<ProgramRecord> out;
  out.problems = std::move(constraints.problems);
  out.problems.insert(out.problems.end(), program.problems.begin(), program.problems.end());
  if (program.value && program.value->kb_version != row.kb_version)
    out.problems.push_back(Problem{name + " output", "$.knowledge_base.version",
                                   "the row's knowledge base version " + Json(row.kb_version).dump(),
                                   Json(program.value->kb_version).dump()});
  if (!out.problems.empty()) return out;
  out.value = std::move(*constraints.value);
  out.value->program = std::move(*program.value);
  return out;
}

Decoded<std::string> decode_program_supersedes(const store::Document& row) {
  auto constraints = decode_version(row);
  Decoded<std::string> out;
  out.problems = std::move(constraints.problems);
  if (constraints.value) out.value = std::move(constraints.value->supersedes);
  return out;
}

store::Document encode_program_record(const kb::KnowledgeBase& kb, const ProgramRecord& r) {
  return store::Document{r.id,         r.client_id,           r.assessment_id,
                         r.kb_version, encode_constraints(r), encode_program(kb, r.program),
                         r.created_by, r.created_at,          ""};
}

}  // namespace rebalance::record
