// The PDF handout, drawn with Cairo as vectors: a cover with the findings in
// plain words, then each week with its exercises drawn and dosed and a
// tick-box log grid, then how to do each exercise. Prints in black and white.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "render/detail/cairo_figure.h"
#include "render/detail/libcairo.h"
#include "render/render.h"

namespace rebalance::render {
namespace {

constexpr double kWidth = 595.276;  // A4 in points
constexpr double kHeight = 841.89;
constexpr double kMargin = 42;
constexpr double kText = kWidth - 2 * kMargin;
constexpr const char* kFont = "DejaVu Sans";

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct Gray {
  double v;
};
constexpr Gray kInk{0.1}, kMuted{0.38}, kRule{0.72}, kShade{0.93};

// A cursor over pages: text that wraps, and room checks that turn the page.
class Doc {
 public:
  explicit Doc(cairo_t* cr) : cr_(cr) {}

  cairo_t* cr() const { return cr_; }
  double y() const { return y_; }
  void move(double dy) { y_ += dy; }

  void font(double size, bool bold = false) {
    detail::libcairo().cairo_select_font_face(cr_, kFont, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    detail::libcairo().cairo_set_font_size(cr_, size);
    size_ = size;
  }
  void ink(Gray g) const { detail::libcairo().cairo_set_source_rgb(cr_, g.v, g.v, g.v); }
  double line_height() const { return size_ * 1.35; }

  double advance(const std::string& s) const {
    cairo_text_extents_t ext;
    detail::libcairo().cairo_text_extents(cr_, s.c_str(), &ext);
    return ext.x_advance;
  }

  // `text` broken into lines no wider than `width` at the current font.
  std::vector<std::string> wrap(const std::string& text, double width) const {
    std::vector<std::string> lines;
    std::string line;
    size_t start = 0;
    while (start <= text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string word = text.substr(start, end - start);
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && advance(candidate) > width) {
        lines.push_back(line);
        line = word;
      } else {
        line = candidate;
      }
      start = end + 1;
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
  }

  // Draws wrapped text from (x, the cursor) and moves the cursor below it.
  void text(const std::string& s, double x = kMargin, double width = kText) {
    for (const auto& line : wrap(s, width)) {
      need(line_height());
      show(line, x, y_ + size_);
      y_ += line_height();
    }
  }
  // Draws wrapped text at a fixed place; answers the height used.
  double text_at(const std::string& s, double x, double top, double width) const {
    double y = top;
    for (const auto& line : wrap(s, width)) {
      show(line, x, y + size_);
      y += line_height();
    }
    return y - top;
  }
  void show(const std::string& s, double x, double baseline) const {
    detail::libcairo().cairo_move_to(cr_, x, baseline);
    detail::libcairo().cairo_show_text(cr_, s.c_str());
  }

  void rule(double x0, double x1, double y, Gray g, double width = 0.6) const {
    ink(g);
    detail::libcairo().cairo_set_line_width(cr_, width);
    detail::libcairo().cairo_move_to(cr_, x0, y);
    detail::libcairo().cairo_line_to(cr_, x1, y);
    detail::libcairo().cairo_stroke(cr_);
  }

  // A new page when `height` does not fit below the cursor.
  bool need(double height) {
    if (y_ + height <= kHeight - kMargin) return false;
    new_page();
    return true;
  }
  void new_page() {
    detail::libcairo().cairo_show_page(cr_);
    y_ = kMargin;
  }

  void heading(const std::string& s, double size) {
    need(size * 3);
    y_ += size * 0.6;
    font(size, true);
    ink(kInk);
    text(s);
    y_ += size * 0.2;
  }

 private:
  cairo_t* cr_;
  double y_ = kMargin;
  double size_ = 10;
};

// Figures drawn once per handout.
class Figures {
 public:
  Figures(const kb::KnowledgeBase& kb, cairo_t* cr) : kb_(kb), cr_(cr) {}

