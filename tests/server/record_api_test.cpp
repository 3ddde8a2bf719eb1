// What the service serves of a stored program or assessment is what was
// stored (issue 14): the JSON, the calendar, the handout, the calendar feed,
// adherence, progress and comparisons read the stored records, never a
// re-planned program or a re-run assessment.
#include <gtest/gtest.h>

#include "record/record.h"
#include "server/api_fixture.h"

namespace rebalance {
namespace {

// An iCalendar body with its folded lines joined again (RFC 5545 3.1).
std::string unfolded(std::string ics) {
  for (size_t at; (at = ics.find("\r\n ")) != std::string::npos;) ics.erase(at, 3);
  return ics;
}

class StoredRecords : public ApiTest {
 protected:
  record::ProgramRecord stored_program(const std::string& id) {
    const auto row = db_->document(store::DocKind::kProgram, id);
    EXPECT_TRUE(row);
    auto r = record::decode_program_record(*row);
    EXPECT_TRUE(r.value) << (r.problems.empty() ? "" : format_problem(r.problems.front()));
    return r.value ? *r.value : record::ProgramRecord{};
  }

  // Stores `version` as the next version of `previous`, as a row written by
  // another release of the service would be: with its own program.
  std::string store_next(const record::ProgramRecord& previous, record::ProgramRecord version) {
    version.id = store::new_id("p_");
    version.supersedes = previous.id;
    version.version = previous.version + 1;
    version.created_at = store::now_ms();
    db_->add_document(store::DocKind::kProgram, record::encode_program_record(*kb_, version));
    return version.id;
  }

  // A program of the clinic's client starting next week, so that a calendar
  // feed has sessions ahead.
  std::string upcoming_program(const std::string& practitioner, const Setup& s) {
    const Date start = Date::from_days(store::now_s() / 86400).plus_days(7);
    const auto r = call("POST", "/api/v1/clients/" + s.client + "/programs", practitioner,
                        R"({"assessment": ")" + s.assessment + R"(", "weeks": 4, "start_date": ")" + start.iso() + "\"}");
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r)["id"];
  }
};

// Nine sets of the first exercise everywhere, under knowledge base 2025.1:
// nothing re-planning with today's knowledge base could give.
record::ProgramRecord made_elsewhere(record::ProgramRecord r) {
  r.kb_version = "2025.1";
  r.program.kb_version = "2025.1";
  const ExerciseId first = r.program.sessions.front().items.front().exercise;
  for (auto& s : r.program.sessions)
    for (auto& i : s.items)
      if (i.exercise == first) i.dose.sets = 9;
  return r;
}

TEST_F(StoredRecords, TheJsonCalendarAndHandoutOfAStoredProgramAreTheStoredProgram) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  const auto v1 = stored_program(upcoming_program(p, s));
  ASSERT_NE(v1.program.sessions.front().items.front().dose.sets, 9) << "the planner would not prescribe it";
  const std::string id = store_next(v1, made_elsewhere(v1));
  const std::string first = v1.program.sessions.front().items.front().exercise.str();

  auto r = call("GET", "/api/v1/programs/" + id, p);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json served = json(r);
  EXPECT_EQ(served["knowledge_base"]["version"], "2025.1");
  EXPECT_EQ(served["version"], 2);
  EXPECT_EQ(served["supersedes"], v1.id);
  EXPECT_EQ(served["sessions"][0]["items"][0]["sets"], 9);
  // The program part is the stored document, field for field.
  Json program = served;
  for (const char* key : {"id", "client_id", "assessment_id", "version", "supersedes", "edits"}) program.erase(key);
  EXPECT_EQ(program, Json::parse(db_->document(store::DocKind::kProgram, id)->output));

  r = call("GET", "/api/v1/programs/" + id + "/calendar.ics", s.client_token);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string ics = unfolded(r.body);
  EXPECT_NE(ics.find(": 9 sets"), std::string::npos) << ics.substr(0, 2000);
  EXPECT_NE(ics.find("PRODID:-//Rebalance//Rebalance knowledge base 2025.1//EN"), std::string::npos)
      << "the calendar names the knowledge base that made the version";

  r = call("GET", "/api/v1/programs/" + id + "/handout.html", s.client_token);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto row = r.body.find("<a href=\"#how-" + first + "\">");
  ASSERT_NE(row, std::string::npos);
  EXPECT_EQ(r.body.substr(r.body.find("<td>", row + 1), 10), "<td>9 sets");

  // The calendar feed serves the client's latest version, as stored.
  r = call("POST", "/api/v1/clients/" + s.client + "/calendar-feed", s.client_token);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string url = json(r)["url"];
  r = call("GET", url.substr(url.find("/api/v1/calendar/")));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(unfolded(r.body).find(": 9 sets"), std::string::npos);
}

