/* What the Mustache engine's files share, and nothing outside them
 * includes: the compiled form of a template, the set, the limits. */
#ifndef FC_TMPL_INT_H
#define FC_TMPL_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tmpl.h"

/* Bounds both the context stack and the nesting of expansions, so that
 * recursive partials or self-referencing blocks end with an error
 * instead of exhausting the C stack. */
#define TMPL_MAX_DEPTH	256
/* Depth alone does not bound the work: partials p1..p40 each using the
 * next one twice make 2^40 expansions.  A render visiting more tokens,
 * or writing more bytes, than this fails instead of hanging a worker.
 * Both sit far above any page (a 100-row table visits a few thousand
 * tokens) yet keep a runaway render within memory and a few seconds. */
#ifndef TMPL_MAX_STEPS
#define TMPL_MAX_STEPS	(1UL << 26)
#endif
#ifndef TMPL_MAX_OUTPUT
#define TMPL_MAX_OUTPUT	(256UL << 20)
#endif
#define TMPL_MAX_FILE	(16u * 1024 * 1024)
#define TMPL_MAX_DIRS	32
#define TMPL_PATH_MAX	4096
#define NONE		UINT32_MAX

enum tok_kind {
	TK_TEXT,
	TK_VAR,		/* escaped interpolation */
	TK_RAW,		/* unescaped interpolation */
	TK_SECTION,
	TK_INVERTED,
	TK_PARTIAL,
	TK_PARENT,
	TK_BLOCK,
};

enum tok_flag {
	TF_BOL = 1 << 0,	/* text starts a source line */
	TF_STANDALONE = 1 << 1,	/* expansion indents by `ind` */
	TF_FIRSTLINE = 1 << 2,	/* block: the first line is indented too */
};

struct tok {
	uint8_t		 kind;
	uint8_t		 flags;
	uint16_t	 nseg;		/* 0 with seg == NULL: "." */
	uint32_t	 end;		/* index just past the content */
	uint32_t	 line, col;	/* of the tag, for tmpl_set_check */
	const char	*str;		/* text, or partial/parent/block name */
	size_t		 len;
	const char	*ind;		/* indentation this expansion adds */
	size_t		 indlen;
	const char *const *seg;		/* dotted name, split at compile time */
	const size_t	*seglen;	/* their lengths: no strlen per lookup */
};

struct tmpl {
	const char	*name;
	const char	*origin;	/* file name or name, for messages */
	struct tok	*toks;
	uint32_t	 ntoks;
};

struct tmpl_set {
	int		 flags;
	arena		*mem;		/* every template's memory */
	struct tmpl	**v;		/* in insertion order */
	size_t		 n, cap;
	uint32_t	*slots;		/* open addressing: index + 1, 0 empty */
	size_t		 nslots;
};

void	tmpl_seterr(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* The template of that name in the set, or NULL. */
const struct tmpl *tmpl_find(const tmpl_set *, const char *name);
/* Compile src into the set's memory (tmpl_compile.c); NULL with err. */
struct tmpl *tmpl_compile(tmpl_set *, const char *name, const char *origin,
	    const char *src, size_t len, char *err, size_t errlen);

static inline int
tmpl_ends_with(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

#endif
