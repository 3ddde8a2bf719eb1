// The printable handout: self-contained HTML, one page per week.
#include <fmt/format.h>

#include <algorithm>

#include "render/render.h"

namespace rebalance::render {
namespace {

std::string esc(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr const char* kStyle = R"(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0 auto;max-width:52rem;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #1b1f24}
h3{font-size:1.05rem;margin:1rem 0 .25rem}.muted{color:#555}.alert{border:2px solid #b00020;padding:.5rem 1rem;border-radius:6px}
table{border-collapse:collapse;width:100%;margin:.25rem 0 1rem}th,td{border:1px solid #999;padding:.3rem .45rem;text-align:left;vertical-align:top}
th{background:#eef1f4}.box{display:inline-block;width:1rem;height:1rem;border:1.5px solid #1b1f24;border-radius:2px}
.tight{color:#8a3b00}.weak{color:#00507a}.week{page-break-before:always;break-before:page}
ol{margin:.25rem 0 .5rem 1.25rem;padding:0}footer{margin-top:2rem;font-size:.85rem;color:#555}
@media print{body{padding:0;max-width:none;font-size:12pt}.noprint{display:none}}
)";

}  // namespace

std::string program_html(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc("Rebalance program" + (h.client_name.empty() ? std::string() : " – " + h.client_name)) + "</title>\n";
  out += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + esc("Your corrective program" + (h.client_name.empty() ? std::string() : ": " + h.client_name)) + "</h1>\n";
  out +=
      fmt::format("<p class=\"muted\">{} weeks, {} sessions a week, up to {} minutes each, starting {}. Knowledge base {}.</p>\n",
                  p.weeks, p.days_per_week, p.minutes_per_session, p.start.iso(), esc(kb.version));
  if (!a.referrals.empty()) {
    out += "<div class=\"alert\"><h3>See a professional first</h3><ul>\n";
    for (const auto& r : a.referrals) out += "<li><strong>" + esc(r.region) + "</strong>: " + esc(r.detail) + "</li>\n";
    out += "</ul></div>\n";
  }
  out +=
      "<h2>What we "
      "found</h2>\n<table><thead><tr><th>Muscle</th><th>Side</th><th>State</th><th>Severity</th><th>Why</th></tr></"
      "thead><tbody>\n";
  for (const auto& f : a.findings) {
    std::string why;
    for (const auto& e : f.evidence)
      if (e.supports) {
        why = e.observed + (e.expected.empty() ? "" : " (reference " + e.expected + ")");
        break;
      }
    out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td></tr>\n",
                       esc(kb.muscle_name(f.muscle)), to_string(f.side), to_string(f.state), to_string(f.state),
                       to_string(f.severity), esc(why));
  }
  if (a.findings.empty()) out += "<tr><td colspan=\"5\">No imbalance found in what was entered.</td></tr>\n";
  out += "</tbody></table>\n";
  if (!p.omitted.empty()) {
    out += "<h3>Left out</h3><ul>\n";
    for (const auto& o : p.omitted)
      out += "<li>" + esc((o.finding ? target_text(kb, *o.finding) : std::string("program")) + ": " + o.reason) + "</li>\n";
    out += "</ul>\n";
  }
  out += "<h2>Prevention tips</h2><ul>\n";
  for (const auto& tip : kb.guidance.prevention_tips) out += "<li>" + esc(tip) + "</li>\n";
  out += "</ul>\n<p>" + esc(kb.guidance.functional_text) + "</p>\n";

  int week = 0;
  for (size_t i = 0; i < p.sessions.size(); ++i) {
    const auto& s = p.sessions[i];
    if (s.week != week) {
      if (week != 0) out += "</section>\n";
      week = s.week;
      out += fmt::format("<section class=\"week\"><h2>Week {}</h2>\n", week);
      for (const auto& r : p.reassessments)
        if (r.week == week)
          out += fmt::format("<p><strong>Re-assessment</strong> after the last session of this week ({}).</p>\n", r.date.iso());
    }
    out += fmt::format("<h3>Session {} – {} {} (about {:.0f} min)</h3>\n", s.day, weekday_name(s.date.weekday()), s.date.iso(),
                       s.estimated_minutes);
    out += "<table><thead><tr><th>Done</th><th>Exercise</th><th>Dose</th><th>For</th></tr></thead><tbody>\n";
    for (const auto& item : s.items) {
      const kb::Exercise* e = kb.exercise(item.exercise);
      std::string targets;
      for (const auto& t : item.targets) targets += (targets.empty() ? "" : "; ") + target_text(kb, t);
      out += fmt::format("<tr><td><span class=\"box\" aria-label=\"done\"></span></td><td>{}</td><td>{}{}</td><td>{}</td></tr>\n",
                         esc(e ? e->name : item.exercise.str()),
                         esc(dose_text(item.dose, item.extra_sets_left, item.extra_sets_right)),
                         item.note.empty() ? "" : "<br><span class=\"muted\">" + esc(item.note) + "</span>",
                         esc(targets.empty() ? std::string(to_string(item.phase)) : targets));
    }
    out +=
        "</tbody></table>\n<p class=\"muted\">Effort (0-10): ____ &nbsp; Pain (0-10): ____ &nbsp; Notes: "
        "______________________</p>\n";
  }
  if (week != 0) out += "</section>\n";

  out += "<section class=\"week\"><h2>How to do each exercise</h2>\n";
  for (const kb::Exercise* e : exercises_used(kb, p)) {
    out += "<h3>" + esc(e->name) + "</h3>\n<ol>\n";
    for (const auto& step : e->instructions) out += "<li>" + esc(step) + "</li>\n";
    out += "</ol>\n";
    for (const auto& cue : e->cues) out += "<p class=\"muted\">" + esc(cue) + "</p>\n";
  }
  out += "</section>\n<footer>" + esc(kb.guidance.disclaimer) + "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace rebalance::render
