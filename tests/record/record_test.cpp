// Stored documents as typed records (src/record): every program and
// assessment the engine makes is read back exactly (encode(decode(x)) == x
// byte for byte), and a damaged row gives problems with paths, never a crash.
#include "record/record.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "test_support.h"
#include "track/adapt.h"

namespace rebalance {
namespace {

namespace fs = std::filesystem;
using rebalance::testing::intake_from;
using rebalance::testing::knowledge_base;
using rebalance::testing::read_file;

std::string problems_text(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += format_problem(p) + "\n";
  return out;
}

// Decodes a program document and encodes it again.
std::string program_round_trip(const std::string& json) {
  const auto decoded = record::decode_program(json, "program.json");
  EXPECT_TRUE(decoded.value) << problems_text(decoded.problems);
  if (!decoded.value) return {};
  return record::encode_program(knowledge_base(), *decoded.value);
}

std::string assessment_round_trip(const std::string& json) {
  const auto decoded = record::decode_assessment(json, knowledge_base(), "assessment.json");
  EXPECT_TRUE(decoded.value) << problems_text(decoded.problems);
  if (!decoded.value) return {};
  return record::encode_assessment(knowledge_base(), *decoded.value);
}

// Every intake of examples/ and of the shared samples (when present).
std::vector<fs::path> intakes() {
  std::vector<fs::path> out;
  for (const char* dir : {REBALANCE_EXAMPLES_DIR, REBALANCE_SHARED_EXAMPLES_DIR}) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".json") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Planned {
  intake::Intake in;
  assess::Assessment a;
  plan::Program p;
};

Planned planned(const std::string& intake_text, const char* start = "2026-11-30") {
  Planned out{intake_from(intake_text), {}, {}};
  out.a = assess::assess(knowledge_base(), out.in);
  plan::Overrides ov;
  ov.start = Date::parse(start);
  out.p = plan::plan(knowledge_base(), out.a, plan::resolve(knowledge_base(), out.in, ov, *ov.start));
  return out;
}

// ---- exact round trips ---------------------------------------------------------

TEST(ProgramCodec, EveryExampleProgramAndAssessmentReadsBackByteForByte) {
  int cases = 0;
  for (const auto& path : intakes()) {
    SCOPED_TRACE(path.string());
    const auto x = planned(read_file(path.string()));
    const std::string program = render::program_json(knowledge_base(), x.p);
    const std::string assessment = render::assessment_json(knowledge_base(), x.a);
    EXPECT_EQ(program_round_trip(program), program);
    EXPECT_EQ(assessment_round_trip(assessment), assessment);
    ++cases;
  }
  EXPECT_GE(cases, 6);
}

TEST(ProgramCodec, TheGoldenFilesReadBackByteForByte) {
  int programs = 0, assessments = 0;
  for (const auto& entry : fs::directory_iterator(REBALANCE_GOLDEN_DIR)) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    const std::string text = read_file(entry.path().string());
    if (name.ends_with(".program.json")) {
      EXPECT_EQ(program_round_trip(text), text);
      ++programs;
    } else if (name.ends_with(".assessment.json")) {
      EXPECT_EQ(assessment_round_trip(text), text);
      ++assessments;
    }
  }
  EXPECT_GE(programs, 6);
  EXPECT_GE(assessments, 6);
}

TEST(ProgramCodec, TheDecodedProgramIsTheEnginesProgram) {
  const auto x = testing::planned_example("office-worker.json");
  const auto decoded = record::decode_program(render::program_json(knowledge_base(), x.p), "p.json");
  ASSERT_TRUE(decoded.value) << problems_text(decoded.problems);
  const auto& p = *decoded.value;
  EXPECT_EQ(p.kb_version, knowledge_base().version);
  EXPECT_EQ(p.start, x.p.start);
  EXPECT_EQ(p.weeks, x.p.weeks);
  ASSERT_EQ(p.sessions.size(), x.p.sessions.size());
  for (size_t i = 0; i < p.sessions.size(); ++i) {
    const auto &got = p.sessions[i], &want = x.p.sessions[i];
    EXPECT_EQ(got.date, want.date);
    EXPECT_EQ(got.estimated_minutes, want.estimated_minutes);
    ASSERT_EQ(got.items.size(), want.items.size());
    for (size_t j = 0; j < got.items.size(); ++j) {
      EXPECT_EQ(got.items[j].exercise, want.items[j].exercise);
      EXPECT_EQ(got.items[j].dose.sets, want.items[j].dose.sets);
      EXPECT_EQ(got.items[j].dose.reps, want.items[j].dose.reps);
      EXPECT_EQ(got.items[j].dose.hold_seconds, want.items[j].dose.hold_seconds);
      EXPECT_EQ(got.items[j].dose.tempo, want.items[j].dose.tempo);
      EXPECT_EQ(got.items[j].extra_sets_left, want.items[j].extra_sets_left);
      EXPECT_EQ(got.items[j].extra_sets_right, want.items[j].extra_sets_right);
      EXPECT_EQ(got.items[j].targets, want.items[j].targets);
    }
  }
  EXPECT_EQ(p.reassessments.size(), x.p.reassessments.size());
  EXPECT_EQ(p.progression_notes, x.p.progression_notes);
}

// Sitting all day and a positive Thomas test, 12 weeks from Monday 2026-01-05.
const char* const kDeskWorker = R"({"schema": "rebalance.intake/1",
    "lifestyle": {"sitting_hours_per_day": 9, "activities": ["desk_work"]},
    "preferences": {"minutes_per_session": 30, "weeks": 12, "equipment": ["mat", "band"]},
    "rom": [{"test": "thomas_test", "side": "left", "result": "positive"}]})";

