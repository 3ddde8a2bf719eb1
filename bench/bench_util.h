// Shared by the benchmarks.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace rebalance::bench {

inline std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace rebalance::bench
