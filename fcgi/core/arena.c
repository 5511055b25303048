#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_BLOCK	(64 * 1024)
#define ARENA_ALIGN	16

struct block {
	struct block	*next;
	size_t		 size;
	size_t		 used;
	/* Keeps data[] aligned for any type. */
	max_align_t	 data[];
};

struct arena {
	struct block	*head;	/* current block; the first block is last */
	size_t		 total;
};

static struct block *
block_new(size_t size)
{
	struct block	*b;

	if (size > SIZE_MAX - sizeof(*b))
		return NULL;
	if ((b = malloc(sizeof(*b) + size)) == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena *
arena_new(void)
{
	arena	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->head = block_new(ARENA_BLOCK)) == NULL) {
		free(a);
		return NULL;
	}
	a->total = ARENA_BLOCK;
	return a;
}

void
arena_free(arena *a)
{
	struct block	*b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void
arena_reset(arena *a)
{
	struct block	*b;

	while (a->head->next != NULL) {
		b = a->head;
		a->head = b->next;
		a->total -= b->size;
		free(b);
	}
	a->head->used = 0;
}

void *
arena_alloc(arena *a, size_t n)
{
	struct block	*b;
	size_t		 need, size;
	char		*p;

	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (need == 0)
		need = ARENA_ALIGN;
	b = a->head;
	if (b->size - b->used < need) {
		size = need > ARENA_BLOCK ? need : ARENA_BLOCK;
		if ((b = block_new(size)) == NULL)
			return NULL;
		b->next = a->head;
		a->head = b;
		a->total += size;
	}
	p = (char *)b->data + b->used;
	b->used += need;
	return p;
}

void *
arena_calloc(arena *a, size_t count, size_t size)
{
	void	*p;

	if (size != 0 && count > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(a, count * size)) != NULL)
		memset(p, 0, count * size);
	return p;
}

char *
arena_strndup(arena *a, const char *s, size_t n)
{
	char	*p;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
arena_size(const arena *a)
{
	return a->total;
}
