#include "kb/kb.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace rebalance::kb {

void set_hold(Dose& dose, double seconds) {
  dose.hold_seconds = seconds;
  const std::string marker = " s hold";
  const size_t at = dose.tempo.find(marker);
  if (at == std::string::npos) return;
  size_t start = at;
  while (start > 0 && (std::isdigit(static_cast<unsigned char>(dose.tempo[start - 1])) || dose.tempo[start - 1] == '.')) --start;
  if (start == at) return;  // "slow in, hold, slow out": no number to change
  char text[32];  // as printf's "%g" writes it
  const char* end = std::to_chars(text, text + sizeof text, seconds, std::chars_format::general, 6).ptr;
  dose.tempo.replace(start, at - start, text, static_cast<size_t>(end - text));
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

void MuscleSet::add(size_t bit) {
  if (words_.size() <= bit / 64) words_.resize(bit / 64 + 1, 0);
  words_[bit / 64] |= std::uint64_t{1} << (bit % 64);
}

void MuscleSet::add(const MuscleSet& other) {
  if (words_.size() < other.words_.size()) words_.resize(other.words_.size(), 0);
  for (size_t i = 0; i < other.words_.size(); ++i) words_[i] |= other.words_[i];
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
  for (size_t i = 0; i < tests.size(); ++i) test_index_[std::string(to_string(tests[i].section))].emplace(tests[i].id.str(), i);
  sets_.clear();
  size_t bit = 0;
  for (const auto& m : muscles) sets_[m.id.str()].add(bit++);
  for (const auto& g : groups) {
    MuscleSet set;
    for (const auto& m : g.members)
      if (auto it = sets_.find(m.str()); it != sets_.end()) set.add(it->second);
    if (g.members.empty()) set.add(bit++);
    sets_[g.id.str()].add(set);
  }
  primary_sets_.assign(exercises.size(), {});
  secondary_sets_.assign(exercises.size(), {});
  for (size_t i = 0; i < exercises.size(); ++i) {
    for (const auto& m : exercises[i].primary) primary_sets_[i].add(muscle_set(m));
    for (const auto& m : exercises[i].secondary) secondary_sets_[i].add(muscle_set(m));
  }
}

const MuscleSet& KnowledgeBase::muscle_set(const MuscleId& id) const {
  static const MuscleSet kNone;
  auto it = sets_.find(id.str());
  return it == sets_.end() ? kNone : it->second;
}

const MuscleSet& KnowledgeBase::targets(const Exercise& e, bool secondary) const {
  const auto i = static_cast<size_t>(&e - exercises.data());
  return secondary ? secondary_sets_.at(i) : primary_sets_.at(i);
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
  if (!has_drawings) throw std::logic_error("illustration(): the knowledge base was loaded without drawings");
  auto it = illustration_index_.find(id.str());
  return it == illustration_index_.end() ? nullptr : &illustrations[it->second];
}

const Test* KnowledgeBase::test(std::string_view section, std::string_view id) const {
  auto in = test_index_.find(section);
  if (in == test_index_.end()) return nullptr;
  auto it = in->second.find(id);
  return it == in->second.end() ? nullptr : &tests[it->second];
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
  return target == finding || muscle_set(target).intersects(muscle_set(finding));
}

std::string KnowledgeBase::muscle_name(const MuscleId& id) const {
  if (const Muscle* m = muscle(id)) return m->name;
  if (const Group* g = group(id)) return g->name;
  return id.str();
}

bool KnowledgeBase::is_midline(const MuscleId& id) const {
  const auto midline = [&](const MuscleId& m) {
    const Muscle* mu = muscle(m);
    return mu != nullptr && mu->midline;
  };
  if (const Group* g = group(id)) return !g->members.empty() && std::all_of(g->members.begin(), g->members.end(), midline);
  return midline(id);
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
