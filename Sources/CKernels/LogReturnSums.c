#include "CKernels.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// Every build must give the same bits: nothing may be fused behind our back.
#pragma clang fp contract(off)

// log(current / previous) as Analytics' `logReturn(_:over:)` computes it: 2·atanh(s) by its series
// for small moves, the library's log otherwise; operation for operation the same expression.
static inline double log_return(double current, double previous) {
    double s = (current - previous) / (current + previous);
    if (!(fabs(s) < 0.03)) return log(current / previous);
    double z = s * s;
    double tail = z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9))));
    return 2 * s + 2 * s * tail;
}

// A flat bar: equal to the bar before, positive and finite (`c − c` is 0 only for a finite value).
// Its return is exactly +0, which adds nothing to a sum that starts at +0 (no sum of numbers is
// ever −0), and neither does +0 times a finite market return.
static inline int is_flat(double current, double previous) {
    return current == previous && current > 0 && current - current == 0;
}

// Market bar i: b = r(y[i], y[i − 1]) − shift into lane (i − 1) mod 4 of Σb (lanes 0–3) and Σb² (4–7).
static inline void market_bar(const double *y, long i, double shiftY, double *lanes) {
    double b = log_return(y[i], y[i - 1]) - shiftY;
    long lane = (i - 1) & 3;
    lanes[lane] += b;
    lanes[4 + lane] += b * b;
}

static void market_portable(const double *y, long first, long end, double shiftY, double *lanes) {
    for (long i = first; i < end; i++) market_bar(y, i, shiftY, lanes);
}

// Equity bar i, unless flat: a = r(x[i], x[i − 1]) into Σa (lanes 0–3) and a·b into Σab (4–7).
static inline void equity_bar(const double *x, const double *y, long i, double shiftY, double *lanes) {
    if (is_flat(x[i], x[i - 1])) return;
    double a = log_return(x[i], x[i - 1]);
    double b = log_return(y[i], y[i - 1]) - shiftY;
    long lane = (i - 1) & 3;
    lanes[lane] += a;
    lanes[4 + lane] += a * b;
}

static void equity_portable(const double *x, const double *y, long first, long end, double shiftY, double *lanes) {
    for (long i = first; i < end; i++) equity_bar(x, y, i, shiftY, lanes);
}

// The first bar at or after `first` in lane 0 (bar 1 + 4k), at most `end`.
static inline long lane_zero_at_or_after(long first, long end) {
    long aligned = first + ((5 - (first & 3)) & 3);
    return aligned > end ? end : aligned;
}

#if defined(__x86_64__)
// The series for four bars at once: lane by lane the operations of log_return (`s + s` is `2 * s`,
// exactly). The coefficients are memory operands: the loops keep their sums in registers instead.
__attribute__((target("avx2")))
static inline __m256d series_avx2(__m256d s) {
    __m256d z = _mm256_mul_pd(s, s);
    __m256d tail = _mm256_mul_pd(z, _mm256_set1_pd(1.0 / 9));
    tail = _mm256_mul_pd(z, _mm256_add_pd(_mm256_set1_pd(1.0 / 7), tail));
    tail = _mm256_mul_pd(z, _mm256_add_pd(_mm256_set1_pd(1.0 / 5), tail));
    tail = _mm256_mul_pd(z, _mm256_add_pd(_mm256_set1_pd(1.0 / 3), tail));
    __m256d twoS = _mm256_add_pd(s, s);
    return _mm256_add_pd(twoS, _mm256_mul_pd(twoS, tail));
}

// (c − p) / (c + p) for four bars.
__attribute__((target("avx2")))
static inline __m256d ratio_avx2(const double *v, long i) {
    __m256d c = _mm256_loadu_pd(v + i), p = _mm256_loadu_pd(v + i - 1);
    return _mm256_div_pd(_mm256_sub_pd(c, p), _mm256_add_pd(c, p));
}

