// What the subcommands share: loading the knowledge base, reading an intake,
// writing output atomically, and the exit-code convention of the contract.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/date.h"
#include "intake/intake.h"
#include "kb/kb.h"

namespace rebalance::cli {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;

// Thrown by the helpers below; main prints `lines` on stderr and exits `code`.
struct Failure {
  int code = kExitBadInput;
  std::vector<std::string> lines;
};

// Options every subcommand shares.
struct Globals {
  std::string data_dir;  // empty: kb::default_data_dir
  std::string argv0;
};

// The knowledge base, validated; a command that draws nothing asks for it
// without drawings, which halves the time it takes to start.
std::shared_ptr<const kb::KnowledgeBase> load_kb(const Globals& globals, kb::Parts parts = kb::Parts::kAll);

// The name of an input in messages: the path, or <stdin> for "-".
std::string input_name(const std::string& path);

// The whole text of a file, or of standard input for "-"; a missing,
// unreadable or directory path is a Failure naming it (exit 2).
std::string read_input(const std::string& path);

// Throws a Failure (exit 2) listing every problem, one line each.
[[noreturn]] void fail_with(const std::vector<Problem>& problems);

// Reads and validates an intake; `path` "-" is standard input (named <stdin>).
intake::Intake read_intake(const std::string& path, const kb::KnowledgeBase& kb);

// Writes `content` to `path` (stdout when empty), all or nothing: a file is
// written beside its destination and renamed into place.
void write_output(const std::string& content, const std::string& path);

// Fails early when `path` cannot be written, before any work is done.
void check_writable(const std::string& path);

// Today's local calendar date.
Date today();

}  // namespace rebalance::cli
