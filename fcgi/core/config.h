/* Configuration comes from environment variables, each with a documented
 * default (see config.c's table and README.md). */
#ifndef FC_CONFIG_H
#define FC_CONFIG_H

#include <stddef.h>
#include <stdio.h>

struct config {
	const char	*env;		/* development, test, production */
	const char	*db;		/* libpq conninfo, application role */
	const char	*db_owner;	/* libpq conninfo, owner role (migrations) */
	const char	*socket;	/* FastCGI Unix socket */
	const char	*templates;	/* templates folder */
	const char	*migrations;	/* sql/migrations folder */
	const char	*data_dir;	/* uploaded files, spool */
	const char	*secret_key_file;
	const char	*base_url;
	int		 workers;
	int		 max_body_mb;
	int		 max_upload_mb;	/* platform exports (ROUTE_UPLOAD) */
	int		 session_idle_hours;
	int		 fetch_timeout;	/* seconds for a source's file download */
	/* The accounting service the invoices sync to (Armado): its base
	 * URL (the default only, in production), the seconds a call may
	 * take, and the attempts before a sync row is given up (dead). */
	const char	*armado_url;
	int		 armado_timeout;
	int		 armado_attempts;
	/* Outside services' endpoints: the real hosts in production (a
	 * variable naming another is refused there); replaceable elsewhere
	 * (tests, fakes). */
	const char	*bolt_auth_url;
	const char	*bolt_api_url;
	const char	*uber_auth_url;
	const char	*uber_api_url;
	const char	*heetch_auth_url;
	const char	*heetch_api_url;
};

/* Fill from the environment; -1 with a message on an invalid value. */
int	config_load(struct config *, char *err, size_t errlen);
/* Print NAME=value lines, secrets masked. */
void	config_print(const struct config *, FILE *);
int	config_is_production(const struct config *);
/* A conninfo with its password replaced by ****. */
void	config_mask_conninfo(const char *, char *out, size_t outlen);

#endif
