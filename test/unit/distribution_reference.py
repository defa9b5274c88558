#!/usr/bin/env python3
"""
distribution_reference.py
  Independent figures for the distribution-market tests, with mpmath at
  50 significant digits (not the extension's C code, not double).

  The minimum of g - f is found differently from src/distribution_math.c:
  the sign changes of the derivative (mpmath.diff) on a grid of 4,001
  points over the means +- 12 stddevs, each refined by mpmath.findroot
  (Anderson's bracketing solver), the lowest critical value kept.  Usage:

    distribution_reference.py k B MIN_SD
    distribution_reference.py trade K F_MEAN F_SD G_MEAN G_SD
    distribution_reference.py value K MEAN SD X
"""
import sys
from mpmath import mp, mpf, sqrt, pi, exp, findroot, floor, ceil, diff

mp.dps = 50


def k_of(b, sd):
    return floor(mpf(b) * sqrt(mpf(sd) * sqrt(pi)) * 10**6) / 10**6


def dens(k, m, s, x):
    k, m, s, x = mpf(k), mpf(m), mpf(s), mpf(x)
    return k / sqrt(s * sqrt(pi)) * exp(-(x - m) ** 2 / (2 * s * s))


def trade(k, fm, fs, gm, gs):
    h = lambda x: dens(k, gm, gs, x) - dens(k, fm, fs, x)
    dh = lambda x: diff(h, x)
    lo = min(mpf(fm) - 12 * mpf(fs), mpf(gm) - 12 * mpf(gs))
    hi = max(mpf(fm) + 12 * mpf(fs), mpf(gm) + 12 * mpf(gs))
    n = 4000
    pts = [lo + (hi - lo) * i / n for i in range(n + 1)]
    ds = [dh(x) for x in pts]
    best_lo, best_hi = mpf(0), mpf(0)
    x_lo = x_hi = None
    for i in range(n):
        if ds[i] == 0 or ds[i] * ds[i + 1] < 0:
            x = pts[i] if ds[i] == 0 else findroot(dh, (pts[i], pts[i + 1]), solver='anderson')
            v = h(x)
            if v < best_lo:
                best_lo, x_lo = v, x
            if v > best_hi:
                best_hi, x_hi = v, x
    return best_lo, x_lo, best_hi, x_hi


if __name__ == '__main__':
    a = sys.argv[1:]
    if a[0] == 'trade':
        lo, xl, hi, xh = trade(*a[1:])
        c = ceil(-lo * 10**6) / 10**6 if lo < 0 else 0
        print('min', mp.nstr(lo, 20), 'at', mp.nstr(xl, 20))
        print('max', mp.nstr(hi, 20), 'at', mp.nstr(xh, 20))
        print('collateral', mp.nstr(c, 20))
    elif a[0] == 'value':
        print(mp.nstr(dens(*a[1:]), 25))
    else:
        print(mp.nstr(k_of(*a), 25))