TEST(ProgramCodec, EditedAndAdaptedProgramsReadBackByteForByte) {
  const auto x = planned(kDeskWorker, "2026-01-05");
  plan::Edit swap;
  swap.op = plan::Edit::Op::kSwap;
  swap.exercise = ExerciseId("hip_flexor_stretch");
  swap.with = ExerciseId("standing_quad_stretch");
  swap.from = Date::parse("2026-01-19");
  plan::Edit left;
  left.op = plan::Edit::Op::kDose;
  left.exercise = ExerciseId("hip_flexor_stretch");
  left.sets = 4;
  left.side = Side::kLeft;
  plan::Edit hold;
  hold.op = plan::Edit::Op::kDose;
  hold.exercise = ExerciseId("glute_bridge");
  hold.hold_seconds = 5;
  plan::Edit add;
  add.op = plan::Edit::Op::kAdd;
  add.exercise = ExerciseId("bird_dog");
  add.day = 2;
  plan::Edit move;
  move.op = plan::Edit::Op::kReassess;
  move.week = x.p.reassessments.front().week;
  move.date = x.p.reassessments.front().date.plus_days(3);
  for (const auto& edits : std::vector<std::vector<plan::Edit>>{{left}, {hold, add, move}, {swap}}) {
    const auto edited = plan::apply_edits(knowledge_base(), x.a, x.p, edits);
    ASSERT_TRUE(edited.program) << problems_text(edited.problems);
    const std::string json = render::program_json(knowledge_base(), *edited.program);
    EXPECT_EQ(program_round_trip(json), json);
  }

  // Three weeks logged as prescribed: the weeks ahead progress; then a missed week.
  std::vector<track::SessionLog> logs;
  for (const auto& s : x.p.sessions) {
    if (s.week > 3) break;
    track::SessionLog l;
    l.week = s.week;
    l.day = s.day;
    l.date = s.date;
    l.effort = 4;
    for (const auto& item : s.items) {
      track::LogItem done;
      done.exercise = item.exercise;
      done.sets_done = item.dose.sets;
      if (item.dose.reps)
        done.reps_done.assign(static_cast<size_t>(item.dose.sets), *item.dose.reps);
      else
        done.hold_seconds_done = item.dose.hold_seconds;
      l.items.push_back(done);
    }
    logs.push_back(l);
  }
  for (const char* as_of : {"2026-01-26", "2026-02-09"}) {
    const auto adapted = track::adapt(knowledge_base(), x.a, x.p, logs, *Date::parse(as_of));
    ASSERT_FALSE(adapted.changes.empty()) << as_of;
    const std::string json = render::program_json(knowledge_base(), adapted.program);
    EXPECT_EQ(program_round_trip(json), json) << as_of;
  }
}

TEST(ProgramCodec, AProgramMadeWithAnOlderKnowledgeBaseKeepsItsVersion) {
  auto x = testing::planned_example("office-worker.json");
  x.p.kb_version = "2025.1";
  const std::string json = render::program_json(knowledge_base(), x.p);
  EXPECT_NE(json.find("\"version\": \"2025.1\""), std::string::npos);
  EXPECT_EQ(program_round_trip(json), json);
  x.a.kb_version = "2025.1";
  const std::string findings = render::assessment_json(knowledge_base(), x.a);
  EXPECT_EQ(assessment_round_trip(findings), findings);
}

// ---- stored rows ---------------------------------------------------------------

