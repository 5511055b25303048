/* Schema migrations: sql/migrations/NNNN_name.sql applied in order, each
 * once, each in its own transaction, recorded in schema_migrations. */
#ifndef FC_MIGRATE_H
#define FC_MIGRATE_H

#include <stdio.h>
#include <libpq-fe.h>

/* Apply what is pending; progress to out.  0, or -1 after printing why. */
int	migrate_apply(PGconn *, const char *dir, FILE *out);
/* List every migration file with applied/pending. */
int	migrate_status(PGconn *, const char *dir, FILE *out);

#endif