// Whether each lane's |s| is below the series' limit, as `fabs(s) < 0.03` decides: max(s, 0 − s)
// is |s| (either zero for ±0, NaN for NaN), without a sign-mask constant.
__attribute__((target("avx2")))
static inline __m256d within_series_avx2(__m256d s) {
    __m256d magnitude = _mm256_max_pd(s, _mm256_sub_pd(_mm256_setzero_pd(), s));
    return _mm256_cmp_pd(magnitude, _mm256_set1_pd(0.03), _CMP_LT_OQ);
}

// The market sums of the four bars from i (lane 0) in registers; false, adding nothing, when a
// move is outside the series' range (the caller adds the block bar by bar).
__attribute__((target("avx2")))
static inline int market_block_avx2(const double *y, long i, __m256d shY, __m256d *sum, __m256d *squares) {
    __m256d s = ratio_avx2(y, i);
    if (_mm256_movemask_pd(within_series_avx2(s)) != 0xF) return 0;
    __m256d b = _mm256_sub_pd(series_avx2(s), shY);
    *sum = _mm256_add_pd(*sum, b);
    *squares = _mm256_add_pd(*squares, _mm256_mul_pd(b, b));
    return 1;
}

// The market sums of the eight bars from i (lane 0), two blocks computed side by side (a
// block's series is a long chain: a division and eight dependent operations; one block at a time
// fills the scheduler before the next block's chain can start), added block by block in bar
// order; false, adding nothing, when a move is outside the series' range.
__attribute__((target("avx2")))
static inline int market_pair_avx2(const double *y, long i, __m256d shY, __m256d *sum, __m256d *squares) {
    __m256d s0 = ratio_avx2(y, i), s1 = ratio_avx2(y, i + 4);
    if (_mm256_movemask_pd(_mm256_and_pd(within_series_avx2(s0), within_series_avx2(s1))) != 0xF) return 0;
    __m256d b0 = _mm256_sub_pd(series_avx2(s0), shY), b1 = _mm256_sub_pd(series_avx2(s1), shY);
    *sum = _mm256_add_pd(_mm256_add_pd(*sum, b0), b1);
    *squares = _mm256_add_pd(_mm256_add_pd(*squares, _mm256_mul_pd(b0, b0)), _mm256_mul_pd(b1, b1));
    return 1;
}

// The four bars from i (lane 0) into the sums in registers: as a vector block when every move is
// in the series' range, otherwise bar by bar through `lanes` (the same lanes in the same order).
__attribute__((target("avx2")))
static inline void market_one_block_avx2(const double *y, long i, double shiftY, __m256d shY, double *lanes,
                                         __m256d *sum, __m256d *squares) {
    if (market_block_avx2(y, i, shY, sum, squares)) return;
    _mm256_storeu_pd(lanes, *sum);
    _mm256_storeu_pd(lanes + 4, *squares);
    market_portable(y, i, i + 4, shiftY, lanes);
    *sum = _mm256_loadu_pd(lanes);
    *squares = _mm256_loadu_pd(lanes + 4);
}

// Two blocks an iteration (`market_pair_avx2`). A pair with a move outside the series' range
// goes one block at a time; such a block is added bar by bar, into the same lanes in the
// same order.
__attribute__((target("avx2")))
static void market_avx2(const double *y, long first, long end, double shiftY, double *lanes) {
    long i = lane_zero_at_or_after(first, end);
    market_portable(y, first, i, shiftY, lanes);
    const __m256d shY = _mm256_set1_pd(shiftY);
    __m256d sum = _mm256_loadu_pd(lanes), squares = _mm256_loadu_pd(lanes + 4);
    // Invariant: the sums hold every bar before i; i is in lane 0.
    while (i + 3 < end) {
        if (i + 7 < end && market_pair_avx2(y, i, shY, &sum, &squares)) {
            i += 8;
            continue;
        }
        market_one_block_avx2(y, i, shiftY, shY, lanes, &sum, &squares);
        i += 4;
    }
    _mm256_storeu_pd(lanes, sum);
    _mm256_storeu_pd(lanes + 4, squares);
    market_portable(y, i, end, shiftY, lanes);
}

