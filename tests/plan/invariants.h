// The contract's section 5 guarantees, checked on any program.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "assess/assess.h"
#include "intake/intake.h"
#include "plan/plan.h"

namespace rebalance::testing {

inline void expect_program_invariants(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Constraints& c,
                                      const plan::Program& p, const std::string& label) {
  SCOPED_TRACE(label);
  if (a.restrictions.stop_all) {
    // Referral only: no dated empty days, no calendar events, and omitted says why.
    EXPECT_TRUE(p.sessions.empty());
    EXPECT_TRUE(p.reassessments.empty());
    EXPECT_EQ(p.omitted.size(), std::count_if(a.findings.begin(), a.findings.end(), [](const auto&) { return true; }));
    return;
  }
  ASSERT_EQ(p.sessions.size(), static_cast<size_t>(c.weeks * c.days_per_week));
  const bool functional_omitted = std::any_of(p.omitted.begin(), p.omitted.end(), [](const plan::Omission& o) {
    return !o.finding && o.reason.find("functional") != std::string::npos;
  });
  for (size_t i = 0; i < p.sessions.size(); ++i) {
    const auto& s = p.sessions[i];
    EXPECT_EQ(s.week, static_cast<int>(i) / c.days_per_week + 1);
    EXPECT_EQ(s.day, static_cast<int>(i) % c.days_per_week + 1);
    if (i == 0) {
      EXPECT_GE(s.date, c.start);
    } else {
      EXPECT_GT(s.date, p.sessions[i - 1].date);
    }
    if (!c.weekdays.empty()) {
      EXPECT_NE(std::find(c.weekdays.begin(), c.weekdays.end(), s.date.weekday()), c.weekdays.end());
    }
    EXPECT_LE(s.estimated_minutes, c.minutes) << "week " << s.week << " day " << s.day;
    EXPECT_LE(s.items.size(), static_cast<size_t>(kb.progression.hard_max_exercises_per_session));
    double total = 0;
    for (size_t k = 0; k < s.items.size(); ++k) {
      const auto& item = s.items[k];
      total += item.minutes;
      const kb::Exercise* e = kb.exercise(item.exercise);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->phase, item.phase);
      if (k > 0) {
        EXPECT_LE(s.items[k - 1].phase, item.phase) << "phase order";
      }
      if (s.week == 1) {
        EXPECT_EQ(item.dose.sets, e->dose.sets) << item.exercise.str();
        EXPECT_EQ(item.dose.reps, e->dose.reps) << item.exercise.str();
        EXPECT_EQ(item.dose.hold_seconds, e->dose.hold_seconds) << item.exercise.str();
        EXPECT_FALSE(item.extra_sets_left || item.extra_sets_right);
      }
      if (a.restrictions.stop_all) ADD_FAILURE() << "an item despite a systemic red flag";
    }
    EXPECT_LE(total, c.minutes + 1e-9);
  }
  for (int w = 1; w <= c.weeks; ++w) {
    int functional_days = 0;
    for (const auto& s : p.sessions)
      if (s.week == w &&
          std::any_of(s.items.begin(), s.items.end(), [](const plan::Item& i) { return i.phase == Phase::kFunctional; }))
        ++functional_days;
    if (!functional_omitted) {
      if (c.days_per_week < 2) {
        EXPECT_EQ(functional_days, c.days_per_week) << "week " << w;
      } else {
        EXPECT_GE(functional_days, 2) << "week " << w;
        EXPECT_LE(functional_days, 3) << "week " << w;
      }
    }
    for (const auto& f : a.findings) {
      const plan::Target t{f.muscle, f.side, f.state};
      bool targeted = false;
      for (const auto& s : p.sessions)
        if (s.week == w)
          for (const auto& item : s.items)
            if (std::find(item.targets.begin(), item.targets.end(), t) != item.targets.end()) targeted = true;
      const bool omitted = std::any_of(p.omitted.begin(), p.omitted.end(), [&](const plan::Omission& o) {
        return o.finding && *o.finding == t && !o.reason.empty();
      });
      EXPECT_TRUE(targeted || omitted) << f.muscle.str() << " " << to_string(f.side) << " " << to_string(f.state) << " week "
                                       << w;
    }
  }
}

