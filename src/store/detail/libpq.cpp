#include "store/detail/libpq.h"

#include "store/store.h"

namespace rebalance::store::detail {

namespace {

Libpq load() {
  try {
    const rebalance::detail::DynamicLibrary library("libpq.so.5", "PostgreSQL", "libpq5");
    Libpq table;
    REBALANCE_LIBPQ_FUNCTIONS(REBALANCE_DYNAMIC_LOAD)
    return table;
  } catch (const std::runtime_error& e) {
    throw StoreError(e.what());  // what the store's callers catch
  }
}

}  // namespace

const Libpq& libpq() {
  static const Libpq lib = load();  // a failed load throws, and the next call tries again
  return lib;
}

}  // namespace rebalance::store::detail
