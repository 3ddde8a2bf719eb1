#include "render/render.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "assess/assess.h"
#include "plan/plan.h"
#include "test_support.h"

namespace rebalance {
namespace {

using rebalance::testing::knowledge_base;
using rebalance::testing::planned_example;

TEST(Ics, IsRfc5545WithCrlfFoldedLinesAndOneEventPerSession) {
  const auto f = planned_example("office-worker.json");
  const std::string ics = render::program_ics(knowledge_base(), f.p, {"Office worker", ""});
  ASSERT_EQ(ics.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(ics.find("END:VCALENDAR\r\n"), std::string::npos);
  size_t events = 0, pos = 0;
  while ((pos = ics.find("BEGIN:VEVENT\r\n", pos)) != std::string::npos) {
    ++events;
    ++pos;
  }
  EXPECT_EQ(events, f.p.sessions.size() + f.p.reassessments.size());
  // Every line ends in CRLF and is at most 75 octets.
  size_t start = 0;
  while (start < ics.size()) {
    const size_t end = ics.find("\r\n", start);
    ASSERT_NE(end, std::string::npos) << "line without CRLF at " << start;
    EXPECT_LE(end - start, 75u);
    EXPECT_EQ(ics.substr(start, end - start).find('\n'), std::string::npos);
    start = end + 2;
  }
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20261130\r\n"), std::string::npos);
}

TEST(Ics, UidsAreStableAcrossExportsAndUnique) {
  const auto f = planned_example("office-worker.json");
  const std::string a = render::program_ics(knowledge_base(), f.p, {"Office worker", ""});
  const std::string b = render::program_ics(knowledge_base(), planned_example("office-worker.json").p, {"Office worker", ""});
  EXPECT_EQ(a, b);
  std::set<std::string> uids;
  std::istringstream in(a);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("UID:", 0) == 0) {
      EXPECT_TRUE(uids.insert(line).second) << line;
    }
}

TEST(Html, HandoutHasOnePagePerWeekAndAChecklist) {
  const auto f = planned_example("office-worker.json");
  const std::string html = render::program_html(knowledge_base(), f.a, f.p, {"Office worker", ""});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  size_t weeks = 0, pos = 0;
  while ((pos = html.find("<section class=\"week\"><h2>Week ", pos)) != std::string::npos) {
    ++weeks;
    ++pos;
  }
  EXPECT_EQ(weeks, static_cast<size_t>(f.p.weeks));
  EXPECT_NE(html.find("break-before:page"), std::string::npos);
  EXPECT_NE(html.find("class=\"box\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos) << "self-contained: no outside resources";
}

TEST(Html, EscapesClientText) {
  const auto f = planned_example("office-worker.json");
  const std::string html = render::program_html(knowledge_base(), f.a, f.p, {"<script>alert(1)</script>", ""});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
}

TEST(Pdf, IsAPdfDocument) {
  const auto f = planned_example("runner-knee.json");
  const std::string pdf = render::program_pdf(knowledge_base(), f.a, f.p, {"Trail runner", ""});
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

TEST(Text, GroupsFindingsAndShowsTheWeekTableAndTips) {
  const auto f = planned_example("office-worker.json");
  const std::string text = render::program_text(knowledge_base(), f.a, f.p, {"Office worker", ""});
  EXPECT_NE(text.find("TIGHT / OVERACTIVE"), std::string::npos);
  EXPECT_NE(text.find("WEAK / UNDERACTIVE"), std::string::npos);
  EXPECT_NE(text.find("WEEK 1"), std::string::npos);
  EXPECT_NE(text.find("PREVENTION TIPS"), std::string::npos);
  EXPECT_NE(text.find("because thomas_test"), std::string::npos);
}

}  // namespace
}  // namespace rebalance
