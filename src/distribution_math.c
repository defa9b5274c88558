/*
 * distribution_math.c
 *	  Normal densities with constant L2 norm, positions g - f, collateral
 *	  and payouts of distribution markets.  See distribution_math.h.
 *
 * Finding the largest loss without luck.  The position is
 *
 *	  h(x) = g(x) - f(x),  g = Pg exp(-(x - a)^2 / 2 sg^2),
 *						   f = Pf exp(-(x - b)^2 / 2 sf^2)
 *
 * and h -> 0 in both tails, so min h is 0 or h at a critical point.
 * h'(x) = 0 means Pg (x-a)/sg^2 e_g = Pf (x-b)/sf^2 e_f, so x - a and x - b
 * have the same sign: no critical point lies strictly between the means.
 *
 *	- a = b: h'(x) = (x - a) [Pf e_f / sf^2 - Pg e_g / sg^2]; the bracket
 *	  vanishes where (x - a)^2 (1/2sg^2 - 1/2sf^2) = ln(Pg sf^2 / Pf sg^2):
 *	  closed form, so the critical points are a and a +- d.
 *	- a != b: outside [min(a,b), max(a,b)] the critical points are the
 *	  roots of r(x) = ln|g'(x)| - ln|f'(x)|, computed in logs so the tails
 *	  do not underflow.  r'(x) has the sign of the cubic
 *		P(t) = -(b-a) + Q'(t) t (t - (b-a)),  t = x - a,
 *		Q'(t) = (t - (b-a)) / sf^2 - t / sg^2,
 *	  since t (t - (b-a)) > 0 there.  The real roots of P (found by
 *	  splitting at the roots of P', a quadratic, and bisecting each
 *	  monotone piece) cut each side into pieces where r is monotone, with
 *	  at most one root each, found by bisection to double precision.
 *
 * The search stops 40 stddevs (the wider one) beyond the means: there both
 * densities are below e^-800, 0 in double, and h contributes nothing.
 *
 * Rounding.  h is computed in double.  Each density is peak exp(-y),
 * y = d^2 / 2 s^2: the peak is within a few ulps, and y's own rounding
 * (a few ulps of y) becomes a relative error of about y ulps in exp(-y),
 * which far from the mean (y ~ 37) is several times the rest.  So every
 * cash amount leaves with a margin of 4e-15 (g(x) (1 + y_g) +
 * f(x) (1 + y_f)) micro-units taken against the trader before it is
 * rounded (collateral up, payouts down), so that a payout never exceeds
 * its exact value and the market stays solvent.  Since peak exp(-y)
 * (1 + y) <= peak, with the backing at most DIST_MAX_BACKING the margin
 * is under 0.1 micro-units.  A trade that moves the market always posts
 * at least 1 micro-unit: when h at its lowest is within the margin of 0
 * (catastrophic cancellation in g - f can compute a small true loss as
 * 0 or above), the collateral is ceil(max(0, -h) + margin).  For the same
 * reason, a tiny move (a micro-unit of mean at a stddev near 1e9) leaves
 * r(u) below what double resolves, and its roots may be missed: h is
 * also evaluated at both means and one stddev either side of each (where
 * the extremes of a small move lie), which can only raise the
 * collateral found.
 */
#include "distribution_math.h"

#include <math.h>

#define SQRT_PI		1.7724538509055160273
#define MARGIN		4e-15

/* stddev in x's units */
static double
sigma_of(int64_t stddev)
{
	return (double) stddev / (double) DIST_ONE;
}

/* the peak, in micro-units of cash */
static double
peak_micros(int64_t k, int64_t stddev)
{
	return (double) k / sqrt(sigma_of(stddev) * SQRT_PI);
}

double
dist_peak(int64_t k, int64_t stddev)
{
	return peak_micros(k, stddev) / (double) DIST_ONE;
}

double
dist_lambda(int64_t k, int64_t stddev)
{
	return (double) k / (double) DIST_ONE * sqrt(2.0 * sigma_of(stddev) * SQRT_PI);
}