// Flat blocks (four flat bars) add nothing and are passed over: after one, the loop only checks
// that the next eight values still equal the level (most bars of most curves are flat: no position
// open). A block with a flat bar among moving ones adds +0 for it (the flat lanes are masked to
// +0 and the market return is finite): nothing, as the scalar loop's skip.
__attribute__((target("avx2")))
static void equity_avx2(const double *x, const double *y, long first, long end, double shiftY, double *lanes) {
    long i = lane_zero_at_or_after(first, end);
    equity_portable(x, y, first, i, shiftY, lanes);
    const __m256d shY = _mm256_set1_pd(shiftY), zero = _mm256_setzero_pd();
    __m256d sumA = _mm256_loadu_pd(lanes), sumAB = _mm256_loadu_pd(lanes + 4);
    // Invariant: the sums hold every bar before i; i is in lane 0.
    while (i + 3 < end) {
        __m256d xc = _mm256_loadu_pd(x + i), xp = _mm256_loadu_pd(x + i - 1);
        __m256d flat = _mm256_and_pd(_mm256_cmp_pd(xc, xp, _CMP_EQ_OQ),
                                     _mm256_and_pd(_mm256_cmp_pd(xc, zero, _CMP_GT_OQ),
                                                   _mm256_cmp_pd(_mm256_sub_pd(xc, xc), zero, _CMP_EQ_OQ)));
        int flatBits = _mm256_movemask_pd(flat);
        if (flatBits == 0xF) {
            i += 4;
            // x[i − 1] is the level, positive and finite: a block is flat when its x equal it.
            const __m256d level = _mm256_broadcast_sd(x + i - 1);
            while (i + 7 < end
                   && _mm256_movemask_pd(_mm256_and_pd(_mm256_cmp_pd(_mm256_loadu_pd(x + i), level, _CMP_EQ_OQ),
                                                       _mm256_cmp_pd(_mm256_loadu_pd(x + i + 4), level, _CMP_EQ_OQ))) == 0xF) {
                i += 8;
            }
            continue;
        }
        __m256d sx = _mm256_div_pd(_mm256_sub_pd(xc, xp), _mm256_add_pd(xc, xp)), sy = ratio_avx2(y, i);
        if (_mm256_movemask_pd(_mm256_and_pd(within_series_avx2(sx), within_series_avx2(sy))) != 0xF) {
            _mm256_storeu_pd(lanes, sumA);
            _mm256_storeu_pd(lanes + 4, sumAB);
            equity_portable(x, y, i, i + 4, shiftY, lanes);
            sumA = _mm256_loadu_pd(lanes);
            sumAB = _mm256_loadu_pd(lanes + 4);
            i += 4;
            continue;
        }
        __m256d a = _mm256_andnot_pd(flat, series_avx2(sx));
        __m256d b = _mm256_sub_pd(series_avx2(sy), shY);
        sumA = _mm256_add_pd(sumA, a);
        sumAB = _mm256_add_pd(sumAB, _mm256_mul_pd(a, b));
        i += 4;
    }
    _mm256_storeu_pd(lanes, sumA);
    _mm256_storeu_pd(lanes + 4, sumAB);
    equity_portable(x, y, i, end, shiftY, lanes);
}
#endif

static inline int use_avx2(int build) {
#if defined(__x86_64__)
    return build == 0 && __builtin_cpu_supports("avx2");
#else
    (void)build;
    return 0;
#endif
}

void colonnade_market_return_lanes(const double *y, long first, long end, double shiftY, double *lanes, int build) {
    if (first < 1) first = 1;
    if (first >= end) return;
#if defined(__x86_64__)
    if (use_avx2(build)) { market_avx2(y, first, end, shiftY, lanes); return; }
#endif
    market_portable(y, first, end, shiftY, lanes);
}

