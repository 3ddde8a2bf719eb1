#include "track/adherence.h"

#include <gtest/gtest.h>

namespace rebalance {
namespace {

Date d(int day) { return Date::from_civil(2026, 3, day); }

// Three sessions a week (Mon/Wed/Fri from 2026-03-02), two exercises each.
std::vector<track::PlannedSession> two_weeks() {
  std::vector<track::PlannedSession> out;
  const int days[] = {2, 4, 6, 9, 11, 13};
  for (int i = 0; i < 6; ++i)
    out.push_back({i / 3 + 1, i % 3 + 1, d(days[i]), {ExerciseId("glute_bridge"), ExerciseId("hip_flexor_stretch")}});
  return out;
}

track::SessionLog log(int week, int day, int date, std::vector<std::string> done) {
  track::SessionLog l;
  l.week = week;
  l.day = day;
  l.date = d(date);
  for (auto& e : done) l.items.push_back({ExerciseId(e), 3, {}, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
  return l;
}

TEST(Adherence, NothingDueBeforeTheFirstSession) {
  const auto a = track::adherence(two_weeks(), {}, d(1));
  EXPECT_EQ(a.due_sessions, 0);
  EXPECT_FALSE(a.consistency_percent);
  ASSERT_TRUE(a.next);
  EXPECT_EQ(a.next->date, d(2));
  EXPECT_TRUE(a.missed.empty());
}

TEST(Adherence, TodaysUnloggedSessionIsNotYetMissed) {
  const auto a = track::adherence(two_weeks(), {log(1, 1, 2, {"glute_bridge", "hip_flexor_stretch"})}, d(4));
  EXPECT_EQ(a.due_sessions, 1);
  EXPECT_EQ(a.completed_sessions, 1);
  EXPECT_DOUBLE_EQ(*a.consistency_percent, 100.0);
  ASSERT_TRUE(a.next);
  EXPECT_EQ(a.next->day, 2) << "Wednesday's session is still today's to do";
}

TEST(Adherence, CountsMissedSessionsStreaksAndItemsPerWeek) {
  // Week 1: all three; week 2: Monday done with one exercise, Wednesday missed, Friday done.
  const std::vector<track::SessionLog> logs = {
      log(1, 1, 2, {"glute_bridge", "hip_flexor_stretch"}), log(1, 2, 4, {"glute_bridge", "hip_flexor_stretch"}),
      log(1, 3, 6, {"glute_bridge", "hip_flexor_stretch"}), log(2, 1, 9, {"glute_bridge"}),
      log(2, 3, 13, {"glute_bridge", "hip_flexor_stretch"})};
  const auto a = track::adherence(two_weeks(), logs, d(16));
  EXPECT_EQ(a.due_sessions, 6);
  EXPECT_EQ(a.completed_sessions, 5);
  EXPECT_NEAR(*a.consistency_percent, 83.33, 0.01);
  EXPECT_EQ(a.longest_streak, 4);
  EXPECT_EQ(a.current_streak, 1);
  ASSERT_EQ(a.missed.size(), 1u);
  EXPECT_EQ(a.missed[0], (track::SessionRef{2, 2, d(11)}));
  ASSERT_EQ(a.weeks.size(), 2u);
  EXPECT_EQ(a.weeks[1].completed_sessions, 2);
  EXPECT_EQ(a.weeks[1].planned_items, 6);
  EXPECT_EQ(a.weeks[1].completed_items, 3);
  EXPECT_FALSE(a.next) << "the program is over";
  EXPECT_EQ(*a.last_log, d(13));
}

TEST(Adherence, AnEarlyLogCountsAndDuplicatesCountOnce) {
  const std::vector<track::SessionLog> logs = {log(1, 1, 2, {"glute_bridge"}), log(1, 1, 2, {"hip_flexor_stretch"}),
                                               log(1, 2, 3, {"glute_bridge"})};
  const auto a = track::adherence(two_weeks(), logs, d(3));
  EXPECT_EQ(a.due_sessions, 2) << "Wednesday's session was done on Tuesday";
  EXPECT_EQ(a.completed_sessions, 2);
  EXPECT_EQ(a.weeks[0].completed_items, 3) << "two logs of Monday merge their exercises";
}

TEST(Adherence, ALogOfASessionTheProgramDoesNotHaveIsIgnored) {
  const auto a = track::adherence(two_weeks(), {log(9, 1, 2, {"glute_bridge"})}, d(3));
  EXPECT_EQ(a.completed_sessions, 0);
  EXPECT_EQ(a.missed.size(), 1u);
}

TEST(Adherence, ASetlessItemIsNotDone) {
  auto l = log(1, 1, 2, {"glute_bridge"});
  l.items[0].sets_done = 0;
  const auto a = track::adherence(two_weeks(), {l}, d(3));
  EXPECT_EQ(a.completed_sessions, 1) << "the session was reported";
  EXPECT_EQ(a.weeks[0].completed_items, 0);
}

}  // namespace
}  // namespace rebalance
