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

// Adds bar i's shifted returns to lane (i - 1) mod 4 of each sum.
static inline void add_bar(const double *x, const double *y, long i, double shiftX, double shiftY,
                           double *sx, double *sy, double *sxy, double *syy) {
    double a = log_return(x[i], x[i - 1]) - shiftX;
    double b = log_return(y[i], y[i - 1]) - shiftY;
    long lane = (i - 1) & 3;
    sx[lane] += a;
    sy[lane] += b;
    sxy[lane] += a * b;
    syy[lane] += b * b;
}

// Bars first..<end one at a time (scalar build, and the ends of a vector run).
static void lanes_portable(const double *x, const double *y, long first, long end, double shiftX, double shiftY,
                           double *lanes) {
    for (long i = first; i < end; i++) add_bar(x, y, i, shiftX, shiftY, lanes, lanes + 4, lanes + 8, lanes + 12);
}

#if defined(__x86_64__)
// The series for four bars at once: lane by lane the operations of log_return (`s + s` is `2 * s`,
// exactly). The coefficients are memory operands: the loop keeps its sums in registers instead.
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

// Whether each lane's |s| is below the series' limit, as `fabs(s) < 0.03` decides: max(s, 0 − s)
// is |s| (either zero for ±0, NaN for NaN), without a sign-mask constant.
__attribute__((target("avx2")))
static inline __m256d within_series_avx2(__m256d s, __m256d limit) {
    __m256d magnitude = _mm256_max_pd(s, _mm256_sub_pd(_mm256_setzero_pd(), s));
    return _mm256_cmp_pd(magnitude, limit, _CMP_LT_OQ);
}

