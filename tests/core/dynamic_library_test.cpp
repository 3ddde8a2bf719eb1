#include "core/detail/dynamic_library.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>

namespace rebalance::detail {
namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(DynamicLibrary, AMissingLibrarySaysWhatNeedsItAndWhatToInstall) {
  const auto message = error_of([] { DynamicLibrary("librebalance-absent.so.9", "Testing", "librebalance-absent9"); });
  EXPECT_EQ(message.rfind("Testing needs librebalance-absent9 (apt-get install librebalance-absent9): ", 0), 0u) << message;
  EXPECT_NE(message.find("librebalance-absent.so.9"), std::string::npos) << "dlerror names the file: " << message;
}

TEST(DynamicLibrary, FunctionsAreFoundByNameAndAMissingOneIsAnError) {
  const DynamicLibrary libc("libc.so.6", "Testing", "libc6");
  const auto length = libc.function<decltype(&::strlen)>("strlen");
  EXPECT_EQ(length("four"), 4u);
  const auto message = error_of([&] { libc.function<void (*)()>("rebalance_no_such_function"); });
  EXPECT_EQ(message, "Testing: the libc6 installed lacks rebalance_no_such_function (too old?)");
}

}  // namespace
}  // namespace rebalance::detail
