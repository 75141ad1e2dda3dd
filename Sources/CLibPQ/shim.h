#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
// libpq, the PostgreSQL C client library (Debian: libpq-dev, header in /usr/include/postgresql, found via
// pkg-config `libpq`). Its API has no variadic functions, so it imports into Swift without wrappers.
// Only the PostgresSource module imports this.
#include <libpq-fe.h>
#endif
