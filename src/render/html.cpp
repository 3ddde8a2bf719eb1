// The printable handout: self-contained HTML, one page per week.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

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
ol{margin:.25rem 0 .5rem 1.25rem;padding:0}.fig{max-width:15rem;margin:.25rem 0}.fig svg{width:100%;height:auto}footer{margin-top:2rem;font-size:.85rem;color:#555}
@media print{body{padding:0;max-width:none;font-size:12pt}.noprint{display:none}}
)";

}  // namespace

std::string program_html(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc("Rebalance program" + (h.client_name.empty() ? std::string() : " – " + h.client_name)) + "</title>\n";
  out += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n";
  const bool stopped = a.restrictions.stop_all;  // referral only: no schedule
  out += "<h1>" +
         esc((stopped ? std::string("No program yet") : std::string("Your corrective program")) +
             (h.client_name.empty() ? std::string() : ": " + h.client_name)) +
         "</h1>\n";
  if (stopped)
    out += "<p>See a professional first: exercise starts once a doctor has assessed you. Knowledge base " + esc(kb.version) +
           ".</p>\n";
  else
    out += fmt::format(
        "<p class=\"muted\">{} weeks, {} sessions a week, up to {} minutes each, starting {}. Knowledge base {}.</p>\n", p.weeks,
        p.days_per_week, p.minutes_per_session, p.start.iso(), esc(kb.version));
  if (!a.referrals.empty()) {
    out += "<div class=\"alert\"><h3>See a professional first</h3><ul>\n";
    for (const auto& r : a.referrals) out += "<li><strong>" + esc(referral_title(kb, r)) + "</strong>: " + esc(r.detail) + "</li>\n";
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
  if (!stopped) {
    out += "<h2>Prevention tips</h2><ul>\n";
    for (const auto& tip : kb.guidance.prevention_tips) out += "<li>" + esc(tip) + "</li>\n";
    out += "</ul>\n<p>" + esc(kb.guidance.functional_text) + "</p>\n";
  }

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

  if (!p.sessions.empty()) out += "<section class=\"week\"><h2>How to do each exercise</h2>\n";
  for (const kb::Exercise* e : exercises_used(kb, p)) {
    out += "<h3>" + esc(e->name) + "</h3>\n";
    if (const body::Illustration* ill = kb.illustration(e->id)) {
      // Inline SVG in HTML needs no namespace declaration.
      std::string svg = figure_svg(kb, *ill, false);
      const std::string ns = " xmlns=\"http://www.w3.org/2000/svg\"";
      if (const auto at = svg.find(ns); at != std::string::npos) svg.erase(at, ns.size());
      out += "<div class=\"fig\">" + svg + "</div>\n";
    }
    out += "<ol>\n";
    for (const auto& step : e->instructions) out += "<li>" + esc(step) + "</li>\n";
    out += "</ol>\n";
    for (const auto& cue : e->cues) out += "<p class=\"muted\">" + esc(cue) + "</p>\n";
  }
  if (!p.sessions.empty()) out += "</section>\n";
  out += "<footer>" + esc(kb.guidance.disclaimer) + "</footer>\n</body>\n</html>\n";
  return out;
}

namespace {

// A bar chart of completed against due sessions per week, as inline SVG.
std::string adherence_svg(const track::Adherence& a) {
  const int weeks = static_cast<int>(a.weeks.size());
  if (weeks == 0) return "";
  int most = 1;
  for (const auto& w : a.weeks) most = std::max(most, w.planned_sessions);
  const int width = 40 + weeks * 36, height = 150, base = 120;
  std::string svg = fmt::format(
      "<svg role=\"img\" aria-label=\"Sessions done per week against sessions due\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\">",
      width, height, width, height);
  for (int i = 0; i < weeks; ++i) {
    const auto& w = a.weeks[static_cast<size_t>(i)];
    const int x = 30 + i * 36;
    const double due_h = 100.0 * w.due_sessions / most, done_h = 100.0 * w.completed_sessions / most;
    svg += fmt::format("<rect x=\"{}\" y=\"{:.1f}\" width=\"24\" height=\"{:.1f}\" fill=\"#e3e8ee\"/>", x, base - due_h, due_h);
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"24\" height=\"{:.1f}\" fill=\"#1f6f5c\"><title>week {}: {} of {} "
        "due sessions</title></rect>",
        x, base - done_h, done_h, w.week, w.completed_sessions, w.due_sessions);
    svg += fmt::format("<text x=\"{}\" y=\"138\" font-size=\"11\" text-anchor=\"middle\">{}</text>", x + 12, w.week);
  }
  svg += fmt::format("<line x1=\"26\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#1b1f24\"/>", base, width - 4, base);
  return svg + "</svg>";
}

// Effort and pain (0-10) of each logged session, as two lines.
std::string effort_pain_svg(const std::vector<track::LoggedSession>& sessions) {
  if (sessions.empty()) return "";
  const int n = static_cast<int>(sessions.size());
  const int width = std::max(240, 40 + n * 28), height = 150;
  auto x = [&](int i) { return n == 1 ? 40.0 : 40.0 + i * (width - 60.0) / (n - 1); };
  auto y = [](int v) { return 120.0 - v * 10.0; };
  std::string svg = fmt::format(
      "<svg role=\"img\" aria-label=\"Effort and pain per logged session, 0 to 10\" viewBox=\"0 0 {} {}\" width=\"{}\" "
      "height=\"{}\">",
      width, height, width, height);
  for (int v : {0, 5, 10})
    svg += fmt::format(
        "<line x1=\"34\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#d0d7de\"/><text x=\"28\" y=\"{2}\" "
        "font-size=\"10\" text-anchor=\"end\">{3}</text>",
        y(v), width - 10, y(v) + 3, v);
  for (const auto& [field, colour, label] : {std::tuple{&track::LoggedSession::effort, "#1f4e99", "effort"},
                                             std::tuple{&track::LoggedSession::pain, "#b3261e", "pain"}}) {
    std::string points;
    for (int i = 0; i < n; ++i) points += fmt::format("{:.1f},{:.1f} ", x(i), y(sessions[static_cast<size_t>(i)].*field));
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"><title>{}</title></polyline>",
                       colour, points, label);
  }
  svg += "<text x=\"40\" y=\"142\" font-size=\"11\" fill=\"#1f4e99\">effort</text>";
  svg += "<text x=\"90\" y=\"142\" font-size=\"11\" fill=\"#b3261e\">pain</text>";
  return svg + "</svg>";
}

}  // namespace

