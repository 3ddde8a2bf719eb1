// The clinical panel: each file of tests/clinical/cases is a vignette (an
// intake, planning constraints and what a physiotherapist expects, from a
// cited guideline); this runner assesses and plans it with the real
// knowledge base and holds the result to every expectation. The format is
// tests/clinical/README.md.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "intake/intake.h"
#include "plan/plan.h"
#include "test_support.h"

namespace rebalance {
namespace {

using Json = nlohmann::json;
using testing::knowledge_base;

std::vector<std::string> case_files() {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(REBALANCE_CLINICAL_DIR))
    if (entry.path().extension() == ".json") out.push_back(entry.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// What a case is held to, read strictly: an unknown member is a broken case.
struct Case {
  std::string title, source;
  Json intake, plan, expect;
};

class Clinical : public ::testing::TestWithParam<std::string> {
 protected:
  const kb::KnowledgeBase& kb = knowledge_base();

  static Case read(const std::string& file) {
    const Json j = Json::parse(testing::read_file(file));
    for (const auto& [key, value] : j.items())
      if (key != "title" && key != "source" && key != "intake" && key != "plan" && key != "expect")
        ADD_FAILURE() << "unknown member " << key;
    static const std::set<std::string> kExpect{"findings",
                                               "no_findings",
                                               "patterns",
                                               "no_patterns",
                                               "referrals",
                                               "no_referrals",
                                               "empty_schedule",
                                               "excluded_exercises",
                                               "excluded_tags",
                                               "excluded_loading",
                                               "included_exercises",
                                               "week1_max_difficulty",
                                               "weekly_days",
                                               "trained",
                                               "weaker_side_extra_sets",
                                               "harder_variant_by_week"};
    for (const auto& [key, value] : j.at("expect").items())
      if (!kExpect.count(key)) ADD_FAILURE() << "unknown expectation " << key;
    EXPECT_GT(j.at("source").get<std::string>().size(), 20u) << "every case cites its source";
    return Case{j.at("title"), j.at("source"), j.at("intake"), j.at("plan"), j.at("expect")};
  }

  const kb::Exercise& exercise(const ExerciseId& id) const {
    const kb::Exercise* e = kb.exercise(id);
    if (e == nullptr) throw std::runtime_error("no exercise " + id.str());
    return *e;
  }

  // An item's target stands for `muscle` in `state`: the same muscle, or a
  // group holding it, or a member of the group it names.
  bool targets(const plan::Item& item, const std::string& muscle, State state) const {
    return std::any_of(item.targets.begin(), item.targets.end(), [&](const plan::Target& t) {
      return t.state == state && (kb.covers(t.muscle, MuscleId(muscle)) || kb.covers(MuscleId(muscle), t.muscle));
    });
  }

  static std::string findings_text(const assess::Assessment& a) {
    std::string out;
    for (const auto& f : a.findings)
      out += "\n  " + f.muscle.str() + " " + std::string(to_string(f.side)) + " " + std::string(to_string(f.state)) + " " +
             std::string(to_string(f.severity)) + " " + std::to_string(f.confidence);
    return out.empty() ? "\n  (none)" : out;
  }
};

TEST_P(Clinical, TheProgramIsOneAPhysiotherapistWouldSign) {
  const Case c = read(GetParam());
  SCOPED_TRACE(c.title + "\n    source: " + c.source.substr(0, 300));
  const auto parsed = intake::parse(c.intake.dump(), kb, GetParam());
  ASSERT_TRUE(parsed.intake) << "the case's intake is bad input (a broken case): "
                             << (parsed.problems.empty() ? "" : format_problem(parsed.problems.front()));
  const auto a = assess::assess(kb, *parsed.intake);
  plan::Overrides ov;
  ov.start = Date::parse(c.plan.at("start").get<std::string>());
  ASSERT_TRUE(ov.start) << "plan.start";
  if (c.plan.contains("weeks")) ov.weeks = c.plan["weeks"].get<int>();
  if (c.plan.contains("days_per_week")) ov.days_per_week = c.plan["days_per_week"].get<int>();
  if (c.plan.contains("minutes")) ov.minutes = c.plan["minutes"].get<int>();
  const auto constraints = plan::resolve(kb, *parsed.intake, ov, *ov.start);
  const auto p = plan::plan(kb, a, constraints);
  const Json& x = c.expect;
  const std::string found = "findings:" + findings_text(a);

  for (const auto& want : x.value("findings", Json::array())) {
    const auto side = parse_side(want.at("side").get<std::string>());
    const auto state = parse_state(want.at("state").get<std::string>());
    const auto it = std::find_if(a.findings.begin(), a.findings.end(), [&](const assess::Finding& f) {
      return f.muscle.str() == want.at("muscle") && f.side == side && f.state == state;
    });
    if (it == a.findings.end()) {
      ADD_FAILURE() << "expected finding " << want.dump() << "\n" << found;
      continue;
    }
    if (want.contains("min_severity")) {
      EXPECT_GE(it->severity, *parse_severity(want["min_severity"].get<std::string>())) << want.dump() << "\n" << found;
    }
    if (want.contains("max_severity")) {
      EXPECT_LE(it->severity, *parse_severity(want["max_severity"].get<std::string>())) << want.dump() << "\n" << found;
    }
    if (want.contains("min_confidence")) {
      EXPECT_GE(it->confidence + 1e-9, want["min_confidence"].get<double>()) << want.dump() << "\n" << found;
    }
  }
  for (const auto& not_want : x.value("no_findings", Json::array())) {
    const auto state = parse_state(not_want.at("state").get<std::string>());
    std::optional<Side> side;
    if (not_want.contains("side")) side = parse_side(not_want["side"].get<std::string>());
    for (const auto& f : a.findings)
      if (f.muscle.str() == not_want.at("muscle") && f.state == state &&
          (!side || f.side == *side || f.side == Side::kBoth || *side == Side::kBoth))
        ADD_FAILURE() << "unexpected finding " << not_want.dump() << "\n" << found;
  }
  std::set<std::string> patterns;
  for (const auto& pat : a.patterns) patterns.insert(pat.id);
  for (const auto& id : x.value("patterns", Json::array()))
    EXPECT_TRUE(patterns.count(id.get<std::string>())) << "expected pattern " << id << "\n" << found;
  for (const auto& id : x.value("no_patterns", Json::array()))
    EXPECT_FALSE(patterns.count(id.get<std::string>())) << "unexpected pattern " << id << "\n" << found;

  std::string referrals;
  for (const auto& r : a.referrals)
    referrals += "\n  " + r.reason + " " + r.flag + " " + r.region + " " + std::string(kb::to_string(r.urgency));
  for (const auto& want : x.value("referrals", Json::array())) {
    const bool any = std::any_of(a.referrals.begin(), a.referrals.end(), [&](const assess::Referral& r) {
      return r.reason == want.at("reason") && (!want.contains("flag") || r.flag == want["flag"]) &&
             (!want.contains("region") || r.region == want["region"]) &&
             (!want.contains("urgency") || kb::to_string(r.urgency) == want["urgency"].get<std::string>());
    });
    EXPECT_TRUE(any) << "expected referral " << want.dump() << "\nreferrals:" << referrals;
  }
  if (x.value("no_referrals", false)) {
    EXPECT_TRUE(a.referrals.empty()) << "referrals:" << referrals;
  }
  if (x.value("empty_schedule", false)) {
    EXPECT_TRUE(p.sessions.empty()) << p.sessions.size() << " sessions";
    EXPECT_TRUE(p.reassessments.empty()) << "no dated re-assessments either";
  } else if (x.contains("empty_schedule")) {
    EXPECT_FALSE(p.sessions.empty());
  }

  for (const auto& s : p.sessions)
    for (const auto& item : s.items) {
      const std::string where = "week " + std::to_string(s.week) + " day " + std::to_string(s.day) + ": " + item.exercise.str();
      const kb::Exercise& e = exercise(item.exercise);
      for (const auto& id : x.value("excluded_exercises", Json::array()))
        EXPECT_NE(item.exercise.str(), id.get<std::string>()) << where;
      for (const auto& tag : x.value("excluded_tags", Json::array())) {
        EXPECT_TRUE(kb.vocabulary.tags.count(tag.get<std::string>())) << "the case names an unknown tag " << tag;
        EXPECT_EQ(std::count(e.tags.begin(), e.tags.end(), tag.get<std::string>()), 0) << where << " carries " << tag;
      }
      for (const auto& region : x.value("excluded_loading", Json::array()))
        EXPECT_EQ(std::count(e.loads.begin(), e.loads.end(), region.get<std::string>()), 0) << where << " loads " << region;
      if (s.week == 1 && x.contains("week1_max_difficulty")) {
        EXPECT_LE(e.difficulty, x["week1_max_difficulty"].get<int>()) << where << " is difficulty " << e.difficulty;
      }
    }
  for (const auto& id : x.value("excluded_exercises", Json::array()))
    EXPECT_TRUE(kb.exercise(ExerciseId(id.get<std::string>()))) << "the case names an unknown exercise " << id;

  auto week_items = [&](int week) {
    std::vector<std::pair<int, const plan::Item*>> out;
    for (const auto& s : p.sessions)
      if (s.week == week)
        for (const auto& item : s.items) out.emplace_back(s.day, &item);
    return out;
  };
  for (const auto& id : x.value("included_exercises", Json::array())) {
    const auto items = week_items(1);
    EXPECT_TRUE(std::any_of(items.begin(), items.end(), [&](const auto& d) { return d.second->exercise.str() == id; }))
        << "expected " << id << " in week 1";
  }
  for (const auto& want : x.value("trained", Json::array())) {
    const auto items = week_items(1);
    const auto state = *parse_state(want.at("state").get<std::string>());
    EXPECT_TRUE(std::any_of(items.begin(), items.end(),
                            [&](const auto& d) { return targets(*d.second, want.at("muscle").get<std::string>(), state); }))
        << "expected week 1 to train " << want.dump() << "\n" << found;
  }
  for (const auto& want : x.value("weekly_days", Json::array())) {
    const auto state = *parse_state(want.at("state").get<std::string>());
    for (int w = 1; w <= p.weeks; ++w) {
      std::set<int> days;
      for (const auto& [day, item] : week_items(w))
        if (targets(*item, want.at("muscle").get<std::string>(), state)) days.insert(day);
      EXPECT_GE(static_cast<int>(days.size()), want.at("min_days").get<int>()) << "week " << w << ": " << want.dump();
    }
  }
  if (x.contains("weaker_side_extra_sets")) {
    const auto side = *parse_side(x["weaker_side_extra_sets"].get<std::string>());
    bool extra = false;
    for (int w = 1; w <= 2; ++w)
      for (const auto& [day, item] : week_items(w))
        if (item->phase == Phase::kStrengthen && (side == Side::kLeft ? item->extra_sets_left : item->extra_sets_right))
          extra = true;
    EXPECT_TRUE(extra) << "expected more sets for the " << to_string(side) << " side in weeks 1-2";
  }
  if (x.contains("harder_variant_by_week")) {
    bool harder = false;
    for (const auto& s : p.sessions)
      if (s.week <= x["harder_variant_by_week"].get<int>())
        for (const auto& item : s.items)
          if (item.exercise != item.week1_exercise &&
              exercise(item.exercise).difficulty > exercise(item.week1_exercise).difficulty)
            harder = true;
    EXPECT_TRUE(harder) << "expected a harder variant by week " << x["harder_variant_by_week"];
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, Clinical, ::testing::ValuesIn(case_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(ClinicalPanel, HoldsAtLeastFortyCasesEachCitingItsSource) { EXPECT_GE(case_files().size(), 40u); }

}  // namespace
}  // namespace rebalance
