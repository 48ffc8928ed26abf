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

static void finish(const double *sx, const double *sy, const double *sxy, const double *syy, double *sums) {
    sums[0] = (sx[0] + sx[1]) + (sx[2] + sx[3]);
    sums[1] = (sy[0] + sy[1]) + (sy[2] + sy[3]);
    sums[2] = (sxy[0] + sxy[1]) + (sxy[2] + sxy[3]);
    sums[3] = (syy[0] + syy[1]) + (syy[2] + syy[3]);
}

static void sums_portable(const double *x, const double *y, long count, double shiftX, double shiftY, double *sums) {
    double sx[4] = {0}, sy[4] = {0}, sxy[4] = {0}, syy[4] = {0};
    for (long i = 1; i < count; i++) add_bar(x, y, i, shiftX, shiftY, sx, sy, sxy, syy);
    finish(sx, sy, sxy, syy, sums);
}

#if defined(__x86_64__)
// The series for four bars at once: lane by lane the operations of log_return.
__attribute__((target("avx")))
static inline __m256d series_avx(__m256d s) {
    __m256d z = _mm256_mul_pd(s, s);
    __m256d tail = _mm256_mul_pd(z, _mm256_set1_pd(1.0 / 9));
    tail = _mm256_mul_pd(z, _mm256_add_pd(_mm256_set1_pd(1.0 / 7), tail));
    tail = _mm256_mul_pd(z, _mm256_add_pd(_mm256_set1_pd(1.0 / 5), tail));
    tail = _mm256_mul_pd(z, _mm256_add_pd(_mm256_set1_pd(1.0 / 3), tail));
    __m256d twoS = _mm256_mul_pd(_mm256_set1_pd(2), s);
    return _mm256_add_pd(twoS, _mm256_mul_pd(twoS, tail));
}

// Four bars an iteration, bar 1 + 4k + j in lane j; a block where any move is outside the
// series' range (rare) takes log_return lane by lane, into the same lanes.
__attribute__((target("avx")))
static void sums_avx(const double *x, const double *y, long count, double shiftX, double shiftY, double *sums) {
    const __m256d limit = _mm256_set1_pd(0.03);
    const __m256d magnitude = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7FFFFFFFFFFFFFFFLL));
    const __m256d shX = _mm256_set1_pd(shiftX), shY = _mm256_set1_pd(shiftY);
    __m256d vx = _mm256_setzero_pd(), vy = _mm256_setzero_pd(), vxy = _mm256_setzero_pd(), vyy = _mm256_setzero_pd();
    long i = 1;
    for (; i + 3 < count; i += 4) {
        __m256d xc = _mm256_loadu_pd(x + i), xp = _mm256_loadu_pd(x + i - 1);
        __m256d yc = _mm256_loadu_pd(y + i), yp = _mm256_loadu_pd(y + i - 1);
        __m256d sx = _mm256_div_pd(_mm256_sub_pd(xc, xp), _mm256_add_pd(xc, xp));
        __m256d sy = _mm256_div_pd(_mm256_sub_pd(yc, yp), _mm256_add_pd(yc, yp));
        __m256d inRange = _mm256_and_pd(_mm256_cmp_pd(_mm256_and_pd(sx, magnitude), limit, _CMP_LT_OQ),
                                        _mm256_cmp_pd(_mm256_and_pd(sy, magnitude), limit, _CMP_LT_OQ));
        __m256d rx, ry;
        if (_mm256_movemask_pd(inRange) == 0xF) {
            rx = series_avx(sx);
            ry = series_avx(sy);
        } else {
            double tx[4], ty[4];
            for (int j = 0; j < 4; j++) {
                tx[j] = log_return(x[i + j], x[i + j - 1]);
                ty[j] = log_return(y[i + j], y[i + j - 1]);
            }
            rx = _mm256_loadu_pd(tx);
            ry = _mm256_loadu_pd(ty);
        }
        __m256d a = _mm256_sub_pd(rx, shX), b = _mm256_sub_pd(ry, shY);
        vx = _mm256_add_pd(vx, a);
        vy = _mm256_add_pd(vy, b);
        vxy = _mm256_add_pd(vxy, _mm256_mul_pd(a, b));
        vyy = _mm256_add_pd(vyy, _mm256_mul_pd(b, b));
    }
    double sx[4], sy[4], sxy[4], syy[4];
    _mm256_storeu_pd(sx, vx);
    _mm256_storeu_pd(sy, vy);
    _mm256_storeu_pd(sxy, vxy);
    _mm256_storeu_pd(syy, vyy);
    for (; i < count; i++) add_bar(x, y, i, shiftX, shiftY, sx, sy, sxy, syy);
    finish(sx, sy, sxy, syy, sums);
}
#endif

void colonnade_log_return_sums(const double *x, const double *y, long count, double shiftX, double shiftY,
                               double *sums, int build) {
#if defined(__x86_64__)
    if (build == 0 && __builtin_cpu_supports("avx")) {
        sums_avx(x, y, count, shiftX, shiftY, sums);
        return;
    }
#else
    (void)build;
#endif
    sums_portable(x, y, count, shiftX, shiftY, sums);
}
