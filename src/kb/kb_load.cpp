// Loading and validating data/. One pass over every file collects every
// problem; cross-references (exercise variants, muscles, vocabulary) are
// checked once all ids are known.
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <thread>

#include "body/detail/load.h"
#include "core/detail/json_reader.h"
#include "kb/kb.h"

namespace rebalance::kb {
namespace {

using detail::child_path;
using detail::Json;
using detail::ObjectReader;
using detail::Problems;

// A reference to check once every id is known.
struct PendingRef {
  std::string file, path, kind, id;
};

class Loader {
 public:
  explicit Loader(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::shared_ptr<const KnowledgeBase> run(Parts parts) {
    auto kb = std::make_shared<KnowledgeBase>();
    kb->has_drawings = parts == Parts::kAll;
    if (kb->has_drawings) {
      // The body model and the illustrations load beside the rest, with
      // their own problems (reported after the others, as when read in
      // turn): posing and checking every illustration is over half the work,
      // and nothing else needs them before the cross-references.
      Loader body_loader(dir_);
      in_parallel(2, [&](size_t part) {
        if (part == 0)
          read_all_but_body(kb.get());
        else
          body_loader.read_body(kb.get());
      });
      problems_.insert(problems_.end(), body_loader.problems_.begin(), body_loader.problems_.end());
    } else {
      read_all_but_body(kb.get());
    }
    kb->index();
    check_references(*kb);
    if (!problems_.empty()) throw InputError{problems_};
    return kb;
  }

 private:
  void read_all_but_body(KnowledgeBase* kb) {
    with_file("kb.json", [&](Problems& p, const Json& j) { read_manifest(p, j, *kb); });
    with_file("vocabulary.json", [&](Problems& p, const Json& j) { read_vocabulary(p, j, *kb); });
    with_file("muscles.json", [&](Problems& p, const Json& j) { read_muscles(p, j, *kb); });
    for (const auto& file : files_in("exercises"))
      with_file(file, [&](Problems& p, const Json& j) { read_exercises(p, j, *kb); });
    for (const auto& file : files_in("tests")) with_file(file, [&](Problems& p, const Json& j) { read_tests(p, j, *kb); });
    with_file("ratios.json", [&](Problems& p, const Json& j) { read_ratios(p, j, *kb); });
    with_file("movement.json", [&](Problems& p, const Json& j) { read_movement(p, j, *kb); });
    with_file("posture.json", [&](Problems& p, const Json& j) { read_posture(p, j, *kb); });
    with_file("lifestyle.json", [&](Problems& p, const Json& j) { read_lifestyle(p, j, *kb); });
    with_file("patterns.json", [&](Problems& p, const Json& j) { read_patterns(p, j, *kb); });
    with_file("safety.json", [&](Problems& p, const Json& j) { read_safety(p, j, *kb); });
    with_file("sport_profiles.json", [&](Problems& p, const Json& j) { read_sport_profiles(p, j, *kb); });
    with_file("guidance.json", [&](Problems& p, const Json& j) { read_guidance(p, j, *kb); });
    with_file("assessment.json", [&](Problems& p, const Json& j) { read_assessment(p, j, *kb); });
    with_file("progression.json", [&](Problems& p, const Json& j) { read_progression(p, j, *kb); });
    with_file("planning.json", [&](Problems& p, const Json& j) { read_planning(p, j, *kb); });
  }

  // The body model, postures, keypoint layouts and illustrations.
  void read_body(KnowledgeBase* kb) {
    with_file("body/model.json", [&](Problems& p, const Json& j) { body::detail::read_model(p, j, kb->body); });
    with_file("body/postures.json", [&](Problems& p, const Json& j) { body::detail::read_postures(p, j, kb->body); });
    with_file("body/keypoints.json", [&](Problems& p, const Json& j) { body::detail::read_layouts(p, j, kb->body); });
    // Once the model is read, each illustration file is posed and checked on
    // its own thread; drawings and problems are joined in file order, so the
    // result is the same as reading them in turn.
    const auto files = files_in("illustrations");
    std::vector<Loader> loaders(files.size(), Loader(dir_));
    std::vector<std::vector<body::Illustration>> drawn(files.size());
    in_parallel(files.size(), [&](size_t i) {
      loaders[i].with_file(files[i], [&](Problems& p, const Json& j) {
        body::detail::read_illustrations(p, j, kb->body, drawn[i]);
      });
    });
    for (size_t i = 0; i < files.size(); ++i) {
      problems_.insert(problems_.end(), loaders[i].problems_.begin(), loaders[i].problems_.end());
      std::move(drawn[i].begin(), drawn[i].end(), std::back_inserter(kb->illustrations));
    }
  }

  // Runs work(0) .. work(n - 1), each but the last on a thread of its own and
  // the last on this one, and returns when all are done; the first failure,
  // in index order, is rethrown.
  static void in_parallel(size_t n, const std::function<void(size_t)>& work) {
    std::vector<std::exception_ptr> failures(n);
    {
      std::vector<std::jthread> threads;
      threads.reserve(n);
      const auto guarded = [&](size_t i) {
        try {
          work(i);
        } catch (...) {
          failures[i] = std::current_exception();
        }
      };
      for (size_t i = 0; i + 1 < n; ++i) threads.emplace_back(guarded, i);
      if (n > 0) guarded(n - 1);
    }
    for (const auto& failure : failures)
      if (failure) std::rethrow_exception(failure);
  }

  std::filesystem::path dir_;
  std::vector<Problem> problems_;
  std::vector<PendingRef> pending_;
  std::set<std::string> muscle_ids_;
  std::map<std::string, std::string> defined_;  // "kind:id" -> where

  std::vector<std::string> files_in(const std::string& sub) {
    std::vector<std::string> out;
    std::error_code ec;
    const auto folder = dir_ / sub;
    if (!std::filesystem::is_directory(folder, ec)) {
      problems_.push_back({(dir_ / sub).string(), "$", "a folder of JSON files", "nothing"});
      return out;
    }
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
      if (entry.path().extension() == ".json") out.push_back(sub + "/" + entry.path().filename().string());
    std::sort(out.begin(), out.end());
    if (out.empty()) problems_.push_back({(dir_ / sub).string(), "$", "at least one .json file", "none"});
    return out;
  }

  void with_file(const std::string& name, const std::function<void(Problems&, const Json&)>& read) {
    const std::string shown = (dir_ / name).string();
    Problems problems(shown);
    problems.remember_reads(false);  // nothing keeps a copy of the file
    std::ifstream in(dir_ / name, std::ios::binary);
    if (!in) {
      problems_.push_back({shown, "$", "a readable knowledge-base file", "no such file"});
      return;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    const auto json = detail::parse_untrusted<Json>(buffer.str(), problems, {64u << 20, 32});
    if (json) read(problems, *json);
    problems_.insert(problems_.end(), problems.list().begin(), problems.list().end());
  }

  void define(Problems& p, const std::string& kind, const std::string& id, const std::string& path) {
    const std::string key = kind + ":" + id;
    auto [it, fresh] = defined_.emplace(key, p.file() + " " + path);
    if (!fresh) p.add(path, "a " + kind + " id defined once", "\"" + id + "\" (also defined at " + it->second + ")");
  }

  static bool is_id(const std::string& s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
  }

  std::optional<std::string> id_field(ObjectReader& r, const std::string& key = "id") {
    auto v = r.string(key, true, "a snake_case id");
    if (v && !is_id(*v)) {
      r.problems().add(r.path_of(key), "a snake_case id", "\"" + *v + "\"");
      return std::nullopt;
    }
    return v;
  }

  std::string source(ObjectReader& r, const std::string& key = "source") {
    auto v = r.string(key, true, "a source citation");
    if (v && v->size() < 8) r.problems().add(r.path_of(key), "a source citation", "\"" + *v + "\"");
    return v.value_or("");
  }

  // Iterates `key` as an array of objects.
  void each(ObjectReader& r, const std::string& key, bool required, const std::function<void(ObjectReader&)>& fn) {
    rebalance::detail::each_object(r, key, required, fn);
  }

  MuscleId muscle_ref(Problems& p, const std::string& path, const Json& v) {
    if (!v.is_string()) {
      p.add(path, "a muscle or group id", v);
      return {};
    }
    const std::string id = v.get<std::string>();
    if (!muscle_ids_.count(id)) p.add(path, "a muscle or group id from muscles.json", "\"" + id + "\"");
    return MuscleId(id);
  }

  std::vector<MuscleId> muscle_list(ObjectReader& r, const std::string& key, bool required) {
    std::vector<MuscleId> out;
    const Json* arr = required ? r.require(key, "a list of muscle ids") : r.get(key);
    if (arr == nullptr) return out;
    if (!arr->is_array()) {
      r.problems().add(r.path_of(key), "a list of muscle ids", *arr);
      return out;
    }
    for (size_t i = 0; i < arr->size(); ++i) out.push_back(muscle_ref(r.problems(), child_path(r.path_of(key), i), (*arr)[i]));
    return out;
  }

  std::vector<Implication> implications(ObjectReader& r, const std::string& key, bool required) {
    std::vector<Implication> out;
    each(r, key, required, [&](ObjectReader& o) {
      Implication im;
      if (const Json* m = o.require("muscle", "a muscle or group id"))
        im.muscle = muscle_ref(o.problems(), o.path_of("muscle"), *m);
      if (auto s = o.string("state", true, "\"tight\" or \"weak\"")) {
        if (auto st = parse_state(*s))
          im.state = *st;
        else
          o.problems().add(o.path_of("state"), "\"tight\" or \"weak\"", "\"" + *s + "\"");
      }
      if (auto s = o.string("side", false, "same, opposite, both, dominant or non_dominant")) {
        static const std::map<std::string, SideRule> kRules{{"same", SideRule::kSame},
                                                            {"opposite", SideRule::kOpposite},
                                                            {"both", SideRule::kBoth},
                                                            {"dominant", SideRule::kDominant},
                                                            {"non_dominant", SideRule::kNonDominant}};
        auto it = kRules.find(*s);
        if (it == kRules.end())
          o.problems().add(o.path_of("side"), "same, opposite, both, dominant or non_dominant", "\"" + *s + "\"");
        else
          im.side = it->second;
      }
      o.strict();
      out.push_back(im);
    });
    return out;
  }

  void vocab_ref(Problems& p, const std::string& path, const std::string& kind, const std::map<std::string, std::string>& vocab,
                 const std::string& id) {
    if (!vocab.count(id)) p.add(path, "a " + kind + " id from vocabulary.json", "\"" + id + "\"");
  }

  // A number, or {"by_sex": {...}} or {"value": n}, with optional age and
  // sex "bands". `upward`: the limit is an upper one (values above are
  // findings), so a band's moderate and severe limits lie above its value.
  std::optional<Threshold> threshold(ObjectReader& r, const std::string& key, bool required, bool upward = false) {
    const Json* v = required ? r.require(key, "a number or {\"by_sex\": ..., \"bands\": [...]}") : r.get(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_number()) return Threshold{v->get<double>(), std::nullopt, std::nullopt, {}};
    ObjectReader o(r.problems(), *v, r.path_of(key));
    if (!o.ok()) return std::nullopt;
    Threshold t;
    const auto plain = o.number("value", false, -1e9, 1e9, "a number");
    const Json* by = o.get("by_sex");
    if (plain.has_value() == (by != nullptr))
      o.problems().add(o.path(), "exactly one of value and by_sex", plain ? "both" : "neither");
    if (plain) t.value = *plain;
    if (by != nullptr) {
      ObjectReader b(r.problems(), *by, o.path_of("by_sex"));
      auto def = b.number("default", true, -1e9, 1e9, "a number");
      t.female = b.number("female", false, -1e9, 1e9, "a number");
      t.male = b.number("male", false, -1e9, 1e9, "a number");
      b.strict();
      if (def) t.value = *def;
    }
    each(o, "bands", false, [&](ObjectReader& br) {
      Band band;
      band.age_min = br.integer("age_min", false, 1, 120, "an age 1-120");
      band.age_max = br.integer("age_max", false, 1, 120, "an age 1-120");
      if (band.age_min && band.age_max && *band.age_max < *band.age_min)
        br.problems().add(br.path_of("age_max"), "at least age_min", std::to_string(*band.age_max));
      if (auto sx = br.string("sex", false, "female or male")) {
        if (*sx == "female")
          band.sex = Sex::kFemale;
        else if (*sx == "male")
          band.sex = Sex::kMale;
        else
          br.problems().add(br.path_of("sex"), "female or male", "\"" + *sx + "\"");
      }
      band.value = br.number("value", true, -1e9, 1e9, "a number").value_or(0);
      band.moderate = br.number("moderate", false, -1e9, 1e9, "a number");
      band.severe = br.number("severe", false, -1e9, 1e9, "a number");
      // Further from normal each step: below a lower limit, above an upper one.
      auto beyond = [&](double further, double than) { return upward ? further >= than : further <= than; };
      if (band.moderate && !beyond(*band.moderate, band.value))
        br.problems().add(br.path_of("moderate"), upward ? "at least value" : "at most value", Json(*band.moderate));
      if (band.severe && !beyond(*band.severe, band.moderate.value_or(band.value)))
        br.problems().add(br.path_of("severe"), upward ? "at least moderate (or value)" : "at most moderate (or value)",
                          Json(*band.severe));
      band.label = br.string("label", true, "what the band is: who, and which limit (\"women 50-59: mean - 1 SD\")")
                       .value_or("");
      br.strict();
      t.bands.push_back(std::move(band));
    });
    o.strict();
    return t;
  }

  std::optional<MeasurementError> measurement_error(ObjectReader& r, const std::string& key) {
    const Json* v = r.get(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    ObjectReader o(r.problems(), *v, r.path_of(key));
    if (!o.ok()) return std::nullopt;
    MeasurementError e;
    e.sem = o.number("sem", false, 0, 1e6, "a non-negative number");
    e.mdc = o.number("mdc", false, 0, 1e6, "a non-negative number");
    e.unit = o.string("unit", true, "a unit").value_or("");
    e.source = source(o);
    o.get("note");
    o.strict();
    if (!e.sem && !e.mdc) r.problems().add(r.path_of(key), "at least one of sem and mdc", "neither");
    return e;
  }

  // ---- files -------------------------------------------------------------

  void read_manifest(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    kb.version = r.string("version", true, "a version string").value_or("");
    r.get("name");
    r.strict();
  }

  void read_vocabulary(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    auto list = [&](const std::string& key, std::map<std::string, std::string>& out, std::vector<Term>& in_order) {
      each(r, key, true, [&](ObjectReader& o) {
        auto id = id_field(o);
        auto name = o.string("name", true);
        const bool midline = key == "regions" && o.boolean("midline", false).value_or(false);
        o.strict();
        if (id) {
          define(p, key, *id, o.path_of("id"));
          out[*id] = name.value_or(*id);
          in_order.push_back({*id, name.value_or(*id), midline});
        }
      });
    };
    list("regions", kb.vocabulary.regions, kb.vocabulary.region_list);
    list("equipment", kb.vocabulary.equipment, kb.vocabulary.equipment_list);
    list("positions", kb.vocabulary.positions, kb.vocabulary.position_list);
    list("tags", kb.vocabulary.tags, kb.vocabulary.tag_list);
    r.strict();
  }

  void read_muscles(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    // Ids first, so that opposing muscles may refer forward.
    for (const char* key : {"muscles", "groups"}) {
      const Json* arr = r.has(key) ? &j.at(key) : nullptr;
      if (arr && arr->is_array())
        for (const Json& m : *arr)
          if (m.is_object() && m.contains("id") && m["id"].is_string()) muscle_ids_.insert(m["id"].get<std::string>());
    }
    each(r, "muscles", true, [&](ObjectReader& o) {
      Muscle m;
      if (auto id = id_field(o)) {
        m.id = MuscleId(*id);
        define(p, "muscle", *id, o.path_of("id"));
      }
      m.name = o.string("name", true).value_or("");
      m.region = o.string("region", true, "a region id").value_or("");
      vocab_ref(p, o.path_of("region"), "region", kb.vocabulary.regions, m.region);
      m.midline = o.boolean("midline", true).value_or(false);
      m.action = o.string("action", true).value_or("");
      m.opposing = muscle_list(o, "opposing", true);
      m.tendency = o.string("tendency", true, "tighten, weaken or either").value_or("");
      if (m.tendency != "tighten" && m.tendency != "weaken" && m.tendency != "either")
        p.add(o.path_of("tendency"), "tighten, weaken or either", "\"" + m.tendency + "\"");
      m.source = source(o);
      o.strict();
      kb.muscles.push_back(std::move(m));
    });
    each(r, "groups", true, [&](ObjectReader& o) {
      Group g;
      if (auto id = id_field(o)) {
        g.id = MuscleId(*id);
        define(p, "muscle", *id, o.path_of("id"));
      }
      g.name = o.string("name", true).value_or("");
      g.members = muscle_list(o, "members", true);
      o.strict();
      kb.groups.push_back(std::move(g));
    });
    r.strict();
  }

  void read_exercises(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "exercises", true, [&](ObjectReader& o) {
      Exercise e;
      if (auto id = id_field(o)) {
        e.id = ExerciseId(*id);
        define(p, "exercise", *id, o.path_of("id"));
      }
      e.name = o.string("name", true).value_or("");
      if (auto ph = o.string("phase", true, "stretch, strengthen or functional")) {
        if (auto phase = parse_phase(*ph))
          e.phase = *phase;
        else
          p.add(o.path_of("phase"), "stretch, strengthen or functional", "\"" + *ph + "\"");
      }
      if (const Json* t = o.require("targets", "{\"primary\": [...], \"secondary\": [...]}")) {
        ObjectReader tr(p, *t, o.path_of("targets"));
        e.primary = muscle_list(tr, "primary", true);
        e.secondary = muscle_list(tr, "secondary", false);
        tr.strict();
        if (tr.ok() && e.primary.empty()) p.add(tr.path_of("primary"), "at least one primary target", "none");
      }
      if (auto eq = o.strings("equipment", true)) {
        for (size_t i = 0; i < eq->size(); ++i)
          vocab_ref(p, child_path(o.path_of("equipment"), i), "equipment", kb.vocabulary.equipment, (*eq)[i]);
        e.equipment = *eq;
        std::erase(e.equipment, "none");
      }
      e.position = o.string("position", true, "a position id").value_or("");
      vocab_ref(p, o.path_of("position"), "position", kb.vocabulary.positions, e.position);
      e.difficulty = o.integer("difficulty", true, 1, 5, "an integer 1-5").value_or(1);
      e.preferred = o.boolean("preferred", false).value_or(false);
      for (const char* key : {"progression", "regression"}) {
        const Json* v = o.require(key, "an exercise id or null");
        if (v == nullptr || v->is_null()) continue;
        if (!v->is_string()) {
          p.add(o.path_of(key), "an exercise id or null", *v);
          continue;
        }
        pending_.push_back(
            {p.file(), o.path_of(key), std::string("variant:") + std::string(to_string(e.phase)), v->get<std::string>()});
        (std::string(key) == "progression" ? e.progression : e.regression) = ExerciseId(v->get<std::string>());
      }
      if (auto loads = o.strings("loads", true)) {
        for (size_t i = 0; i < loads->size(); ++i)
          vocab_ref(p, child_path(o.path_of("loads"), i), "region", kb.vocabulary.regions, (*loads)[i]);
        e.loads = *loads;
      }
      each(o, "contraindications", true, [&](ObjectReader& c) {
        Contraindication ci;
        ci.region = c.string("region", true, "a region id").value_or("");
        vocab_ref(p, c.path_of("region"), "region", kb.vocabulary.regions, ci.region);
        ci.min_intensity = c.integer("min_intensity", true, 0, 10, "an integer 0-10").value_or(0);
        ci.reason = c.string("reason", true).value_or("");
        c.strict();
        e.contraindications.push_back(ci);
      });
      if (auto tags = o.strings("tags", true)) {
        for (size_t i = 0; i < tags->size(); ++i)
          vocab_ref(p, child_path(o.path_of("tags"), i), "tag", kb.vocabulary.tags, (*tags)[i]);
        e.tags = *tags;
      }
      e.instructions = o.strings("instructions", true).value_or(std::vector<std::string>{});
      if (o.has("instructions") && e.instructions.empty()) p.add(o.path_of("instructions"), "at least one step", "none");
      e.cues = o.strings("cues", true).value_or(std::vector<std::string>{});
      if (const Json* d = o.require("dose", "a dose object")) e.dose = dose(p, *d, o.path_of("dose"));
      if (const Json* d = o.require("duration", "a duration model")) {
        ObjectReader dr(p, *d, o.path_of("duration"));
        e.duration.setup_seconds = dr.number("setup_seconds", true, 0, 600, "seconds 0-600").value_or(0);
        e.duration.seconds_per_rep = dr.number("seconds_per_rep", true, 0, 60, "seconds 0-60").value_or(0);
        dr.strict();
        if (e.dose.reps && e.duration.seconds_per_rep <= 0 && e.dose.hold_seconds <= 0)
          p.add(dr.path_of("seconds_per_rep"), "a positive time per repetition", "0");
      }
      e.source = source(o);
      o.strict();
      kb.exercises.push_back(std::move(e));
    });
    r.strict();
  }

  Dose dose(Problems& p, const Json& j, const std::string& path) {
    ObjectReader r(p, j, path);
    Dose d;
    d.sets = r.integer("sets", true, 1, 10, "an integer 1-10").value_or(1);
    if (const Json* reps = r.require("reps", "an integer 1-100 or null"); reps && !reps->is_null())
      d.reps = r.integer("reps", true, 1, 100, "an integer 1-100 or null");
    d.hold_seconds = r.number("hold_seconds", true, 0, 600, "seconds 0-600").value_or(0);
    d.per_side = r.boolean("per_side", true).value_or(false);
    d.tempo = r.string("tempo", true).value_or("");
    d.rest_seconds = r.number("rest_seconds", true, 0, 600, "seconds 0-600").value_or(0);
    r.strict();
    if (r.ok() && !d.reps && d.hold_seconds <= 0) p.add(path, "reps or a hold time", "neither");
    return d;
  }

  std::optional<Range> range(Problems& p, const Json& j, const std::string& path) {
    ObjectReader r(p, j, path);
    if (!r.ok()) return std::nullopt;
    Range out;
    out.min = threshold(r, "min", false);
    out.max = threshold(r, "max", false);
    out.equals = r.string("equals", false).value_or("");
    r.strict();
    return out;
  }

  void read_tests(Problems& p, const Json& j, KnowledgeBase& kb) {
    static const std::set<std::string> kMeasures{"degrees", "result", "cm", "force", "torque", "mmt", "seconds"};
    ObjectReader r(p, j, "$");
    each(r, "tests", true, [&](ObjectReader& o) {
      Test t;
      auto section = o.string("section", true, "rom, strength or endurance").value_or("");
      if (section == "rom")
        t.section = Section::kRom;
      else if (section == "strength")
        t.section = Section::kStrength;
      else if (section == "endurance")
        t.section = Section::kEndurance;
      else
        p.add(o.path_of("section"), "rom, strength or endurance", "\"" + section + "\"");
      if (auto id = id_field(o)) {
        t.id = TestId(*id);
        define(p, "test " + section, *id, o.path_of("id"));
      }
      t.name = o.string("name", true).value_or("");
      t.sided = o.boolean("sided", true).value_or(true);
      if (auto m = o.strings("measures", true)) {
        for (size_t i = 0; i < m->size(); ++i)
          if (!kMeasures.count((*m)[i]))
            p.add(child_path(o.path_of("measures"), i), "degrees, result, cm, force, torque, mmt or seconds",
                  "\"" + (*m)[i] + "\"");
        t.measures = {m->begin(), m->end()};
        if (m->empty()) p.add(o.path_of("measures"), "at least one measure", "none");
      }
      t.default_protocol = o.string("default_protocol", true).value_or("");
      t.positions = o.strings("positions", true).value_or(std::vector<std::string>{});
      t.default_position = o.string("default_position", !t.positions.empty()).value_or("");
      if (!t.default_position.empty() &&
          std::find(t.positions.begin(), t.positions.end(), t.default_position) == t.positions.end())
        p.add(o.path_of("default_position"), "one of positions", "\"" + t.default_position + "\"");
      t.methods = o.strings("methods", false).value_or(std::vector<std::string>{});
      t.default_method = o.string("default_method", !t.methods.empty()).value_or("");
      t.how_to = o.string("how_to", true).value_or("");
      t.watch = o.string("watch", true).value_or("");
      t.positive = o.string("positive", true).value_or("");
      if (const Json* n = o.require("normal", "an object of measure -> range")) {
        ObjectReader nr(p, *n, o.path_of("normal"));
        if (nr.ok())
          for (auto it = n->begin(); it != n->end(); ++it) {
            nr.get(it.key());
            if (!t.measures.count(it.key())) p.add(nr.path_of(it.key()), "a measure of this test", "\"" + it.key() + "\"");
            if (auto rg = range(p, it.value(), nr.path_of(it.key()))) t.normal[it.key()] = *rg;
          }
      }
      if (o.has("measurement_error") && !o.get("measurement_error")->is_null())
        t.error = measurement_error(o, "measurement_error");
      else
        o.get("measurement_error");
      t.error_note = o.string("measurement_error_note", false).value_or("");
      if (!t.error && t.error_note.empty())
        p.add(o.path_of("measurement_error"), "a measurement error or a measurement_error_note saying why there is none",
              "neither");
      if (const Json* a = o.require("asymmetry", "an asymmetry rule")) {
        ObjectReader ar(p, *a, o.path_of("asymmetry"));
        auto method = ar.string("method", true, "lsi, difference, mdc or none").value_or("");
        if (method == "lsi") {
          t.asymmetry.method = AsymmetryMethod::kLsi;
          t.asymmetry.threshold = ar.number("threshold_percent", true, 1, 100, "a percentage 1-100").value_or(90);
          t.asymmetry.source = source(ar);
          if (const Json* d = ar.get("dominance")) {
            ObjectReader dr(p, *d, ar.path_of("dominance"));
            Dominance dom;
            dom.advantage_percent =
                dr.number("dominant_advantage_percent", true, 0, 100, "the dominant side's expected advantage, percent 0-100")
                    .value_or(0);
            dom.threshold_percent = dr.number("threshold_percent", false, 1, 100, "a percentage 1-100");
            dom.source = source(dr);
            dr.strict();
            if (!t.sided) p.add(ar.path_of("dominance"), "no dominance block (the test is not done per side)", "one");
            t.asymmetry.dominance = dom;
          }
        } else if (method == "difference") {
          t.asymmetry.method = AsymmetryMethod::kDifference;
          t.asymmetry.threshold = ar.number("threshold", true, 0, 1e6, "a positive number").value_or(0);
          t.asymmetry.unit = ar.string("unit", true).value_or("");
          t.asymmetry.source = source(ar);
        } else if (method == "mdc") {
          t.asymmetry.method = AsymmetryMethod::kMdc;
          if (ar.has("source")) t.asymmetry.source = source(ar);
          if (!t.error || !t.error->mdc)
            if (!(t.error && t.error->sem))
              p.add(ar.path_of("method"), "lsi or difference (this test has no measurement error for mdc)", "\"mdc\"");
        } else if (method == "none") {
          t.asymmetry.method = AsymmetryMethod::kNone;
          if (!ar.has("note")) p.add(ar.path_of("note"), "a note saying why sides are not compared", "nothing");
        } else if (ar.ok()) {
          p.add(ar.path_of("method"), "lsi, difference, mdc or none", "\"" + method + "\"");
        }
        ar.get("note");
        ar.strict();
      }
      t.muscles = implications(o, "muscles", true);
      each(o, "rules", true, [&](ObjectReader& rr) { t.rules.push_back(rule(rr, t)); });
      t.source = source(o);
      o.strict();
      kb.tests.push_back(std::move(t));
    });
    r.strict();
  }

  Rule rule(ObjectReader& r, const Test& test) {
    Problems& p = r.problems();
    Rule out;
    out.id = id_field(r).value_or("");
    if (!out.id.empty()) define(p, "rule", out.id, r.path_of("id"));
    out.measure = r.string("measure", true, "a measure of the test").value_or("");
    if (!out.measure.empty() && !test.measures.count(out.measure))
      p.add(r.path_of("measure"), "a measure of this test", "\"" + out.measure + "\"");
    int comparisons = 0;
    if (r.has("below")) {
      out.comparison = Comparison::kBelow;
      out.threshold = threshold(r, "below", true, false).value_or(Threshold{});
      ++comparisons;
    }
    if (r.has("above")) {
      out.comparison = Comparison::kAbove;
      out.threshold = threshold(r, "above", true, true).value_or(Threshold{});
      ++comparisons;
    }
    if (r.has("equals")) {
      out.comparison = Comparison::kEquals;
      out.equals = r.string("equals", true).value_or("");
      ++comparisons;
    }
    if (comparisons != 1) p.add(r.path(), "exactly one of below, above, equals", std::to_string(comparisons) + " of them");
    out.implies = implications(r, "implies", true);
    if (auto s = r.string("severity", false, "mild, moderate or severe")) {
      if (auto sev = parse_severity(*s))
        out.severity = *sev;
      else
        p.add(r.path_of("severity"), "mild, moderate or severe", "\"" + *s + "\"");
    }
    out.position = r.string("position", false).value_or("");
    if (!out.position.empty() && std::find(test.positions.begin(), test.positions.end(), out.position) == test.positions.end())
      p.add(r.path_of("position"), "one of the test's positions", "\"" + out.position + "\"");
    if (auto kind = r.string("evidence", false, "an evidence kind of assessment.json")) {
      out.evidence = *kind;
      pending_.push_back({p.file(), r.path_of("evidence"), "evidence", *kind});
    }
    out.source = source(r);
    r.get("note");
    r.strict();
    return out;
  }

  void read_ratios(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "ratios", true, [&](ObjectReader& o) {
      Ratio ratio;
      ratio.name = id_field(o, "name").value_or("");
      define(p, "ratio", ratio.name, o.path_of("name"));
      ratio.name_text = o.string("name_text", true).value_or(ratio.name);
      ratio.numerator = TestId(o.string("numerator", true, "a test id").value_or(""));
      ratio.denominator = TestId(o.string("denominator", true, "a test id").value_or(""));
      ratio.measure = o.string("measure", true, "torque, force or seconds").value_or("");
      if (ratio.measure != "torque" && ratio.measure != "force" && ratio.measure != "seconds")
        p.add(o.path_of("measure"), "torque, force or seconds", "\"" + ratio.measure + "\"");
      const std::string section = ratio.measure == "seconds" ? "endurance" : "strength";
      pending_.push_back({p.file(), o.path_of("numerator"), "test " + section, ratio.numerator.str()});
      pending_.push_back({p.file(), o.path_of("denominator"), "test " + section, ratio.denominator.str()});
      if (const Json* m = o.require("methods", "an object of method -> norm")) {
        ObjectReader mr(p, *m, o.path_of("methods"));
        if (mr.ok())
          for (auto it = m->begin(); it != m->end(); ++it) {
            mr.get(it.key());
            ObjectReader nr(p, it.value(), mr.path_of(it.key()));
            RatioNorm n;
            n.normal_min = nr.number("normal_min", false, 0, 100, "a ratio");
            n.normal_max = nr.number("normal_max", false, 0, 100, "a ratio");
            n.method_text = nr.string("method_text", true).value_or("");
            n.source = source(nr);
            nr.get("note");
            nr.strict();
            if (nr.ok() && !n.normal_min && !n.normal_max) p.add(nr.path(), "normal_min or normal_max", "neither");
            ratio.methods[it.key()] = n;
          }
      }
      ratio.default_method = o.string("default_method", true).value_or("");
      if (!ratio.methods.count(ratio.default_method))
        p.add(o.path_of("default_method"), "one of the ratio's methods", "\"" + ratio.default_method + "\"");
      ratio.implies_below = implications(o, "implies_below", false);
      ratio.implies_above = implications(o, "implies_above", false);
      o.get("source");
      o.get("note");
      o.strict();
      kb.ratios.push_back(std::move(ratio));
    });
    r.strict();
  }

  Observation observation(ObjectReader& o, const std::string& kind, bool fms) {
    Observation ob;
    ob.id = id_field(o).value_or("");
    define(o.problems(), kind, ob.id, o.path_of("id"));
    ob.name = o.string("name", true).value_or(ob.id);
    ob.view = o.string("view", false).value_or("");
    ob.sided = o.boolean("sided", false).value_or(true);
    if (fms) ob.low_score_at_most = o.integer("low_score_at_most", true, 0, 3, "an FMS score 0-3").value_or(1);
    ob.implies = implications(o, "implies", true);
    ob.source = source(o);
    o.get("note");
    o.get("description");
    o.strict();
    return ob;
  }

  void read_movement(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    if (const Json* ohs = r.require("overhead_squat", "an object")) {
      ObjectReader o(p, *ohs, "$.overhead_squat");
      each(o, "compensations", true,
           [&](ObjectReader& c) { kb.movement.overhead_squat.push_back(observation(c, "overhead_squat", false)); });
      o.get("source");
      o.get("protocol");
      o.strict();
    }
    if (const Json* sls = r.require("single_leg_squat", "an object")) {
      ObjectReader o(p, *sls, "$.single_leg_squat");
      each(o, "signs", true,
           [&](ObjectReader& c) { kb.movement.single_leg_squat.push_back(observation(c, "single_leg_squat", false)); });
      o.get("source");
      o.get("protocol");
      o.strict();
    }
    if (const Json* fms = r.require("fms", "an object")) {
      ObjectReader o(p, *fms, "$.fms");
      each(o, "tests", true, [&](ObjectReader& c) { kb.movement.fms_tests.push_back(observation(c, "fms", true)); });
      each(o, "clearing", true, [&](ObjectReader& c) {
        FmsClearing cl;
        cl.id = id_field(c).value_or("");
        cl.name = c.string("name", true).value_or(cl.id);
        cl.test = c.string("test", true, "an FMS test id").value_or("");
        cl.source = source(c);
        c.strict();
        pending_.push_back({p.file(), c.path_of("test"), "fms", cl.test});
        kb.movement.fms_clearing.push_back(cl);
      });
      if (const Json* t = o.require("total_cutoff", "an object")) {
        ObjectReader tr(p, *t, "$.fms.total_cutoff");
        kb.movement.fms_total_at_most = tr.integer("at_most", true, 0, 21, "a total 0-21").value_or(14);
        kb.movement.fms_total_source = source(tr);
        tr.get("note");
        tr.strict();
      }
      if (const Json* a = o.require("asymmetry", "an object")) {
        ObjectReader ar(p, *a, "$.fms.asymmetry");
        kb.movement.fms_asymmetry_source = source(ar);
        ar.get("note");
        ar.strict();
      }
      o.get("source");
      o.get("scoring");
      o.strict();
    }
    if (const Json* yb = r.require("y_balance", "an object")) {
      ObjectReader o(p, *yb, "$.y_balance");
      auto& y = kb.movement.y_balance;
      if (const Json* a = o.require("anterior_difference", "an object")) {
        ObjectReader ar(p, *a, "$.y_balance.anterior_difference");
        y.anterior_threshold_cm = ar.number("threshold_cm", true, 0, 100, "centimetres").value_or(4);
        y.anterior_source = source(ar);
        ar.get("note");
        ar.strict();
      }
      if (const Json* c = o.require("composite", "an object")) {
        ObjectReader cr(p, *c, "$.y_balance.composite");
        y.composite_min_percent = cr.number("min_percent", true, 0, 200, "a percentage").value_or(94);
        y.composite_source = source(cr);
        cr.get("note");
        cr.strict();
      }
      y.error = measurement_error(o, "measurement_error");
      y.implies_anterior_deficit = implications(o, "implies_anterior_deficit", true);
      y.implies_low_composite = implications(o, "implies_low_composite", true);
      o.get("source");
      o.get("protocol");
      o.strict();
    }
    r.strict();
  }

  void read_posture(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "observations", true, [&](ObjectReader& o) {
      PostureObservation ob;
      ob.id = id_field(o).value_or("");
      define(p, "posture", ob.id, o.path_of("id"));
      const std::string kind = o.string("kind", true, "boolean, number or side").value_or("");
      if (kind == "boolean")
        ob.kind = PostureKind::kBoolean;
      else if (kind == "number")
        ob.kind = PostureKind::kNumber;
      else if (kind == "side")
        ob.kind = PostureKind::kSide;
      else
        p.add(o.path_of("kind"), "boolean, number or side", "\"" + kind + "\"");
      ob.name = o.string("name", true).value_or(ob.id);
      ob.hint = o.string("hint", false).value_or("");
      ob.unit = o.string("unit", ob.kind == PostureKind::kNumber).value_or("");
      ob.min = o.number("min", ob.kind == PostureKind::kNumber, -1e6, 1e6, "a number");
      ob.max = o.number("max", ob.kind == PostureKind::kNumber, -1e6, 1e6, "a number");
      ob.below = o.number("below", false, -1e6, 1e6, "a number");
      ob.above = o.number("above", false, -1e6, 1e6, "a number");
      ob.side_key = o.string("side_key", false).value_or("");
      if (!ob.side_key.empty()) pending_.push_back({p.file(), o.path_of("side_key"), "posture", ob.side_key});
      if (ob.kind != PostureKind::kSide) ob.implies = implications(o, "implies", true);
      if (auto s = o.string("severity", false, "mild, moderate or severe")) {
        if (auto sev = parse_severity(*s))
          ob.severity = *sev;
        else
          p.add(o.path_of("severity"), "mild, moderate or severe", "\"" + *s + "\"");
      }
      ob.error = measurement_error(o, "measurement_error");
      ob.note = o.string("note", false).value_or("");
      if (ob.kind != PostureKind::kSide)
        ob.source = source(o);
      else
        o.get("source");
      o.get("description");
      o.strict();
      if (ob.kind == PostureKind::kNumber && !ob.implies.empty() && !ob.below && !ob.above)
        p.add(o.path(), "below or above for a judged number", "neither");
      if (ob.kind == PostureKind::kNumber && ob.implies.empty() && ob.note.empty())
        p.add(o.path_of("note"), "a note saying why the number is not judged", "nothing");
      kb.posture.push_back(std::move(ob));
    });
    r.strict();
  }

