/*
 * bulk.c
 *	  Column buffers for the bulk statements of an auction (bulk.h).
 */
#include "postgres.h"

#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "bulk.h"

void
column_push(Column *c, Datum d)
{
	if (c->n == c->cap)
	{
		c->cap = c->cap ? c->cap * 2 : 256;
		c->values = c->values ? repalloc_huge(c->values, sizeof(Datum) * c->cap)
			: palloc_extended(sizeof(Datum) * c->cap, MCXT_ALLOC_HUGE);
	}
	c->values[c->n++] = d;
}

Datum
column_array(Column *c, Oid elemtype)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;

	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	return PointerGetDatum(construct_array(c->values, c->n, elemtype,
										   typlen, typbyval, typalign));
}

/*
 * Reorder parallel columns by the int64 values of the first one, so that
 * the bulk statements probe their primary keys in order rather than in
 * book order: the same pages are visited once, and stay in cache.
 */
typedef struct SortPerm
{
	int64		key1;
	int64		key2;
	int			at;
} SortPerm;

static int
cmp_perm(const void *a, const void *b)
{
	const SortPerm *x = a;
	const SortPerm *y = b;

	if (x->key1 != y->key1)
		return x->key1 < y->key1 ? -1 : 1;
	if (x->key2 != y->key2)
		return x->key2 < y->key2 ? -1 : 1;
	return 0;
}

void
columns_sort(Column *key1, Column *key2, Column **others, int nothers)
{
	int			n = key1->n;
	SortPerm   *perm;
	Datum	   *tmp;
	int			i,
				c;

	if (n < 2)
		return;
	perm = palloc_extended(sizeof(SortPerm) * n, MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
	{
		perm[i].key1 = DatumGetInt64(key1->values[i]);
		perm[i].key2 = key2 ? DatumGetInt64(key2->values[i]) : 0;
		perm[i].at = i;
	}
	qsort(perm, n, sizeof(SortPerm), cmp_perm);
	tmp = palloc_extended(sizeof(Datum) * n, MCXT_ALLOC_HUGE);
	for (c = -2; c < nothers; c++)
	{
		Column	   *col = c == -2 ? key1 : c == -1 ? key2 : others[c];

		if (col == NULL)
			continue;
		for (i = 0; i < n; i++)
			tmp[i] = col->values[perm[i].at];
		memcpy(col->values, tmp, sizeof(Datum) * n);
	}
	pfree(tmp);
	pfree(perm);
}
