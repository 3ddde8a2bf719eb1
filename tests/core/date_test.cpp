#include "core/date.h"

#include <gtest/gtest.h>

namespace rebalance {
namespace {

TEST(Date, ParsesAndFormatsIsoDates) {
  auto d = Date::parse("2026-11-30");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->iso(), "2026-11-30");
  EXPECT_EQ(d->compact(), "20261130");
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 11);
  EXPECT_EQ(d->day(), 30);
}

TEST(Date, KnowsWeekdays) {
  EXPECT_EQ(Date::parse("2026-11-30")->weekday(), 0);  // Monday
  EXPECT_EQ(Date::parse("2026-11-25")->weekday(), 2);  // Wednesday
  EXPECT_EQ(Date::parse("2000-01-01")->weekday(), 5);  // Saturday
}

TEST(Date, RejectsImpossibleDates) {
  EXPECT_FALSE(Date::parse("2026-02-29"));
  EXPECT_TRUE(Date::parse("2028-02-29"));
  EXPECT_FALSE(Date::parse("2026-13-01"));
  EXPECT_FALSE(Date::parse("2026-1-01"));
  EXPECT_FALSE(Date::parse("abcd-ef-gh"));
  EXPECT_FALSE(Date::parse(""));
}

TEST(Date, AddsDaysAcrossMonthsAndYears) {
  EXPECT_EQ(Date::parse("2026-12-28")->plus_days(7).iso(), "2027-01-04");
  EXPECT_EQ(Date::parse("2028-02-28")->plus_days(1).iso(), "2028-02-29");
}

TEST(Date, ParsesWeekdayNames) {
  EXPECT_EQ(parse_weekday("mon"), 0);
  EXPECT_EQ(parse_weekday("sun"), 6);
  EXPECT_FALSE(parse_weekday("monday"));
}

}  // namespace
}  // namespace rebalance
