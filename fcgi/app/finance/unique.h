/* Whether n keys are all different, in O(n log n): a bank file may hold
 * thousands of lines, and each must be the only one with its id. */
#ifndef FC_APP_FINANCE_UNIQUE_H
#define FC_APP_FINANCE_UNIQUE_H

#include <stddef.h>

/* The key of item i of ctx (never NULL). */
typedef const char *(*unique_key)(const void *ctx, size_t i);

/* The index of the first item (in order) whose key an earlier item has
 * already; -1 when all differ; -2 when memory ran out. */
long	unique_first_repeat(const void *ctx, size_t n, unique_key key);

#endif
