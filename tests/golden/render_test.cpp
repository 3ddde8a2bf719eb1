#include "render/render.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

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
  while ((pos = html.find("<section class=\"week\" aria-labelledby=\"week-", pos)) != std::string::npos) {
    ++weeks;
    ++pos;
  }
  EXPECT_EQ(weeks, static_cast<size_t>(f.p.weeks));
  EXPECT_NE(html.find("break-before:page"), std::string::npos);
  EXPECT_NE(html.find("class=\"box\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos) << "self-contained: no outside resources";
}

// The handout is the client's: words, not ids; no notes between practitioners.
std::string visible_text(const std::string& html) {
  std::string out;
  bool in_tag = false, in_style = false;
  for (size_t i = 0; i < html.size(); ++i) {
    if (html.compare(i, 6, "<style") == 0) in_style = true;
    if (html.compare(i, 8, "</style>") == 0) in_style = false;
    if (html[i] == '<') in_tag = true;
    if (!in_tag && !in_style) out += html[i];
    if (html[i] == '>') in_tag = false;
  }
  return out;
}

TEST(Html, TheHandoutIsTheClientsInWordsWithoutPractitionersNotes) {
  auto f = planned_example("office-worker.json");
  ASSERT_FALSE(f.p.sessions.empty());
  f.p.sessions[0].items[0].note = "swapped in for the bridge by the practitioner";
  const std::string html = render::program_html(knowledge_base(), f.a, f.p, {"Dana", ""});
  const std::string text = visible_text(html);
  EXPECT_EQ(text.find("by the practitioner"), std::string::npos) << "no revision notes";
  const std::regex raw_id(R"(\b[a-z]+_[a-z_]+\b)");
  std::smatch m;
  EXPECT_FALSE(std::regex_search(text, m, raw_id)) << "raw id in the handout: " << m.str();
  EXPECT_NE(html.find("<main>"), std::string::npos) << "a main landmark";
  EXPECT_EQ(html.find("<span class=\"box\" aria-label"), std::string::npos) << "no ARIA label on a span without a role";
  EXPECT_NE(text.find("Why these exercises"), std::string::npos);
  EXPECT_NE(text.find("Both tight and weak:"), std::string::npos) << "a muscle in both lists is explained";
  // Every exercise used: its drawing (an image with a name), why, dose and steps.
  for (const kb::Exercise* e : render::exercises_used(knowledge_base(), f.p)) {
    const auto at = html.find("<article class=\"exercise\" id=\"how-" + e->id.str() + "\"");
    ASSERT_NE(at, std::string::npos) << e->id.str();
    const std::string card = html.substr(at, html.find("</article>", at) - at);
    EXPECT_NE(card.find("role=\"img\" aria-label=\"" + e->name + ":"), std::string::npos) << e->id.str();
    EXPECT_NE(card.find("<strong>Why:</strong> "), std::string::npos) << e->id.str();
    EXPECT_NE(card.find("<strong>Dose:</strong> "), std::string::npos) << e->id.str();
    EXPECT_NE(card.find("<ol>\n<li>"), std::string::npos) << e->id.str();
  }
  // The article's glute bridge: strengthens the weak glutes, at the article's dose.
  const auto bridge = html.find("id=\"how-glute_bridge\"");
  ASSERT_NE(bridge, std::string::npos);
  const std::string card = html.substr(bridge, html.find("</article>", bridge) - bridge);
  EXPECT_NE(card.find("Strengthens your weak"), std::string::npos) << card.substr(0, 600);
  EXPECT_NE(card.find("weak gluteus maximus (both sides)"), std::string::npos) << card.substr(0, 600);
  EXPECT_NE(card.find("3 sets of 15"), std::string::npos);
  for (const auto& tip : knowledge_base().guidance.prevention_tips) EXPECT_NE(html.find(tip), std::string::npos) << tip;
  EXPECT_NE(text.find("from Mon 30 Nov 2026"), std::string::npos) << "dates as people read them";
}

TEST(Html, AReferralIsSaidInWordsWithHowSoon) {
  const auto f = planned_example("red-flag-stop.json");
  ASSERT_FALSE(f.a.referrals.empty());
  const std::string html = render::program_html(knowledge_base(), f.a, f.p, {"", ""});
  const std::string text = visible_text(html);
  EXPECT_NE(text.find("See a professional first"), std::string::npos);
  EXPECT_NE(text.find("Emergency, act now"), std::string::npos) << text.substr(0, 800);
  const std::regex raw_id(R"(\b[a-z]+_[a-z_]+\b)");
  std::smatch m;
  EXPECT_FALSE(std::regex_search(text, m, raw_id)) << "raw id in the handout: " << m.str();
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

std::vector<std::string> ids_of(const nlohmann::json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.at("id").get<std::string>());
  return out;
}

TEST(Vocabulary, ListsEveryRedFlagScreeningItemAndRegionInTheKnowledgeBasesOrderWithNames) {
  const auto& kb = knowledge_base();
  const auto v = nlohmann::json::parse(render::vocabulary_json(kb));
  std::vector<std::string> flags, screening, regions;
  for (const auto& f : kb.safety.red_flags) flags.push_back(f.id);
  for (const auto& s : kb.safety.screening) screening.push_back(s.id);
  for (const auto& r : kb.vocabulary.region_list) regions.push_back(r.id);
  EXPECT_EQ(ids_of(v["red_flags"]), flags);
  EXPECT_EQ(ids_of(v["screening"]), screening);
  EXPECT_EQ(ids_of(v["regions"]), regions);
  EXPECT_EQ(regions.front(), "neck");  // the file's order, not alphabetical
  for (const char* list : {"regions", "equipment", "activities", "red_flags", "screening", "posture", "patterns", "ratios"})
    for (const auto& item : v[list]) {
      SCOPED_TRACE(std::string(list) + " " + item["id"].get<std::string>());
      EXPECT_FALSE(item["name"].get<std::string>().empty());
      EXPECT_NE(item["name"], item["id"]);
    }
}

TEST(Vocabulary, SaysWhatAFormAsksBesideEachId) {
  const auto v = nlohmann::json::parse(render::vocabulary_json(knowledge_base()));
  auto find = [](const nlohmann::json& list, const std::string& id) {
    for (const auto& item : list)
      if (item["id"] == id) return item;
    ADD_FAILURE() << id << " missing";
    return nlohmann::json();
  };
  EXPECT_TRUE(find(v["regions"], "low_back")["midline"]);
  EXPECT_FALSE(find(v["regions"], "knee")["midline"]);
  const auto bowel = find(v["red_flags"], "bowel_bladder");
  EXPECT_EQ(bowel["name"], "Bowel or bladder changes");
  EXPECT_TRUE(bowel["systemic"]);
  EXPECT_EQ(bowel["urgency"], "emergency");
  EXPECT_FALSE(find(v["red_flags"], "numbness")["systemic"]);
  const auto surgery = find(v["screening"], "recent_surgery");
  ASSERT_EQ(surgery["parameters"].size(), 1u);
  EXPECT_EQ(surgery["parameters"][0]["id"], "surgery_region");
  EXPECT_EQ(surgery["parameters"][0]["kind"], "region");
  const auto cva = find(v["posture"], "craniovertebral_angle_deg");
  EXPECT_EQ(cva["kind"], "number");
  EXPECT_EQ(cva["unit"], "deg");
  EXPECT_EQ(cva["below"], 50);
  EXPECT_FALSE(cva["hint"].get<std::string>().empty());
  EXPECT_EQ(find(v["posture"], "shoulder_height_diff_cm")["side_key"], "higher_shoulder");
  EXPECT_EQ(find(v["posture"], "higher_shoulder")["kind"], "side");
  EXPECT_TRUE(find(v["movement"]["overhead_squat"], "knees_move_inward")["sided"]);
  EXPECT_FALSE(find(v["movement"]["fms"]["tests"], "deep_squat")["sided"]);
  EXPECT_EQ(find(v["movement"]["fms"]["clearing"], "shoulder_clearing")["test"], "shoulder_mobility");
  EXPECT_EQ(v["knowledge_base"]["version"], knowledge_base().version);
}

}  // namespace
}  // namespace rebalance
