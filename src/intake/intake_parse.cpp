// Intake validation: one pass over the document, one Problem per thing wrong.
#include <algorithm>
#include <cmath>
#include <set>

#include "core/detail/json_reader.h"
#include "intake/intake.h"

namespace rebalance::intake {
namespace {

using detail::child_path;
using detail::describe;
using detail::Json;
using detail::ObjectReader;
using detail::Problems;

constexpr size_t kMaxBytes = 16u << 20;
constexpr int kMaxDepth = 32;

std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

template <class Map>
std::string one_of(const Map& vocab) {
  std::string out;
  size_t n = 0;
  for (const auto& [id, name] : vocab) {
    (void)name;
    if (n++ == 12) {
      out += ", ...";
      break;
    }
    out += (out.empty() ? "" : ", ") + id;
  }
  return out;
}

class Parser {
 public:
  Parser(const kb::KnowledgeBase& kb, const std::string& file) : kb_(kb), p_(file) {}

  ParseResult run(std::string_view text) {
    ParseResult result;
    const auto doc = detail::parse_untrusted<Json>(text, p_, {kMaxBytes, kMaxDepth});
    if (!doc) {
      result.problems = p_.list();
      return result;
    }
    Intake in;
    read(*doc, in);
    if (p_.empty()) {
      result.intake = std::move(in);
      result.canonical = detail::validated_only(*doc, p_, &result.ignored).dump();
    }
    result.problems = p_.list();
    return result;
  }

 private:
  const kb::KnowledgeBase& kb_;
  Problems p_;

  // Iterates an optional array of objects.
  template <class Fn>
  void each(ObjectReader& r, const std::string& key, Fn fn) {
    const Json* arr = r.get(key);
    if (arr == nullptr) return;
    if (!arr->is_array()) {
      p_.add(r.path_of(key), "a list", *arr);
      return;
    }
    for (size_t i = 0; i < arr->size(); ++i) {
      ObjectReader item(p_, (*arr)[i], child_path(r.path_of(key), i));
      if (item.ok()) fn(item);
    }
  }

  std::optional<Side> side(ObjectReader& r, bool required, bool allow_both) {
    const std::string expected = allow_both ? "\"left\", \"right\" or \"both\"" : "\"left\" or \"right\"";
    auto s = r.string("side", required, expected);
    if (!s) return std::nullopt;
    auto parsed = parse_side(*s);
    if (!parsed || (!allow_both && *parsed == Side::kBoth)) {
      p_.add(r.path_of("side"), expected, in_quotes(*s));
      return std::nullopt;
    }
    return parsed;
  }

  std::optional<Date> date(ObjectReader& r, const std::string& key) {
    auto s = r.string(key, false, "a date YYYY-MM-DD");
    if (!s) return std::nullopt;
    auto d = Date::parse(*s);
    if (!d) p_.add(r.path_of(key), "a date YYYY-MM-DD", in_quotes(*s));
    return d;
  }

  // A test's sidedness rule: a sided test needs left/right (or both, meaning
  // the same on each side); an unsided test takes no side or "both".
  Side test_side(ObjectReader& r, const kb::Test* test) {
    if (test == nullptr) return side(r, false, true).value_or(Side::kBoth);
    if (test->sided) return side(r, true, true).value_or(Side::kBoth);
    auto s = side(r, false, true);
    if (s && *s != Side::kBoth)
      p_.add(r.path_of("side"), "no side or \"both\" (" + test->id.str() + " is not done per side)",
             in_quotes(std::string(to_string(*s))));
    return Side::kBoth;
  }

  const kb::Test* test_ref(ObjectReader& r, kb::Section section) {
    const std::string sec(kb::to_string(section));
    auto id = r.string("test", true, "a " + sec + " test id");
    if (!id) return nullptr;
    const kb::Test* t = kb_.test(sec, *id);
    if (t == nullptr) {
      std::string known;
      for (const auto& test : kb_.tests)
        if (test.section == section) known += (known.empty() ? "" : ", ") + test.id.str();
      p_.add(r.path_of("test"), "a " + sec + " test id (" + known + ")", in_quotes(*id));
    }
    return t;
  }

