// How figure inks look, shared by the SVG and Cairo writers: greys that stay
// distinct in black-and-white print, an accent for bands and arrows.
#pragma once

#include <string>

#include "figure/figure.h"

namespace rebalance::render::detail {

struct Rgb {
  unsigned char r = 0, g = 0, b = 0;
};

struct InkStyle {
  Rgb fill;
  Rgb outline;
  double outline_scale = 1;  // times figure::kOutline
};

InkStyle style_of(figure::Ink ink);
// "#rrggbb"
std::string hex(Rgb c);

}  // namespace rebalance::render::detail