record::ProgramRecord a_version() {
  const auto x = planned(kDeskWorker, "2026-01-05");
  record::ProgramRecord r;
  r.id = "p_2";
  r.client_id = "c_1";
  r.assessment_id = "a_1";
  r.kb_version = "2025.1";
  r.created_at = 1767600000000;
  r.created_by = "u_1";
  r.version = 2;
  r.supersedes = "p_1";
  r.reason = "the client's left hip feels tighter";
  r.from_template = record::TemplateRef{"t_1", "Desk workers, first block"};
  r.shape = {12, 3, 30, *Date::parse("2026-01-05")};
  plan::Edit dose;
  dose.op = plan::Edit::Op::kDose;
  dose.exercise = ExerciseId("hip_flexor_stretch");
  dose.sets = 4;
  dose.side = Side::kLeft;
  dose.from = Date::parse("2026-01-12");
  plan::Edit move;
  move.op = plan::Edit::Op::kReassess;
  move.week = 4;
  move.date = Date::parse("2026-01-31");
  r.edits = {dose, move};
  r.adaptations = {{*Date::parse("2026-01-26"), {"l_1", "l_2"}}};
  r.program = x.p;
  r.program.kb_version = r.kb_version;
  return r;
}

TEST(ProgramRecord, AStoredVersionReadsBackWithEveryField) {
  const auto r = a_version();
  const store::Document row = record::encode_program_record(knowledge_base(), r);
  EXPECT_EQ(row.parent_id, "a_1");
  EXPECT_EQ(row.kb_version, "2025.1");
  const auto back = record::decode_program_record(row);
  ASSERT_TRUE(back.value) << problems_text(back.problems);
  const auto& v = *back.value;
  EXPECT_EQ(v.id, "p_2");
  EXPECT_EQ(v.client_id, "c_1");
  EXPECT_EQ(v.assessment_id, "a_1");
  EXPECT_EQ(v.kb_version, "2025.1");
  EXPECT_EQ(v.created_at, 1767600000000);
  EXPECT_EQ(v.created_by, "u_1");
  EXPECT_EQ(v.version, 2);
  EXPECT_EQ(v.supersedes, "p_1");
  EXPECT_EQ(v.reason, r.reason);
  ASSERT_TRUE(v.from_template);
  EXPECT_EQ(v.from_template->name, "Desk workers, first block");
  EXPECT_EQ(v.shape.weeks, 12);
  EXPECT_EQ(v.shape.minutes_per_session, 30);
  ASSERT_EQ(v.edits.size(), 2u);
  EXPECT_EQ(v.edits[0].side, Side::kLeft);
  EXPECT_EQ(v.edits[0].from, Date::parse("2026-01-12"));
  EXPECT_EQ(v.edits[1].op, plan::Edit::Op::kReassess);
  ASSERT_EQ(v.adaptations.size(), 1u);
  EXPECT_EQ(v.adaptations[0].logs, (std::vector<std::string>{"l_1", "l_2"}));
  EXPECT_EQ(v.program.kb_version, "2025.1");
  const store::Document again = record::encode_program_record(knowledge_base(), v);
  EXPECT_EQ(again.input, row.input);
  EXPECT_EQ(again.output, row.output);
}

TEST(ProgramRecord, TheServicesFirstVersionRowReads) {
  // As create_program stored it: no version, no supersedes.
  const auto x = testing::planned_example("office-worker.json");
  store::Document row{"p_1",
                      "c_1",
                      "a_1",
                      knowledge_base().version,
                      R"({"assessment":"a_1","weeks":8,"days_per_week":3,"minutes_per_session":20,"start_date":"2026-11-30"})",
                      render::program_json(knowledge_base(), x.p),
                      "u_1",
                      1,
                      ""};
  const auto r = record::decode_program_record(row);
  ASSERT_TRUE(r.value) << problems_text(r.problems);
  EXPECT_EQ(r.value->version, 1);
  EXPECT_TRUE(r.value->supersedes.empty());
  EXPECT_FALSE(r.value->reason);
  EXPECT_TRUE(r.value->edits.empty());
  EXPECT_EQ(record::encode_constraints(*r.value), row.input);
}

TEST(ProgramRecord, EditsReadBackAsStored) {
  const auto r = a_version();
  const std::string text = record::encode_edits(r.edits);
  EXPECT_EQ(text, R"([{"op":"dose","exercise":"hip_flexor_stretch","sets":4,"from":"2026-01-12","side":"left"},)"
                  R"({"op":"reassess","week":4,"date":"2026-01-31"}])");
  const auto back = record::decode_edits(text, "edits");
  ASSERT_TRUE(back.value) << problems_text(back.problems);
  EXPECT_EQ(record::encode_edits(*back.value), text);

  const auto bad = record::decode_edits(
      R"([{"op":"grow","exercise":"x"},{"op":"dose","exercise":"","side":"both"},{"op":"reassess","week":"4"},7])", "edits");
  EXPECT_FALSE(bad.value);
  std::vector<std::string> paths;
  for (const auto& p : bad.problems) paths.push_back(p.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"$[0].op", "$[1].exercise", "$[1].side", "$[2].week", "$[2].date", "$[3]"}));
}

