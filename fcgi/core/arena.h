/* Request arena: many small allocations, one release.  Every per-request
 * string and structure comes from here so that a request cannot leak. */
#ifndef FC_ARENA_H
#define FC_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena	*arena_new(void);
void	 arena_free(arena *);
/* Release everything allocated since creation, keeping the first block. */
void	 arena_reset(arena *);
/* NULL only when the system is out of memory. Memory is 16-byte aligned. */
void	*arena_alloc(arena *, size_t);
void	*arena_calloc(arena *, size_t, size_t);
char	*arena_strdup(arena *, const char *);
char	*arena_strndup(arena *, const char *, size_t);
char	*arena_printf(arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Bytes currently held, for the leak-free RSS benchmark. */
size_t	 arena_size(const arena *);

#endif
