// The printable handout: self-contained HTML, one page per week.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
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
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0 auto;max-width:52rem;padding:1.25rem}
h1{font-size:1.7rem;margin:0 0 .25rem}h2{font-size:1.3rem;margin:1.75rem 0 .5rem;border-bottom:2px solid #1b1f24}
h3{font-size:1.1rem;margin:1.1rem 0 .3rem}.muted{color:#4d5661}.alert{border:2px solid #b00020;padding:.25rem 1rem .5rem;border-radius:6px}
.alert h2{border:0;color:#8c0019;margin-top:.5rem}
table{border-collapse:collapse;width:100%;margin:.25rem 0 .5rem}th,td{border:1px solid #8a939d;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f4}td.tick{width:3.2rem;text-align:center}.box{display:inline-block;width:1.1rem;height:1.1rem;border:1.5px solid #1b1f24;border-radius:2px}
.week{page-break-before:always;break-before:page}.log{margin:.25rem 0 1rem}
ol{margin:.25rem 0 .5rem 1.25rem;padding:0}ul{margin:.25rem 0 .5rem 1.25rem;padding:0}
.exercise{display:grid;grid-template-columns:minmax(9rem,14rem) 1fr;gap:.25rem 1.25rem;break-inside:avoid;border-top:1px solid #c9d0d7;padding-top:.5rem}
.exercise h3{grid-column:1/-1;margin-top:.25rem}.fig svg{width:100%;height:auto}.why{margin:.2rem 0}
a{color:#174a6d}footer{margin-top:2rem;font-size:.9rem;color:#4d5661}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:36rem){.exercise{grid-template-columns:1fr}.fig{max-width:16rem}}
@media print{body{padding:0;max-width:none;font-size:12pt}a{color:inherit;text-decoration:none}}
)";

// Muscles of one state in words, each once with its sides merged:
// "iliopsoas (both sides), pectoralis minor (left)"; the first `shown`, then
// how many more.
std::string muscles_in_words(const kb::KnowledgeBase& kb, const std::vector<const assess::Finding*>& findings, size_t shown) {
  std::vector<std::pair<MuscleId, std::set<Side>>> muscles;
  for (const auto* f : findings) {
    auto it = std::find_if(muscles.begin(), muscles.end(), [&](const auto& m) { return m.first == f->muscle; });
    if (it == muscles.end()) it = muscles.insert(muscles.end(), {f->muscle, {}});
    it->second.insert(f->side);
  }
  std::string out;
  for (size_t i = 0; i < muscles.size() && i < shown; ++i) {
    const auto& [muscle, sides] = muscles[i];
    const bool both = sides.count(Side::kBoth) > 0 || sides.size() > 1;
    out += (out.empty() ? "" : ", ") + in_sentence(kb.muscle_name(muscle)) + " (" +
           (both ? std::string("both sides") : std::string(to_string(*sides.begin()))) + ")";
  }
  if (muscles.size() > shown) out += fmt::format(" and {} more", muscles.size() - shown);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// The id an exercise's instructions carry in the handout, for links.
std::string anchor(const ExerciseId& id) { return "how-" + id.str(); }

}  // namespace

// The client's handout: their program week by week as a checklist, each
// exercise with its drawing, dose, steps and a plain-words why, and the
// prevention tips. What the care team needs (evidence, references, why a
// version changed) stays in the app: nothing here is a raw id or a note
// between practitioners.
std::string program_html(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<title>" + esc("Your exercise program" + (h.client_name.empty() ? std::string() : " – " + h.client_name)) + "</title>\n";
  out += std::string("<style>") + kStyle + "</style>\n</head>\n<body>\n<main>\n";
  const bool stopped = a.restrictions.stop_all;  // referral only: no schedule
  out += "<h1>" +
         esc((stopped ? std::string("No program yet") : std::string("Your exercise program")) +
             (h.client_name.empty() ? std::string() : ": " + h.client_name)) +
         "</h1>\n";
  if (stopped)
    out += "<p>See a professional first: exercise starts once a doctor has assessed you.</p>\n";
  else
    out += fmt::format("<p class=\"muted\">{} weeks, {} sessions a week, about {} minutes each, from {}.</p>\n", p.weeks,
                       p.days_per_week, p.minutes_per_session, long_date(p.start));
  if (!a.referrals.empty()) {
    out += "<section class=\"alert\" aria-labelledby=\"see-first\"><h2 id=\"see-first\">See a professional first</h2><ul>\n";
    for (const auto& r : a.referrals) out += "<li>" + esc(plain_referral(kb, r)) + "</li>\n";
    out += "</ul></section>\n";
  }

  // Why: what was found, in the words of the method (tight ones stretched,
  // weak ones strengthened, then trained together).
  std::vector<const assess::Finding*> tight, weak;
  for (const auto& f : a.findings) (f.state == State::kTight ? tight : weak).push_back(&f);
  if (!stopped) {
    out += "<section aria-labelledby=\"why\"><h2 id=\"why\">Why these exercises</h2>\n";
    if (a.findings.empty()) {
      out += "<p>Your assessment found no imbalance in what was checked: the program keeps opposing muscles in balance.</p>\n";
    } else {
      out += "<p>Your assessment found muscles that are tight and others that are weak. The program stretches the tight "
             "ones, strengthens the weak ones, then trains them together in everyday movements.</p>\n<ul>\n";
      if (!tight.empty()) out += "<li><strong>Tight or overactive:</strong> " + esc(muscles_in_words(kb, tight, 6)) + "</li>\n";
      if (!weak.empty()) out += "<li><strong>Weak or underactive:</strong> " + esc(muscles_in_words(kb, weak, 6)) + "</li>\n";
      out += "</ul>\n";
      // A muscle in both lists is short and weak at once: said once, plainly.
      std::vector<std::string> both;
      for (const auto* t : tight)
        for (const auto* w : weak)
          if (t->muscle == w->muscle &&
              std::find(both.begin(), both.end(), in_sentence(kb.muscle_name(t->muscle))) == both.end())
            both.push_back(in_sentence(kb.muscle_name(t->muscle)));
      if (!both.empty()) {
        std::string names;
        for (size_t i = 0; i < both.size(); ++i) names += (i == 0 ? "" : i + 1 == both.size() ? " and " : ", ") + both[i];
        out += "<p><strong>Both tight and weak:</strong> " + esc(names) +
               ". Such a muscle is short and weak at once: the program stretches it first, then strengthens it through "
               "the whole range.</p>\n";
      }
      for (const auto& pat : a.patterns)
        out += "<p>Together they form a common pattern: <strong>" + esc(pat.name) + "</strong>.</p>\n";
    }
    out += "<h3>Each session</h3>\n<p>Tick each exercise you did. After the session write down how hard it felt (effort, "
           "0 = rest, 10 = the hardest you could do) and any pain (0 = none, 10 = the worst). Stop an exercise that causes "
           "sharp pain and tell your practitioner.</p>\n</section>\n";
  }

  int week = 0;
  for (size_t i = 0; i < p.sessions.size(); ++i) {
    const auto& s = p.sessions[i];
    if (s.week != week) {
      if (week != 0) out += "</section>\n";
      week = s.week;
      out += fmt::format("<section class=\"week\" aria-labelledby=\"week-{0}\"><h2 id=\"week-{0}\">Week {0}</h2>\n", week);
      for (const auto& r : p.reassessments)
        if (r.week == week)
          out += "<p><strong>Check-up</strong> with your practitioner after this week's last session (around " +
                 long_date(r.date) + ").</p>\n";
    }
    out += fmt::format("<h3>Session {} · {} · about {:.0f} minutes</h3>\n", s.day, long_date(s.date), s.estimated_minutes);
    out += "<table><thead><tr><th scope=\"col\" class=\"tick\">Done</th><th scope=\"col\">Exercise</th><th "
           "scope=\"col\">Dose</th></tr></thead><tbody>\n";
    for (const auto& item : s.items) {
      const kb::Exercise* e = kb.exercise(item.exercise);
      out += fmt::format(
          "<tr><td class=\"tick\"><span class=\"box\"></span></td><td><a href=\"#{}\">{}</a></td><td>{}</td></tr>\n",
          anchor(item.exercise), esc(e ? e->name : item.exercise.str()),
          esc(dose_text(item.dose, item.extra_sets_left, item.extra_sets_right)));
    }
    out += "</tbody></table>\n<p class=\"log muted\">Effort (0-10): ____ &nbsp; Pain (0-10): ____ &nbsp; Notes: "
           "______________________</p>\n";
  }
  if (week != 0) out += "</section>\n";

  if (!p.sessions.empty())
    out += "<section class=\"week\" aria-labelledby=\"how\"><h2 id=\"how\">How to do each exercise</h2>\n";
  for (const kb::Exercise* e : exercises_used(kb, p)) {
    // The first time the program uses it: its reason and starting dose.
    const plan::Item* first = nullptr;
    std::vector<std::string> doses;
    for (const auto& s : p.sessions)
      for (const auto& item : s.items)
        if (item.exercise == e->id) {
          if (first == nullptr) first = &item;
          const std::string d = dose_text(item.dose, item.extra_sets_left, item.extra_sets_right);
          if (std::find(doses.begin(), doses.end(), d) == doses.end()) doses.push_back(d);
        }
    out += "<article class=\"exercise\" id=\"" + anchor(e->id) + "\" aria-labelledby=\"" + anchor(e->id) + "-name\">\n";
    out += "<h3 id=\"" + anchor(e->id) + "-name\">" + esc(e->name) + "</h3>\n";
    if (const body::Illustration* ill = kb.illustration(e->id)) {
      // Inline SVG in HTML needs no namespace declaration. The drawing is an
      // image with its name already (role="img", aria-label, title).
      std::string svg = figure_svg(kb, *ill, false);
      const std::string ns = " xmlns=\"http://www.w3.org/2000/svg\"";
      if (const auto at = svg.find(ns); at != std::string::npos) svg.erase(at, ns.size());
      out += "<div class=\"fig\">" + svg + "</div>\n";
    }
    out += "<div>\n";
    if (first != nullptr) out += "<p class=\"why\"><strong>Why:</strong> " + esc(plain_why(kb, *first)) + "</p>\n";
    if (!doses.empty()) {
      std::string dose_list;
      for (const auto& d : doses) dose_list += (dose_list.empty() ? "" : ", then ") + d;
      out += "<p><strong>Dose:</strong> " + esc(dose_list) + "</p>\n";
    }
    out += "<ol>\n";
    for (const auto& step : e->instructions) out += "<li>" + esc(step) + "</li>\n";
    out += "</ol>\n";
    if (!e->cues.empty()) {
      out += "<p><strong>Tips:</strong></p><ul>\n";
      for (const auto& cue : e->cues) out += "<li>" + esc(cue) + "</li>\n";
      out += "</ul>\n";
    }
    out += "</div>\n</article>\n";
  }
  if (!p.sessions.empty()) out += "</section>\n";
  if (!stopped) {
    out += "<section aria-labelledby=\"keep\"><h2 id=\"keep\">Keep the balance</h2><ul>\n";
    for (const auto& tip : kb.guidance.prevention_tips) out += "<li>" + esc(tip) + "</li>\n";
    out += "</ul>\n<p>" + esc(kb.guidance.functional_text) + "</p>\n</section>\n";
  }
  out += "</main>\n<footer>" + esc(kb.guidance.disclaimer) + "</footer>\n</body>\n</html>\n";
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