const char* const kReviewedIntake = R"({"schema": "rebalance.intake/1",
    "client": {"name": "A. Client", "age": 41},
    "lifestyle": {"sitting_hours_per_day": 9, "activities": ["desk_work"]},
    "preferences": {"timezone": "Europe/Berlin"},
    "rom": [{"test": "thomas_test", "side": "left", "result": "positive"},
            {"test": "straight_leg_raise", "side": "right", "degrees": 55}]})";

store::Document assessment_row(const std::string& review) {
  const auto parsed = intake::parse(kReviewedIntake, knowledge_base(), "intake");
  EXPECT_TRUE(parsed.intake);
  const auto a = assess::assess(knowledge_base(), *parsed.intake);
  return store::Document{
      "a_1", "c_1", "",    knowledge_base().version, parsed.canonical, render::assessment_json(knowledge_base(), a),
      "u_1", 5,     review};
}

TEST(AssessmentRecord, TheReviewedFindingsAreTheStoredOnesWithTheReviewApplied) {
  const std::string review =
      R"({"dismiss":[{"muscle":"hamstrings","side":"right","state":"tight"}],)"
      R"("add":[{"muscle":"gluteus_medius","side":"left","state":"weak","severity":"moderate","note":"hip drop seen"}],)"
      R"("notes":"checked again"})";
  const store::Document row = assessment_row(review);
  const auto r = record::decode_assessment_record(knowledge_base(), row);
  ASSERT_TRUE(r.value) << problems_text(r.problems);
  ASSERT_TRUE(r.value->intake) << problems_text(r.value->intake_problems);
  EXPECT_EQ(r.value->intake->client.name, "A. Client");
  ASSERT_TRUE(r.value->review);
  EXPECT_EQ(r.value->review->notes, "checked again");

  // The same as the engine's own review of a fresh assessment.
  const auto fresh =
      assess::apply_review(assess::assess(knowledge_base(), *r.value->intake), record::engine_review(*r.value->review));
  const auto reviewed = r.value->reviewed();
  ASSERT_EQ(reviewed.findings.size(), fresh.findings.size());
  for (size_t i = 0; i < fresh.findings.size(); ++i) {
    EXPECT_EQ(reviewed.findings[i].muscle, fresh.findings[i].muscle);
    EXPECT_EQ(reviewed.findings[i].side, fresh.findings[i].side);
    EXPECT_EQ(reviewed.findings[i].severity, fresh.findings[i].severity);
    EXPECT_EQ(reviewed.findings[i].confidence, fresh.findings[i].confidence);
  }
  EXPECT_TRUE(std::none_of(reviewed.findings.begin(), reviewed.findings.end(),
                           [](const assess::Finding& f) { return f.muscle.str() == "hamstrings"; }));
  EXPECT_EQ(reviewed.findings.back().evidence.front().observed, "hip drop seen");

  // The row is written back as it was read.
  const store::Document again = record::encode_assessment_record(knowledge_base(), *r.value);
  EXPECT_EQ(again.input, row.input);
  EXPECT_EQ(again.output, row.output);
  EXPECT_EQ(again.review, row.review);
  EXPECT_EQ(record::encode_assessment_record(knowledge_base(),
                                             *record::decode_assessment_record(knowledge_base(), assessment_row("")).value)
                .review,
            "");
}

TEST(AssessmentRecord, StoredFindingsAreReadNotRecomputed) {
  // A row whose stored findings differ from what assessing its intake gives
  // today: the record holds the stored ones.
  store::Document row = assessment_row("");
  auto doc = nlohmann::ordered_json::parse(row.output);
  ASSERT_GE(doc["findings"].size(), 2u);
  const std::string kept = doc["findings"][0]["muscle"];
  doc["findings"].erase(doc["findings"].begin() + 1, doc["findings"].end());
  doc["findings"][0]["severity"] = "severe";
  row.output = doc.dump(2) + "\n";
  const auto r = record::decode_assessment_record(knowledge_base(), row);
  ASSERT_TRUE(r.value) << problems_text(r.problems);
  ASSERT_EQ(r.value->reviewed().findings.size(), 1u);
  EXPECT_EQ(r.value->reviewed().findings[0].muscle.str(), kept);
  EXPECT_EQ(r.value->reviewed().findings[0].severity, Severity::kSevere);
}