int64_t
dist_k(int64_t backing, int64_t min_stddev)
{
	double		k;
	int64_t		ki;

	if (backing <= 0 || min_stddev <= 0)
		return 0;
	k = floor((double) backing * sqrt(sigma_of(min_stddev) * SQRT_PI));
	ki = (int64_t) k;
	while (ki > 0 && peak_micros(ki, min_stddev) > (double) backing)
		ki--;
	return ki;
}

DistCheck
dist_check_params(int64_t k, int64_t backing, int64_t min_stddev, DistParams p)
{
	if (p.stddev <= 0)
		return DIST_NOT_POSITIVE;
	if (p.mean > DIST_MAX_X || p.mean < -DIST_MAX_X || p.stddev > DIST_MAX_X)
		return DIST_OUT_OF_RANGE;
	if (p.stddev < min_stddev)
		return DIST_BELOW_MIN_STDDEV;
	if (peak_micros(k, p.stddev) > (double) backing)
		return DIST_PEAK_ABOVE_BACKING;
	return DIST_OK;
}

DistCheck
dist_check_market(int64_t backing, int64_t min_stddev, DistParams start)
{
	if (backing <= 0 || min_stddev <= 0 || start.stddev <= 0)
		return DIST_NOT_POSITIVE;
	if (backing > DIST_MAX_BACKING || min_stddev > DIST_MAX_X)
		return DIST_OUT_OF_RANGE;
	if (dist_k(backing, min_stddev) <= 0)
		return DIST_NOT_POSITIVE;
	return dist_check_params(dist_k(backing, min_stddev), backing, min_stddev, start);
}

/* y = d^2 / 2 s^2 for d = x - mean, exact in int64 first */
static double
exponent(DistParams p, int64_t x)
{
	double		d = (double) (x - p.mean) / (double) DIST_ONE;
	double		s = sigma_of(p.stddev);

	return (d * d) / (2.0 * s * s);
}

/* exp(-y) */
static double
shape(DistParams p, int64_t x)
{
	return exp(-exponent(p, x));
}

/* the rounding margin of a density peak exp(-y) computed in double */
static double
margin_of(double value, double y)
{
	return MARGIN * value * (1.0 + y);
}

double
dist_position_margin(int64_t k, DistParams f, DistParams g, int64_t x)
{
	return margin_of(dist_value(k, g, x), exponent(g, x)) +
		margin_of(dist_value(k, f, x), exponent(f, x));
}

double
dist_value(int64_t k, DistParams p, int64_t x)
{
	return peak_micros(k, p.stddev) * shape(p, x);
}

int64_t
dist_value_floor(int64_t k, DistParams p, int64_t x)
{
	return (int64_t) floor(dist_value(k, p, x));
}

double
dist_position(int64_t k, DistParams f, DistParams g, int64_t x)
{
	return dist_value(k, g, x) - dist_value(k, f, x);
}

/*
 * The same for points that need not fall on a micro-unit, in a local
 * coordinate u: x = anchor + u, the anchor being one of the two means.
 * With means far apart (in stddevs) a point near one mean measured from
 * the other would lose the digits that matter, so each side of the
 * search is anchored at the mean it starts from.
 */
typedef struct Pair
{
	double		pg,
				pf;				/* peaks, micro-units */
	double		sg,
				sf;				/* stddevs */
	double		b;				/* f.mean - g.mean, x's units */
	int			anchor_f;		/* u is measured from f's mean (else g's) */
} Pair;

/* offsets from g's and f's means of the point u */
static void
offsets(const Pair *q, double u, double *tg, double *tf)
{
	if (q->anchor_f)
	{
		*tf = u;
		*tg = u + q->b;
	}
	else
	{
		*tg = u;
		*tf = u - q->b;
	}
}

/* g and f at u, and the rounding margin of g - f there */
static void
pair_values(const Pair *q, double u, double *gv, double *fv, double *margin)
{
	double		tg,
				tf,
				yg,
				yf;

	offsets(q, u, &tg, &tf);
	yg = (tg * tg) / (2.0 * q->sg * q->sg);
	yf = (tf * tf) / (2.0 * q->sf * q->sf);
	*gv = q->pg * exp(-yg);
	*fv = q->pf * exp(-yf);
	*margin = margin_of(*gv, yg) + margin_of(*fv, yf);
}