std::string progress_html(const kb::KnowledgeBase& kb, const track::Progress& p) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc("Rebalance progress" + (p.client.empty() ? std::string() : " – " + p.client)) + "</title>\n";
  out += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + esc("Progress" + (p.client.empty() ? std::string() : ": " + p.client)) + "</h1>\n";
  out += fmt::format("<p class=\"muted\">As of {}. Knowledge base {}.</p>\n", p.as_of.iso(), esc(kb.version));
  out += "<h2>Consistency</h2>\n";
  if (!p.adherence) {
    out += "<p>No program yet.</p>\n";
  } else {
    const auto& a = *p.adherence;
    out += fmt::format("<p><strong>{} of {}</strong> due sessions done{}. Current streak {}, longest {}.</p>\n",
                       a.completed_sessions, a.due_sessions,
                       a.consistency_percent ? fmt::format(" ({:.0f} %)", *a.consistency_percent) : std::string(),
                       a.current_streak, a.longest_streak);
    out += adherence_svg(a) + "\n";
    if (!a.missed.empty()) {
      out += "<p>Missed: ";
      for (size_t i = 0; i < a.missed.size(); ++i)
        out += (i ? ", " : "") + fmt::format("{} (week {} day {})", a.missed[i].date.iso(), a.missed[i].week, a.missed[i].day);
      out += "</p>\n";
    }
  }
  out += "<h2>Effort and pain</h2>\n";
  out += p.sessions.empty() ? "<p>No session logged yet.</p>\n" : effort_pain_svg(p.sessions) + "\n";
  out += "<h2>Re-assessment</h2>\n";
  if (!p.comparison) {
    out += "<p>One assessment so far: nothing to compare yet.</p>\n";
  } else {
    const auto& c = *p.comparison;
    out += fmt::format("<p>{} resolved, {} improved, {} unchanged, {} worse, {} new.</p>\n", c.resolved, c.improved, c.unchanged,
                       c.worse, c.added);
    out +=
        "<table><thead><tr><th>Muscle</th><th>Side</th><th>State</th><th>Before</th><th>Now</th><th>Change</th></tr></"
        "thead><tbody>\n";
    for (const auto& f : c.findings)
      out += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         esc(kb.muscle_name(f.muscle)), to_string(f.side), to_string(f.state), to_string(f.state),
                         f.before ? to_string(*f.before) : "–", f.after ? to_string(*f.after) : "–", track::to_string(f.change));
    out += "</tbody></table>\n";
    if (!c.measures.empty()) {
      out +=
          "<p class=\"muted\">A change within a test's minimal detectable change (MDC) is measurement noise, not progress.</p>\n";
      out +=
          "<table><thead><tr><th>Measure</th><th>Side</th><th>Before</th><th>Now</th><th>Change</th><th>MDC</th><th>Verdict</"
          "th></tr></thead><tbody>\n";
      for (const auto& m : c.measures) {
        if (m.before_positive) {
          out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td></td><td></td><td>{}</td></tr>\n",
                             esc(m.measure), to_string(m.side), *m.before_positive ? "positive" : "negative",
                             *m.after_positive ? "positive" : "negative", track::to_string(m.verdict));
          continue;
        }
        out += fmt::format(
            "<tr><td>{}</td><td>{}</td><td>{:.1f} {}</td><td>{:.1f} {}</td><td>{:+.1f}</td><td>{}</td><td>{}</td></tr>\n",
            esc(m.measure), to_string(m.side), *m.before, esc(m.unit), *m.after, esc(m.unit), *m.delta,
            m.mdc ? fmt::format("{:.1f}", *m.mdc) : std::string("none published"), track::to_string(m.verdict));
      }
      out += "</tbody></table>\n";
    }
    if (!c.asymmetries.empty() || !c.ratios.empty()) {
      out +=
          "<table><thead><tr><th>Asymmetry or "
          "ratio</th><th>Before</th><th>Now</th><th>Change</th><th>Verdict</th></tr></thead><tbody>\n";
      auto lsi = [](const std::optional<double>& v) { return v ? fmt::format("{:.1f} %", *v) : std::string("within cutoff"); };
      for (const auto& a : c.asymmetries)
        out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(a.measure),
                           lsi(a.before_lsi), lsi(a.after_lsi), track::to_string(a.change), track::to_string(a.verdict));
      for (const auto& r : c.ratios)
        out += fmt::format("<tr><td>{} ({})</td><td>{:.2f}</td><td>{:.2f}</td><td>{:+.2f}</td><td>{}</td></tr>\n", esc(r.name),
                           to_string(r.side), r.before, r.after, r.delta, track::to_string(r.verdict));
      out += "</tbody></table>\n";
    }
  }
  out += "<footer>" + esc(kb.guidance.disclaimer) + "</footer>\n</body>\n</html>\n";
  return out;
}

}  // namespace rebalance::render
