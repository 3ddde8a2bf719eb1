// The PDF handout, drawn with Cairo: a cover page with the findings and tips,
// then one page per week with a checklist.
#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>

#include <stdexcept>

#include "render/render.h"

namespace rebalance::render {
namespace {

constexpr double kWidth = 595.276;  // A4 in points
constexpr double kHeight = 841.89;
constexpr double kMargin = 50;

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  void font(double size, bool bold) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
    size_ = size;
  }

  // Writes wrapped text at the cursor; a new page when the page is full.
  void text(const std::string& text, double indent = 0) {
    std::string line;
    size_t start = 0;
    const double width = kWidth - 2 * kMargin - indent;
    while (start <= text.size()) {
      size_t end = text.find(' ', start);
      if (end == std::string::npos) end = text.size();
      const std::string word = text.substr(start, end - start);
      const std::string candidate = line.empty() ? word : line + " " + word;
      cairo_text_extents_t ext;
      cairo_text_extents(cr_, candidate.c_str(), &ext);
      if (!line.empty() && ext.x_advance > width) {
        emit(line, indent);
        line = word;
      } else {
        line = candidate;
      }
      start = end + 1;
    }
    if (!line.empty()) emit(line, indent);
  }

  void checkbox_line(const std::string& text) {
    need(size_ * 1.5);
    cairo_rectangle(cr_, kMargin, y_ - size_ * 0.85, size_ * 0.9, size_ * 0.9);
    cairo_set_line_width(cr_, 0.8);
    cairo_stroke(cr_);
    this->text(text, size_ * 1.6);
  }

  void gap(double points) { y_ += points; }

  void new_page() {
    cairo_show_page(cr_);
    y_ = kMargin + 12;
  }

 private:
  void need(double height) {
    if (y_ + height > kHeight - kMargin) new_page();
  }
  void emit(const std::string& line, double indent) {
    need(size_ * 1.4);
    cairo_move_to(cr_, kMargin + indent, y_);
    cairo_show_text(cr_, line.c_str());
    y_ += size_ * 1.4;
  }

  cairo_t* cr_;
  double y_ = kMargin + 12;
  double size_ = 10;
};

}  // namespace

std::string program_pdf(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h) {
  std::string bytes;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append, &bytes, kWidth, kHeight);
  cairo_t* cr = cairo_create(surface);
  {
    Page page(cr);
    page.font(18, true);
    const bool stopped = a.restrictions.stop_all;  // referral only: no schedule
    page.text((stopped ? std::string("No program yet") : std::string("Your corrective program")) +
              (h.client_name.empty() ? std::string() : ": " + h.client_name));
    page.font(10, false);
    if (stopped)
      page.text("See a professional first: exercise starts once a doctor has assessed you. Knowledge base " + kb.version + ".");
    else
      page.text(fmt::format("{} weeks, {} sessions a week, up to {} minutes each, starting {}. Knowledge base {}.", p.weeks,
                            p.days_per_week, p.minutes_per_session, p.start.iso(), kb.version));
    if (!a.referrals.empty()) {
      page.gap(6);
      page.font(12, true);
      page.text("See a professional first");
      page.font(10, false);
      for (const auto& r : a.referrals) page.text("- " + referral_title(kb, r) + ": " + r.detail, 8);
    }
    page.gap(6);
    page.font(12, true);
    page.text("What we found");
    page.font(10, false);
    for (const auto& f : a.findings)
      page.text(fmt::format("- {} ({}): {}, {}", kb.muscle_name(f.muscle), to_string(f.side), to_string(f.state),
                            to_string(f.severity)),
                8);
    if (a.findings.empty()) page.text("No imbalance found in what was entered.", 8);
    if (!p.omitted.empty()) {
      page.gap(6);
      page.font(12, true);
      page.text("Left out");
      page.font(10, false);
      for (const auto& o : p.omitted)
        page.text("- " + (o.finding ? target_text(kb, *o.finding) : std::string("program")) + ": " + o.reason, 8);
    }
    if (!stopped) {
      page.gap(6);
      page.font(12, true);
      page.text("Prevention tips");
      page.font(10, false);
      for (const auto& tip : kb.guidance.prevention_tips) page.text("- " + tip, 8);
      page.text(kb.guidance.functional_text);
    }
    int week = 0;
    for (const auto& s : p.sessions) {
      if (s.week != week) {
        week = s.week;
        page.new_page();
        page.font(16, true);
        page.text(fmt::format("Week {}", week));
        for (const auto& r : p.reassessments)
          if (r.week == week) {
            page.font(10, false);
            page.text("Re-assessment after the last session of this week (" + r.date.iso() + ").");
          }
      }
      page.gap(4);
      page.font(11, true);
      page.text(fmt::format("Session {} - {} {} (about {:.0f} min)", s.day, weekday_name(s.date.weekday()), s.date.iso(),
                            s.estimated_minutes));
      page.font(10, false);
      for (const auto& item : s.items) {
        const kb::Exercise* e = kb.exercise(item.exercise);
        page.checkbox_line((e ? e->name : item.exercise.str()) + ": " +
                           dose_text(item.dose, item.extra_sets_left, item.extra_sets_right));
      }
      page.text("Effort (0-10): ____   Pain (0-10): ____   Notes: ____________________", 0);
    }
    page.new_page();
    page.font(14, true);
    page.text("How to do each exercise");
    for (const kb::Exercise* e : exercises_used(kb, p)) {
      page.gap(4);
      page.font(11, true);
      page.text(e->name);
      page.font(10, false);
      for (size_t i = 0; i < e->instructions.size(); ++i) page.text(fmt::format("{}. {}", i + 1, e->instructions[i]), 8);
    }
    page.gap(8);
    page.font(8, false);
    page.text(kb.guidance.disclaimer);
  }
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("PDF rendering failed: ") + cairo_status_to_string(status));
  return bytes;
}

}  // namespace rebalance::render
