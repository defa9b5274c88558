/*
 * unit.h
 *	  A minimal TAP producer for market's C unit tests.
 */
#ifndef MARKET_UNIT_H
#define MARKET_UNIT_H

#include <stdio.h>

static int	unit_tests = 0;
static int	unit_failures = 0;

/* cond is evaluated exactly once */
#define CHECK(cond, ...) \
	do { \
		int			unit_ok_ = (cond) ? 1 : 0; \
		unit_tests++; \
		if (unit_ok_) \
			printf("ok %d - ", unit_tests); \
		else \
		{ \
			unit_failures++; \
			printf("not ok %d - ", unit_tests); \
		} \
		printf(__VA_ARGS__); \
		printf("\n"); \
		if (!unit_ok_) \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} while (0)

#define UNIT_DONE() \
	(printf("1..%d\n", unit_tests), unit_failures == 0 ? 0 : 1)

#endif