  void read_lifestyle(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "activities", true, [&](ObjectReader& o) {
      Activity a;
      a.id = id_field(o).value_or("");
      define(p, "activity", a.id, o.path_of("id"));
      a.name = o.string("name", true).value_or(a.id);
      a.implies = implications(o, "implies", true);
      a.cause = o.string("cause", false, "a cause id shared by evidence that is one cause").value_or("");
      a.source = source(o);
      o.get("note");
      o.strict();
      kb.activities.push_back(std::move(a));
    });
    if (const Json* s = r.require("sitting", "an object")) {
      ObjectReader o(p, *s, "$.sitting");
      kb.sitting.hours_at_least = o.number("hours_at_least", true, 0, 24, "hours 0-24").value_or(6);
      kb.sitting.implies = implications(o, "implies", true);
      kb.sitting.cause = o.string("cause", false, "a cause id shared by evidence that is one cause").value_or("");
      kb.sitting.source = source(o);
      o.get("note");
      o.strict();
    }
    r.get("note");
    r.strict();
  }

  void read_patterns(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "patterns", true, [&](ObjectReader& o) {
      Pattern pat;
      pat.id = id_field(o).value_or("");
      define(p, "pattern", pat.id, o.path_of("id"));
      pat.name = o.string("name", true).value_or(pat.id);
      pat.tight = muscle_list(o, "tight", true);
      pat.weak = muscle_list(o, "weak", true);
      pat.signs = o.strings("signs", true).value_or(std::vector<std::string>{});
      for (size_t i = 0; i < pat.signs.size(); ++i)
        pending_.push_back({p.file(), child_path(o.path_of("signs"), i), "posture", pat.signs[i]});
      pat.min_tight = o.integer("min_tight", true, 0, 50, "a count").value_or(1);
      pat.min_weak = o.integer("min_weak", true, 0, 50, "a count").value_or(1);
      pat.min_members = o.integer("min_members", true, 1, 50, "a count").value_or(2);
      if (pat.min_members < pat.min_tight + pat.min_weak)
        p.add(o.path_of("min_members"), "at least min_tight + min_weak", std::to_string(pat.min_members));
      if (auto members = o.string("members_count", true, "measured or any")) {
        if (*members != "measured" && *members != "any")
          p.add(o.path_of("members_count"), "measured or any", "\"" + *members + "\"");
        pat.measured_members = *members == "measured";
      }
      pat.description = o.string("description", true).value_or("");
      pat.source = source(o);
      o.strict();
      kb.patterns.push_back(std::move(pat));
    });
    if (const Json* c = r.require("confidence", "{\"share_weight\", \"confidence_weight\", \"source\"}")) {
      ObjectReader cr(p, *c, "$.confidence");
      kb.pattern_policy.share_weight = cr.number("share_weight", true, 0, 1, "a weight 0-1").value_or(0.5);
      kb.pattern_policy.confidence_weight = cr.number("confidence_weight", true, 0, 1, "a weight 0-1").value_or(0.5);
      kb.pattern_policy.source = source(cr);
      cr.strict();
    }
    r.strict();
  }