  // Paints the exercise's still centred in the box; nothing when it has none.
  void paint(const kb::Exercise& e, double x, double y, double w, double h) {
    auto it = cache_.find(e.id.str());
    if (it == cache_.end()) {
      std::optional<figure::Picture> pic;
      if (const body::Illustration* ill = kb_.illustration(e.id)) pic = figure::still(kb_, *ill, e.name);
      it = cache_.emplace(e.id.str(), std::move(pic)).first;
    }
    if (!it->second) return;
    const figure::Picture& pic = *it->second;
    const double fit = std::min(w / pic.width, h / pic.height);
    detail::libcairo().cairo_save(cr_);
    detail::libcairo().cairo_translate(cr_, x + (w - pic.width * fit) / 2, y + (h - pic.height * fit) / 2);
    detail::paint_picture(cr_, pic, fit);
    detail::libcairo().cairo_restore(cr_);
  }
 private:
  const kb::KnowledgeBase& kb_;
  cairo_t* cr_;
  std::map<std::string, std::optional<figure::Picture>> cache_;
};

// A finding in words a client reads.
std::string plain_finding(const kb::KnowledgeBase& kb, const assess::Finding& f) {
  const std::string side = f.side == Side::kBoth ? "both sides" : std::string(to_string(f.side)) + " side";
  const std::string what = f.state == State::kTight ? "tight or overactive: we stretch and release it"
                                                    : "weak or underactive: we strengthen it";
  return fmt::format("{} ({}): {} ({}).", kb.muscle_name(f.muscle), side, what, to_string(f.severity));
}

void cover(Doc& doc, const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  const bool stopped = a.restrictions.stop_all;  // referral only: no schedule
  doc.font(22, true);
  doc.ink(kInk);
  doc.text((stopped ? std::string("No program yet") : std::string("Your corrective program")) +
           (h.client_name.empty() ? std::string() : ": " + h.client_name));
  doc.move(2);
  doc.font(11);
  doc.ink(kMuted);
  if (stopped)
    doc.text("See a professional first: exercise starts once a doctor has assessed you.");
  else
    doc.text(fmt::format("{} weeks, {} sessions a week, about {} minutes each, from {}.", p.weeks, p.days_per_week,
                         p.minutes_per_session, long_date(p.start)));
  doc.move(4);
  if (!a.referrals.empty()) {
    doc.heading("See a professional first", 14);
    doc.font(10.5);
    for (const auto& r : a.referrals) doc.text("• " + plain_referral(kb, r), kMargin + 8, kText - 8);
  }
  doc.heading("What we found, in plain words", 14);
  doc.font(10.5);
  doc.ink(kInk);
  for (const auto& pat : a.patterns)
    doc.text("• A common pattern: " + pat.name + " (muscles that are tight on one side of a joint and weak on the other).",
             kMargin + 8, kText - 8);
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < a.findings.size() && i < kShown; ++i)
    doc.text("• " + plain_finding(kb, a.findings[i]), kMargin + 8, kText - 8);
  if (a.findings.size() > kShown)
    doc.text(fmt::format("… and {} more in your practitioner's assessment.", a.findings.size() - kShown), kMargin + 8,
             kText - 8);
  if (a.findings.empty()) doc.text("No imbalance found in what was entered.", kMargin + 8, kText - 8);
  if (!stopped) {
    doc.heading("How it works", 14);
    doc.font(10.5);
    doc.text("Each week has its own page: the exercises drawn with their dose, and a grid to tick what you did, "
             "with your effort and any pain (0 = none, 10 = worst). Stop an exercise that causes sharp pain and tell "
             "your practitioner.");
    doc.text(kb.guidance.functional_text);
    doc.heading("Keep the balance", 14);
    doc.font(10.5);
    for (const auto& tip : kb.guidance.prevention_tips) doc.text("• " + tip, kMargin + 8, kText - 8);
  }
  doc.move(8);
  doc.font(8);
  doc.ink(kMuted);
  doc.text(kb.guidance.disclaimer + " Knowledge base " + version_of(kb, p.kb_version) + ".");
}

struct WeekExercise {
  const kb::Exercise* exercise;
  std::string name;
  std::vector<std::string> doses;  // distinct, in order of sessions
  std::string why;
};

// One week's page(s): exercise cards, then the log grid.
void week_pages(Doc& doc, Figures& figs, const kb::KnowledgeBase& kb, const plan::Program& p, int week) {
  std::vector<const plan::Session*> sessions;
  for (const auto& s : p.sessions)
    if (s.week == week) sessions.push_back(&s);
  if (sessions.empty()) return;
  std::vector<WeekExercise> list;
  for (const auto* s : sessions)
    for (const auto& item : s->items) {
      auto it = std::find_if(list.begin(), list.end(), [&](const WeekExercise& w) { return w.name == item.exercise.str(); });
      if (it == list.end()) {
        list.push_back({kb.exercise(item.exercise), item.exercise.str(), {}, {}});
        it = list.end() - 1;
        std::string why;
        for (const auto& t : item.targets) why += (why.empty() ? "" : "; ") + target_text(kb, t);
        it->why = why;
      }
      const std::string dose = dose_text(item.dose, item.extra_sets_left, item.extra_sets_right);
      if (std::find(it->doses.begin(), it->doses.end(), dose) == it->doses.end()) it->doses.push_back(dose);
    }

  doc.new_page();
  doc.font(18, true);
  doc.ink(kInk);
  doc.text(fmt::format("Week {}", week));
  doc.font(10.5);
  doc.ink(kMuted);
  doc.text(fmt::format("{} sessions, {} to {}.", sessions.size(), short_date(sessions.front()->date),
                       short_date(sessions.back()->date)));
  for (const auto& r : p.reassessments)
    if (r.week == week) doc.text("Check-up with your practitioner after this week's last session (around " + long_date(r.date) + ").");
  doc.move(6);

  // Cards, two to a row: the figure, the name, the dose, what it is for.
  constexpr double kColumnGap = 16, kFigW = 84, kFigH = 58, kGap = 8;
  const double card_w = (kText - kColumnGap) / 2, text_w = card_w - kFigW - kGap;
  auto card_height = [&](const WeekExercise& w) {
    doc.font(10.5, true);
    double h = doc.wrap(w.exercise ? w.exercise->name : w.name, text_w).size() * doc.line_height();
    doc.font(9.5);
    for (const auto& d : w.doses) h += doc.wrap(d, text_w).size() * doc.line_height();
    doc.font(8);
    if (!w.why.empty()) h += doc.wrap("For: " + w.why, text_w).size() * doc.line_height();
    return std::max(kFigH, h);
  };
  auto card = [&](const WeekExercise& w, double x, double top) {
    if (w.exercise) figs.paint(*w.exercise, x, top, kFigW, kFigH);
    const double tx = x + kFigW + kGap;
    double y = top + 1;
    doc.font(10.5, true);
    doc.ink(kInk);
    y += doc.text_at(w.exercise ? w.exercise->name : w.name, tx, y, text_w);
    doc.font(9.5);
    for (const auto& d : w.doses) y += doc.text_at(d, tx, y, text_w);
    doc.font(8);
    doc.ink(kMuted);
    if (!w.why.empty()) doc.text_at("For: " + w.why, tx, y, text_w);
  };
  for (size_t i = 0; i < list.size(); i += 2) {
    const double h = std::max(card_height(list[i]), i + 1 < list.size() ? card_height(list[i + 1]) : 0.0) + 8;
    doc.need(h);
    card(list[i], kMargin, doc.y());
    if (i + 1 < list.size()) card(list[i + 1], kMargin + card_w + kColumnGap, doc.y());
    doc.move(h);
    doc.rule(kMargin, kMargin + kText, doc.y() - 4, Gray{0.85});
  }

  // The log grid: a row per exercise, a column per session.
  constexpr double kRow = 15, kHead = 26;
  const double name_w = std::min(210.0, kText - 44.0 * static_cast<double>(sessions.size()));
  const double col_w = (kText - name_w) / static_cast<double>(sessions.size());
  const double grid_h = kHead + kRow * static_cast<double>(list.size() + 2) + 24;
  doc.move(8);
  doc.need(grid_h);
  doc.font(12, true);
  doc.ink(kInk);
  doc.text("Log: tick each exercise done");
  double y = doc.y() + 2;
  const double grid_top = y;
  cairo_t* cr = doc.cr();
  auto cell_x = [&](size_t c) { return kMargin + name_w + col_w * static_cast<double>(c); };
  doc.font(8.5, true);
  for (size_t c = 0; c < sessions.size(); ++c) {
    const auto* s = sessions[c];
    const std::string day = std::string(weekday_name(s->date.weekday())).substr(0, 3);
    doc.ink(kInk);
    doc.show(day, cell_x(c) + (col_w - doc.advance(day)) / 2, y + 11);
    doc.font(8);
    const std::string date = short_date(s->date);
    doc.show(date, cell_x(c) + (col_w - doc.advance(date)) / 2, y + 22);
    doc.font(8.5, true);
  }
  y += kHead;
  auto row = [&](const std::string& label, bool shaded_row, auto&& cell) {
    if (shaded_row) {
      doc.ink(kShade);
      detail::libcairo().cairo_rectangle(cr, kMargin, y, kText, kRow);
      detail::libcairo().cairo_fill(cr);
    }
    doc.font(9);
    doc.ink(kInk);
    std::string shown = label;
    while (shown.size() > 4 && doc.advance(shown) > name_w - 8) shown = shown.substr(0, shown.size() - 4) + "…";
    doc.show(shown, kMargin + 4, y + 11);
    for (size_t c = 0; c < sessions.size(); ++c) cell(c);
    doc.rule(kMargin, kMargin + kText, y + kRow, kRule, 0.4);
    y += kRow;
  };
  doc.rule(kMargin, kMargin + kText, y, kInk, 0.8);
  for (const auto& w : list) {
    row(w.exercise ? w.exercise->name : w.name, false, [&](size_t c) {
      const bool planned = std::any_of(sessions[c]->items.begin(), sessions[c]->items.end(),
                                       [&](const plan::Item& i) { return i.exercise.str() == w.name; });
      const double bx = cell_x(c) + col_w / 2 - 5, by = y + 2.5;
      if (planned) {
        doc.ink(kInk);
        detail::libcairo().cairo_set_line_width(cr, 0.9);
        detail::libcairo().cairo_rectangle(cr, bx, by, 10, 10);
        detail::libcairo().cairo_stroke(cr);
      } else {
        doc.rule(bx + 2, bx + 8, by + 5, kRule);
      }
    });
  }
  for (const char* label : {"Effort (0-10)", "Pain (0-10)"})
    row(label, true, [&](size_t c) { doc.rule(cell_x(c) + 8, cell_x(c) + col_w - 8, y + kRow - 4, kMuted, 0.5); });
  doc.ink(kRule);
  detail::libcairo().cairo_set_line_width(cr, 0.4);
  for (size_t c = 0; c <= sessions.size(); ++c) {
    detail::libcairo().cairo_move_to(cr, cell_x(c), grid_top);
    detail::libcairo().cairo_line_to(cr, cell_x(c), y);
  }
  detail::libcairo().cairo_stroke(cr);
  doc.move(y - doc.y() + 8);
}

void how_to_pages(Doc& doc, Figures& figs, const kb::KnowledgeBase& kb, const plan::Program& p) {
  const auto used = exercises_used(kb, p);
  if (used.empty()) return;
  doc.new_page();
  doc.font(18, true);
  doc.ink(kInk);
  doc.text("How to do each exercise");
  doc.move(4);
  constexpr double kFigW = 130, kFigH = 80, kGap = 14;
  const double text_x = kMargin + kFigW + kGap, text_w = kText - kFigW - kGap;
  for (const kb::Exercise* e : used) {
    std::vector<std::string> lines;
    for (size_t i = 0; i < e->instructions.size(); ++i) lines.push_back(fmt::format("{}. {}", i + 1, e->instructions[i]));
    doc.font(11.5, true);
    double needed = doc.wrap(e->name, text_w).size() * doc.line_height();
    doc.font(9.5);
    for (const auto& l : lines) needed += doc.wrap(l, text_w).size() * doc.line_height();
    for (const auto& c : e->cues) needed += doc.wrap(c, text_w).size() * doc.line_height();
    const double h = std::max(kFigH, needed) + 10;
    doc.need(h);
    const double top = doc.y();
    figs.paint(*e, kMargin, top, kFigW, kFigH);
    double y = top;
    doc.font(11.5, true);
    doc.ink(kInk);
    y += doc.text_at(e->name, text_x, y, text_w);
    doc.font(9.5);
    for (const auto& l : lines) y += doc.text_at(l, text_x, y, text_w);
    doc.ink(kMuted);
    for (const auto& c : e->cues) y += doc.text_at(c, text_x, y, text_w);
    doc.move(h);
    doc.rule(kMargin, kMargin + kText, doc.y() - 5, Gray{0.85});
  }
}

}  // namespace

std::string program_pdf(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  std::string bytes;
  cairo_surface_t* surface = detail::libcairo().cairo_pdf_surface_create_for_stream(append, &bytes, kWidth, kHeight);
  detail::libcairo().cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                 ("Rebalance program" + (h.client_name.empty() ? std::string() : ": " + h.client_name)).c_str());
  detail::libcairo().cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Rebalance");
  cairo_t* cr = detail::libcairo().cairo_create(surface);
  {
    Doc doc(cr);
    Figures figs(kb, cr);
    cover(doc, kb, a, p, h);
    int last = 0;
    for (const auto& s : p.sessions)
      if (s.week != last) {
        last = s.week;
        week_pages(doc, figs, kb, p, s.week);
      }
    how_to_pages(doc, figs, kb, p);
  }
  detail::libcairo().cairo_destroy(cr);
  detail::libcairo().cairo_surface_finish(surface);
  const cairo_status_t status = detail::libcairo().cairo_surface_status(surface);
  detail::libcairo().cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("PDF rendering failed: ") + detail::libcairo().cairo_status_to_string(status));
  return bytes;
}

}  // namespace rebalance::render