// Four bars an iteration, bar 1 + 4k + j in lane j, between scalar ends that bring the first
// bar to lane 0. A block where any move is outside the series' range (rare) leaves the vector
// loop and is added by the scalar loop, into the same lanes in the same order: with no call
// inside it, the vector loop keeps its four sums in registers (a call, even on a path never
// taken, had the compiler keep them on the stack, a store and a load on each sum's chain).
//
// A block whose four `x` values equal their predecessors (a flat equity curve: no position
// open) has `x` returns of exactly +0, the series' value at s = +0, without the division. Most
// bars of most curves are flat, so after such a block the flat loop takes over: it checks only
// that `x` still holds the same value and adds the `y` side with the `x` side's constant
// `+0 − shiftX`, the very operations the general loop makes on a flat block (a third fewer
// vector operations a block; the loop is bound by their throughput, not by a chain).
__attribute__((target("avx2")))
static void lanes_avx2(const double *x, const double *y, long first, long end, double shiftX, double shiftY,
                       double *lanes) {
    long i = first;
    long aligned = first + ((5 - (first & 3)) & 3);   // the first bar in lane 0 at or after `first`
    if (aligned > end) aligned = end;
    lanes_portable(x, y, i, aligned, shiftX, shiftY, lanes);
    i = aligned;
    const __m256d limit = _mm256_set1_pd(0.03), zero = _mm256_setzero_pd();
    const __m256d shX = _mm256_set1_pd(shiftX), shY = _mm256_set1_pd(shiftY);
    while (i + 3 < end) {
        __m256d vx = _mm256_loadu_pd(lanes), vy = _mm256_loadu_pd(lanes + 4);
        __m256d vxy = _mm256_loadu_pd(lanes + 8), vyy = _mm256_loadu_pd(lanes + 12);
        // Invariant: the sums hold every bar before i; i is in lane 0.
        while (i + 3 < end) {
            __m256d xc = _mm256_loadu_pd(x + i), xp = _mm256_loadu_pd(x + i - 1);
            __m256d yc = _mm256_loadu_pd(y + i), yp = _mm256_loadu_pd(y + i - 1);
            __m256d sy = _mm256_div_pd(_mm256_sub_pd(yc, yp), _mm256_add_pd(yc, yp));
            // Flat: equal, positive and finite (`xc − xc` is 0 only for a finite value; zero or
            // infinity give NaN, a negative value −0).
            __m256d flat = _mm256_and_pd(_mm256_cmp_pd(xc, xp, _CMP_EQ_OQ),
                                         _mm256_and_pd(_mm256_cmp_pd(xc, zero, _CMP_GT_OQ),
                                                       _mm256_cmp_pd(_mm256_sub_pd(xc, xc), zero, _CMP_EQ_OQ)));
            int xFlat = _mm256_movemask_pd(flat) == 0xF;
            __m256d sx = xFlat ? zero : _mm256_div_pd(_mm256_sub_pd(xc, xp), _mm256_add_pd(xc, xp));
            __m256d inRange = _mm256_and_pd(within_series_avx2(sx, limit), within_series_avx2(sy, limit));
            if (_mm256_movemask_pd(inRange) != 0xF) break;
            __m256d rx = xFlat ? zero : series_avx2(sx);
            __m256d a = _mm256_sub_pd(rx, shX), b = _mm256_sub_pd(series_avx2(sy), shY);
            vx = _mm256_add_pd(vx, a);
            vy = _mm256_add_pd(vy, b);
            vxy = _mm256_add_pd(vxy, _mm256_mul_pd(a, b));
            vyy = _mm256_add_pd(vyy, _mm256_mul_pd(b, b));
            i += 4;
            if (!xFlat) continue;
            // Invariant: x[i − 1] is `level` (positive and finite: the block above was flat) and
            // the sums hold every bar before i. A block is flat exactly when its four `x` equal
            // `level`; a block that is not, or has a `y` move outside the series' range, goes
            // back to the general loop above.
            const __m256d level = _mm256_broadcast_sd(x + i - 1);
            // Two blocks an iteration, computed side by side: a block's series is a long chain
            // (a division and eight dependent operations), and one block at a time fills the
            // scheduler before the next block's chain can start.
            for (; i + 7 < end; i += 8) {
                __m256d xs0 = _mm256_cmp_pd(_mm256_loadu_pd(x + i), level, _CMP_EQ_OQ);
                __m256d xs1 = _mm256_cmp_pd(_mm256_loadu_pd(x + i + 4), level, _CMP_EQ_OQ);
                __m256d y0 = _mm256_loadu_pd(y + i), q0 = _mm256_loadu_pd(y + i - 1);
                __m256d y1 = _mm256_loadu_pd(y + i + 4), q1 = _mm256_loadu_pd(y + i + 3);
                __m256d s0 = _mm256_div_pd(_mm256_sub_pd(y0, q0), _mm256_add_pd(y0, q0));
                __m256d s1 = _mm256_div_pd(_mm256_sub_pd(y1, q1), _mm256_add_pd(y1, q1));
                __m256d ok = _mm256_and_pd(_mm256_and_pd(xs0, within_series_avx2(s0, limit)),
                                           _mm256_and_pd(xs1, within_series_avx2(s1, limit)));
                if (_mm256_movemask_pd(ok) != 0xF) break;
                __m256d b0 = _mm256_sub_pd(series_avx2(s0), shY), b1 = _mm256_sub_pd(series_avx2(s1), shY);
                // Block by block, in bar order: a is +0 − shiftX, from the flat block above.
                vx = _mm256_add_pd(_mm256_add_pd(vx, a), a);
                vy = _mm256_add_pd(_mm256_add_pd(vy, b0), b1);
                vxy = _mm256_add_pd(_mm256_add_pd(vxy, _mm256_mul_pd(a, b0)), _mm256_mul_pd(a, b1));
                vyy = _mm256_add_pd(_mm256_add_pd(vyy, _mm256_mul_pd(b0, b0)), _mm256_mul_pd(b1, b1));
            }
        }
        _mm256_storeu_pd(lanes, vx);
        _mm256_storeu_pd(lanes + 4, vy);
        _mm256_storeu_pd(lanes + 8, vxy);
        _mm256_storeu_pd(lanes + 12, vyy);
        if (i + 3 < end) {
            lanes_portable(x, y, i, i + 4, shiftX, shiftY, lanes);
            i += 4;
        }
    }
    lanes_portable(x, y, i, end, shiftX, shiftY, lanes);
}
#endif

void colonnade_log_return_lanes(const double *x, const double *y, long first, long end, double shiftX, double shiftY,
                                double *lanes, int build) {
    if (first < 1) first = 1;
    if (first >= end) return;
#if defined(__x86_64__)
    if (build == 0 && __builtin_cpu_supports("avx2")) {
        lanes_avx2(x, y, first, end, shiftX, shiftY, lanes);
        return;
    }
#else
    (void)build;
#endif
    lanes_portable(x, y, first, end, shiftX, shiftY, lanes);
}