void colonnade_equity_return_lanes(const double *x, const double *y, long first, long end, double shiftY,
                                   double *lanes, int build) {
    if (first < 1) first = 1;
    if (first >= end) return;
#if defined(__x86_64__)
    if (use_avx2(build)) { equity_avx2(x, y, first, end, shiftY, lanes); return; }
#endif
    equity_portable(x, y, first, end, shiftY, lanes);
}

// The paired running totals of two simple averages, as Indicators' `SMARun.fillTotals(_:_:...)`:
// bar i (from lo to hi, indices into x) adds x[i] to both totals, writes them, then takes out
// x[i − leaveA] and x[i − leaveB].
static inline void sma_pair_steps(const double *x, long lo, long hi, long leaveA, long leaveB, double *ta, double *tb,
                                  double *outA, double *outB, long outBase) {
    double a = *ta, b = *tb;
    for (long i = lo; i < hi; i++) {
        double value = x[i];
        a += value;
        b += value;
        outA[i - outBase] = a;
        outB[i - outBase] = b;
        a -= x[i - leaveA];
        b -= x[i - leaveB];
    }
    *ta = a;
    *tb = b;
}

#if defined(__x86_64__)
// The running totals are a chain of dependent additions (two a bar, about 6 cycles) that leaves
// the vector units idle; the market sums are independent work bound by those units. Eight steps
// of the chain and two blocks of the sums an iteration run side by side: the sums cost little
// more than the chain alone. Each lane takes its bars in bar order, as in `market_avx2` and the
// portable loop, so the lanes are the same bits however the work is grouped.
__attribute__((target("avx2")))
static void sma_pair_with_market_avx2(const double *x, long lo, long hi, long leaveA, long leaveB, double *totals,
                                      double *outA, double *outB, const double *y, long first, long end,
                                      double shiftY, double *lanes) {
    long m = lane_zero_at_or_after(first, end);
    market_portable(y, first, m, shiftY, lanes);
    const __m256d shY = _mm256_set1_pd(shiftY);
    __m256d sum = _mm256_loadu_pd(lanes), squares = _mm256_loadu_pd(lanes + 4);
    double ta = totals[0], tb = totals[1];
    long i = lo;
    // Invariant: the totals hold bars before i, the sums every market bar before m (in lane 0).
    while (i + 7 < hi && m + 3 < end) {
        if (m + 7 < end && market_pair_avx2(y, m, shY, &sum, &squares)) {
            m += 8;
            sma_pair_steps(x, i, i + 8, leaveA, leaveB, &ta, &tb, outA, outB, lo);
            i += 8;
            continue;
        }
        // A block at a time (the end of the range, or a pair with a large move).
        market_one_block_avx2(y, m, shiftY, shY, lanes, &sum, &squares);
        m += 4;
    }
    totals[0] = ta;
    totals[1] = tb;
    _mm256_storeu_pd(lanes, sum);
    _mm256_storeu_pd(lanes + 4, squares);
    // What is left of either (m is in lane 0).
    sma_pair_steps(x, i, hi, leaveA, leaveB, totals, totals + 1, outA, outB, lo);
    market_avx2(y, m, end, shiftY, lanes);
}
#endif

void colonnade_sma_pair_totals(const double *x, long lo, long hi, long leaveA, long leaveB, double *totals,
                               double *outA, double *outB, const double *y, long first, long end, double shiftY,
                               double *lanes, int build) {
    if (first < 1) first = 1;
    if (y == 0 || first >= end) {
        sma_pair_steps(x, lo, hi, leaveA, leaveB, totals, totals + 1, outA, outB, lo);
        return;
    }
#if defined(__x86_64__)
    if (use_avx2(build)) {
        sma_pair_with_market_avx2(x, lo, hi, leaveA, leaveB, totals, outA, outB, y, first, end, shiftY, lanes);
        return;
    }
#endif
    sma_pair_steps(x, lo, hi, leaveA, leaveB, totals, totals + 1, outA, outB, lo);
    market_portable(y, first, end, shiftY, lanes);
}
