// Painting figures with Cairo: the same items, inks and passes as the SVG
// writer, as vectors (PDF) or pixels (PNG).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "render/detail/cairo_figure.h"
#include "render/detail/libcairo.h"
#include "render/detail/figure_style.h"
#include "render/render.h"

namespace rebalance::render::detail {
namespace {

void set(cairo_t* cr, Rgb c) { detail::libcairo().cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0); }

void trace(cairo_t* cr, const figure::Shape& s) {
  for (size_t i = 0; i < s.points.size(); ++i) {
    if (i == 0)
      detail::libcairo().cairo_move_to(cr, s.points[i].x, s.points[i].y);
    else
      detail::libcairo().cairo_line_to(cr, s.points[i].x, s.points[i].y);
  }
  if (s.kind == figure::Shape::Kind::kPolygon) detail::libcairo().cairo_close_path(cr);
}

void paint_shape(cairo_t* cr, const figure::Shape& s, Rgb colour, double grow) {
  set(cr, colour);
  if (s.kind == figure::Shape::Kind::kDisc) {
    detail::libcairo().cairo_new_path(cr);
    detail::libcairo().cairo_arc(cr, s.points[0].x, s.points[0].y, s.width + grow, 0, 2 * std::numbers::pi);
    detail::libcairo().cairo_fill(cr);
    return;
  }
  if (s.points.empty()) return;
  detail::libcairo().cairo_new_path(cr);
  trace(cr, s);
  detail::libcairo().cairo_set_line_width(cr, s.width + 2 * grow);
  if (s.kind == figure::Shape::Kind::kPolygon) detail::libcairo().cairo_fill_preserve(cr);
  detail::libcairo().cairo_stroke(cr);
}

}  // namespace

void paint_picture(cairo_t* cr, const figure::Picture& pic, double scale) {
  detail::libcairo().cairo_save(cr);
  detail::libcairo().cairo_scale(cr, scale, scale);
  detail::libcairo().cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  detail::libcairo().cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (const auto& item : pic.items) {
    const InkStyle base = style_of(item.ink);
    for (int pass = item.outlined ? 0 : 1; pass < 2; ++pass)
      for (const auto& s : item.shapes) {
        const InkStyle st = s.ink ? style_of(*s.ink) : base;
        if (pass == 0)
          paint_shape(cr, s, st.outline, figure::kOutline * st.outline_scale);
        else
          paint_shape(cr, s, st.fill, 0);
      }
  }
  detail::libcairo().cairo_restore(cr);
}

}  // namespace rebalance::render::detail

namespace rebalance::render {
namespace {

cairo_status_t append_png(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string contact_sheet_png(const kb::KnowledgeBase& kb, const std::vector<const kb::Exercise*>& exercises, int columns,
                              int cell) {
  columns = std::max(1, columns);
  const int label = 34;
  const int rows = std::max(1, static_cast<int>((exercises.size() + columns - 1) / columns));
  const int width = columns * cell, height = rows * (cell + label);
  cairo_surface_t* surface = detail::libcairo().cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t* cr = detail::libcairo().cairo_create(surface);
  detail::libcairo().cairo_set_source_rgb(cr, 1, 1, 1);
  detail::libcairo().cairo_paint(cr);
  detail::libcairo().cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  for (size_t i = 0; i < exercises.size(); ++i) {
    const kb::Exercise& e = *exercises[i];
    const double x0 = static_cast<double>(i % columns) * cell, y0 = static_cast<double>(i / columns) * (cell + label);
    detail::libcairo().cairo_set_source_rgb(cr, 0.86, 0.88, 0.9);
    detail::libcairo().cairo_set_line_width(cr, 1);
    detail::libcairo().cairo_rectangle(cr, x0 + 0.5, y0 + 0.5, cell - 1, cell + label - 1);
    detail::libcairo().cairo_stroke(cr);
    if (const body::Illustration* ill = kb.illustration(e.id)) {
      const figure::Picture pic = figure::still(kb, *ill, e.name);
      const double fit = (cell - 12) / std::max(pic.width, pic.height);
      detail::libcairo().cairo_save(cr);
      detail::libcairo().cairo_translate(cr, x0 + (cell - pic.width * fit) / 2, y0 + (cell - pic.height * fit) / 2 + 4);
      detail::paint_picture(cr, pic, fit);
      detail::libcairo().cairo_restore(cr);
    }
    detail::libcairo().cairo_set_source_rgb(cr, 0.1, 0.14, 0.2);
    for (int line = 0; line < 2; ++line) {
      std::string text = line == 0 ? e.name : e.id.str();
      // Within the cell: a smaller size first, then cut with an ellipsis.
      double size = line == 0 ? 12 : 10;
      cairo_text_extents_t ext;
      auto measure = [&] {
        detail::libcairo().cairo_set_font_size(cr, size);
        detail::libcairo().cairo_text_extents(cr, text.c_str(), &ext);
      };
      for (measure(); ext.x_advance > cell - 8 && size > 9; measure()) size -= 0.5;
      while (ext.x_advance > cell - 8 && text.size() > 4) {
        text.resize(text.size() - 4);
        while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
        text += "…";
        measure();
      }
      detail::libcairo().cairo_move_to(cr, x0 + std::max(4.0, (cell - ext.x_advance) / 2), y0 + cell + 10 + line * 15);
      detail::libcairo().cairo_show_text(cr, text.c_str());
    }
  }
  detail::libcairo().cairo_destroy(cr);
  std::string bytes;
  detail::libcairo().cairo_surface_write_to_png_stream(surface, append_png, &bytes);
  detail::libcairo().cairo_surface_destroy(surface);
  return bytes;
}

}  // namespace rebalance::render
