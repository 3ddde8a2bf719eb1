#include "kb/kb.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace rebalance::kb {

void set_hold(Dose& dose, double seconds) {
  dose.hold_seconds = seconds;
  const std::string marker = " s hold";
  const size_t at = dose.tempo.find(marker);
  if (at == std::string::npos) return;
  size_t start = at;
  while (start > 0 && (std::isdigit(static_cast<unsigned char>(dose.tempo[start - 1])) || dose.tempo[start - 1] == '.')) --start;
  if (start == at) return;  // "slow in, hold, slow out": no number to change
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  dose.tempo.replace(start, at - start, text);
}

std::string_view to_string(Section section) {
  switch (section) {
    case Section::kRom:
      return "rom";
    case Section::kStrength:
      return "strength";
    case Section::kEndurance:
      return "endurance";
  }
  return "rom";
}

double Exercise::minutes(const Dose& d) const {
  const double sides = d.per_side ? 2 : 1;
  const double per_set = d.reps ? *d.reps * (duration.seconds_per_rep + d.hold_seconds) : d.hold_seconds;
  const double bouts = d.sets * sides;
  const double seconds = duration.setup_seconds + bouts * per_set + (bouts - 1) * d.rest_seconds;
  return seconds / 60.0;
}

double Threshold::for_sex(Sex sex) const {
  if (sex == Sex::kFemale && female) return *female;
  if (sex == Sex::kMale && male) return *male;
  return value;
}

bool Band::matches(Sex client_sex, std::optional<int> age) const {
  if (sex && *sex != client_sex) return false;
  if (age_min || age_max) {
    if (!age) return false;
    if (age_min && *age < *age_min) return false;
    if (age_max && *age > *age_max) return false;
  }
  return true;
}

Cut Threshold::for_client(Sex sex, std::optional<int> age) const {
  for (const auto& b : bands)
    if (b.matches(sex, age)) return Cut{b.value, b.moderate, b.severe, b.label};
  return Cut{for_sex(sex), std::nullopt, std::nullopt, ""};
}

std::string_view to_string(Urgency urgency) {
  switch (urgency) {
    case Urgency::kSoon:
      return "soon";
    case Urgency::kUrgent:
      return "urgent";
    case Urgency::kEmergency:
      return "emergency";
  }
  return "soon";
}

// Every kind used is checked at load (data/assessment.json), so a miss is a bug.
double AssessmentParams::weight(const std::string& kind) const { return weights.at(kind); }

double Planning::severity_weight(Severity s) const {
  switch (s) {
    case Severity::kMild:
      return mild_weight;
    case Severity::kModerate:
      return moderate_weight;
    case Severity::kSevere:
      return severe_weight;
  }
  return mild_weight;
}

const ProgressionRule* Progression::rule_for(Phase phase, const Dose& dose) const {
  const std::string kind = dose.reps ? "reps" : "hold";
  for (const auto& rule : rules)
    if (rule.phase == phase && rule.kind == kind) return &rule;
  return nullptr;
}

void KnowledgeBase::index() {
  muscle_index_.clear();
  group_index_.clear();
  exercise_index_.clear();
  test_index_.clear();
  for (size_t i = 0; i < muscles.size(); ++i) muscle_index_.emplace(muscles[i].id.str(), i);
  for (size_t i = 0; i < groups.size(); ++i) group_index_.emplace(groups[i].id.str(), i);
  for (size_t i = 0; i < exercises.size(); ++i) exercise_index_.emplace(exercises[i].id.str(), i);
  illustration_index_.clear();
  for (size_t i = 0; i < illustrations.size(); ++i) illustration_index_.emplace(illustrations[i].exercise, i);
  for (size_t i = 0; i < tests.size(); ++i)
    test_index_.emplace(std::string(to_string(tests[i].section)) + ":" + tests[i].id.str(), i);
  masks_.clear();
  for (size_t i = 0; i < muscles.size() && i < 128; ++i) masks_[muscles[i].id.str()] = static_cast<unsigned __int128>(1) << i;
  for (const auto& g : groups) {
    unsigned __int128 mask = 0;
    for (const auto& m : g.members) {
      auto it = masks_.find(m.str());
      if (it != masks_.end()) mask |= it->second;
    }
    masks_[g.id.str()] |= mask;
  }
}

