// RFC 5545 writer.
#include <fmt/format.h>

#include <cstdint>

#include "render/render.h"

namespace rebalance::render {
namespace {

// TEXT escaping (RFC 5545 3.3.11).
std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// Folds a content line at 75 octets (RFC 5545 3.1) without splitting a UTF-8
// sequence, and ends it with CRLF.
std::string fold(const std::string& line) {
  std::string out;
  size_t start = 0;
  size_t limit = 75;
  while (line.size() - start > limit) {
    size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out += line.substr(start, cut - start) + "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out += line.substr(start) + "\r\n";
  return out;
}

uint64_t fnv1a(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string program_ics(const kb::KnowledgeBase& kb, const plan::Program& p, const Header& h) {
  // UIDs depend on who and when, not on the content: a re-export of an
  // adjusted program updates the same calendar entries.
  const std::string key = fmt::format("{:016x}", fnv1a(h.client_name + "|" + p.start.iso()));
  const std::string stamp = p.start.compact() + "T000000Z";
  std::string out;
  auto line = [&](const std::string& l) { out += fold(l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//Rebalance//Rebalance knowledge base " + version_of(kb, p.kb_version) + "//EN");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + escape("Rebalance program" + (h.client_name.empty() ? std::string() : " for " + h.client_name)));
  if (!h.timezone.empty()) line("X-WR-TIMEZONE:" + escape(h.timezone));
  for (const auto& s : p.sessions) {
    std::string desc;
    for (const auto& item : s.items) {
      const kb::Exercise* e = kb.exercise(item.exercise);
      desc += "- " + (e ? e->name : item.exercise.str()) + ": " +
              dose_text(item.dose, item.extra_sets_left, item.extra_sets_right) + "\n";
    }
    desc += fmt::format("About {:.0f} minutes. Log effort and pain (0-10) afterwards.", s.estimated_minutes);
    line("BEGIN:VEVENT");
    line(fmt::format("UID:rebalance-{}-w{}-d{}@rebalance", key, s.week, s.day));
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + s.date.compact());
    line("DTEND;VALUE=DATE:" + s.date.plus_days(1).compact());
    line("SUMMARY:" + escape(fmt::format("Rebalance: week {}, session {} (~{:.0f} min)", s.week, s.day, s.estimated_minutes)));
    line("DESCRIPTION:" + escape(desc));
    line("CATEGORIES:Rebalance");
    line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
  }
  for (const auto& r : p.reassessments) {
    line("BEGIN:VEVENT");
    line(fmt::format("UID:rebalance-{}-reassess-w{}@rebalance", key, r.week));
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + r.date.compact());
    line("DTEND;VALUE=DATE:" + r.date.plus_days(1).compact());
    line("SUMMARY:" + escape(fmt::format("Rebalance: re-assessment after week {}", r.week)));
    line("DESCRIPTION:" +
         escape(
             "Repeat the tests of the first assessment and compare: progress is judged against each test's measurement error."));
    line("CATEGORIES:Rebalance");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace rebalance::render
