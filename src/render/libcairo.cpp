#include "render/detail/libcairo.h"

namespace rebalance::render::detail {

namespace {

Libcairo load() {
  const rebalance::detail::DynamicLibrary library("libcairo.so.2", "PDF and PNG drawing", "libcairo2");
  Libcairo table;
  REBALANCE_CAIRO_FUNCTIONS(REBALANCE_DYNAMIC_LOAD)
  return table;
}

}  // namespace

const Libcairo& libcairo() {
  static const Libcairo lib = load();  // a failed load throws, and the next call tries again
  return lib;
}

}  // namespace rebalance::render::detail