const Muscle* KnowledgeBase::muscle(const MuscleId& id) const {
  auto it = muscle_index_.find(id.str());
  return it == muscle_index_.end() ? nullptr : &muscles[it->second];
}

const Group* KnowledgeBase::group(const MuscleId& id) const {
  auto it = group_index_.find(id.str());
  return it == group_index_.end() ? nullptr : &groups[it->second];
}

const Exercise* KnowledgeBase::exercise(const ExerciseId& id) const {
  auto it = exercise_index_.find(id.str());
  return it == exercise_index_.end() ? nullptr : &exercises[it->second];
}

const body::Illustration* KnowledgeBase::illustration(const ExerciseId& id) const {
  auto it = illustration_index_.find(id.str());
  return it == illustration_index_.end() ? nullptr : &illustrations[it->second];
}

const Test* KnowledgeBase::test(std::string_view section, std::string_view id) const {
  auto it = test_index_.find(std::string(section) + ":" + std::string(id));
  return it == test_index_.end() ? nullptr : &tests[it->second];
}

const PostureObservation* KnowledgeBase::posture_observation(std::string_view id) const {
  for (const auto& o : posture)
    if (o.id == id) return &o;
  return nullptr;
}

const Activity* KnowledgeBase::activity(std::string_view id) const {
  for (const auto& a : activities)
    if (a.id == id) return &a;
  return nullptr;
}

const RedFlag* KnowledgeBase::red_flag(std::string_view id) const {
  for (const auto& f : safety.red_flags)
    if (f.id == id) return &f;
  return nullptr;
}

const ScreeningRule* KnowledgeBase::screening_rule(std::string_view id) const {
  for (const auto& s : safety.screening)
    if (s.id == id) return &s;
  return nullptr;
}

bool KnowledgeBase::is_muscle_or_group(const MuscleId& id) const { return muscle(id) != nullptr || group(id) != nullptr; }

std::vector<MuscleId> KnowledgeBase::members(const MuscleId& id) const {
  if (const Group* g = group(id)) return g->members;
  return {id};
}

bool KnowledgeBase::covers(const MuscleId& target, const MuscleId& finding) const {
  if (target == finding) return true;
  if (muscles.size() <= 128) {
    auto a = masks_.find(target.str());
    auto b = masks_.find(finding.str());
    return a != masks_.end() && b != masks_.end() && (a->second & b->second) != 0;
  }
  const auto a = members(target);
  const auto b = members(finding);
  return std::any_of(a.begin(), a.end(), [&](const MuscleId& m) { return std::find(b.begin(), b.end(), m) != b.end(); });
}

std::string KnowledgeBase::muscle_name(const MuscleId& id) const {
  if (const Muscle* m = muscle(id)) return m->name;
  if (const Group* g = group(id)) return g->name;
  return id.str();
}

bool KnowledgeBase::is_midline(const MuscleId& id) const {
  const auto list = members(id);
  return !list.empty() && std::all_of(list.begin(), list.end(), [&](const MuscleId& m) {
    const Muscle* mu = muscle(m);
    return mu != nullptr && mu->midline;
  });
}

std::filesystem::path default_data_dir(const std::filesystem::path& executable) {
  if (const char* env = std::getenv("REBALANCE_DATA"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const auto exe = std::filesystem::weakly_canonical(executable, ec);
  if (!ec) {
    const auto installed = exe.parent_path().parent_path() / "share" / "rebalance" / "data";
    if (std::filesystem::is_regular_file(installed / "kb.json", ec)) return installed;
    const auto beside = exe.parent_path() / "data";
    if (std::filesystem::is_regular_file(beside / "kb.json", ec)) return beside;
  }
  return REBALANCE_SOURCE_DATA_DIR;
}

}  // namespace rebalance::kb
