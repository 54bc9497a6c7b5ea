#ifndef TLY_PQ_H
#define TLY_PQ_H

// libpq, the PostgreSQL client library psql uses (Debian's libpq-dev), for Tally's PostgreSQL backend.
#include <postgresql/libpq-fe.h>

/// Asks the server to cancel the statement running on `connection`; returns 1 when the request was sent. Safe to call
/// from another thread than the one waiting for the result (libpq's PQcancel is).
int tly_pq_cancel(PGconn *connection, char *error, int error_size);

#endif