// Safety and dosing (data/safety.json, data/planning.json), each checked
// from the data directly rather than through the planner's own exclusion
// list: nothing loads a region stopped by a red flag or severe pain; no
// contraindication's pain level is reached; no active screening item's
// tags, positions, exercises or loaded region; no tag a sport profile
// excludes; a client who must start easy gets nothing harder in week 1; and
// each finding of the frequency rule's severity is trained on its minimum
// days every week, or `omitted` says why not.
inline void expect_safety_and_dosing(const kb::KnowledgeBase& kb, const intake::Intake& in, const assess::Assessment& a,
                                     const plan::Constraints& c, const plan::Program& p, const std::string& label) {
  SCOPED_TRACE(label);
  const auto& r = a.restrictions;
  const auto& pl = kb.planning;
  bool easy = in.client.age && *in.client.age >= pl.start_easy_age_at_least;
  for (const auto& pain : in.pain) easy = easy || pain.intensity >= pl.start_easy_pain_at_least;
  for (const auto& e : in.strength) easy = easy || (e.unit == StrengthUnit::kMmt && e.value <= pl.start_easy_mmt_at_most);
  for (const auto& s : p.sessions)
    for (const auto& item : s.items) {
      const kb::Exercise* e = kb.exercise(item.exercise);
      ASSERT_NE(e, nullptr);
      const std::string where = "week " + std::to_string(s.week) + " day " + std::to_string(s.day) + ": " + e->id.str();
      auto has = [](const std::vector<std::string>& list, const std::string& x) {
        return std::find(list.begin(), list.end(), x) != list.end();
      };
      for (const auto& region : r.stopped_regions) EXPECT_FALSE(has(e->loads, region)) << where << " loads " << region;
      for (const auto& ci : e->contraindications)
        for (const auto& [region, intensity] : r.pain)
          EXPECT_FALSE(region == ci.region && intensity >= ci.min_intensity) << where << ": " << ci.reason;
      for (const auto& id : r.screening) {
        const kb::ScreeningRule* rule = kb.screening_rule(id);
        ASSERT_NE(rule, nullptr);
        for (const auto& tag : rule->tags) EXPECT_FALSE(has(e->tags, tag)) << where << " is " << tag << " (" << id << ")";
        EXPECT_FALSE(has(rule->positions, e->position)) << where << " is " << e->position << " (" << id << ")";
        EXPECT_EQ(std::count(rule->exercises.begin(), rule->exercises.end(), e->id), 0) << where << " (" << id << ")";
        if (!rule->loading_parameter.empty() && r.screening_values.count(rule->loading_parameter)) {
          EXPECT_FALSE(has(e->loads, r.screening_values.at(rule->loading_parameter))) << where << " (" << id << ")";
        }
      }
      for (const auto& [tag, why] : r.excluded_tags) EXPECT_FALSE(has(e->tags, tag)) << where << ": " << why;
      if (s.week == 1 && easy) {
        EXPECT_LE(e->difficulty, pl.start_easy_max_difficulty) << where << " for a client who starts easy";
      }
    }
  if (c.days_per_week < pl.frequency_when_days) return;
  const int need_days = std::min(pl.frequency_min_days, c.days_per_week);
  for (const auto& f : a.findings) {
    if (f.severity < pl.frequency_min_severity) continue;
    const plan::Target t{f.muscle, f.side, f.state};
    const bool omitted = std::any_of(p.omitted.begin(), p.omitted.end(), [&](const plan::Omission& o) {
      return o.finding && *o.finding == t && !o.reason.empty();
    });
    if (omitted) continue;
    for (int w = 1; w <= c.weeks; ++w) {
      int days = 0;
      for (const auto& s : p.sessions)
        if (s.week == w &&
            std::any_of(s.items.begin(), s.items.end(), [&](const plan::Item& item) {
              return std::find(item.targets.begin(), item.targets.end(), t) != item.targets.end();
            }))
          ++days;
      EXPECT_GE(days, need_days) << f.muscle.str() << " " << to_string(f.side) << " " << to_string(f.state) << " week " << w;
    }
  }
}

}  // namespace rebalance::testing