  void read(const Json& doc, Intake& in) {
    ObjectReader root(p_, doc, "$");
    if (!root.ok()) return;
    if (auto schema = root.string("schema", true, "\"rebalance.intake/1\""); schema && *schema != "rebalance.intake/1")
      p_.add("$.schema", "\"rebalance.intake/1\"", in_quotes(*schema));
    in.assessed_on = date(root, "assessed_on");
    in.assessor = root.string("assessor", false).value_or("");
    if (const Json* c = root.get("client")) read_client(*c, in.client);
    if (const Json* l = root.get("lifestyle")) read_lifestyle(*l, in.lifestyle);
    if (const Json* pr = root.get("preferences")) read_preferences(*pr, in.preferences);
    each(root, "pain", [&](ObjectReader& o) { read_pain(o, in); });
    if (const Json* po = root.get("posture")) read_posture(*po, in);
    each(root, "rom", [&](ObjectReader& o) { read_rom(o, in); });
    each(root, "strength", [&](ObjectReader& o) { read_strength(o, in); });
    each(root, "endurance", [&](ObjectReader& o) { read_endurance(o, in); });
    if (const Json* m = root.get("movement")) read_movement(*m, in);
    if (const Json* s = root.get("screening")) read_screening(*s, in.screening);
  }

  void read_client(const Json& j, Client& c) {
    ObjectReader r(p_, j, "$.client");
    c.name = r.string("name", false).value_or("");
    c.age = r.integer("age", false, 1, 120, "an age in whole years 1-120");
    if (auto s = r.string("sex", false, "\"female\", \"male\" or \"other\"")) {
      if (*s == "female")
        c.sex = Sex::kFemale;
      else if (*s == "male")
        c.sex = Sex::kMale;
      else if (*s == "other")
        c.sex = Sex::kOther;
      else
        p_.add("$.client.sex", "\"female\", \"male\" or \"other\"", in_quotes(*s));
    }
    if (auto s = r.string("dominant_side", false, "\"left\" or \"right\"")) {
      auto side = parse_side(*s);
      if (!side || *side == Side::kBoth)
        p_.add("$.client.dominant_side", "\"left\" or \"right\"", in_quotes(*s));
      else
        c.dominant_side = side;
    }
    c.mass_kg = r.number("mass_kg", false, 1, 500, "a body mass in kg (1-500)");
    c.height_cm = r.number("height_cm", false, 30, 275, "a height in cm (30-275)");
  }

  void read_lifestyle(const Json& j, Lifestyle& l) {
    ObjectReader r(p_, j, "$.lifestyle");
    l.path = "$.lifestyle";
    l.sitting_hours_per_day = r.number("sitting_hours_per_day", false, 0, 24, "hours per day 0-24");
    if (auto acts = r.strings("activities", false)) {
      std::map<std::string, std::string> known;
      for (const auto& a : kb_.activities) known[a.id] = a.name;
      for (size_t i = 0; i < acts->size(); ++i) {
        if (!known.count((*acts)[i]))
          p_.add(child_path("$.lifestyle.activities", i), "an activity (" + one_of(known) + ")", in_quotes((*acts)[i]));
        else if (std::find(l.activities.begin(), l.activities.end(), (*acts)[i]) == l.activities.end())
          l.activities.push_back((*acts)[i]);
      }
    }
  }

  void read_preferences(const Json& j, Preferences& pr) {
    ObjectReader r(p_, j, "$.preferences");
    pr.days_per_week = r.integer("days_per_week", false, 1, 7, "whole days per week 1-7");
    pr.minutes_per_session = r.integer("minutes_per_session", false, 5, 180, "whole minutes per session 5-180");
    pr.weeks = r.integer("weeks", false, 1, 52, "whole weeks 1-52");
    if (auto eq = r.strings("equipment", false)) {
      for (size_t i = 0; i < eq->size(); ++i) {
        const std::string& e = (*eq)[i];
        if (!kb_.vocabulary.equipment.count(e))
          p_.add(child_path("$.preferences.equipment", i), "equipment (" + one_of(kb_.vocabulary.equipment) + ")", in_quotes(e));
        else if (e != "none" && std::find(pr.equipment.begin(), pr.equipment.end(), e) == pr.equipment.end())
          pr.equipment.push_back(e);
      }
      std::sort(pr.equipment.begin(), pr.equipment.end());
    }
    pr.start_date = date(r, "start_date");
    if (auto days = r.strings("days", false)) {
      for (size_t i = 0; i < days->size(); ++i) {
        auto wd = parse_weekday((*days)[i]);
        if (!wd)
          p_.add(child_path("$.preferences.days", i), "a weekday (mon, tue, wed, thu, fri, sat, sun)", in_quotes((*days)[i]));
        else if (std::find(pr.days.begin(), pr.days.end(), *wd) != pr.days.end())
          p_.add(child_path("$.preferences.days", i), "each weekday once", in_quotes((*days)[i]) + " again");
        else
          pr.days.push_back(*wd);
      }
      std::sort(pr.days.begin(), pr.days.end());
      if (days->empty()) p_.add("$.preferences.days", "at least one weekday", "an empty list");
      if (pr.days_per_week && !pr.days.empty() && static_cast<int>(pr.days.size()) != *pr.days_per_week)
        p_.add("$.preferences.days", std::to_string(*pr.days_per_week) + " weekdays (days_per_week)",
               std::to_string(pr.days.size()));
    }
    if (auto tz = r.string("timezone", false, "an IANA time zone name such as \"Europe/Berlin\"")) {
      const bool plausible = !tz->empty() && tz->size() < 64 && tz->front() != '/' && tz->find("..") == std::string::npos &&
                             std::all_of(tz->begin(), tz->end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+';
                             });
      if (!plausible)
        p_.add("$.preferences.timezone", "an IANA time zone name such as \"Europe/Berlin\"", in_quotes(*tz));
      else
        pr.timezone = *tz;
    }
  }

