// Exercise figures as SVG: a still (start as a ghost, key position, motion
// arrow) and an animated loop in SMIL (no script, no style sheet: attributes
// only, so the app's Content-Security-Policy needs nothing new).
#include <fmt/format.h>

#include "render/detail/figure_style.h"
#include "render/render.h"

namespace rebalance::render {
namespace detail {

InkStyle style_of(figure::Ink ink) {
  using figure::Ink;
  switch (ink) {
    case Ink::kNear: return {{251, 252, 253}, {29, 39, 51}, 1};
    case Ink::kFar: return {{160, 171, 182}, {29, 39, 51}, 1};
    case Ink::kGhost: return {{228, 232, 237}, {184, 192, 201}, 0.8};
    case Ink::kProp: return {{221, 226, 231}, {86, 97, 109}, 0.9};
    case Ink::kIron: return {{59, 69, 80}, {29, 39, 51}, 0.9};
    case Ink::kWall: return {{236, 239, 242}, {154, 164, 174}, 0.8};
    case Ink::kBand: return {{194, 65, 45}, {194, 65, 45}, 0};
    case Ink::kFloor: return {{233, 237, 241}, {233, 237, 241}, 0};
    case Ink::kMat: return {{185, 201, 214}, {185, 201, 214}, 0};
    case Ink::kArrow: return {{31, 95, 139}, {31, 95, 139}, 0};
  }
  return {};
}

std::string hex(Rgb c) { return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b); }

}  // namespace detail

namespace {

using figure::Picture;
using figure::Shape;

std::string num(double v) {
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

std::string path_data(const Shape& s) {
  std::string d;
  // Appended piece by piece, not `"M" + num(...)`: g++ 12 at -O3 warns
  // falsely (-Wrestrict, GCC bug 105329) on a literal prepended to a temporary
  // string, and the project's CI builds with -Werror.
  for (size_t i = 0; i < s.points.size(); ++i) {
    d += i == 0 ? 'M' : 'L';
    d += num(s.points[i].x);
    d += ' ';
    d += num(s.points[i].y);
  }
  if (s.kind == Shape::Kind::kPolygon) d += "Z";
  return d;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// One painted element: the outline pass (`outline`) or the fill pass of a
// shape, with its animation over `frames` when it moves.
std::string element(const std::vector<const Shape*>& frames, const detail::InkStyle& st, bool outline, double seconds) {
  const Shape& s = *frames[0];
  const double grow = outline ? figure::kOutline * st.outline_scale : 0;
  const std::string colour = detail::hex(outline ? st.outline : st.fill);
  bool moves = false, same_shape = true;
  for (const Shape* f : frames) same_shape = same_shape && f->points.size() == s.points.size();
  for (const Shape* f : frames)
    for (size_t i = 0; same_shape && i < f->points.size() && !moves; ++i)
      moves = std::abs(f->points[i].x - s.points[i].x) > 0.05 || std::abs(f->points[i].y - s.points[i].y) > 0.05;
  std::string key_times;
  for (size_t i = 0; i <= frames.size(); ++i) {
    if (i > 0) key_times += ';';  // appended: the -Wrestrict false warning, as in path_data
    key_times += fmt::format("{:.4g}", static_cast<double>(i) / static_cast<double>(frames.size()));
  }
  auto animate = [&](const std::string& attribute, auto value_of) {
    std::string values;
    for (const Shape* f : frames) values += value_of(*f) + ";";
    values += value_of(*frames[0]);
    return fmt::format(R"(<animate attributeName="{}" dur="{}s" repeatCount="indefinite" keyTimes="{}" values="{}"/>)", attribute,
                       num(seconds), key_times, values);
  };
  if (s.kind == Shape::Kind::kDisc) {
    const std::string head = fmt::format(R"(<circle cx="{}" cy="{}" r="{}" fill="{}")", num(s.points[0].x), num(s.points[0].y),
                                         num(s.width + grow), colour);
    if (!moves) return head + "/>";
    return head + ">" + animate("cx", [](const Shape& f) { return num(f.points[0].x); }) +
           animate("cy", [](const Shape& f) { return num(f.points[0].y); }) + "</circle>";
  }
  const bool filled = s.kind == Shape::Kind::kPolygon;
  const std::string head = fmt::format(R"(<path d="{}" fill="{}" stroke="{}" stroke-width="{}")", path_data(s),
                                       filled ? colour : "none", colour, num(s.width + 2 * grow));
  if (!moves) return head + "/>";
  return head + ">" + animate("d", [](const Shape& f) { return path_data(f); }) + "</path>";
}

// The whole document from frames that share one structure.
std::string document(const std::vector<const Picture*>& frames, double seconds, const std::string& label) {
  const Picture& first = *frames[0];
  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{label}">)"
      "<title>{label}</title>"
      R"(<g stroke-linecap="round" stroke-linejoin="round">)",
      fmt::arg("w", num(first.width)), fmt::arg("h", num(first.height)), fmt::arg("label", xml_escape(label)));
  for (size_t i = 0; i < first.items.size(); ++i) {
    const figure::Item& item = first.items[i];
    const detail::InkStyle base = detail::style_of(item.ink);
    auto shapes_at = [&](size_t k) {
      std::vector<const Shape*> v;
      for (const Picture* f : frames) v.push_back(&f->items[i].shapes[k]);
      return v;
    };
    for (int pass = item.outlined ? 0 : 1; pass < 2; ++pass)
      for (size_t k = 0; k < item.shapes.size(); ++k) {
        const Shape& s = item.shapes[k];
        const detail::InkStyle st = s.ink ? detail::style_of(*s.ink) : base;
        out += element(shapes_at(k), st, pass == 0, seconds);
      }
  }
  out += "</g></svg>\n";
  return out;
}

const kb::Exercise& exercise_of(const kb::KnowledgeBase& kb, const body::Illustration& ill) {
  return *kb.exercise(ExerciseId(ill.exercise));
}

}  // namespace

std::string figure_svg(const kb::KnowledgeBase& kb, const body::Illustration& ill, bool animated) {
  const std::string title = exercise_of(kb, ill).name;
  if (!animated) {
    const Picture pic = figure::still(kb, ill, title);
    return document({&pic}, 0, title + ": start position faded, end position solid");
  }
  const figure::Animation anim = figure::animate(kb, ill, title, figure::frames_for(ill));
  std::vector<const Picture*> frames;
  for (const auto& f : anim.frames) frames.push_back(&f);
  return document(frames, anim.seconds, title + ": one repetition, repeating");
}

}  // namespace rebalance::render
