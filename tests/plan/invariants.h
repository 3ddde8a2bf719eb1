// The contract's section 5 guarantees, checked on any program.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "assess/assess.h"
#include "plan/plan.h"

namespace rebalance::testing {

inline void expect_program_invariants(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Constraints& c,
                                      const plan::Program& p, const std::string& label) {
  SCOPED_TRACE(label);
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

}  // namespace rebalance::testing
