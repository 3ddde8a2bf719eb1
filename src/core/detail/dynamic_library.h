// A shared library opened when first needed (dlopen) rather than linked, so
// that a start which does not need it does not map and relocate it and
// everything it brings (docs/performance.md, cold start). Used for libpq
// (src/store/detail/libpq.h) and Cairo (src/render/detail/libcairo.h).
// Whoever includes this links ${CMAKE_DL_LIBS}.
#pragma once

#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <utility>

// A table of a library's functions, by their own names, from a list macro
// LIST(X) naming each with X(name):
//   struct Table { LIST(REBALANCE_DYNAMIC_MEMBER) };
//   Table t; LIST(REBALANCE_DYNAMIC_LOAD)  // with a DynamicLibrary `library`
#define REBALANCE_DYNAMIC_MEMBER(name) decltype(&::name) name = nullptr;
#define REBALANCE_DYNAMIC_LOAD(name) table.name = library.function<decltype(&::name)>(#name);

namespace rebalance::detail {

class DynamicLibrary {
 public:
  // Opens `soname` (its ABI, "libpq.so.5") for `purpose` ("PostgreSQL"),
  // which Debian's `package` provides. Throws std::runtime_error saying what
  // to install when it cannot. The library stays loaded for the life of the
  // process: its functions are kept in tables.
  DynamicLibrary(const char* soname, std::string purpose, std::string package)
      : purpose_(std::move(purpose)), package_(std::move(package)) {
    handle_ = dlopen(soname, RTLD_NOW | RTLD_LOCAL);  // its symbols serve our tables only
    if (handle_ == nullptr) {
      const char* why = dlerror();
      throw std::runtime_error(purpose_ + " needs " + package_ + " (apt-get install " + package_ + "): " +
                               (why ? why : "not found"));
    }
  }

  // The function `name`, as type F. Throws std::runtime_error when the
  // library lacks it (an older version of the package).
  template <class F>
  F function(const char* name) const {
    void* symbol = dlsym(handle_, name);
    if (symbol == nullptr)
      throw std::runtime_error(purpose_ + ": the " + package_ + " installed lacks " + name + " (too old?)");
    return reinterpret_cast<F>(symbol);
  }

 private:
  void* handle_ = nullptr;
  std::string purpose_, package_;
};

}  // namespace rebalance::detail
