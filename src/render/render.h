// Writers of engine values: JSON (the contract's formats), text for people,
// a printable HTML handout, an RFC 5545 calendar and a PDF handout. Each
// returns the whole document; nothing is written until it is complete.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "assess/assess.h"
#include "figure/figure.h"
#include "kb/kb.h"
#include "plan/plan.h"
#include "track/adherence.h"
#include "track/compare.h"
#include "track/progress.h"

namespace rebalance::render {

// Who the output is for (from the intake's client section; may be empty).
struct Header {
  std::string client_name;
  std::string timezone;  // IANA name for calendars; empty: floating dates
};

// The knowledge base a value was made with: its own record of it (a stored
// program read back keeps the version that made it), else `kb`'s. Every
// rendering of a stored value names this one.
inline const std::string& version_of(const kb::KnowledgeBase& kb, const std::string& own) {
  return own.empty() ? kb.version : own;
}

// `rebalance.assessment/1` (contract section 4), pretty-printed, ending in a
// newline. Each of these two writes the value's own knowledge-base version
// (`kb`'s when the value has none), so a stored value read back is written
// as it was stored.
std::string assessment_json(const kb::KnowledgeBase& kb, const assess::Assessment& a);
// `rebalance.program/1` (contract section 5).
std::string program_json(const kb::KnowledgeBase& kb, const plan::Program& p);

std::string assessment_text(const kb::KnowledgeBase& kb, const assess::Assessment& a, const Header& h);

// A referral's heading for people: what it is about and how soon to act
// ("Low back: bowel_bladder [emergency: now]", "Uncontrolled high blood
// pressure [before the excluded work]").
std::string referral_title(const kb::KnowledgeBase& kb, const assess::Referral& r);
std::string program_text(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h);

// A self-contained printable handout: one page per week with a checklist.
std::string program_html(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h);

// RFC 5545: one VEVENT per session (all-day), CRLF line ends, lines folded at
// 75 octets, UIDs stable for the same program.
std::string program_ics(const kb::KnowledgeBase& kb, const plan::Program& p, const Header& h);

// A PDF handout (Cairo). Returns the bytes.
std::string program_pdf(const kb::KnowledgeBase& kb, const assess::Assessment& a, const plan::Program& p, const Header& h);

// An exercise's figure as a standalone SVG document (also valid inline in
// HTML): the still shows the start position faded, the key position solid
// and a motion arrow; the animated one loops one repetition in SMIL.
std::string figure_svg(const kb::KnowledgeBase& kb, const body::Illustration& ill, bool animated);
// A contact sheet of the exercises' stills as a PNG: `columns` per row, each
// cell `cell` pixels wide, the name under each figure.
std::string contact_sheet_png(const kb::KnowledgeBase& kb, const std::vector<const kb::Exercise*>& exercises, int columns = 8,
                              int cell = 220);
// A keypoint series as JSON (`rebalance.keypoints/1`).
std::string keypoints_json(const figure::KeypointSeries& series);

// Knowledge-base browsing for the command line.
std::string exercises_text(const kb::KnowledgeBase& kb);
std::string exercise_text(const kb::KnowledgeBase& kb, const kb::Exercise& e);
std::string exercises_json(const kb::KnowledgeBase& kb, const kb::Exercise* only);
std::string muscles_text(const kb::KnowledgeBase& kb);
std::string muscles_json(const kb::KnowledgeBase& kb);
std::string tests_text(const kb::KnowledgeBase& kb);
std::string tests_json(const kb::KnowledgeBase& kb);
// A re-assessment comparison (`rebalance.comparison/1`): summary counts,
// findings, measurements with their MDC verdicts, asymmetries, ratios.
std::string comparison_json(const kb::KnowledgeBase& kb, const track::Comparison& c);
// Adherence figures: due, completed, consistency, streaks, missed, next, weeks.
std::string adherence_json(const track::Adherence& a);
// A progress report (`rebalance.progress/1`): adherence, logged sessions, the
// latest re-assessment comparison; as text; as a self-contained HTML page
// with its charts drawn as inline SVG (adherence per week, effort and pain).
std::string progress_json(const kb::KnowledgeBase& kb, const track::Progress& p);
std::string progress_text(const kb::KnowledgeBase& kb, const track::Progress& p);
std::string progress_html(const kb::KnowledgeBase& kb, const track::Progress& p);
// Prevention tips, functional-training and consistency guidance, disclaimer.
std::string guidance_json(const kb::KnowledgeBase& kb);
// Every vocabulary a form or a reader of the engine's documents needs, each
// list in the knowledge base's order (the order people are shown it): ids
// with display names, and what a form asks and shows beside them (a pain
// region's midline, a red flag's systemic class and urgency, a screening
// item's parameters, a posture measure's unit, accepted range, limits and
// how-to hint, a movement observation's sidedness). No sources: the
// documents that judge (tests_json, assessment_json) carry those.
std::string vocabulary_json(const kb::KnowledgeBase& kb);

// Shared helpers for writers.
// The exercises a program uses, each once, in order of first appearance.
std::vector<const kb::Exercise*> exercises_used(const kb::KnowledgeBase& kb, const plan::Program& p);
std::string dose_text(const kb::Dose& dose, const std::optional<int>& extra_left = std::nullopt,
                      const std::optional<int>& extra_right = std::nullopt);
std::string target_text(const kb::KnowledgeBase& kb, const plan::Target& t);
// Dates as people read them: "Mon 30 Nov 2026", and short: "30 Nov".
std::string long_date(const Date& d);
std::string short_date(const Date& d);
// A name inside a sentence: "iliopsoas", not "Iliopsoas".
std::string in_sentence(std::string name);
// A referral in words a client reads, without ids: how soon, about what, and
// the knowledge base's detail ("Urgent, within a day or two: ...").
std::string plain_referral(const kb::KnowledgeBase& kb, const assess::Referral& r);
// Why an item is in the program, in plain words: "Stretches your tight
// iliopsoas (left side)"; several targets joined, one verb per phase.
std::string plain_why(const kb::KnowledgeBase& kb, const plan::Item& item);

}  // namespace rebalance::render