TEST_F(StoredRecords, ARevisionIsPlannedWithTodaysKnowledgeBaseAndSaysSo) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  const auto v1 = stored_program(s.program);
  const std::string old = store_next(v1, made_elsewhere(v1));
  const auto r = call("POST", "/api/v1/programs/" + old + "/revisions", p, R"({"edits": [], "reason": "a new block"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["knowledge_base"]["version"], kb_->version);
  EXPECT_EQ(json(r)["version"], 3);
  const auto v3 = stored_program(json(r)["id"]);
  EXPECT_EQ(v3.kb_version, kb_->version);
  EXPECT_EQ(v3.supersedes, old);
  EXPECT_EQ(v3.reason, "a new block");
  EXPECT_EQ(v3.program.sessions.front().items.front().dose.sets, v1.program.sessions.front().items.front().dose.sets)
      << "a new version is planned again, from the stored constraints";
}

// A version's JSON is made once for each kind of reader and served from the
// cache after that: the client never sees the care team's reason for a
// revision, whoever read the version first, and every read is audited.
TEST_F(StoredRecords, EachKindOfReaderGetsItsOwnViewOfAKeptVersion) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  auto r = call("POST", "/api/v1/programs/" + s.program + "/revisions", p, R"({"edits": [], "reason": "knee flared up"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = json(r)["id"];
  for (int round = 0; round < 2; ++round) {
    r = call("GET", "/api/v1/programs/" + id, s.client_token);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(json(r).contains("reason")) << "round " << round;
    EXPECT_EQ(r.body.find("knee flared up"), std::string::npos);
    r = call("GET", "/api/v1/programs/" + id, p);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json(r)["reason"], "knee flared up") << "round " << round;
    EXPECT_EQ(json(r)["id"], id);
  }
  size_t reads = 0;
  for (const auto& e : db_->audit(0, 1000))
    if (e.action == "read" && e.resource == "program" && e.resource_id == id) ++reads;
  EXPECT_EQ(reads, 4u);
}

TEST_F(StoredRecords, AdherenceProgressAndTheClientListCountTheStoredSessions) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  // Four weeks long past: re-planning would give 12 sessions, all due.
  auto r = call("POST", "/api/v1/clients/" + s.client + "/programs", p,
                R"({"assessment": ")" + s.assessment + R"(", "weeks": 4, "days_per_week": 3, "start_date": "2025-01-06"})");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto v1 = stored_program(json(r)["id"]);
  ASSERT_EQ(v1.program.sessions.size(), 12u);
  // The stored version holds the first two weeks only.
  auto shorter = v1;
  std::erase_if(shorter.program.sessions, [](const plan::Session& x) { return x.week > 2; });
  const std::string id = store_next(v1, shorter);
  for (const char* log : {R"({"week": 1, "day": 1, "date": "2025-01-06", "effort": 5, "pain": 1})",
                          R"({"week": 2, "day": 1, "date": "2025-01-13", "effort": 5, "pain": 1})",
                          R"({"week": 3, "day": 1, "date": "2025-01-20", "effort": 5, "pain": 1})"})
    ASSERT_EQ(call("POST", "/api/v1/programs/" + id + "/logs", s.client_token, log).status, 201);

  r = call("GET", "/api/v1/programs/" + id + "/adherence", s.client_token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["due_sessions"], 6);
  EXPECT_EQ(json(r)["completed_sessions"], 2) << "week 3 is not in the stored program";
  EXPECT_EQ(json(r)["weeks"].size(), 2u);

  const Json clients = json(call("GET", "/api/v1/clients", p))["clients"];
  ASSERT_EQ(clients.size(), 1u);
  EXPECT_EQ(clients[0]["adherence"]["program_id"], id);
  EXPECT_EQ(clients[0]["adherence"]["missed_sessions"], 4);

  r = call("GET", "/api/v1/clients/" + s.client + "/progress", p);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["program_id"], id);
  EXPECT_EQ(json(r)["adherence"]["due_sessions"], 6);
}

