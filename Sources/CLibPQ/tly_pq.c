#include "tly_pq.h"

int tly_pq_cancel(PGconn *connection, char *error, int error_size) {
    PGcancel *cancel = PQgetCancel(connection);
    if (cancel == NULL) return 0;
    int sent = PQcancel(cancel, error, error_size);
    PQfreeCancel(cancel);
    return sent;
}
