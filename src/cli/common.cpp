#include "cli/common.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace rebalance::cli {

std::shared_ptr<const kb::KnowledgeBase> load_kb(const Globals& globals, kb::Parts parts) {
  const std::filesystem::path dir =
      globals.data_dir.empty() ? kb::default_data_dir(globals.argv0) : std::filesystem::path(globals.data_dir);
  try {
    return kb::load(dir, parts);
  } catch (const InputError& e) {
    Failure f;
    f.code = kExitBadInput;
    f.lines.push_back("rebalance: the knowledge base in " + dir.string() + " is invalid:");
    for (const auto& p : e.problems) f.lines.push_back(format_problem(p));
    throw f;
  }
}

std::string input_name(const std::string& path) { return path == "-" ? "<stdin>" : path; }

std::string read_input(const std::string& path) {
  const std::string name = input_name(path);
  std::string text;
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Failure{kExitBadInput, {name + ": $: expected a readable JSON file, found a directory"}};
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Failure{kExitBadInput, {name + ": $: expected a readable JSON file, found " + std::string(std::strerror(errno))}};
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) throw Failure{kExitBadInput, {name + ": $: expected a readable JSON file, found a read error"}};
  return text;
}

void fail_with(const std::vector<Problem>& problems) {
  Failure f;
  for (const auto& p : problems) f.lines.push_back(format_problem(p));
  throw f;
}

intake::Intake read_intake(const std::string& path, const kb::KnowledgeBase& kb) {
  auto result = intake::parse(read_input(path), kb, input_name(path));
  if (!result.intake) fail_with(result.problems);
  return std::move(*result.intake);
}

void check_writable(const std::string& path) {
  if (path.empty()) return;
  std::error_code ec;
  const std::filesystem::path target(path);
  if (std::filesystem::is_directory(target, ec))
    throw Failure{kExitBadInput, {path + ": expected a writable output file, found a directory"}};
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir, ec))
    throw Failure{kExitBadInput, {path + ": expected a writable output file, found no such directory"}};
  if (::access(dir.c_str(), W_OK) != 0)
    throw Failure{kExitBadInput, {path + ": expected a writable output file, found " + std::string(std::strerror(errno))}};
  if (std::filesystem::exists(target, ec) && ::access(target.c_str(), W_OK) != 0)
    throw Failure{kExitBadInput, {path + ": expected a writable output file, found " + std::string(std::strerror(errno))}};
}

void write_output(const std::string& content, const std::string& path) {
  if (path.empty()) {
    std::cout.write(content.data(), static_cast<std::streamsize>(content.size()));
    std::cout.flush();
    if (!std::cout) throw Failure{kExitInternal, {"rebalance: could not write to standard output"}};
    return;
  }
  check_writable(path);
  const std::filesystem::path target(path);
  const auto dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  // Appended, not `"." + name`: g++ 12 at -O3 warns falsely (-Wrestrict,
  // GCC bug 105329) on a literal prepended to a temporary string.
  std::string hidden_name = ".";
  hidden_name += target.filename().string();
  hidden_name += ".XXXXXX";
  std::string tmp_template = (dir / hidden_name).string();
  std::vector<char> tmp(tmp_template.begin(), tmp_template.end());
  tmp.push_back('\0');
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    throw Failure{kExitBadInput, {path + ": expected a writable output file, found " + std::string(std::strerror(errno))}};
  size_t written = 0;
  bool ok = true;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    written += static_cast<size_t>(n);
  }
  const int saved = errno;
  if (ok && ::fsync(fd) != 0) ok = false;
  if (::close(fd) != 0) ok = false;
  if (ok) ::chmod(tmp.data(), 0644);
  if (!ok || std::rename(tmp.data(), path.c_str()) != 0) {
    const int err = ok ? errno : saved;
    ::unlink(tmp.data());
    throw Failure{kExitBadInput, {path + ": expected a writable output file, found " + std::string(std::strerror(err))}};
  }
}

Date today() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return Date::from_civil(local.tm_year + 1900, local.tm_mon + 1, local.tm_mday);
}

}  // namespace rebalance::cli
