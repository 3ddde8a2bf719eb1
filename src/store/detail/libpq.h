// libpq, loaded when a PostgreSQL store is opened rather than when the
// program starts. Linked directly, libpq brings about twenty libraries
// (TLS, Kerberos, LDAP, SASL) that every start of every command would map
// and relocate, a PostgreSQL store or not: a third of a cold
// `rebalance plan` (docs/performance.md).
#pragma once

#include <libpq-fe.h>

#include "core/detail/dynamic_library.h"

namespace rebalance::store::detail {

// The functions of libpq the PostgreSQL store calls, by their own names.
#define REBALANCE_LIBPQ_FUNCTIONS(X)                                                                                \
  X(PQclear)                                                                                                         \
  X(PQconnectdb)                                                                                                     \
  X(PQerrorMessage)                                                                                                  \
  X(PQexecParams)                                                                                                    \
  X(PQexecPrepared)                                                                                                  \
  X(PQfinish)                                                                                                        \
  X(PQgetlength)                                                                                                     \
  X(PQgetvalue)                                                                                                      \
  X(PQntuples)                                                                                                       \
  X(PQprepare)                                                                                                       \
  X(PQresultErrorMessage)                                                                                            \
  X(PQresultStatus)                                                                                                  \
  X(PQsetNoticeProcessor)                                                                                            \
  X(PQsocket)                                                                                                        \
  X(PQstatus)                                                                                                        \
  X(PQtransactionStatus)

struct Libpq {
  REBALANCE_LIBPQ_FUNCTIONS(REBALANCE_DYNAMIC_MEMBER)
};

// libpq (its ABI, libpq.so.5), loaded on the first call and kept for the
// life of the process. Throws StoreError saying what to install when it
// cannot be loaded or lacks one of the functions.
const Libpq& libpq();

}  // namespace rebalance::store::detail
