// Exercise drawings as written: every SVG (still and animated) has finite
// coordinates inside its viewBox and no script; the source article's five
// keep their golden structure; the HTML handout shows each exercise's figure;
// the PDF handout's text (pdftotext) holds every exercise and dose of each
// week. REBALANCE_UPDATE_GOLDEN=1 rewrites the structure files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "assess/assess.h"
#include "plan/plan.h"
#include "render/render.h"
#include "test_support.h"

namespace rebalance {
namespace {

namespace fs = std::filesystem;
using rebalance::testing::knowledge_base;
using rebalance::testing::planned_example;

struct Box {
  double w = 0, h = 0;
};

Box view_box(const std::string& svg) {
  static const std::regex re(R"re(viewBox="0 0 ([0-9.]+) ([0-9.]+)")re");
  std::smatch m;
  if (!std::regex_search(svg, m, re)) return {};
  return {std::stod(m[1]), std::stod(m[2])};
}

// Every coordinate pair in path data and animation values, and every circle
// centre, lies inside the box (with room for a stroke).
void expect_inside(const std::string& svg, const std::string& what) {
  const Box box = view_box(svg);
  ASSERT_GT(box.w, 10) << what;
  ASSERT_GT(box.h, 10) << what;
  static const std::regex pair(R"re([ML](-?[0-9.]+) (-?[0-9.]+))re");
  static const std::regex centre(R"re(c([xy])="(-?[0-9.]+)")re");
  constexpr double kPad = 8;
  size_t points = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), pair); it != std::sregex_iterator(); ++it) {
    const double x = std::stod((*it)[1]), y = std::stod((*it)[2]);
    ASSERT_TRUE(std::isfinite(x) && std::isfinite(y)) << what;
    EXPECT_TRUE(x >= -kPad && x <= box.w + kPad && y >= -kPad && y <= box.h + kPad) << what << ": " << it->str();
    ++points;
  }
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), centre); it != std::sregex_iterator(); ++it) {
    const double v = std::stod((*it)[2]);
    EXPECT_TRUE(v >= -kPad && v <= ((*it)[1] == "x" ? box.w : box.h) + kPad) << what << ": " << it->str();
  }
  EXPECT_GT(points, 20u) << what;
  EXPECT_EQ(svg.find("nan"), std::string::npos) << what;
  EXPECT_EQ(svg.find("inf"), std::string::npos) << what;
  EXPECT_EQ(svg.find("<script"), std::string::npos) << what;
  EXPECT_EQ(svg.find("href"), std::string::npos) << what << ": self-contained";
}

TEST(FigureSvg, EveryExerciseDrawsInsideItsViewBoxStillAndAnimated) {
  const auto& kb = knowledge_base();
  for (const auto& e : kb.exercises) {
    const body::Illustration* ill = kb.illustration(e.id);
    ASSERT_NE(ill, nullptr) << e.id.str();
    const std::string still = render::figure_svg(kb, *ill, false);
    expect_inside(still, e.id.str() + " still");
    EXPECT_EQ(still.find("<animate"), std::string::npos) << e.id.str();
    const std::string loop = render::figure_svg(kb, *ill, true);
    expect_inside(loop, e.id.str() + " animated");
    EXPECT_NE(loop.find("repeatCount=\"indefinite\""), std::string::npos) << e.id.str() << ": the loop does not move";
    EXPECT_NE(still.find("<title>" + e.name), std::string::npos) << e.id.str();
  }
}

// The structure of a drawing: each element with its paint and how many
// points it has and which attributes move; not the coordinates themselves.
std::string structure(const std::string& svg) {
  std::string out;
  static const std::regex element(R"re(<(path|circle|animate|svg|title|g)\b([^>]*)>)re");
  static const std::regex attr(R"re(\b(fill|stroke|stroke-width|attributeName|role)="([^"]*)\")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), element); it != std::sregex_iterator(); ++it) {
    const std::string tag = (*it)[1], attrs = (*it)[2];
    std::string line = tag;
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attr); a != std::sregex_iterator(); ++a)
      line += " " + (*a)[1].str() + "=" + (*a)[2].str();
    if (tag == "path") {
      const auto d = attrs.find(" d=\"");
      const std::string data = attrs.substr(d + 4, attrs.find('"', d + 4) - d - 4);
      line += " points=" + std::to_string(std::count(data.begin(), data.end(), 'M') + std::count(data.begin(), data.end(), 'L'));
    }
    out += line + "\n";
  }
  return out;
}

