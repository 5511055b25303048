/* What the modules that keep files under the data folder share: names
 * built from identifiers (checked, since a path is made of them) and
 * complete writes. */
#ifndef FC_FILES_H
#define FC_FILES_H

#include <stddef.h>

/* The alphabet of random keys (crypto.h's tokens, base64url). */
#define FILES_KEY_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789-_"

/* 1 when s is a UUID as PostgreSQL prints it (either case of hex). */
int	files_is_uuid(const char *s);
/* 1 when s is len characters of the key alphabet. */
int	files_is_key(const char *s, size_t len);
/* Write all of p to fd, through short writes and EINTR: 0 or -1. */
int	files_write_all(int fd, const void *p, size_t n);

#endif