TEST(AssessmentRecord, AWholeProgramReferralStopsTheProgram) {
  const auto x = testing::planned_example("red-flag-stop.json");
  ASSERT_TRUE(x.a.restrictions.stop_all);
  const auto d = record::decode_assessment(render::assessment_json(knowledge_base(), x.a), knowledge_base(), "a.json");
  ASSERT_TRUE(d.value) << problems_text(d.problems);
  EXPECT_TRUE(d.value->restrictions.stop_all);
  const auto y = testing::planned_example("office-worker.json");
  const auto e = record::decode_assessment(render::assessment_json(knowledge_base(), y.a), knowledge_base(), "a.json");
  ASSERT_TRUE(e.value);
  EXPECT_FALSE(e.value->restrictions.stop_all);
  for (const auto& p : e.value->patterns) EXPECT_NE(p.name, p.id) << "names come from the knowledge base";
}

TEST(RenderInput, TheRenderersReadTheStoredProgramAndFindings) {
  const auto version = a_version();
  const store::Document arow = assessment_row("");
  const auto assessment = record::decode_assessment_record(knowledge_base(), arow);
  ASSERT_TRUE(assessment.value);
  const auto in = record::render_input(version, &*assessment.value, "A. Client");
  EXPECT_EQ(in.header.client_name, "A. Client");
  EXPECT_EQ(in.header.timezone, "Europe/Berlin");
  EXPECT_EQ(render::program_json(knowledge_base(), in.program), render::program_json(knowledge_base(), version.program));
  EXPECT_EQ(render::assessment_json(knowledge_base(), in.assessment), arow.output);
  const std::string ics = render::program_ics(knowledge_base(), in.program, in.header);
  EXPECT_NE(ics.find("X-WR-TIMEZONE:Europe/Berlin"), std::string::npos);

  const auto gone = record::render_input(version, nullptr, "A. Client");
  EXPECT_TRUE(gone.assessment.findings.empty());
  EXPECT_TRUE(gone.header.timezone.empty());

  const auto sessions = record::planned_sessions(version.program);
  ASSERT_EQ(sessions.size(), version.program.sessions.size());
  EXPECT_EQ(sessions.front().date, version.program.sessions.front().date);
  EXPECT_EQ(sessions.front().exercises.size(), version.program.sessions.front().items.size());
}

// ---- decoded versions, kept ------------------------------------------------------

store::Document version_row(const std::string& id, const std::string& client) {
  auto r = a_version();
  r.id = id;
  r.client_id = client;
  return record::encode_program_record(knowledge_base(), r);
}

// `row` under another id, its program cut short: a row that does not decode.
store::Document damaged(store::Document row, const std::string& id) {
  row.id = id;
  row.output = "{";
  return row;
}

TEST(ProgramCache, AVersionIsDecodedOnceAndTheLeastRecentlyUsedLeavesFirst) {
  record::ProgramCache cache(2);
  const auto a = version_row("p_a", "c_1"), b = version_row("p_b", "c_1"), c = version_row("p_c", "c_2");
  const auto first = cache.decode(a).record;
  ASSERT_TRUE(first);
  EXPECT_EQ(cache.decode(a).record, first) << "kept, not decoded again";
  const auto kept_b = cache.decode(b).record;
  EXPECT_EQ(cache.decode(a).record, first);  // a is now the most recently used
  cache.decode(c);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.decode(a).record, first);
  EXPECT_NE(cache.decode(b).record, kept_b) << "b left first, and is decoded again";
}

TEST(ProgramCache, AKeptRecordServesOnlyTheRowItWasDecodedFrom) {
  record::ProgramCache cache;
  const auto row = version_row("p_a", "c_1");
  const auto first = cache.decode(row).record;
  auto other = row;
  other.client_id = "c_2";
  EXPECT_NE(cache.decode(other).record, first) << "another client's row under the same id";
  const auto bad = damaged(row, "p_b");
  const auto answer = cache.decode(bad);
  EXPECT_FALSE(answer.record);
  ASSERT_FALSE(answer.problems.empty());
  EXPECT_EQ(answer.problems.front().file, "stored program p_b output");
  EXPECT_FALSE(cache.decode(bad).record) << "a damaged row is never kept";
}

