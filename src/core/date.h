// Civil (proleptic Gregorian) dates without time zones: what a program's
// calendar needs. Days are counted from 1970-01-01.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rebalance {

class Date {
 public:
  // REQUIRES: a valid calendar date.
  static Date from_civil(int year, int month, int day);
  static Date from_days(long days) { return Date(days); }
  // Parses exactly `YYYY-MM-DD` (a real calendar date, years 1900-2200).
  static std::optional<Date> parse(std::string_view text);

  long days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  // 0 = Monday ... 6 = Sunday.
  int weekday() const;
  Date plus_days(long n) const { return Date(days_ + n); }
  // `YYYY-MM-DD`.
  std::string iso() const;
  // `YYYYMMDD` (iCalendar DATE).
  std::string compact() const;

  auto operator<=>(const Date&) const = default;

 private:
  explicit Date(long days) : days_(days) {}
  long days_ = 0;
};

// Monday..Sunday as the contract spells weekdays (`mon`..`sun`): 0..6.
std::optional<int> parse_weekday(std::string_view text);
std::string_view weekday_name(int weekday);  // "Monday"...

}  // namespace rebalance
