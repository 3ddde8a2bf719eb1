// Cairo, loaded when a PDF or PNG is first drawn rather than when the
// program starts. Linked directly, Cairo brings about fifteen libraries
// (pixman, fontconfig, freetype, X11's) that every start of every command
// would map and relocate, drawing or not (docs/performance.md).
#pragma once

#include <cairo-pdf.h>
#include <cairo.h>

#include "core/detail/dynamic_library.h"

namespace rebalance::render::detail {

// The functions of Cairo the renderers call, by their own names.
#define REBALANCE_CAIRO_FUNCTIONS(X)  \
  X(cairo_arc)                        \
  X(cairo_close_path)                 \
  X(cairo_create)                     \
  X(cairo_destroy)                    \
  X(cairo_fill)                       \
  X(cairo_fill_preserve)              \
  X(cairo_image_surface_create)       \
  X(cairo_line_to)                    \
  X(cairo_move_to)                    \
  X(cairo_new_path)                   \
  X(cairo_paint)                      \
  X(cairo_pdf_surface_create_for_stream) \
  X(cairo_pdf_surface_set_metadata)   \
  X(cairo_rectangle)                  \
  X(cairo_restore)                    \
  X(cairo_save)                       \
  X(cairo_scale)                      \
  X(cairo_select_font_face)           \
  X(cairo_set_font_size)              \
  X(cairo_set_line_cap)               \
  X(cairo_set_line_join)              \
  X(cairo_set_line_width)             \
  X(cairo_set_source_rgb)             \
  X(cairo_show_page)                  \
  X(cairo_show_text)                  \
  X(cairo_status_to_string)           \
  X(cairo_stroke)                     \
  X(cairo_surface_destroy)            \
  X(cairo_surface_finish)             \
  X(cairo_surface_status)             \
  X(cairo_surface_write_to_png_stream) \
  X(cairo_text_extents)               \
  X(cairo_translate)

struct Libcairo {
  REBALANCE_CAIRO_FUNCTIONS(REBALANCE_DYNAMIC_MEMBER)
};

// Cairo (its ABI, libcairo.so.2), loaded on the first call and kept for
// the life of the process. Throws std::runtime_error saying what to install
// when it cannot be loaded or lacks one of the functions.
const Libcairo& libcairo();

}  // namespace rebalance::render::detail
