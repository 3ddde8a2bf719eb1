#include "render/detail/libcairo.h"

#include <dlfcn.h>

#include <stdexcept>
#include <string>

namespace rebalance::render::detail {

namespace {

Libcairo load() {
  void* handle = dlopen("libcairo.so.2", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw std::runtime_error(std::string("PDF and PNG drawing needs Cairo (apt-get install libcairo2): ") +
                             (why ? why : "not found"));
  }
  Libcairo lib;
#define REBALANCE_CAIRO_LOAD(name)                                                      \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));                 \
  if (lib.name == nullptr) throw std::runtime_error("the Cairo found lacks " #name " (libcairo2 too old?)");
  REBALANCE_CAIRO_FUNCTIONS(REBALANCE_CAIRO_LOAD)
#undef REBALANCE_CAIRO_LOAD
  return lib;  // the handle stays open: the process keeps drawing with it
}

}  // namespace

const Libcairo& libcairo() {
  static const Libcairo lib = load();  // a failed load throws, and the next call tries again
  return lib;
}

}  // namespace rebalance::render::detail