  void read_pain(ObjectReader& r, Intake& in) {
    Pain pain;
    pain.path = r.path();
    if (auto region = r.string("region", true, "a pain region")) {
      if (!kb_.vocabulary.regions.count(*region))
        p_.add(r.path_of("region"), "a pain region (" + one_of(kb_.vocabulary.regions) + ")", in_quotes(*region));
      pain.region = *region;
    }
    pain.intensity = r.integer("intensity", true, 0, 10, "a whole number 0-10").value_or(0);
    pain.side = side(r, false, true).value_or(Side::kBoth);
    if (auto flags = r.strings("red_flags", false)) {
      for (size_t i = 0; i < flags->size(); ++i) {
        if (kb_.red_flag((*flags)[i]) == nullptr) {
          std::string known;
          for (const auto& f : kb_.safety.red_flags) known += (known.empty() ? "" : ", ") + f.id;
          p_.add(child_path(r.path_of("red_flags"), i), "a red flag (" + known + ")", in_quotes((*flags)[i]));
        } else {
          pain.red_flags.push_back((*flags)[i]);
        }
      }
    }
    in.pain.push_back(std::move(pain));
  }

  void read_posture(const Json& j, Intake& in) {
    ObjectReader r(p_, j, "$.posture");
    if (!r.ok()) return;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string path = r.path_of(it.key());
      r.get(it.key());
      const kb::PostureObservation* ob = kb_.posture_observation(it.key());
      if (ob == nullptr) {
        std::string known;
        for (const auto& o : kb_.posture) known += (known.empty() ? "" : ", ") + o.id;
        p_.add(path, "a posture observation (" + known + ")", in_quotes(it.key()));
        continue;
      }
      PostureEntry e;
      e.key = it.key();
      e.path = path;
      const Json& v = it.value();
      switch (ob->kind) {
        case kb::PostureKind::kBoolean:
          if (!v.is_boolean())
            p_.add(path, "true or false", v);
          else
            e.flag = v.get<bool>();
          break;
        case kb::PostureKind::kNumber: {
          const double lo = ob->min.value_or(-1e9), hi = ob->max.value_or(1e9);
          const std::string expected =
              "a number of " + ob->unit + " (" + detail::Json(lo).dump() + " to " + detail::Json(hi).dump() + ")";
          if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi)
            p_.add(path, expected, v);
          else
            e.number = v.get<double>();
          break;
        }
        case kb::PostureKind::kSide: {
          auto s = v.is_string() ? parse_side(v.get<std::string>()) : std::nullopt;
          if (!s || *s == Side::kBoth)
            p_.add(path, "\"left\" or \"right\"", v);
          else
            e.side = s;
          break;
        }
      }
      in.posture.push_back(std::move(e));
    }
    // A sided measurement needs its side.
    for (const auto& e : in.posture) {
      const kb::PostureObservation* ob = kb_.posture_observation(e.key);
      if (ob == nullptr || ob->side_key.empty() || !e.number || *e.number == 0) continue;
      const bool named =
          std::any_of(in.posture.begin(), in.posture.end(), [&](const PostureEntry& s) { return s.key == ob->side_key; });
      if (!named)
        p_.add(r.path_of(ob->side_key), "\"left\" or \"right\" (which side " + e.key + " is about)",
               "nothing (the field is missing)");
    }
  }

  void read_rom(ObjectReader& r, Intake& in) {
    RomEntry e;
    e.path = r.path();
    const kb::Test* t = test_ref(r, kb::Section::kRom);
    if (t) e.test = t->id;
    e.side = test_side(r, t);
    e.degrees = r.number("degrees", false, -90, 200, "a number of degrees (-90 to 200)");
    e.cm = r.number("cm", false, 0, 300, "a distance in cm (0-300)");
    if (auto res = r.string("result", false, "\"positive\" or \"negative\"")) {
      if (*res == "positive")
        e.positive = true;
      else if (*res == "negative")
        e.positive = false;
      else
        p_.add(r.path_of("result"), "\"positive\" or \"negative\"", in_quotes(*res));
    }
    if (t) {
      const std::vector<std::pair<std::string, bool>> forms{
          {"degrees", r.has("degrees")}, {"cm", r.has("cm")}, {"result", r.has("result")}};
      std::string allowed;
      for (const auto& m : t->measures) allowed += (allowed.empty() ? "" : " or ") + m;
      bool any = false;
      for (const auto& [form, present] : forms) {
        if (!present) continue;
        any = true;
        if (!t->measures.count(form))
          p_.add(r.path_of(form), allowed + " (" + t->id.str() + " is not measured in " + form + ")", describe(*r.get(form)));
      }
      if (!any) p_.add(r.path(), "a measurement: " + allowed, "none");
      if (auto pos = r.string("position", false)) {
        if (std::find(t->positions.begin(), t->positions.end(), *pos) == t->positions.end()) {
          std::string known;
          for (const auto& x : t->positions) known += (known.empty() ? "" : ", ") + x;
          p_.add(r.path_of("position"),
                 known.empty() ? "no position (" + t->id.str() + " has one protocol)" : "a position (" + known + ")",
                 in_quotes(*pos));
        } else {
          e.position = *pos;
        }
      }
    }
    in.rom.push_back(std::move(e));
  }

  void read_strength(ObjectReader& r, Intake& in) {
    StrengthEntry e;
    e.path = r.path();
    const kb::Test* t = test_ref(r, kb::Section::kStrength);
    if (t) e.test = t->id;
    e.side = test_side(r, t);
    auto unit_text = r.string("unit", true, "a unit (N, kg, lb, Nm or mmt)");
    std::optional<StrengthUnit> unit;
    if (unit_text) {
      unit = parse_strength_unit(*unit_text);
      if (!unit) p_.add(r.path_of("unit"), "a unit (N, kg, lb, Nm or mmt)", in_quotes(*unit_text));
    }
    if (unit && *unit == StrengthUnit::kMmt) {
      auto v = r.number("value", true, 0, 5, "a manual muscle test grade 0-5 in steps of 0.5");
      if (v && std::fmod(*v * 2, 1.0) != 0)
        p_.add(r.path_of("value"), "a manual muscle test grade 0-5 in steps of 0.5", describe(*r.get("value")));
      e.value = v.value_or(0);
    } else {
      auto v = r.number("value", true, 1e-9, 1e6, "a positive number");
      e.value = v.value_or(0);
    }
    if (unit) {
      e.unit = *unit;
      e.canonical = to_canonical(e.value, *unit);
      if (t && !t->measures.count(std::string(to_string(kind_of(*unit)))))
        p_.add(r.path_of("unit"), "a unit for a measure of " + t->id.str(), in_quotes(*unit_text));
    }
    if (auto m = r.string("method", false, "handheld, isokinetic, fixed_dynamometer or mmt")) {
      static const std::vector<std::string> kMethods{"handheld", "isokinetic", "fixed_dynamometer", "mmt"};
      if (std::find(kMethods.begin(), kMethods.end(), *m) == kMethods.end())
        p_.add(r.path_of("method"), "handheld, isokinetic, fixed_dynamometer or mmt", in_quotes(*m));
      else if ((*m == "mmt") != (unit && *unit == StrengthUnit::kMmt))
        p_.add(r.path_of("method"),
               *m == "mmt" ? "a method matching the unit (mmt grades use unit \"mmt\")" : "\"mmt\" for a unit of mmt",
               in_quotes(*m));
      else
        e.method = *m;
    }
    in.strength.push_back(std::move(e));
  }

  void read_endurance(ObjectReader& r, Intake& in) {
    EnduranceEntry e;
    e.path = r.path();
    const kb::Test* t = test_ref(r, kb::Section::kEndurance);
    if (t) e.test = t->id;
    e.side = test_side(r, t);
    e.seconds = r.number("seconds", true, 0, 3600, "seconds 0-3600").value_or(0);
    in.endurance.push_back(std::move(e));
  }

  // `true` (both sides), `false` (not seen) or a list of sides.
  std::optional<MovementEntry> sides_value(const std::string& key, const Json& v, const std::string& path, bool allow_bool) {
    MovementEntry e;
    e.key = key;
    e.path = path;
    const std::string expected =
        allow_bool ? "true, false or a list of sides" : "a list of sides ([\"left\"], [\"right\"] or both)";
    if (v.is_boolean() && allow_bool) {
      e.left = e.right = v.get<bool>();
      return e;
    }
    if (!v.is_array()) {
      p_.add(path, expected, v);
      return std::nullopt;
    }
    bool good = true;
    for (size_t i = 0; i < v.size(); ++i) {
      const auto s = v[i].is_string() ? parse_side(v[i].get<std::string>()) : std::nullopt;
      if (!s) {
        p_.add(child_path(path, i), "\"left\", \"right\" or \"both\"", v[i]);
        good = false;
        continue;
      }
      if (*s != Side::kRight) e.left = true;
      if (*s != Side::kLeft) e.right = true;
    }
    if (!good) return std::nullopt;
    return e;
  }

  void read_observations(const Json& j, const std::string& path, const std::vector<kb::Observation>& vocab, bool allow_bool,
                         std::vector<MovementEntry>& out) {
    ObjectReader r(p_, j, path);
    if (!r.ok()) return;
    for (auto it = j.begin(); it != j.end(); ++it) {
      r.get(it.key());
      const bool known = std::any_of(vocab.begin(), vocab.end(), [&](const kb::Observation& o) { return o.id == it.key(); });
      if (!known) {
        std::string names;
        for (const auto& o : vocab) names += (names.empty() ? "" : ", ") + o.id;
        p_.add(r.path_of(it.key()), "an observation (" + names + ")", in_quotes(it.key()));
        continue;
      }
      if (auto e = sides_value(it.key(), it.value(), r.path_of(it.key()), allow_bool); e && (e->left || e->right))
        out.push_back(*e);
    }
  }

  void read_movement(const Json& j, Intake& in) {
    ObjectReader r(p_, j, "$.movement");
    if (!r.ok()) return;
    if (const Json* o = r.get("overhead_squat"))
      read_observations(*o, "$.movement.overhead_squat", kb_.movement.overhead_squat, true, in.overhead_squat);
    if (const Json* o = r.get("single_leg_squat"))
      read_observations(*o, "$.movement.single_leg_squat", kb_.movement.single_leg_squat, true, in.single_leg_squat);
    if (const Json* o = r.get("fms")) read_fms(*o, in);
    if (const Json* o = r.get("y_balance")) read_y_balance(*o, in);
  }

  void read_fms(const Json& j, Intake& in) {
    ObjectReader r(p_, j, "$.movement.fms");
    if (!r.ok()) return;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string path = r.path_of(it.key());
      r.get(it.key());
      const auto& tests = kb_.movement.fms_tests;
      const auto test = std::find_if(tests.begin(), tests.end(), [&](const kb::Observation& o) { return o.id == it.key(); });
      const auto& clearing = kb_.movement.fms_clearing;
      const auto clear =
          std::find_if(clearing.begin(), clearing.end(), [&](const kb::FmsClearing& c) { return c.id == it.key(); });
      if (test == tests.end() && clear == clearing.end()) {
        std::string names;
        for (const auto& o : tests) names += (names.empty() ? "" : ", ") + o.id;
        for (const auto& c : clearing) names += ", " + c.id;
        p_.add(path, "a movement screen test (" + names + ")", in_quotes(it.key()));
        continue;
      }
      const Json& v = it.value();
      if (clear != clearing.end()) {
        if (!v.is_boolean())
          p_.add(path, "true (painful) or false", v);
        else if (v.get<bool>())
          in.fms_clearing_positive.push_back(clear->id);
        continue;
      }
      FmsEntry e;
      e.test = it.key();
      e.path = path;
      auto score = [&](const Json& s, const std::string& spath) -> std::optional<int> {
        if (!s.is_number_integer() && !(s.is_number() && s.get<double>() == std::floor(s.get<double>()))) {
          p_.add(spath, "a score 0-3", s);
          return std::nullopt;
        }
        const double d = s.get<double>();
        if (d < 0 || d > 3) {
          p_.add(spath, "a score 0-3", s);
          return std::nullopt;
        }
        return static_cast<int>(d);
      };
      if (!test->sided) {
        e.score = score(v, path);
      } else {
        ObjectReader sr(p_, v, path);
        if (!sr.ok()) continue;
        const Json* l = sr.require("left", "a score 0-3");
        const Json* rt = sr.require("right", "a score 0-3");
        if (l) e.left = score(*l, sr.path_of("left"));
        if (rt) e.right = score(*rt, sr.path_of("right"));
        for (const auto& key : sr.unread()) p_.add(sr.path_of(key), "only \"left\" and \"right\"", in_quotes(key));
      }
      in.fms.push_back(std::move(e));
    }
  }

  void read_y_balance(const Json& j, Intake& in) {
    ObjectReader r(p_, j, "$.movement.y_balance");
    if (!r.ok()) return;
    YBalance y;
    y.path = r.path();
    auto reach_side = [&](const std::string& key, YBalanceSide& out) {
      const Json* v = r.require(key, "reaches {\"anterior\", \"posteromedial\", \"posterolateral\"} in cm");
      if (v == nullptr) return;
      ObjectReader s(p_, *v, r.path_of(key));
      out.anterior = s.number("anterior", true, 0, 300, "a reach in cm (0-300)").value_or(0);
      out.posteromedial = s.number("posteromedial", true, 0, 300, "a reach in cm (0-300)").value_or(0);
      out.posterolateral = s.number("posterolateral", true, 0, 300, "a reach in cm (0-300)").value_or(0);
      for (const auto& key2 : s.unread()) p_.add(s.path_of(key2), "anterior, posteromedial or posterolateral", in_quotes(key2));
    };
    reach_side("left", y.left);
    reach_side("right", y.right);
    y.limb_length_cm = r.number("limb_length_cm", false, 1, 300, "a limb length in cm (1-300)");
    for (const auto& key : r.unread()) p_.add(r.path_of(key), "left, right or limb_length_cm", in_quotes(key));
    in.y_balance = y;
  }

  // Every key is a screening item of the knowledge base (true or false) or a
  // parameter of one; an active item's required parameters must be given.
  void read_screening(const Json& j, Screening& s) {
    ObjectReader r(p_, j, "$.screening");
    if (!r.ok()) return;
    s.path = "$.screening";
    auto parameter = [&](const std::string& key) -> const kb::ScreeningParameter* {
      for (const auto& rule : kb_.safety.screening)
        for (const auto& param : rule.parameters)
          if (param.id == key) return &param;
      return nullptr;
    };
    std::set<std::string> yes;
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      r.get(key);
      const std::string path = r.path_of(key);
      if (kb_.screening_rule(key) != nullptr) {
        if (!it.value().is_boolean())
          p_.add(path, "true or false", it.value());
        else if (it.value().get<bool>())
          yes.insert(key);
      } else if (const kb::ScreeningParameter* param = parameter(key)) {
        // kind "region" is the only kind (validated at load).
        if (!it.value().is_string() || !kb_.vocabulary.regions.count(it.value().get<std::string>()))
          p_.add(path, "a region (" + one_of(kb_.vocabulary.regions) + ")", it.value());
        else
          s.values[param->id] = it.value().get<std::string>();
      } else {
        std::string names;
        for (const auto& rule : kb_.safety.screening) {
          names += (names.empty() ? "" : ", ") + rule.id;
          for (const auto& param : rule.parameters) names += ", " + param.id;
        }
        p_.add(path, "a screening item (" + names + ")", in_quotes(key));
      }
    }
    for (const auto& rule : kb_.safety.screening) {
      if (!yes.count(rule.id)) continue;
      s.active.push_back(rule.id);
      for (const auto& param : rule.parameters)
        if (param.required && !s.values.count(param.id))
          p_.add(r.path_of(param.id), "the " + param.kind + " of " + rule.id + " (" + rule.id + " is true)",
                 "nothing (the field is missing)");
    }
  }
};

}  // namespace

bool Screening::has(std::string_view id) const { return std::find(active.begin(), active.end(), id) != active.end(); }

ParseResult parse(std::string_view text, const kb::KnowledgeBase& kb, const std::string& file_name) {
  return Parser(kb, file_name).run(text);
}

}  // namespace rebalance::intake
