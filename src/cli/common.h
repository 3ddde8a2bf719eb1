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

std::shared_ptr<const kb::KnowledgeBase> load_kb(const Globals& globals);

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
