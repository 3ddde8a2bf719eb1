#include <cmath>

#include "core/detail/json_reader.h"
#include "track/log.h"

namespace rebalance::track {
namespace {

// A session is a few exercises; these bound what one log may hold.
constexpr int kMaxDepth = 8;
constexpr size_t kMaxItems = 100;

}  // namespace

using detail::child_path;
using detail::Json;
using detail::ObjectReader;
using detail::Problems;

LogParseResult parse_log(std::string_view text, const kb::KnowledgeBase& kb, const std::string& file_name) {
  Problems p(file_name);
  LogParseResult result;
  const auto doc = detail::parse_untrusted<Json>(text, p, {kMaxLogBytes, kMaxDepth});
  if (!doc) {
    result.problems = p.list();
    return result;
  }
  SessionLog log;
  ObjectReader r(p, *doc, "$");
  if (r.ok()) {
    if (auto schema = r.string("schema", false, "\"rebalance.log/1\""); schema && *schema != "rebalance.log/1")
      p.add("$.schema", "\"rebalance.log/1\"", "\"" + *schema + "\"");
    log.program = r.string("program", false, "a program id").value_or("");
    log.week = r.integer("week", true, 1, 52, "a week number 1-52").value_or(1);
    log.day = r.integer("day", true, 1, 7, "a day number 1-7").value_or(1);
    if (auto d = r.string("date", true, "a date YYYY-MM-DD")) {
      if (auto date = Date::parse(*d))
        log.date = *date;
      else
        p.add("$.date", "a date YYYY-MM-DD", "\"" + *d + "\"");
    }
    log.effort = r.integer("effort", true, 0, 10, "a whole number 0-10").value_or(0);
    log.pain = r.integer("pain", true, 0, 10, "a whole number 0-10").value_or(0);
    log.note = r.string("note", false).value_or("");
    if (log.note.size() > 2000)
      p.add("$.note", "a note of at most 2000 characters", std::to_string(log.note.size()) + " characters");
    if (const Json* items = r.get("items")) {
      if (!items->is_array())
        p.add("$.items", "a list", *items);
      else
        for (size_t i = 0; i < items->size(); ++i) {
          ObjectReader o(p, (*items)[i], child_path("$.items", i));
          if (!o.ok()) continue;
          LogItem item;
          if (auto id = o.string("exercise", true, "an exercise id")) {
            if (kb.exercise(ExerciseId(*id)) == nullptr) p.add(o.path_of("exercise"), "an exercise id", "\"" + *id + "\"");
            item.exercise = ExerciseId(*id);
          }
          item.sets_done = o.integer("sets_done", true, 0, 20, "a whole number of sets 0-20").value_or(0);
          if (const Json* reps = o.get("reps_done")) {
            if (!reps->is_array()) {
              p.add(o.path_of("reps_done"), "a list of repetitions per set", *reps);
            } else {
              for (size_t k = 0; k < reps->size(); ++k) {
                const Json& v = (*reps)[k];
                if (!v.is_number() || v.get<double>() != std::floor(v.get<double>()) || v.get<double>() < 0 ||
                    v.get<double>() > 500)
                  p.add(child_path(o.path_of("reps_done"), k), "a whole number of repetitions 0-500", v);
                else
                  item.reps_done.push_back(static_cast<int>(v.get<double>()));
              }
              if (static_cast<int>(reps->size()) > item.sets_done)
                p.add(o.path_of("reps_done"), "at most one entry per set done (" + std::to_string(item.sets_done) + ")",
                      std::to_string(reps->size()) + " entries");
            }
          }
          item.hold_seconds_done = o.number("hold_seconds_done", false, 0, 3600, "seconds 0-3600");
          if (auto side = o.string("side", false, "\"left\", \"right\" or \"both\"")) {
            item.side = parse_side(*side);
            if (!item.side) p.add(o.path_of("side"), "\"left\", \"right\" or \"both\"", "\"" + *side + "\"");
          }
          item.effort = o.integer("effort", false, 0, 10, "a whole number 0-10");
          item.pain = o.integer("pain", false, 0, 10, "a whole number 0-10");
          log.items.push_back(std::move(item));
        }
    }
  }
  if (const Json* items = r.get("items"); items != nullptr && items->is_array() && items->size() > kMaxItems)
    p.add("$.items", "at most " + std::to_string(kMaxItems) + " exercises", std::to_string(items->size()));
  if (p.empty()) {
    result.log = std::move(log);
    result.canonical = detail::validated_only(*doc, p, &result.ignored).dump();
  }
  result.problems = p.list();
  return result;
}

}  // namespace rebalance::track
