/* The compiler's state, shared by its passes: the lexer and the pairing
 * of tags (tmpl_lex.c), the whitespace rules (tmpl_lines.c) and the
 * emitting of tokens (tmpl_compile.c). */
#ifndef FC_TMPL_COMPILE_H
#define FC_TMPL_COMPILE_H

#include "buf.h"
#include "tmpl_int.h"

struct raw {
	size_t		 off, len;	/* text: the slice kept; tag: its name */
	size_t		 ind_off, ind_len; /* indentation found for the tag */
	uint32_t	 line, col;
	uint32_t	 lineno;	/* logical line: multi-line tags join */
	uint32_t	 match;		/* the other tag of a pair */
	uint32_t	 tokidx;	/* open tags: their token */
	char		 kind;		/* 0 text, 'v' variable, else sigil */
	uint8_t		 bol;		/* starts a (source or block) line */
	uint8_t		 drop;		/* produces nothing */
	uint8_t		 standalone;	/* alone on its line */
	uint8_t		 pair;		/* parent/block element standalone */
	uint8_t		 firstline;	/* block: its tag line is removed */
	uint8_t		 arg;		/* block passed to a parent */
};

struct compiler {
	tmpl_set	*set;
	const char	*src;
	size_t		 len;
	const char	*origin;
	char		*err;
	size_t		 errlen;
	struct raw	*r;
	size_t		 n, cap;
	/* line and column of lc_pos, advanced monotonically */
	size_t		 lc_pos;
	uint32_t	 lc_line, lc_col;
	/* output */
	struct tok	*t;
	size_t		 nt, tcap;
	buf		 pool;
	uint32_t	 last_text;	/* text token later text may extend */
};

int	tmpl_cerr(struct compiler *, uint32_t, uint32_t, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
int	tmpl_oom(struct compiler *);
int	tmpl_is_open(char kind);

/* The passes, in the order tmpl_compile runs them. */
int	tmpl_lex(struct compiler *);
int	tmpl_match(struct compiler *);
void	tmpl_parent_args(struct compiler *);
void	tmpl_block_lines(struct compiler *);
void	tmpl_parent_lines(struct compiler *);
void	tmpl_param_blocks(struct compiler *);
void	tmpl_standalone_lines(struct compiler *);

#endif
