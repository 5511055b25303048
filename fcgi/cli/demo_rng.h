/* The demo data's random numbers: a linear congruential generator whose
 * state lives with the caller, so that every load from the same seed makes
 * the same data. */
#ifndef FC_CLI_DEMO_RNG_H
#define FC_CLI_DEMO_RNG_H

#include <stdint.h>

struct rng {
	uint64_t	s;
};

static inline uint32_t
rnd(struct rng *g)
{
	g->s = g->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(g->s >> 33);
}

static inline int
between(struct rng *g, int lo, int hi)
{
	return lo + (int)(rnd(g) % (uint32_t)(hi - lo + 1));
}

static inline int
chance(struct rng *g, int percent)
{
	return between(g, 1, 100) <= percent;
}

#define PICK(g, a)	((a)[rnd(g) % (sizeof(a) / sizeof((a)[0]))])

#endif
