/* Sources de données: the data shared by the screens (sources_web.c) and
 * the API (sources_api.c) — configured connectors, their health, their
 * schedule and « mode automatique », pause, and the result of « Tester la
 * connexion ».  Secrets are sealed before they reach the database and
 * never leave it in a readable form: every object built here shows them
 * masked. */
#ifndef FC_APP_SOURCES_H
#define FC_APP_SOURCES_H

#include <jansson.h>

#include "connectors/connector.h"
#include "http.h"

extern const char *const source_schedules[];
extern const char *const source_healths[];

/* What handlers need of one stored source. */
struct source_row {
	char				 id[40];
	char				 name[128];
	const struct connector_type	*type;
	json_t				*config;	/* stored, no secrets */
	int				 paused;
	int				 running;
	int				 auto_mode;
};

/* Every source of the tenant as the API shows it, with health, last and
 * next sync. */
json_t	*source_list(struct request *, int *status);
/* One source, or NULL with *status 404. */
json_t	*source_get(struct request *, const char *id, int *status);
/* 0, or 404 / a database status. */
int	 source_load(struct request *, const char *id, struct source_row *);
void	 source_row_clear(struct source_row *);

/* Validate a name and the type's fields from values (strings).  current:
 * the stored row for an update (blank secrets keep theirs).  Returns the
 * object to store {name, config} and *errors. */
json_t	*source_input(struct request *, const struct connector_type *,
	    json_t *values, const struct source_row *current, json_t **errors);
/* Store a new source (input from source_input); its id into id.  0, or a
 * status with *errors naming the field (409 for a duplicate name). */
int	 source_insert(struct request *, const struct connector_type *,
	    json_t *input, char id[40], json_t **errors);
int	 source_update(struct request *, const struct source_row *,
	    json_t *input, json_t **errors);
/* The generic connector's mapping {canonical column: header}. */
int	 source_save_mapping(struct request *, const struct source_row *,
	    json_t *mapping);

int	 source_set_paused(struct request *, const char *id, int paused);
/* Switch « mode automatique »: each on/off period is kept, with who. */
int	 source_set_auto(struct request *, const char *id, int on);
/* Schedule from a form or JSON: schedule, time (HH:MM), weekday (1-7). */
int	 source_set_schedule(struct request *, const char *id, json_t **errors);
/* The periods of « mode automatique », newest first. */
json_t	*source_mode_periods(struct request *, const char *id, int *status);
/* The stored configuration with the secrets opened into it, for a
 * connector's check or discover only (never shown, never logged). */
json_t	*source_config_open(struct request *, const struct source_row *);
/* « Tester la connexion »: the type's check of the configuration, with a
 * sample file when one is given (may be NULL); the answer is remembered.
 * 0 with out filled (out->result tells whether it passed) or a status. */
int	 source_check(struct request *, const struct source_row *,
	    const struct upload *sample, struct connector_outcome *out);
/* The same for the source of that id, loaded for it: 0 with out filled,
 * or a status (404 for an unknown source) with nothing in out to clear. */
int	 source_check_id(struct request *, const char *id,
	    const struct upload *sample, struct connector_outcome *out);
/* The headers of a file for the mapping screen, or NULL with out set. */
json_t	*source_discover(struct request *, const struct source_row *,
	    const char *path, struct connector_outcome *out);
/* A file descriptor reading an upload (spooled or in memory); -1. */
int	 source_upload_fd(const char *dir, const struct upload *);
/* Remember the answer of « Tester la connexion ». */
int	 source_record_check(struct request *, const char *id, int ok,
	    const char *message);

/* The portal session's sealed values (sources_session.c): an object
 * sealed with the secret key (0, or -1), opened back (NULL when it cannot
 * be), and one secret of a source set, the others kept (0 or a status). */
int	 source_seal(struct request *, json_t *, const char **out);
json_t	*source_open_sealed(struct request *, const char *sealed);
int	 source_set_secret(struct request *, const char *id, const char *name,
	    const char *value);

#endif
