/*
 * bulk.h
 *	  Column buffers for the bulk statements of an auction.
 *
 * An auction writes each table with one statement, INSERT ... SELECT FROM
 * unnest($2, $3, ...) or UPDATE ... FROM unnest(...): the rows travel as
 * parallel arrays, one per column.  A Column grows as values are pushed
 * (palloc'd in the current memory context, huge allocations allowed) and
 * becomes a one-dimensional array Datum at the end.
 */
#ifndef MARKET_BULK_H
#define MARKET_BULK_H

#include "postgres.h"

typedef struct Column
{
	Datum	   *values;
	int			n;
	int			cap;
} Column;

extern void column_push(Column *c, Datum d);
extern Datum column_array(Column *c, Oid elemtype);

/*
 * Reorder parallel columns by the int64 values of key1, then key2 (may be
 * NULL), carrying the others along.
 */
extern void columns_sort(Column *key1, Column *key2, Column **others, int nothers);

#endif							/* MARKET_BULK_H */
