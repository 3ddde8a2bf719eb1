#include "store/detail/libpq.h"

#include <dlfcn.h>

#include <string>

#include "store/store.h"

namespace rebalance::store::detail {

namespace {

Libpq load() {
  // RTLD_LOCAL: libpq's symbols serve this table only.
  void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    throw StoreError(std::string("PostgreSQL needs libpq (apt-get install libpq5): ") + (why ? why : "not found"));
  }
  Libpq lib;
#define REBALANCE_LIBPQ_LOAD(name)                                                                \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));                           \
  if (lib.name == nullptr) throw StoreError("PostgreSQL: the libpq found lacks " #name " (libpq5 too old?)");
  REBALANCE_LIBPQ_FUNCTIONS(REBALANCE_LIBPQ_LOAD)
#undef REBALANCE_LIBPQ_LOAD
  return lib;  // the handle stays open: the process keeps using libpq
}

}  // namespace

const Libpq& libpq() {
  static const Libpq lib = load();  // a failed load throws, and the next call tries again
  return lib;
}

}  // namespace rebalance::store::detail