// A kept record is found from its row's head (store::Store::document_head),
// without the row's bytes; a head of another client or time finds nothing.
TEST(ProgramCache, AKeptRecordIsFoundFromItsRowsHead) {
  record::ProgramCache cache;
  const auto row = version_row("p_a", "c_1");
  auto head = row;
  head.input.clear();
  head.output.clear();
  EXPECT_FALSE(cache.kept(head)) << "nothing decoded yet";
  const auto answer = cache.decode(row);
  ASSERT_TRUE(answer.record);
  const auto kept = cache.kept(head);
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->record, answer.record);
  EXPECT_EQ(kept->renderings, answer.renderings);
  auto other = head;
  other.client_id = "c_2";
  EXPECT_FALSE(cache.kept(other)) << "another client's row under the same id";
  other = head;
  other.created_at += 1;
  EXPECT_FALSE(cache.kept(other)) << "a row restored from elsewhere under the same id";
}

TEST(ProgramCache, ADeletedClientsVersionsAreForgotten) {
  record::ProgramCache cache;
  const auto a = version_row("p_a", "c_1"), b = version_row("p_b", "c_2");
  const auto kept_a = cache.decode(a).record, kept_b = cache.decode(b).record;
  cache.forget_client("c_1");
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_NE(cache.decode(a).record, kept_a);
  EXPECT_EQ(cache.decode(b).record, kept_b);
  // A version just stored is kept as it was encoded.
  auto r = a_version();
  r.id = "p_new";
  const auto row = record::encode_program_record(knowledge_base(), r);
  cache.keep(row, r);
  EXPECT_EQ(cache.decode(row).record->reason, r.reason);
}

// The served JSON of a version is made once per kind of reader and goes with
// its record: another row, or the same id of another client, has its own.
TEST(ProgramCache, RenderingsAreMadeOncePerSlotAndGoWithTheirRecord) {
  record::ProgramCache cache;
  const auto row = version_row("p_a", "c_1");
  const auto answer = cache.decode(row);
  ASSERT_TRUE(answer.renderings);
  int made = 0;
  const auto make = [&](const std::string& text) {
    return [&made, text] {
      ++made;
      return text;
    };
  };
  EXPECT_EQ(*answer.renderings->get(0, make("care team")), "care team");
  EXPECT_EQ(*cache.decode(row).renderings->get(0, make("again")), "care team") << "made once, kept";
  EXPECT_EQ(*cache.decode(row).renderings->get(1, make("client")), "client") << "each slot its own";
  EXPECT_EQ(made, 2);
  auto other = row;
  other.client_id = "c_2";
  EXPECT_EQ(*cache.decode(other).renderings->get(0, make("other")), "other") << "another row's texts are its own";
  cache.forget_client("c_1");
  EXPECT_EQ(*cache.decode(row).renderings->get(0, make("after deletion")), "after deletion");
  EXPECT_THROW(answer.renderings->get(record::Renderings::kSlots, make("x")), std::out_of_range);
  EXPECT_FALSE(cache.decode(damaged(row, "p_b")).renderings);
}

// The client list's adherence needs each client's planned sessions only:
// they are kept apart, without filling the cache of decoded versions, and
// go with the client.
TEST(ProgramCache, PlannedSessionsAreKeptApartFromTheRecords) {
  record::ProgramCache cache(1, 2);
  const auto a = version_row("p_a", "c_1"), b = version_row("p_b", "c_2"), c = version_row("p_c", "c_3");
  const auto expected = record::planned_sessions(a_version().program);
  ASSERT_FALSE(expected.empty());
  const auto plan = cache.planned(a);
  ASSERT_TRUE(plan.sessions);
  ASSERT_EQ(plan.sessions->size(), expected.size());
  EXPECT_EQ(plan.sessions->front().exercises, expected.front().exercises);
  EXPECT_EQ(plan.sessions->back().date, expected.back().date);
  EXPECT_EQ(cache.size(), 0u) << "no decoded version kept for a plan";
  EXPECT_EQ(cache.planned(a).sessions, plan.sessions) << "kept, not decoded again";
  cache.planned(b);
  cache.planned(c);
  EXPECT_EQ(cache.plans_kept(), 2u);
  EXPECT_NE(cache.planned(a).sessions, plan.sessions) << "a left first, and is decoded again";
  cache.forget_client("c_1");
  EXPECT_EQ(cache.plans_kept(), 1u);
  const auto bad = cache.planned(damaged(a, "p_d"));
  EXPECT_FALSE(bad.sessions);
  ASSERT_FALSE(bad.problems.empty());
  EXPECT_EQ(bad.problems.front().file, "stored program p_d output");
}