  std::optional<Urgency> urgency(ObjectReader& r, const std::string& key, bool required) {
    auto u = r.string(key, required, "emergency, urgent or soon");
    if (!u) return std::nullopt;
    if (*u == "emergency") return Urgency::kEmergency;
    if (*u == "urgent") return Urgency::kUrgent;
    if (*u == "soon") return Urgency::kSoon;
    r.problems().add(r.path_of(key), "emergency, urgent or soon", "\"" + *u + "\"");
    return std::nullopt;
  }

  void read_safety(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "red_flags", true, [&](ObjectReader& o) {
      RedFlag f;
      f.id = id_field(o).value_or("");
      define(p, "red_flag", f.id, o.path_of("id"));
      f.name = o.string("name", true).value_or(f.id);
      const std::string cls = o.string("class", true, "systemic or regional").value_or("");
      if (cls != "systemic" && cls != "regional") p.add(o.path_of("class"), "systemic or regional", "\"" + cls + "\"");
      f.systemic = cls == "systemic";
      f.urgency = urgency(o, "urgency", true).value_or(Urgency::kSoon);
      f.detail = o.string("detail", true).value_or("");
      f.source = source(o);
      o.strict();
      kb.safety.red_flags.push_back(std::move(f));
    });
    each(r, "clusters", true, [&](ObjectReader& o) {
      RedFlagCluster c;
      c.id = id_field(o).value_or("");
      define(p, "red_flag_cluster", c.id, o.path_of("id"));
      c.name = o.string("name", true).value_or(c.id);
      c.flags = o.strings("flags", true).value_or(std::vector<std::string>{});
      for (size_t i = 0; i < c.flags.size(); ++i)
        if (std::none_of(kb.safety.red_flags.begin(), kb.safety.red_flags.end(),
                         [&](const RedFlag& f) { return f.id == c.flags[i]; }))
          p.add(child_path(o.path_of("flags"), i), "a red flag id", "\"" + c.flags[i] + "\"");
      c.age_at_least = o.integer("age_at_least", false, 1, 120, "an age 1-120");
      c.min_count = o.integer("min_count", true, 2, 20, "a count of at least 2").value_or(2);
      c.urgency = urgency(o, "urgency", true).value_or(Urgency::kUrgent);
      c.systemic = o.boolean("systemic", true).value_or(true);
      c.detail = o.string("detail", true).value_or("");
      c.source = source(o);
      o.strict();
      kb.safety.clusters.push_back(std::move(c));
    });
    if (const Json* s = r.require("severe_pain", "an object")) {
      ObjectReader o(p, *s, "$.severe_pain");
      kb.safety.severe_pain_min = o.integer("min_intensity", true, 0, 10, "an intensity 0-10").value_or(7);
      kb.safety.severe_pain_source = source(o);
      o.get("note");
      o.strict();
    }
    each(r, "screening", true, [&](ObjectReader& o) {
      ScreeningRule s;
      s.id = id_field(o).value_or("");
      define(p, "screening", s.id, o.path_of("id"));
      s.name = o.string("name", true).value_or(s.id);
      each(o, "parameters", false, [&](ObjectReader& pr) {
        ScreeningParameter param;
        param.id = id_field(pr).value_or("");
        define(p, "screening", param.id, pr.path_of("id"));
        param.name = pr.string("name", true).value_or(param.id);
        param.kind = pr.string("kind", true, "region").value_or("");
        if (param.kind != "region") p.add(pr.path_of("kind"), "region", "\"" + param.kind + "\"");
        param.required = pr.boolean("required", true).value_or(true);
        pr.strict();
        s.parameters.push_back(std::move(param));
      });
      if (const Json* ex = o.require("excludes", "an object")) {
        ObjectReader er(p, *ex, o.path_of("excludes"));
        s.tags = er.strings("tags", true).value_or(std::vector<std::string>{});
        for (size_t i = 0; i < s.tags.size(); ++i)
          vocab_ref(p, child_path(er.path_of("tags"), i), "tag", kb.vocabulary.tags, s.tags[i]);
        s.positions = er.strings("positions", true).value_or(std::vector<std::string>{});
        for (size_t i = 0; i < s.positions.size(); ++i)
          vocab_ref(p, child_path(er.path_of("positions"), i), "position", kb.vocabulary.positions, s.positions[i]);
        for (const auto& id : er.strings("exercises", true).value_or(std::vector<std::string>{})) {
          pending_.push_back({p.file(), er.path_of("exercises"), "exercise", id});
          s.exercises.emplace_back(id);
        }
        s.loading_parameter = er.string("loading", false, "a parameter of this item naming a region").value_or("");
        if (!s.loading_parameter.empty() &&
            std::none_of(s.parameters.begin(), s.parameters.end(),
                         [&](const ScreeningParameter& x) { return x.id == s.loading_parameter && x.kind == "region"; }))
          p.add(er.path_of("loading"), "a region parameter of this item", "\"" + s.loading_parameter + "\"");
        er.strict();
      }
      if (const Json* ref = o.get("referral")) {
        ObjectReader rr(p, *ref, o.path_of("referral"));
        ScreeningReferral referral;
        referral.detail = rr.string("detail", true).value_or("");
        referral.urgency = urgency(rr, "urgency", true).value_or(Urgency::kSoon);
        rr.strict();
        s.referral = referral;
      }
      s.note = o.string("note", true).value_or("");
      s.source = source(o);
      o.strict();
      kb.safety.screening.push_back(std::move(s));
    });
    r.get("note");
    r.strict();
  }

  void read_sport_profiles(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    each(r, "profiles", true, [&](ObjectReader& o) {
      SportProfile sp;
      sp.id = id_field(o).value_or("");
      define(p, "sport_profile", sp.id, o.path_of("id"));
      sp.name = o.string("name", true).value_or(sp.id);
      sp.activities = o.strings("activities", true).value_or(std::vector<std::string>{});
      for (size_t i = 0; i < sp.activities.size(); ++i)
        if (kb.activity(sp.activities[i]) == nullptr)
          p.add(child_path(o.path_of("activities"), i), "an activity id of lifestyle.json", "\"" + sp.activities[i] + "\"");
      if (const Json* sr = o.get("shoulder_rotation")) {
        ObjectReader rr(p, *sr, o.path_of("shoulder_rotation"));
        ShoulderRotation rot;
        rot.internal_test = TestId(rr.string("internal_test", true, "a rom test id").value_or(""));
        rot.external_test = TestId(rr.string("external_test", true, "a rom test id").value_or(""));
        pending_.push_back({p.file(), rr.path_of("internal_test"), "test rom", rot.internal_test.str()});
        pending_.push_back({p.file(), rr.path_of("external_test"), "test rom", rot.external_test.str()});
        rot.position = rr.string("position", true, "the protocol both rotations are measured in").value_or("");
        rot.gird_at_least = rr.number("gird_at_least", true, 0, 180, "degrees 0-180").value_or(20);
        rot.gird_source = source(rr, "gird_source");
        rot.arc_deficit_above = rr.number("total_arc_deficit_above", true, 0, 180, "degrees 0-180").value_or(5);
        rot.arc_source = source(rr, "total_arc_source");
        rot.implies = implications(rr, "implies", true);
        if (rr.has("error")) rot.error = measurement_error(rr, "error");
        rr.get("note");
        rr.strict();
        sp.shoulder_rotation = rot;
      }
      sp.excluded_tags = o.strings("excluded_tags", true).value_or(std::vector<std::string>{});
      for (size_t i = 0; i < sp.excluded_tags.size(); ++i)
        vocab_ref(p, child_path(o.path_of("excluded_tags"), i), "tag", kb.vocabulary.tags, sp.excluded_tags[i]);
      sp.note = o.string("note", true).value_or("");
      sp.source = source(o);
      o.strict();
      kb.sport_profiles.push_back(std::move(sp));
    });
    r.strict();
  }

  void read_planning(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    auto& pl = kb.planning;
    auto section = [&](const char* key, const std::function<void(ObjectReader&)>& fn) {
      if (const Json* v = r.require(key, "an object")) {
        ObjectReader o(p, *v, r.path_of(key));
        if (!o.ok()) return;
        fn(o);
        o.get("note");
        o.strict();
      }
    };
    section("defaults", [&](ObjectReader& o) {
      pl.default_weeks = o.integer("weeks", true, 1, 52, "weeks 1-52").value_or(8);
      pl.default_days_per_week = o.integer("days_per_week", true, 1, 7, "days 1-7").value_or(3);
      pl.default_minutes = o.integer("minutes_per_session", true, 5, 180, "minutes 5-180").value_or(20);
      pl.defaults_source = source(o);
    });
    section("priority", [&](ObjectReader& o) {
      pl.mild_weight = o.number("mild", true, 0, 100, "a weight").value_or(1);
      pl.moderate_weight = o.number("moderate", true, 0, 100, "a weight").value_or(2);
      pl.severe_weight = o.number("severe", true, 0, 100, "a weight").value_or(3);
      pl.painful_region_bonus = o.number("painful_region_bonus", true, 0, 100, "a weight").value_or(0.5);
      pl.priority_source = source(o);
    });
    section("cost", [&](ObjectReader& o) {
      pl.difficulty_step = o.number("difficulty_step", true, 0, 10, "a factor").value_or(0.25);
      pl.preferred_factor = o.number("preferred_factor", true, 0.01, 1, "a factor 0-1").value_or(0.5);
      pl.secondary_credit = o.number("secondary_credit", true, 0, 1, "a share 0-1").value_or(0.5);
      pl.bilateral_credit = o.number("bilateral_credit", true, 0, 1, "a share 0-1").value_or(0.5);
      pl.non_preferred_credit = o.number("non_preferred_credit", true, 0, 1, "a share 0-1").value_or(0.5);
      pl.cost_source = source(o);
    });
    section("start_easy", [&](ObjectReader& o) {
      pl.start_easy_max_difficulty = o.integer("max_difficulty", true, 1, 5, "a difficulty 1-5").value_or(2);
      pl.start_easy_mmt_at_most = o.number("mmt_at_most", true, 0, 5, "a grade 0-5").value_or(3);
      pl.start_easy_pain_at_least = o.integer("pain_at_least", true, 0, 10, "a pain 0-10").value_or(4);
      pl.start_easy_age_at_least = o.integer("age_at_least", true, 1, 120, "an age 1-120").value_or(65);
      pl.start_easy_source = source(o);
    });
    section("frequency", [&](ObjectReader& o) {
      if (auto sev = o.string("min_severity", true, "mild, moderate or severe")) {
        if (auto parsed = parse_severity(*sev))
          pl.frequency_min_severity = *parsed;
        else
          p.add(o.path_of("min_severity"), "mild, moderate or severe", "\"" + *sev + "\"");
      }
      pl.frequency_min_days = o.integer("min_days", true, 1, 7, "days 1-7").value_or(2);
      pl.frequency_when_days = o.integer("when_days_at_least", true, 1, 7, "days 1-7").value_or(3);
      pl.frequency_source = source(o);
    });
    section("weaker_side", [&](ObjectReader& o) {
      pl.weaker_side_extra_sets = o.integer("extra_sets", true, 0, 5, "sets 0-5").value_or(1);
      pl.weaker_side_from_week = o.integer("from_week", true, 1, 52, "a week 1-52").value_or(2);
      pl.weaker_side_source = source(o);
    });
    each(r, "co_prescriptions", true, [&](ObjectReader& o) {
      CoPrescription c;
      c.id = id_field(o).value_or("");
      define(p, "co_prescription", c.id, o.path_of("id"));
      c.name = o.string("name", true).value_or(c.id);
      c.pain_region = o.string("pain_region", true, "a region").value_or("");
      vocab_ref(p, o.path_of("pain_region"), "region", kb.vocabulary.regions, c.pain_region);
      c.weak_any = muscle_list(o, "weak_any", true);
      c.adds = implications(o, "adds", true);
      c.note = o.string("note", true).value_or("");
      c.source = source(o);
      o.strict();
      pl.co_prescriptions.push_back(std::move(c));
    });
    r.strict();
  }

  void read_guidance(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    auto& g = kb.guidance;
    each(r, "prevention_tips", true, [&](ObjectReader& o) {
      id_field(o);
      g.prevention_tips.push_back(o.string("text", true).value_or(""));
      o.strict();
    });
    g.prevention_source = source(r, "prevention_source");
    if (const Json* f = r.require("functional", "an object")) {
      ObjectReader o(p, *f, "$.functional");
      g.functional_text = o.string("text", true).value_or("");
      if (const Json* d = o.require("days_per_week", "{\"min\", \"max\"}")) {
        ObjectReader dr(p, *d, "$.functional.days_per_week");
        g.functional_days_min = dr.integer("min", true, 1, 7, "days 1-7").value_or(2);
        g.functional_days_max = dr.integer("max", true, 1, 7, "days 1-7").value_or(3);
        dr.strict();
      }
      g.functional_source = source(o);
      o.strict();
    }
    if (const Json* c = r.require("consistency", "an object")) {
      ObjectReader o(p, *c, "$.consistency");
      g.consistency_text = o.string("text", true).value_or("");
      g.consistency_source = source(o);
      o.strict();
    }
    g.disclaimer = r.string("disclaimer", true).value_or("");
    r.strict();
  }

  void read_assessment(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    auto& a = kb.assessment;
    if (const Json* w = r.require("evidence_weights", "an object of kind -> weight")) {
      ObjectReader wr(p, *w, "$.evidence_weights");
      // The kinds the assessor itself gives evidence; tests' rules may name more.
      for (const char* kind :
           {"measured", "special_test", "mmt", "asymmetry", "ratio", "observation", "movement_screen", "lifestyle"})
        if (!wr.has(kind)) p.add(wr.path_of(kind), "a weight 0-1", "nothing (the field is missing)");
      if (wr.ok())
        for (auto it = w->begin(); it != w->end(); ++it) {
          if (!is_id(it.key())) p.add(wr.path_of(it.key()), "a snake_case evidence kind", "\"" + it.key() + "\"");
          if (auto v = wr.number(it.key(), true, 0, 1, "a weight 0-1")) a.weights[it.key()] = *v;
        }
    }
    if (const Json* s = r.require("severity", "an object")) {
      ObjectReader sr(p, *s, "$.severity");
      a.moderate_mdc = sr.number("moderate_beyond_mdc", true, 0, 100, "a multiple of the MDC").value_or(1);
      a.severe_mdc = sr.number("severe_beyond_mdc", true, 0, 100, "a multiple of the MDC").value_or(2);
      a.moderate_relative = sr.number("moderate_beyond_relative", true, 0, 10, "a fraction").value_or(0.1);
      a.severe_relative = sr.number("severe_beyond_relative", true, 0, 10, "a fraction").value_or(0.25);
      a.mmt_moderate_below = sr.number("mmt_moderate_below", true, 0, 5, "a grade 0-5").value_or(4);
      a.mmt_severe_below = sr.number("mmt_severe_below", true, 0, 5, "a grade 0-5").value_or(3);
      a.lsi_moderate_below = sr.number("lsi_moderate_below", true, 0, 100, "a percentage").value_or(80);
      a.lsi_severe_below = sr.number("lsi_severe_below", true, 0, 100, "a percentage").value_or(70);
      sr.strict();
    }
    a.test_kinds = r.strings("test_kinds", true).value_or(std::vector<std::string>{});
    for (size_t i = 0; i < a.test_kinds.size(); ++i)
      if (!a.weights.count(a.test_kinds[i]))
        p.add(child_path("$.test_kinds", i), "an evidence kind of evidence_weights", "\"" + a.test_kinds[i] + "\"");
    a.conflict_factor = r.number("conflict_factor", true, 0, 1, "a factor 0-1").value_or(0.5);
    a.min_confidence = r.number("min_confidence", true, 0, 1, "a confidence 0-1").value_or(0.1);
    a.source = source(r);
    r.get("notes");
    r.strict();
  }

  void read_progression(Problems& p, const Json& j, KnowledgeBase& kb) {
    ObjectReader r(p, j, "$");
    auto& pr = kb.progression;
    pr.every_weeks = r.integer("every_weeks", true, 1, 52, "weeks 1-52").value_or(2);
    pr.reassess_every_weeks = r.integer("reassess_every_weeks", true, 1, 52, "weeks 1-52").value_or(4);
    if (const Json* m = r.require("max_exercises_per_session", "an object {\"value\", \"source\"}")) {
      ObjectReader mr(p, *m, "$.max_exercises_per_session");
      pr.max_exercises_per_session = mr.integer("value", true, 2, 20, "a count 2-20").value_or(4);
      pr.hard_max_exercises_per_session = mr.integer("hard_max", true, 2, 20, "a count 2-20").value_or(6);
      if (pr.hard_max_exercises_per_session < pr.max_exercises_per_session)
        p.add(mr.path_of("hard_max"), "at least value", std::to_string(pr.hard_max_exercises_per_session));
      mr.get("note");
      pr.max_exercises_source = source(mr);
      mr.strict();
    }
    if (const Json* m = r.require("start_max_difficulty", "an object {\"value\", \"source\"}")) {
      ObjectReader mr(p, *m, "$.start_max_difficulty");
      pr.start_max_difficulty = mr.integer("value", true, 1, 5, "a difficulty 1-5").value_or(3);
      pr.start_max_difficulty_source = source(mr);
      mr.strict();
    }
    each(r, "rules", true, [&](ObjectReader& o) {
      ProgressionRule rule;
      if (auto ph = o.string("phase", true, "stretch, strengthen or functional")) {
        if (auto phase = parse_phase(*ph))
          rule.phase = *phase;
        else
          p.add(o.path_of("phase"), "stretch, strengthen or functional", "\"" + *ph + "\"");
      }
      rule.kind = o.string("kind", true, "reps or hold").value_or("");
      if (rule.kind != "reps" && rule.kind != "hold") p.add(o.path_of("kind"), "reps or hold", "\"" + rule.kind + "\"");
      each(o, "steps", true, [&](ObjectReader& s) {
        ProgressionStep step;
        step.field = s.string("field", true, "reps, hold_seconds or sets").value_or("");
        if (step.field != "reps" && step.field != "hold_seconds" && step.field != "sets")
          p.add(s.path_of("field"), "reps, hold_seconds or sets", "\"" + step.field + "\"");
        step.by = s.number("by", true, 0.5, 100, "a positive step").value_or(1);
        step.max = s.number("max", true, 1, 600, "a maximum").value_or(1);
        s.strict();
        rule.steps.push_back(step);
      });
      rule.variant_after = o.integer("variant_after", false, 0, 20, "a count of volume steps 0-20").value_or(0);
      rule.source = source(o);
      o.strict();
      pr.rules.push_back(std::move(rule));
    });
    if (const Json* m = r.require("from_logs", "an object {\"progress\", \"regress\", \"missed_week\"}")) {
      ObjectReader fr(p, *m, "$.from_logs");
      auto& lr = pr.from_logs;
      if (const Json* g = fr.require("progress", "an object {\"sessions\", \"max_effort\", \"max_pain\", \"source\"}")) {
        ObjectReader gr(p, *g, fr.path_of("progress"));
        lr.progress_sessions = gr.integer("sessions", true, 1, 10, "a count of sessions 1-10").value_or(2);
        lr.progress_max_effort = gr.integer("max_effort", true, 0, 10, "an effort 0-10").value_or(6);
        lr.progress_max_pain = gr.integer("max_pain", true, 0, 10, "a pain 0-10").value_or(2);
        lr.progress_source = source(gr);
        gr.strict();
      }
      if (const Json* g = fr.require("regress", "an object {\"min_pain\", \"rising_sessions\", \"source\"}")) {
        ObjectReader gr(p, *g, fr.path_of("regress"));
        lr.regress_min_pain = gr.integer("min_pain", true, 1, 10, "a pain 1-10").value_or(5);
        lr.regress_rising_sessions = gr.integer("rising_sessions", true, 2, 10, "a count of sessions 2-10").value_or(3);
        lr.regress_source = source(gr);
        gr.strict();
      }
      if (lr.regress_min_pain <= lr.progress_max_pain)
        p.add(fr.path_of("regress.min_pain"), "more than progress.max_pain", std::to_string(lr.regress_min_pain));
      if (const Json* g = fr.require("missed_week", "an object {\"repeat\", \"source\"}")) {
        ObjectReader gr(p, *g, fr.path_of("missed_week"));
        lr.repeat_missed_week = gr.boolean("repeat", true).value_or(true);
        lr.missed_week_source = source(gr);
        gr.strict();
      }
      fr.strict();
    }
    pr.source = source(r);
    r.strict();
  }

  // ---- cross references --------------------------------------------------

  // Every exercise has exactly one illustration, of an exercise that exists,
  // showing the equipment the exercise needs.
  void check_illustrations(const KnowledgeBase& kb) {
    const std::string folder = (dir_ / "illustrations").string();
    std::map<std::string, const body::Illustration*> seen;
    for (const auto& ill : kb.illustrations) {
      const Exercise* e = kb.exercise(ExerciseId(ill.exercise));
      if (e == nullptr) {
        problems_.push_back({ill.file, ill.path + ".exercise", "an exercise id", "\"" + ill.exercise + "\""});
        continue;
      }
      auto [it, fresh] = seen.emplace(ill.exercise, &ill);
      if (!fresh) {
        problems_.push_back({ill.file, ill.path + ".exercise", "one illustration per exercise",
                             "\"" + ill.exercise + "\" (also at " + it->second->file + " " + it->second->path + ")"});
        continue;
      }
      for (const auto& item : e->equipment) {
        const auto kind = body::parse_prop(item);
        if (!kind) continue;
        const bool shown = std::any_of(ill.props.begin(), ill.props.end(), [&](const body::Prop& p) {
          return p.kind == *kind || (*kind == body::PropKind::kWall && p.kind == body::PropKind::kDoorFrame);
        });
        if (!shown)
          problems_.push_back({ill.file, ill.path + ".props", "a " + item + " prop (the exercise needs one)", "none"});
      }
    }
    for (const auto& e : kb.exercises)
      if (!seen.count(e.id.str()))
        problems_.push_back({folder, "$", "an illustration of exercise \"" + e.id.str() + "\"", "none"});
  }

  void check_references(const KnowledgeBase& kb) {
    for (const PendingRef& ref : pending_) {
      bool ok = false;
      std::string expected;
      if (ref.kind.rfind("variant:", 0) == 0) {
        const Exercise* e = kb.exercise(ExerciseId(ref.id));
        expected = "an exercise id of phase " + ref.kind.substr(8);
        ok = e != nullptr && to_string(e->phase) == ref.kind.substr(8);
      } else if (ref.kind == "exercise") {
        expected = "an exercise id";
        ok = kb.exercise(ExerciseId(ref.id)) != nullptr;
      } else if (ref.kind.rfind("test ", 0) == 0) {
        expected = "a " + ref.kind.substr(5) + " test id";
        ok = kb.test(ref.kind.substr(5), ref.id) != nullptr;
      } else if (ref.kind == "posture") {
        expected = "a posture observation id";
        ok = kb.posture_observation(ref.id) != nullptr;
      } else if (ref.kind == "evidence") {
        expected = "an evidence kind of assessment.json (" + [&] {
          std::string kinds;
          for (const auto& [kind, weight] : kb.assessment.weights) kinds += (kinds.empty() ? "" : ", ") + kind;
          return kinds;
        }() + ")";
        ok = kb.assessment.weights.count(ref.id) > 0;
      } else if (ref.kind == "fms") {
        expected = "an FMS test id";
        ok = std::any_of(kb.movement.fms_tests.begin(), kb.movement.fms_tests.end(),
                         [&](const Observation& o) { return o.id == ref.id; });
      }
      if (!ok) problems_.push_back({ref.file, ref.path, expected, "\"" + ref.id + "\""});
    }
    // Each group member must be a muscle, not a group.
    for (size_t i = 0; i < kb.groups.size(); ++i)
      for (size_t k = 0; k < kb.groups[i].members.size(); ++k)
        if (kb.muscle(kb.groups[i].members[k]) == nullptr && !kb.groups[i].members[k].empty())
          problems_.push_back({(dir_ / "muscles.json").string(),
                               "$.groups[" + std::to_string(i) + "].members[" + std::to_string(k) + "]",
                               "a muscle id (not a group)", "\"" + kb.groups[i].members[k].str() + "\""});
    if (kb.has_drawings) check_illustrations(kb);
    for (const char* required : {"stretch", "strengthen", "functional"}) {
      bool found = std::any_of(kb.exercises.begin(), kb.exercises.end(),
                               [&](const Exercise& e) { return to_string(e.phase) == required; });
      if (!found)
        problems_.push_back({(dir_ / "exercises").string(), "$", std::string("at least one ") + required + " exercise", "none"});
    }
  }
};

}  // namespace

std::shared_ptr<const KnowledgeBase> load(const std::filesystem::path& dir, Parts parts) { return Loader(dir).run(parts); }

}  // namespace rebalance::kb
