// Painting figures with Cairo (PDF handout, PNG contact sheet).
#pragma once

#include <cairo.h>

#include "figure/figure.h"

namespace rebalance::render::detail {

// Paints `pic` with its top-left corner at the current origin, `scale`
// device units per picture unit. Leaves the Cairo state as it found it.
void paint_picture(cairo_t* cr, const figure::Picture& pic, double scale);

}  // namespace rebalance::render::detail