TEST(ProgramCache, ManyThreadsShareIt) {
  record::ProgramCache cache(3);
  std::vector<store::Document> rows;
  for (int i = 0; i < 5; ++i) rows.push_back(version_row("p_" + std::to_string(i), "c_" + std::to_string(i % 2)));
  const std::string expected = record::encode_program(knowledge_base(), a_version().program);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int k = 0; k < 40; ++k) {
        const auto& row = rows[static_cast<size_t>((t + k) % 5)];
        const auto answer = cache.decode(row);
        if (!answer.record || answer.record->id != row.id) ++wrong;
        if (k % 13 == 0) cache.forget_client("c_1");
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.size(), 3u);
  EXPECT_EQ(record::encode_program(knowledge_base(), cache.decode(rows[0]).record->program), expected);
}

// ---- hostile rows --------------------------------------------------------------

std::vector<std::string> paths_of(const std::vector<Problem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.path);
  return out;
}

// A program document with one value replaced (a JSON pointer).
std::string with(const std::string& json, const std::string& pointer, const nlohmann::ordered_json& value) {
  auto doc = nlohmann::ordered_json::parse(json);
  doc[nlohmann::ordered_json::json_pointer(pointer)] = value;
  return doc.dump(2);
}

TEST(HostileRows, WrongTypesAndRangesAreProblemsWithTheirPaths) {
  const std::string json = render::program_json(knowledge_base(), testing::planned_example("office-worker.json").p);
  struct Case {
    std::string pointer;
    nlohmann::ordered_json value;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"/schema", "rebalance.program/2", "$.schema"},
      {"/weeks", "8", "$.weeks"},
      {"/weeks", 1e300, "$.weeks"},
      {"/weeks", 4294967297.0, "$.weeks"},
      {"/days_per_week", 3.5, "$.days_per_week"},
      {"/start_date", "2026-02-30", "$.start_date"},
      {"/knowledge_base", "2026.1", "$.knowledge_base"},
      {"/sessions", nlohmann::ordered_json::object(), "$.sessions"},
      {"/sessions/0", 7, "$.sessions[0]"},
      {"/sessions/0/week", -1, "$.sessions[0].week"},
      {"/sessions/0/date", nullptr, "$.sessions[0].date"},
      {"/sessions/0/estimated_minutes", 1e308, "$.sessions[0].estimated_minutes"},
      {"/sessions/0/items/0/sets", 99999999999.0, "$.sessions[0].items[0].sets"},
      {"/sessions/0/items/0/phase", "warm_up", "$.sessions[0].items[0].phase"},
      {"/sessions/0/items/0/per_side", "yes", "$.sessions[0].items[0].per_side"},
      {"/sessions/0/items/0/sets_by_side", {{"left", 1}, {"right", 0}}, "$.sessions[0].items[0].sets_by_side.right"},
      {"/sessions/0/items/0/targets/0/side", "middle", "$.sessions[0].items[0].targets[0].side"},
      {"/sessions/0/items/0/exercise", "", "$.sessions[0].items[0].exercise"},
      {"/omitted", nlohmann::ordered_json::array({{{"finding", 1}, {"reason", "r"}}}), "$.omitted[0].finding"},
      {"/reassessments/0/date", 20261130, "$.reassessments[0].date"},
      {"/progression_rules", nlohmann::ordered_json::array({1}), "$.progression_rules[0]"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.pointer);
    const auto d = record::decode_program(with(json, c.pointer, c.value), "row");
    EXPECT_FALSE(d.value);
    ASSERT_FALSE(d.problems.empty());
    EXPECT_EQ(d.problems.front().path, c.path) << problems_text(d.problems);
    EXPECT_EQ(d.problems.front().file, "row");
  }
}

TEST(HostileRows, MalformedDocumentsAreProblemsNotCrashes) {
  const std::string json = render::program_json(knowledge_base(), testing::planned_example("office-worker.json").p);
  const std::vector<std::string> documents = {
      "",
      "null",
      "[]",
      "\"rebalance.program/1\"",
      "{\"schema\": \"rebalance.program/1\", \"schema\": \"rebalance.program/1\"}",
      "{\"weeks\": 1e999}",
      "{\"weeks\": 123456789012345678901234567890, \"dismiss\": 1}",
      std::string(100000, '[') + std::string(100000, ']'),
      "{\"sessions\": " + std::string(5000, '[') + "}",
      json.substr(0, json.size() / 2),
      json + "{}",
  };
  for (const auto& text : documents) {
    SCOPED_TRACE(text.substr(0, 60));
    const auto d = record::decode_program(text, "row");
    EXPECT_FALSE(d.value);
    EXPECT_FALSE(d.problems.empty());
    EXPECT_LE(d.problems.size(), 101u);
    const auto a = record::decode_assessment(text, knowledge_base(), "row");
    EXPECT_FALSE(a.value);
    EXPECT_FALSE(a.problems.empty());
    EXPECT_FALSE(record::decode_review(text, "row").value);
  }
  const auto deep = record::decode_program(std::string(100000, '[') + std::string(100000, ']'), "row");
  EXPECT_EQ(deep.problems.front().expected, "JSON nested at most 32 levels deep");
}

