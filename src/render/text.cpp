// Plain-text writers for people reading a terminal or a printout.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "render/render.h"

namespace rebalance::render {
namespace {

std::string num(double v) {
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
  return fmt::format("{:.1f}", v);
}

std::string side_word(Side s) {
  switch (s) {
    case Side::kLeft:
      return "left";
    case Side::kRight:
      return "right";
    case Side::kBoth:
      return "both sides";
  }
  return "";
}

// Wraps `text` at `width` columns, each line prefixed by `indent`.
std::string wrap(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

void findings_block(std::string& out, const kb::KnowledgeBase& kb, const assess::Assessment& a) {
  for (State state : {State::kTight, State::kWeak}) {
    std::vector<const assess::Finding*> list;
    for (const auto& f : a.findings)
      if (f.state == state) list.push_back(&f);
    out += state == State::kTight ? "\nTIGHT / OVERACTIVE (stretch these)\n" : "\nWEAK / UNDERACTIVE (strengthen these)\n";
    if (list.empty()) {
      out += "  none found\n";
      continue;
    }
    for (const auto* f : list) {
      out += fmt::format("  - {} ({}): {}, confidence {:.0f} %{}\n", kb.muscle_name(f->muscle), side_word(f->side),
                         to_string(f->severity), f->confidence * 100, f->conflicting() ? ", evidence conflicts" : "");
      for (const auto& e : f->evidence) {
        std::string line = e.supports ? "because " : "against: ";
        line += (e.test.empty() ? "" : e.test + " ") +
                (e.side && *e.side != Side::kBoth ? std::string(to_string(*e.side)) + " " : "");
        line += e.observed;
        if (!e.expected.empty())
          line += " (reference " + e.expected + ")";
        else if (!e.rule.empty())
          line += " (rule " + e.rule + ")";
        line += " [" + e.input + "]";
        out += wrap(line, 92, "      ");
        if (!e.protocol.empty()) out += wrap("note: " + e.protocol, 92, "        ");
      }
    }
  }
}

}  // namespace

std::vector<const kb::Exercise*> exercises_used(const kb::KnowledgeBase& kb, const plan::Program& p) {
  std::vector<const kb::Exercise*> out;
  for (const auto& s : p.sessions)
    for (const auto& item : s.items) {
      const kb::Exercise* e = kb.exercise(item.exercise);
      if (e != nullptr && std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
    }
  return out;
}

std::string dose_text(const kb::Dose& d, const std::optional<int>& extra_left, const std::optional<int>& extra_right) {
  std::string out;
  if (extra_left || extra_right)
    out = fmt::format("{} sets left, {} right", d.sets + extra_left.value_or(0), d.sets + extra_right.value_or(0));
  else
    out = fmt::format("{} {}", d.sets, d.sets == 1 ? "set" : "sets");
  if (d.reps) {
    out += fmt::format(" of {}", *d.reps);
    if (d.hold_seconds > 0) out += fmt::format(", hold {} s", num(d.hold_seconds));
  } else {
    out += fmt::format(", hold {} s", num(d.hold_seconds));
  }
  if (d.per_side) out += " per side";
  return out;
}

std::string target_text(const kb::KnowledgeBase& kb, const plan::Target& t) {
  return fmt::format("{} {} ({})", to_string(t.state), kb.muscle_name(t.muscle), side_word(t.side));
}

namespace {
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
// Day of month and month abbreviation of an ISO date ("2026-11-30").
std::pair<int, const char*> day_and_month(const std::string& iso) {
  const int month = std::stoi(iso.substr(5, 2)), day = std::stoi(iso.substr(8, 2));
  return {day, kMonths[std::clamp(month, 1, 12) - 1]};
}
}  // namespace

std::string long_date(const Date& d) {
  const std::string iso = d.iso();
  const auto [day, month] = day_and_month(iso);
  return fmt::format("{} {} {} {}", weekday_name(d.weekday()).substr(0, 3), day, month, iso.substr(0, 4));
}

std::string short_date(const Date& d) {
  const auto [day, month] = day_and_month(d.iso());
  return fmt::format("{} {}", day, month);
}

std::string in_sentence(std::string name) {
  if (!name.empty()) name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
  return name;
}

std::string plain_referral(const kb::KnowledgeBase& kb, const assess::Referral& r) {
  std::string what;
  if (r.reason == "screening") {
    const kb::ScreeningRule* rule = kb.screening_rule(r.flag);
    what = rule ? rule->name : "a health question of the intake";
  } else {
    const auto region = kb.vocabulary.regions.find(r.region);
    what = region == kb.vocabulary.regions.end() ? "a warning sign" : "a warning sign (" + region->second + ")";
  }
  std::string when;
  switch (r.urgency) {
    case kb::Urgency::kEmergency:
      when = "Emergency, act now";
      break;
    case kb::Urgency::kUrgent:
      when = "Urgent, within a day or two";
      break;
    case kb::Urgency::kSoon:
      when = r.systemic ? "Before any exercise" : "Before exercising that part";
      break;
  }
  return when + ": " + what + ". " + r.detail;
}

std::string plain_why(const kb::KnowledgeBase& kb, const plan::Item& item) {
  const char* verb = item.phase == Phase::kStretch      ? "Stretches"
                     : item.phase == Phase::kStrengthen ? "Strengthens"
                                                        : "Trains, in everyday movement,";
  if (item.targets.empty())
    return item.phase == Phase::kFunctional ? "Trains your muscles to work together in everyday movement."
                                            : std::string(verb) + " muscles that keep the balance.";
  std::string out = std::string(verb) + " your ";
  for (size_t i = 0; i < item.targets.size(); ++i) {
    const auto& t = item.targets[i];
    if (i > 0) out += i + 1 == item.targets.size() ? " and " : ", ";
    out += std::string(t.state == State::kTight ? "tight " : "weak ") + in_sentence(kb.muscle_name(t.muscle)) + " (" +
           (t.side == Side::kBoth ? std::string("both sides") : std::string(to_string(t.side)) + " side") + ")";
  }
  return out + ".";
}

std::string referral_title(const kb::KnowledgeBase& kb, const assess::Referral& r) {
  std::string what;
  if (r.reason == "screening") {
    const kb::ScreeningRule* rule = kb.screening_rule(r.flag);
    what = rule ? rule->name : r.flag;
  } else {
    const auto region = kb.vocabulary.regions.find(r.region);
    what = region == kb.vocabulary.regions.end() ? r.region : region->second;
    if (!r.flag.empty()) what += ": " + r.flag;
  }
  switch (r.urgency) {
    case kb::Urgency::kEmergency:
      return what + " [emergency: now]";
    case kb::Urgency::kUrgent:
      return what + " [urgent: within a day or two]";
    case kb::Urgency::kSoon:
      break;
  }
  return what + (r.systemic ? " [before any exercise]" : " [before exercising it]");
}

std::string assessment_text(const kb::KnowledgeBase& kb, const assess::Assessment& a, const Header& h) {
  std::string out = "REBALANCE ASSESSMENT" + (h.client_name.empty() ? std::string() : " for " + h.client_name) +
                    "  (knowledge base " + kb.version + ")\n";
  if (!a.referrals.empty()) {
    out += "\nSEE A PROFESSIONAL FIRST\n";
    for (const auto& r : a.referrals)
      out += wrap("! " + referral_title(kb, r) + ": " + r.detail, 92, "  ");
  }
  if (a.findings.empty()) out += "\nNo imbalance found in what was entered.\n";
  findings_block(out, kb, a);
  if (!a.asymmetries.empty()) {
    out += "\nASYMMETRIES\n";
    for (const auto& x : a.asymmetries) {
      std::string line = "  - " + x.measure + ": ";
      if (x.method == "lsi" || x.method == "lsi_dominance")
        line += fmt::format("limb symmetry index {:.1f} % (cutoff {} %{}), weaker {}", x.lsi_percent, num(x.threshold_percent),
                            x.method == "lsi_dominance" ? ", allowing for the dominant side" : "", to_string(*x.weaker_side));
      else if (x.method == "gird")
        line += fmt::format("internal rotation deficit {} deg on the dominant {} side (cutoff {} deg)", num(*x.difference),
                            to_string(*x.limited_side), num(x.threshold.value_or(0)));
      else if (x.method == "total_arc")
        line += fmt::format("total rotation {} deg less on the dominant {} side (cutoff {} deg)", num(*x.difference),
                            to_string(*x.limited_side), num(x.threshold.value_or(0)));
      else if (x.limited_side)
        line += fmt::format("difference {} {}, {} limited", num(*x.difference), x.unit, to_string(*x.limited_side));
      else if (x.weaker_side)
        line += fmt::format("difference {} {}, weaker {}", num(x.difference.value_or(0)), x.unit, to_string(*x.weaker_side));
      if (x.lsi_involved_percent)
        line += fmt::format("; involved side {} at {:.1f} %", to_string(*x.involved_side), *x.lsi_involved_percent);
      out += line + "\n";
    }
  }
  if (!a.ratios.empty()) {
    out += "\nRATIOS\n";
    for (const auto& r : a.ratios) {
      std::string norm;
      if (r.normal_min && r.normal_max)
        norm = fmt::format("{:.2f}-{:.2f}", *r.normal_min, *r.normal_max);
      else if (r.normal_min)
        norm = fmt::format("≥ {:.2f}", *r.normal_min);
      else if (r.normal_max)
        norm = fmt::format("≤ {:.2f}", *r.normal_max);
      out += fmt::format("  - {} ({}): {:.2f}, normal {} [{}]{}\n", r.name_text, to_string(r.side), r.value, norm, r.method,
                         r.flag == "normal" ? "" : "  <- " + r.flag);
    }
  }
  if (!a.patterns.empty()) {
    out += "\nPATTERNS\n";
    for (const auto& p : a.patterns) {
      std::string matched;
      for (const auto& m : p.matched) matched += (matched.empty() ? "" : ", ") + m;
      out += wrap(fmt::format("- {} (confidence {:.0f} %): {}", p.name, p.confidence * 100, matched), 92, "  ");
    }
  }
  if (a.movement_screen) {
    const auto& s = *a.movement_screen;
    out += fmt::format("\nMOVEMENT SCREEN (FMS-compatible scoring): total {}{}\n", s.fms_total,
                       s.complete ? (s.at_or_below_cutoff ? fmt::format(", at or below {}: raised injury risk", s.cutoff) : "")
                                  : " (incomplete)");
  }
  if (a.lifestyle_only)
    out +=
        "\nThese findings come from lifestyle alone, without tests: confidence is low. A professional assessment would confirm "
        "them.\n";
  out += "\n" + wrap(kb.guidance.disclaimer, 92, "");
  return out;
}

std::string program_text(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  std::string out = assessment_text(kb, a, h);
  if (a.restrictions.stop_all) {
    // Referral only: no schedule, no exercises, no encouragement to keep going.
    out += "\nNO PROGRAM: see a professional first (above). Exercise starts once a doctor has assessed you.\n";
    return out;
  }
  out += fmt::format("\nCORRECTIVE PROGRAM: {} weeks, {} days a week, up to {} minutes, from {}\n", p.weeks, p.days_per_week,
                     p.minutes_per_session, p.start.iso());
  if (!p.omitted.empty()) {
    out += "\nLEFT OUT\n";
    for (const auto& o : p.omitted) {
      std::string what = o.finding ? target_text(kb, *o.finding) : o.exercise ? o.exercise->str() : std::string("program");
      out += wrap("- " + what + ": " + o.reason, 92, "  ");
    }
  }
  int week = 0;
  for (const auto& s : p.sessions) {
    if (s.week != week) {
      week = s.week;
      out += fmt::format("\nWEEK {}\n", week);
      for (const auto& r : p.reassessments)
        if (r.week == week) out += fmt::format("  (re-assess after the last session, {})\n", r.date.iso());
    }
    out += fmt::format("  Day {}  {} {}  ~{} min\n", s.day, weekday_name(s.date.weekday()).substr(0, 3), s.date.iso(),
                       num(s.estimated_minutes));
    for (const auto& item : s.items) {
      const kb::Exercise* e = kb.exercise(item.exercise);
      out += fmt::format("    [ ] {:<46} {:<10} {}\n", e ? e->name : item.exercise.str(), to_string(item.phase),
                         dose_text(item.dose, item.extra_sets_left, item.extra_sets_right));
      if (!item.note.empty()) out += "          " + item.note + "\n";
    }
  }
  out += "\nEXERCISES\n";
  for (const kb::Exercise* e : exercises_used(kb, p)) {
    out += "\n  " + e->name + "\n";
    for (size_t i = 0; i < e->instructions.size(); ++i) out += wrap(fmt::format("{}. {}", i + 1, e->instructions[i]), 88, "    ");
    for (const auto& cue : e->cues) out += wrap("Cue: " + cue, 88, "    ");
  }
  out += "\nFUNCTIONAL TRAINING\n" + wrap(kb.guidance.functional_text, 92, "  ");
  out += "\nPREVENTION TIPS\n";
  for (const auto& tip : kb.guidance.prevention_tips) out += wrap("- " + tip, 92, "  ");
  out += "\n" + wrap(kb.guidance.consistency_text, 92, "");
  return out;
}

std::string exercises_text(const kb::KnowledgeBase& kb) {
  std::string out = fmt::format("{} exercises (knowledge base {})\n\n", kb.exercises.size(), kb.version);
  out += fmt::format("{:<34} {:<10} {:<4} {:<22} {}\n", "ID", "PHASE", "LVL", "EQUIPMENT", "PRIMARY TARGETS");
  for (const auto& e : kb.exercises) {
    std::string eq, targets;
    for (const auto& x : e.equipment) eq += (eq.empty() ? "" : ",") + x;
    for (const auto& m : e.primary) targets += (targets.empty() ? "" : ", ") + m.str();
    out += fmt::format("{:<34} {:<10} {:<4} {:<22} {}\n", e.id.str(), to_string(e.phase), e.difficulty, eq.empty() ? "none" : eq,
                       targets);
  }
  return out;
}

std::string exercise_text(const kb::KnowledgeBase& kb, const kb::Exercise& e) {
  std::string out = fmt::format("{} ({})\n", e.name, e.id.str());
  out += fmt::format("phase: {}   position: {}   difficulty: {}/5\n", to_string(e.phase), e.position, e.difficulty);
  std::string primary, secondary, eq;
  for (const auto& m : e.primary) primary += (primary.empty() ? "" : ", ") + kb.muscle_name(m);
  for (const auto& m : e.secondary) secondary += (secondary.empty() ? "" : ", ") + kb.muscle_name(m);
  for (const auto& x : e.equipment) eq += (eq.empty() ? "" : ", ") + x;
  out += "targets: " + primary + (secondary.empty() ? "" : "; also " + secondary) + "\n";
  out += "equipment: " + (eq.empty() ? std::string("none") : eq) + "\n";
  out += "dose: " + dose_text(e.dose) +
         fmt::format(", tempo {}, rest {} s (about {} min)\n", e.dose.tempo, num(e.dose.rest_seconds),
                     num(std::round(e.minutes(e.dose) * 10) / 10));
  if (e.progression) out += "harder: " + e.progression->str() + "\n";
  if (e.regression) out += "easier: " + e.regression->str() + "\n";
  out += "\n";
  for (size_t i = 0; i < e.instructions.size(); ++i) out += wrap(fmt::format("{}. {}", i + 1, e.instructions[i]), 88, "  ");
  for (const auto& cue : e.cues) out += wrap("Cue: " + cue, 88, "  ");
  if (!e.contraindications.empty()) {
    out += "\nnot with:\n";
    for (const auto& c : e.contraindications)
      out += wrap(fmt::format("- {} pain {}/10 or more: {}", c.region, c.min_intensity, c.reason), 88, "  ");
  }
  out += "\n" + wrap("source: " + e.source, 92, "");
  return out;
}

std::string muscles_text(const kb::KnowledgeBase& kb) {
  std::string out = fmt::format("{} muscles in {} groups (knowledge base {})\n", kb.muscles.size(), kb.groups.size(), kb.version);
  for (const auto& g : kb.groups) {
    out += fmt::format("\n{} ({})\n", g.name, g.id.str());
    for (const auto& id : g.members) {
      const kb::Muscle* m = kb.muscle(id);
      if (m == nullptr) continue;
      out += fmt::format("  {:<24} tends to {:<8} {}\n", m->id.str(), m->tendency, m->action);
    }
  }
  return out;
}

std::string tests_text(const kb::KnowledgeBase& kb) {
  std::string out = fmt::format("{} tests (knowledge base {})\n", kb.tests.size(), kb.version);
  kb::Section section = kb::Section::kEndurance;
  bool first = true;
  for (const auto& t : kb.tests) {
    if (first || t.section != section) {
      section = t.section;
      first = false;
      out += fmt::format("\n{}\n", kb::to_string(section));
    }
    std::string measures;
    for (const auto& m : t.measures) measures += (measures.empty() ? "" : "/") + m;
    std::string error = "no published SEM/MDC";
    if (t.error) {
      if (t.error->mdc)
        error = fmt::format("MDC {} {}", num(*t.error->mdc), t.error->unit);
      else if (t.error->sem)
        error = fmt::format("SEM {} {}", num(*t.error->sem), t.error->unit);
    }
    out += fmt::format("  {:<28} {:<18} {:<6} {}\n", t.id.str(), measures, t.sided ? "sided" : "", error);
  }
  return out;
}

std::string progress_text(const kb::KnowledgeBase& kb, const track::Progress& p) {
  std::string out = fmt::format("PROGRESS{} as of {}\n", p.client.empty() ? "" : " of " + p.client, p.as_of.iso());
  if (!p.adherence) {
    out += "\nNo program yet.\n";
  } else {
    const auto& a = *p.adherence;
    out += fmt::format("\nADHERENCE (program {})\n", p.program_id);
    out += fmt::format("  {} of {} due sessions done{}; current streak {}, longest {}\n", a.completed_sessions, a.due_sessions,
                       a.consistency_percent ? fmt::format(" ({:.0f} %)", *a.consistency_percent) : std::string(),
                       a.current_streak, a.longest_streak);
    for (const auto& w : a.weeks)
      if (w.due_sessions > 0)
        out += fmt::format("  week {:>2}: {} of {} sessions, {} of {} exercises\n", w.week, w.completed_sessions, w.due_sessions,
                           w.completed_items, w.planned_items);
    if (!a.missed.empty()) {
      out += "  missed:";
      for (const auto& m : a.missed) out += fmt::format(" {} (week {} day {})", m.date.iso(), m.week, m.day);
      out += "\n";
    }
    if (a.next) out += fmt::format("  next: {} (week {} day {})\n", a.next->date.iso(), a.next->week, a.next->day);
  }
  if (!p.sessions.empty()) {
    out += "\nSESSIONS LOGGED (effort / pain, 0-10)\n";
    for (const auto& s : p.sessions)
      out += fmt::format("  {}  week {} day {}  effort {:>2}  pain {:>2}{}\n", s.date.iso(), s.week, s.day, s.effort, s.pain,
                         s.note.empty() ? "" : "  \"" + s.note + "\"");
  }
  if (!p.comparison) {
    out += "\nRE-ASSESSMENT\n  One assessment so far: nothing to compare yet.\n";
    return out;
  }
  const auto& c = *p.comparison;
  out += fmt::format("\nRE-ASSESSMENT ({} against {})\n", p.after_id, p.before_id);
  out += fmt::format("  findings: {} resolved, {} improved, {} unchanged, {} worse, {} new\n", c.resolved, c.improved,
                     c.unchanged, c.worse, c.added);
  for (const auto& f : c.findings)
    if (f.change != track::FindingChange::kUnchanged)
      out += fmt::format("  - {} ({}), {}: {}{}\n", kb.muscle_name(f.muscle), side_word(f.side), to_string(f.state),
                         track::to_string(f.change),
                         f.before && f.after ? fmt::format(" ({} -> {})", to_string(*f.before), to_string(*f.after)) : "");
  if (!c.measures.empty()) out += "  measurements (a change within the minimal detectable change is noise):\n";
  for (const auto& m : c.measures) {
    if (m.before_positive) {
      out += fmt::format("  - {} {}: {} -> {}: {}\n", m.measure, side_word(m.side), *m.before_positive ? "positive" : "negative",
                         *m.after_positive ? "positive" : "negative", track::to_string(m.verdict));
      continue;
    }
    out += fmt::format("  - {} {}: {} -> {} {} ({:+.1f}{}): {}\n", m.measure, side_word(m.side), num(*m.before), num(*m.after),
                       m.unit, *m.delta, m.mdc ? fmt::format(", MDC {}", num(*m.mdc)) : std::string(", no published MDC"),
                       track::to_string(m.verdict));
  }
  if (!c.asymmetries.empty()) out += "  asymmetries (real only when a side changed beyond its MDC):\n";
  auto lsi = [](const std::optional<double>& v) { return v ? fmt::format("{:.1f} %", *v) : std::string("within cutoff"); };
  for (const auto& a : c.asymmetries)
    out += fmt::format("  - {}: {} -> {}: {}, {}\n", a.measure, lsi(a.before_lsi), lsi(a.after_lsi), track::to_string(a.change),
                       track::to_string(a.verdict));
  for (const auto& r : c.ratios)
    out += fmt::format("  - ratio {} ({}): {:.2f} -> {:.2f}: {}\n", r.name, side_word(r.side), r.before, r.after,
                       track::to_string(r.verdict));
  return out;
}

}  // namespace rebalance::render