TEST_F(StoredRecords, AComparisonAndTheHandoutReadTheStoredFindings) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  // A second assessment of the same intake, stored without findings (as an
  // older knowledge base might have judged it): re-assessing would find the
  // same as the first; the stored findings say they all resolved.
  const auto first = db_->document(store::DocKind::kAssessment, s.assessment);
  ASSERT_TRUE(first);
  auto decoded = record::decode_assessment_record(*kb_, *first);
  ASSERT_TRUE(decoded.value);
  auto later = *decoded.value;
  ASSERT_FALSE(later.findings.findings.empty());
  later.id = store::new_id("a_");
  later.created_at = first->created_at + 1;
  later.findings.findings.clear();
  later.findings.patterns.clear();
  db_->add_document(store::DocKind::kAssessment, record::encode_assessment_record(*kb_, later));

  auto r = call("GET", "/api/v1/assessments/" + later.id + "/comparison", p);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json c = json(r);
  EXPECT_EQ(c["summary"]["resolved"].get<int>(), static_cast<int>(c["findings"].size()));
  EXPECT_EQ(c["summary"]["unchanged"], 0);

  // A program of the later assessment: its handout says nothing was found.
  r = call("POST", "/api/v1/clients/" + s.client + "/programs", p, R"({"assessment": ")" + later.id + R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = call("GET", "/api/v1/programs/" + json(r)["id"].get<std::string>() + "/handout.html", p);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("found no imbalance"), std::string::npos);
}

TEST_F(StoredRecords, ADamagedProgramRowIsAConflictNotACrash) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  const auto row = db_->document(store::DocKind::kProgram, s.program);
  ASSERT_TRUE(row);
  for (const std::string& output : {std::string("{"), std::string("[]"), row->output.substr(0, row->output.size() / 2),
                                    std::string(R"({"schema": "rebalance.program/1", "sessions": "every day"})"),
                                    std::string(100000, '[') + std::string(100000, ']')}) {
    store::Document damaged = *row;
    damaged.id = store::new_id("p_");
    damaged.output = output;
    db_->add_document(store::DocKind::kProgram, damaged);
    for (const char* format : {"", "/calendar.ics", "/handout.html", "/adherence"}) {
      const auto r = call("GET", "/api/v1/programs/" + damaged.id + format, p);
      EXPECT_EQ(r.status, 409) << format << " " << r.body;
      EXPECT_EQ(json(r)["error"]["code"], "stale");
    }
    EXPECT_EQ(call("POST", "/api/v1/programs/" + damaged.id + "/revisions", p, R"({"edits": []})").status, 409);
  }
}

TEST_F(StoredRecords, ADeletedClientsVersionsAreNotServedAgain) {
  const std::string p = add_account("p@x.org", "practitioner");
  const auto s = clinic(p, "dana@x.org");
  ASSERT_EQ(call("GET", "/api/v1/programs/" + s.program, p).status, 200);
  ASSERT_EQ(call("GET", "/api/v1/programs/" + s.program + "/calendar.ics", p).status, 200);
  ASSERT_EQ(call("DELETE", "/api/v1/clients/" + s.client, p).status, 204);
  for (const char* format : {"", "/calendar.ics", "/handout.html", "/adherence"})
    EXPECT_EQ(call("GET", "/api/v1/programs/" + s.program + format, p).status, 404) << format;
}

}  // namespace
}  // namespace rebalance