/* r(u) = ln|g'(u)| - ln|f'(u)|; -inf/+inf at the means */
static double
pair_r(const Pair *q, double u)
{
	double		tg,
				tf;

	offsets(q, u, &tg, &tf);
	return (log(q->pg / (q->sg * q->sg)) - (tg * tg) / (2.0 * q->sg * q->sg) + log(fabs(tg)))
		- (log(q->pf / (q->sf * q->sf)) - (tf * tf) / (2.0 * q->sf * q->sf) + log(fabs(tf)));
}

/* A polynomial of degree <= 3, c[0] + c[1] t + ... */
typedef struct Poly
{
	int			deg;
	double		c[4];
} Poly;

static double
poly_eval(const Poly *p, double t)
{
	double		v = 0.0;
	int			i;

	for (i = p->deg; i >= 0; i--)
		v = v * t + p->c[i];
	return v;
}

static int
sign_of(double v)
{
	return (v > 0) - (v < 0);
}

/*
 * The root of a function monotone on [lo, hi] whose values at the ends
 * have opposite signs: bisection until the interval cannot shrink.
 */
typedef double (*Fn) (const void *ctx, double t);

static double
bisect(Fn fn, const void *ctx, double lo, double hi)
{
	int			slo = sign_of(fn(ctx, lo));
	int			i;

	for (i = 0; i < 2100; i++)
	{
		double		mid = lo + (hi - lo) / 2.0;
		int			s;

		if (mid <= lo || mid >= hi)
			break;
		s = sign_of(fn(ctx, mid));
		if (s == 0)
			return mid;
		if (s == slo)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2.0;
}

static double
poly_fn(const void *ctx, double t)
{
	return poly_eval((const Poly *) ctx, t);
}

static double
r_fn(const void *ctx, double u)
{
	return pair_r((const Pair *) ctx, u);
}

/*
 * Roots of fn on [lo, hi], given the points where it may turn (sorted,
 * inside (lo, hi)): one bisection per monotone piece with a sign change.
 */
static int
roots_between(Fn fn, const void *ctx, double lo, double hi,
			  const double *turns, int nturns, double *out, int max)
{
	double		pts[DIST_MAX_CRITICAL + 2];
	int			n = 0;
	int			found = 0;
	int			i;

	pts[n++] = lo;
	for (i = 0; i < nturns && n < DIST_MAX_CRITICAL + 1; i++)
		if (turns[i] > lo && turns[i] < hi)
			pts[n++] = turns[i];
	pts[n++] = hi;
	for (i = 0; i + 1 < n && found < max; i++)
	{
		double		va = fn(ctx, pts[i]);
		double		vb = fn(ctx, pts[i + 1]);

		if (va == 0)
		{
			if (found == 0 || out[found - 1] != pts[i])
				out[found++] = pts[i];
		}
		else if (sign_of(va) * sign_of(vb) < 0)
			out[found++] = bisect(fn, ctx, pts[i], pts[i + 1]);
		if (vb == 0 && i + 2 == n && found < max)
			out[found++] = pts[i + 1];
	}
	return found;
}

/* Real roots of p in [lo, hi], sorted: split at the roots of p'. */
static int
poly_roots(const Poly *p, double lo, double hi, double *out, int max)
{
	Poly		d;
	double		turns[3];
	int			nturns;
	int			i;
	Poly		q = *p;

	while (q.deg > 0 && q.c[q.deg] == 0.0)
		q.deg--;
	if (q.deg == 0)
		return 0;
	if (q.deg == 1)
	{
		double		t = -q.c[0] / q.c[1];

		if (t >= lo && t <= hi && max > 0)
		{
			out[0] = t;
			return 1;
		}
		return 0;
	}
	d.deg = q.deg - 1;
	for (i = 1; i <= q.deg; i++)
		d.c[i - 1] = q.c[i] * i;
	nturns = poly_roots(&d, lo, hi, turns, 3);
	return roots_between(poly_fn, &q, lo, hi, turns, nturns, out, max);
}

/* A critical point: its anchor (0 g's mean, 1 f's) and offset. */
typedef struct Critical
{
	int			anchor_f;
	double		u;
} Critical;

static void
add_point(Critical *pts, int *n, int anchor_f, double u)
{
	int			i;

	if (*n >= DIST_MAX_CRITICAL || isnan(u))
		return;
	for (i = 0; i < *n; i++)
		if (pts[i].anchor_f == anchor_f && pts[i].u == u)
			return;
	pts[*n].anchor_f = anchor_f;
	pts[*n].u = u;
	(*n)++;
}

/*
 * The side of the search beyond one mean: u from that mean (anchor_f
 * says which), outward by span in the direction dir (+1 or -1).  The
 * cubic P, written in u about that mean, has the sign of r' there.
 */
static void
search_side(Pair *q, int anchor_f, int dir, double span, Critical *out, int *n)
{
	Poly		p;
	double		c1 = 1.0 / (q->sf * q->sf) - 1.0 / (q->sg * q->sg);
	double		b = q->b;
	double		lo = dir > 0 ? 0.0 : -span;
	double		hi = dir > 0 ? span : 0.0;
	double		turns[3];
	double		roots[DIST_MAX_CRITICAL];
	int			nturns;
	int			nroots;
	int			i;

	if (!anchor_f)
	{
		/* t = u from g's mean: P = c1 t^3 + (c0 - c1 b) t^2 - c0 b t - b, c0 = -b/sf^2 */
		double		c0 = -b / (q->sf * q->sf);

		p.c[3] = c1;
		p.c[2] = c0 - c1 * b;
		p.c[1] = -c0 * b;
		p.c[0] = -b;
	}
	else
	{
		/* t = b + u: P = c1 u^3 + (c1 b + c0') u^2 + c0' b u - b, c0' = -b/sg^2 */
		double		c0 = -b / (q->sg * q->sg);

		p.c[3] = c1;
		p.c[2] = c1 * b + c0;
		p.c[1] = c0 * b;
		p.c[0] = -b;
	}
	p.deg = 3;
	q->anchor_f = anchor_f;
	nturns = poly_roots(&p, lo, hi, turns, 3);
	nroots = roots_between(r_fn, q, lo, hi, turns, nturns, roots, DIST_MAX_CRITICAL);
	for (i = 0; i < nroots; i++)
		add_point(out, n, anchor_f, roots[i]);
}

/* Every critical point of h = g - f; returns how many. */
static int
critical_points(Pair *q, Critical *out)
{
	int			n = 0;
	double		span = 40.0 * (q->sg > q->sf ? q->sg : q->sf);

	if (q->b == 0.0)
	{
		double		coef = 1.0 / (2.0 * q->sg * q->sg) - 1.0 / (2.0 * q->sf * q->sf);
		double		rhs = log(q->pg / (q->sg * q->sg)) - log(q->pf / (q->sf * q->sf));

		if (q->sg == q->sf)
			return 0;			/* same k, same Normal: h is 0 */
		add_point(out, &n, 0, 0.0);
		if (rhs / coef > 0)
		{
			add_point(out, &n, 0, sqrt(rhs / coef));
			add_point(out, &n, 0, -sqrt(rhs / coef));
		}
		return n;
	}
	/* above both means, from the higher one; below both, from the lower */
	search_side(q, q->b > 0, +1, span, out, &n);
	search_side(q, q->b < 0, -1, span, out, &n);
	return n;
}

static Pair
make_pair(int64_t k, DistParams f, DistParams g)
{
	Pair		q;

	q.pg = peak_micros(k, g.stddev);
	q.pf = peak_micros(k, f.stddev);
	q.sg = sigma_of(g.stddev);
	q.sf = sigma_of(f.stddev);
	q.b = (double) (f.mean - g.mean) / (double) DIST_ONE;
	q.anchor_f = 0;
	return q;
}

static int64_t
to_micros_x(int64_t anchor, double u)
{
	double		x = (double) anchor + u * (double) DIST_ONE;

	if (x > (double) INT64_MAX / 2)
		return INT64_MAX / 2;
	if (x < (double) INT64_MIN / 2)
		return INT64_MIN / 2;
	return anchor + (int64_t) llround(u * (double) DIST_ONE);
}

void
dist_quote(int64_t k, DistParams f, DistParams g, DistQuote *out)
{
	Pair		q = make_pair(k, f, g);
	Critical	pts[DIST_MAX_CRITICAL];
	Critical	probes[DIST_MAX_CRITICAL + 6];
	int			nprobe;
	double		lowest = 0.0,
				lowest_margin = 0.0,
				lowest_charge = 0.0,
				highest = 0.0,
				highest_margin = 0.0;
	int			low = -1,
				high = -1;
	int			i;

	out->ncritical = 0;
	out->collateral = 0;
	out->max_payout = 0;
	out->x_min = g.mean;
	out->x_max = g.mean;
	if (f.mean == g.mean && f.stddev == g.stddev)
		return;					/* no trade: g - f is 0 everywhere */

	out->ncritical = critical_points(&q, pts);
	nprobe = out->ncritical;
	for (i = 0; i < out->ncritical; i++)
		probes[i] = pts[i];
	/* and the means and one stddev either side: see the comment above */
	probes[nprobe].anchor_f = 0;
	probes[nprobe++].u = 0.0;
	probes[nprobe].anchor_f = 0;
	probes[nprobe++].u = q.sg;
	probes[nprobe].anchor_f = 0;
	probes[nprobe++].u = -q.sg;
	probes[nprobe].anchor_f = 1;
	probes[nprobe++].u = 0.0;
	probes[nprobe].anchor_f = 1;
	probes[nprobe++].u = q.sf;
	probes[nprobe].anchor_f = 1;
	probes[nprobe++].u = -q.sf;
	for (i = 0; i < nprobe; i++)
	{
		double		gv,
					fv,
					h,
					margin;

		q.anchor_f = probes[i].anchor_f;
		pair_values(&q, probes[i].u, &gv, &fv, &margin);
		h = gv - fv;
		/* the loss to cover here: h less its margin, if below 0 */
		if (h - margin < lowest_charge)
		{
			lowest_charge = h - margin;
			lowest = h;
			lowest_margin = margin;
			low = i;
		}
		if (h > highest)
		{
			highest = h;
			highest_margin = margin;
			high = i;
		}
	}
	for (i = 0; i < out->ncritical; i++)
	{
		int64_t		anchor = pts[i].anchor_f ? f.mean : g.mean;

		out->anchor[i] = anchor;
		out->offset[i] = pts[i].u;
		out->critical[i] = (double) anchor / (double) DIST_ONE + pts[i].u;
	}
	if (low >= 0)
		out->collateral = (int64_t) ceil((lowest < 0 ? -lowest : 0.0) + lowest_margin);
	out->max_payout = out->collateral;
	if (highest - highest_margin > 0)
		out->max_payout += (int64_t) floor(highest - highest_margin);
	if (low >= 0)
		out->x_min = to_micros_x(probes[low].anchor_f ? f.mean : g.mean, probes[low].u);
	if (high >= 0)
		out->x_max = to_micros_x(probes[high].anchor_f ? f.mean : g.mean, probes[high].u);
}

int64_t
dist_payout(int64_t k, DistParams f, DistParams g, int64_t collateral, int64_t x)
{
	double		gv = dist_value(k, g, x);
	double		fv = dist_value(k, f, x);
	int64_t		owed;

	if (f.mean == g.mean && f.stddev == g.stddev)
		return collateral;
	owed = collateral + (int64_t) floor((gv - fv) - dist_position_margin(k, f, g, x));
	return owed < 0 ? 0 : owed;
}

int64_t
dist_fee(int64_t amount, int bps)
{
	if (amount <= 0 || bps <= 0)
		return 0;
	return (amount / 10000) * bps + (amount % 10000) * bps / 10000;
}