TEST(FigureSvg, TheSourceArticlesFiveKeepTheirStructure) {
  const auto& kb = knowledge_base();
  for (const char* id : {"hip_flexor_stretch", "glute_bridge", "scapular_retraction", "hamstring_stretch", "single_leg_deadlift"}) {
    const body::Illustration* ill = kb.illustration(ExerciseId(id));
    ASSERT_NE(ill, nullptr) << id;
    const std::string actual = "# still\n" + structure(render::figure_svg(kb, *ill, false)) + "# animated\n" +
                               structure(render::figure_svg(kb, *ill, true));
    const fs::path expected = fs::path(REBALANCE_GOLDEN_DIR) / "figures" / (std::string(id) + ".structure.txt");
    if (std::getenv("REBALANCE_UPDATE_GOLDEN") != nullptr) {
      fs::create_directories(expected.parent_path());
      std::ofstream(expected, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(fs::exists(expected)) << expected << " is missing: run with REBALANCE_UPDATE_GOLDEN=1";
    EXPECT_EQ(rebalance::testing::read_file(expected.string()), actual) << "figure structure changed: " << expected;
  }
}


TEST(Handout, ShowsEachExercisesFigureOnce) {
  const auto f = planned_example("office-worker.json");
  const std::string html = render::program_html(knowledge_base(), f.a, f.p, {"Office worker", ""});
  const auto used = render::exercises_used(knowledge_base(), f.p);
  ASSERT_FALSE(used.empty());
  size_t figures = 0;
  for (size_t pos = 0; (pos = html.find("<div class=\"fig\"><svg", pos)) != std::string::npos; ++pos) ++figures;
  EXPECT_EQ(figures, used.size());
  for (const auto* e : used) EXPECT_NE(html.find("<title>" + e->name), std::string::npos) << e->id.str();
}

std::string collapse(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  return out;
}

TEST(PdfHandout, EachWeeksPagesHoldItsExercisesAndDoses) {
  if (::access("/usr/bin/pdftotext", X_OK) != 0) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  const auto f = planned_example("office-worker.json");
  const std::string pdf = render::program_pdf(knowledge_base(), f.a, f.p, {"Office worker", ""});
  const fs::path dir = fs::temp_directory_path() / ("rebalance-pdf-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "plan.pdf", std::ios::binary) << pdf;
  const std::string cmd = "/usr/bin/pdftotext -enc UTF-8 '" + (dir / "plan.pdf").string() + "' '" + (dir / "plan.txt").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const std::string text = rebalance::testing::read_file((dir / "plan.txt").string());
  fs::remove_all(dir);
  // Pages, split at form feeds; a week runs from its "Week N" page to the next week.
  std::vector<std::string> pages;
  for (size_t start = 0; start < text.size();) {
    const size_t end = std::min(text.find('\f', start), text.size());
    pages.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  EXPECT_NE(collapse(pages.at(0)).find("What we found, in plain words"), std::string::npos);
  for (int week = 1; week <= f.p.weeks; ++week) {
    const std::string head = "Week " + std::to_string(week) + "\n";
    std::string body;
    bool in = false;
    for (const auto& page : pages) {
      if (page.rfind(head, 0) == 0) in = true;
      else if (in && (page.rfind("Week ", 0) == 0 || page.rfind("How to do each exercise", 0) == 0)) break;
      if (in) body += page + "\n";
    }
    ASSERT_TRUE(in) << "no page starts with week " << week;
    body = collapse(body);
    for (const auto& s : f.p.sessions) {
      if (s.week != week) continue;
      for (const auto& item : s.items) {
        const kb::Exercise* e = knowledge_base().exercise(item.exercise);
        ASSERT_NE(e, nullptr);
        EXPECT_NE(body.find(e->name), std::string::npos) << "week " << week << " lacks " << e->name;
        const std::string dose = render::dose_text(item.dose, item.extra_sets_left, item.extra_sets_right);
        EXPECT_NE(body.find(dose), std::string::npos) << "week " << week << " lacks the dose of " << e->name << ": " << dose;
      }
    }
    EXPECT_NE(body.find("Pain (0-10)"), std::string::npos) << "week " << week << " has no log grid";
  }
}

}  // namespace
}  // namespace rebalance