TEST(HostileRows, EveryTruncationOfAProgramIsRefused) {
  const std::string json = render::program_json(knowledge_base(), testing::planned_example("runner-knee.json").p);
  for (size_t cut = 0; cut + 2 < json.size(); cut += 97) {
    const auto d = record::decode_program(std::string_view(json).substr(0, cut), "row");
    EXPECT_FALSE(d.value) << cut;
    EXPECT_FALSE(d.problems.empty()) << cut;
  }
}

TEST(HostileRows, AnOversizedRowIsRefusedUnread) {
  std::string huge = "{\"schema\": \"" + std::string(record::kMaxStoredBytes, 'x') + "\"}";
  const auto d = record::decode_program(huge, "row");
  EXPECT_FALSE(d.value);
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].path, "$");
}

// Random byte changes (fixed seed): decoding never throws; whatever decodes
// encodes to a document that decodes to the same encoding again.
TEST(HostileRows, MutatedProgramsAndAssessmentsNeverCrashTheDecoder) {
  const auto x = testing::planned_example("screen-and-safety.json");
  const std::string program = render::program_json(knowledge_base(), x.p);
  const std::string findings = render::assessment_json(knowledge_base(), x.a);
  std::mt19937 rng(14);
  const std::string alphabet = "{}[]\":,0123456789.-eE truefalsn\\x";
  int decoded = 0;
  for (int round = 0; round < 600; ++round) {
    std::string text = round % 2 == 0 ? program : findings;
    const int changes = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < changes; ++k) {
      const size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + rng() % 8);
          break;
        default:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    if (round % 2 == 0) {
      const auto d = record::decode_program(text, "row");
      EXPECT_NE(d.value.has_value(), !d.problems.empty());
      if (!d.value) continue;
      ++decoded;
      const std::string once = record::encode_program(knowledge_base(), *d.value);
      const auto again = record::decode_program(once, "row");
      ASSERT_TRUE(again.value) << problems_text(again.problems);
      EXPECT_EQ(record::encode_program(knowledge_base(), *again.value), once);
    } else {
      const auto d = record::decode_assessment(text, knowledge_base(), "row");
      EXPECT_NE(d.value.has_value(), !d.problems.empty());
      if (!d.value) continue;
      ++decoded;
      const std::string once = record::encode_assessment(knowledge_base(), *d.value);
      const auto again = record::decode_assessment(once, knowledge_base(), "row");
      ASSERT_TRUE(again.value) << problems_text(again.problems);
      EXPECT_EQ(record::encode_assessment(knowledge_base(), *again.value), once);
    }
  }
  EXPECT_GT(decoded, 0) << "some mutations (inside strings) still decode";
}

TEST(HostileRows, ADamagedRowNamesTheRowAndThePart) {
  auto row = record::encode_program_record(knowledge_base(), a_version());
  row.input = R"({"assessment":"a_9","weeks":8,"days_per_week":3,"minutes_per_session":20,"start_date":"2026-11-30",)"
              R"("edits":{"op":"add"},"version":2})";
  row.output = with(row.output, "/sessions/1/items/0/reps", "ten");
  const auto r = record::decode_program_record(row);
  EXPECT_FALSE(r.value);
  std::vector<std::string> where;
  for (const auto& p : r.problems) where.push_back(p.file + " " + p.path);
  EXPECT_EQ(where, (std::vector<std::string>{"stored program p_2 input $.assessment", "stored program p_2 input $.edits",
                                             "stored program p_2 input $.supersedes",
                                             "stored program p_2 output $.sessions[1].items[0].reps"}));

  auto other = record::encode_program_record(knowledge_base(), a_version());
  other.kb_version = "2026.9";
  const auto mismatch = record::decode_program_record(other);
  EXPECT_FALSE(mismatch.value);
  ASSERT_EQ(paths_of(mismatch.problems), std::vector<std::string>{"$.knowledge_base.version"});

  store::Document arow = assessment_row(R"({"dismiss":[{"muscle":"x","side":"up","state":"tight"}],"add":7})");
  const auto a = record::decode_assessment_record(knowledge_base(), arow);
  EXPECT_FALSE(a.value);
  EXPECT_EQ(paths_of(a.problems), (std::vector<std::string>{"$.dismiss[0].side", "$.add"}));
  EXPECT_EQ(a.problems.front().file, "stored assessment a_1 review");
}

}  // namespace
}  // namespace rebalance
