#include "CKernels.h"
#include <math.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// One word of masks for `bits` (at most 64) bars: bit k of *lt (*gt) is a[k] < b[k] (a[k] > b[k]).
static inline void compare_word_scalar(const double *a, const double *b, long bits, uint64_t *lt, uint64_t *gt) {
    uint64_t l = 0, g = 0;
    for (long k = 0; k < bits; k++) {
        l |= (uint64_t)(a[k] < b[k]) << k;
        g |= (uint64_t)(a[k] > b[k]) << k;
    }
    *lt = l;
    *gt = g;
}

static void compare_masks_portable(const double *a, const double *b, long count, uint64_t *lt, uint64_t *gt) {
    for (long first = 0, w = 0; first < count; first += 64, w++) {
        long bits = count - first < 64 ? count - first : 64;
        compare_word_scalar(a + first, b + first, bits, lt + w, gt + w);
    }
}

#if defined(__x86_64__)
// Four bars a compare: the ordered predicates are false on NaN, as C's and Swift's `<` and `>`.
__attribute__((target("avx")))
static void compare_masks_avx(const double *a, const double *b, long count, uint64_t *lt, uint64_t *gt) {
    long whole = count / 64;
    for (long w = 0; w < whole; w++) {
        const double *x = a + 64 * w, *y = b + 64 * w;
        uint64_t l = 0, g = 0;
        for (int k = 0; k < 64; k += 4) {
            __m256d u = _mm256_loadu_pd(x + k), v = _mm256_loadu_pd(y + k);
            l |= (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(u, v, _CMP_LT_OQ)) << k;
            g |= (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(u, v, _CMP_GT_OQ)) << k;
        }
        lt[w] = l;
        gt[w] = g;
    }
    if (64 * whole < count) compare_word_scalar(a + 64 * whole, b + 64 * whole, count - 64 * whole, lt + whole, gt + whole);
}

// Two bars a compare: SSE2 is part of x86-64, so this build needs no check.
static void compare_masks_sse2(const double *a, const double *b, long count, uint64_t *lt, uint64_t *gt) {
    long whole = count / 64;
    for (long w = 0; w < whole; w++) {
        const double *x = a + 64 * w, *y = b + 64 * w;
        uint64_t l = 0, g = 0;
        for (int k = 0; k < 64; k += 2) {
            __m128d u = _mm_loadu_pd(x + k), v = _mm_loadu_pd(y + k);
            l |= (uint64_t)_mm_movemask_pd(_mm_cmplt_pd(u, v)) << k;
            g |= (uint64_t)_mm_movemask_pd(_mm_cmpgt_pd(u, v)) << k;
        }
        lt[w] = l;
        gt[w] = g;
    }
    if (64 * whole < count) compare_word_scalar(a + 64 * whole, b + 64 * whole, count - 64 * whole, lt + whole, gt + whole);
}
#endif

// Quotients compared: a[k] / da against b[k] / db, each division correctly rounded as in any build.
static inline void compare_quotient_word_scalar(const double *a, double da, const double *b, double db, long bits,
                                                uint64_t *lt, uint64_t *gt) {
    uint64_t l = 0, g = 0;
    for (long k = 0; k < bits; k++) {
        double x = a[k] / da, y = b[k] / db;
        l |= (uint64_t)(x < y) << k;
        g |= (uint64_t)(x > y) << k;
    }
    *lt = l;
    *gt = g;
}

static void compare_quotient_masks_portable(const double *a, double da, const double *b, double db, long count,
                                            uint64_t *lt, uint64_t *gt) {
    for (long first = 0, w = 0; first < count; first += 64, w++) {
        long bits = count - first < 64 ? count - first : 64;
        compare_quotient_word_scalar(a + first, da, b + first, db, bits, lt + w, gt + w);
    }
}

#if defined(__x86_64__)
// Four bars a step, deciding each order by cross-multiplying instead of dividing: a division is
// the slowest vector operation there is (on this machine two per four bars took about a third of
// the crossing stream's time, 1.5 ms of a million-bar run), and almost every pair of averages is
// far from a tie.
//
// With da, db > 0 (periods), a/da − b/db has the sign of P − Q, P = a·db and Q = b·da. The
// products p, q and the difference d = p − q are each rounded once (relative error at most
// u = 2^-53), so when |d| > m = 2^-48·(|p| + |q|) the sign of d is that of P − Q, and the exact
// quotients differ by more than 2^-48.1 of their magnitudes' sum, far more than the rounding of
// either division (u of each): the rounded quotients are then strictly ordered as d says. A
// step with a lane inside that margin (a tie or a near tie, as on cent prices), or with a NaN,
// an infinity, or products too small for relative error bounds (|p| + |q| ≤ 2^-900), divides
// instead: the portable build's arithmetic, so every build gives the same masks.
__attribute__((target("avx")))
static void compare_quotient_masks_avx(const double *a, double da, const double *b, double db, long count,
                                       uint64_t *lt, uint64_t *gt) {
    const __m256d va = _mm256_set1_pd(da), vb = _mm256_set1_pd(db);
    const __m256d sign = _mm256_set1_pd(-0.0), margin = _mm256_set1_pd(0x1p-48), tiny = _mm256_set1_pd(0x1p-900);
    long whole = count / 64;
    for (long w = 0; w < whole; w++) {
        const double *x = a + 64 * w, *y = b + 64 * w;
        uint64_t l = 0, g = 0;
        for (int k = 0; k < 64; k += 4) {
            __m256d u = _mm256_loadu_pd(x + k), v = _mm256_loadu_pd(y + k);
            __m256d p = _mm256_mul_pd(u, vb), q = _mm256_mul_pd(v, va);
            __m256d d = _mm256_sub_pd(p, q);
            __m256d size = _mm256_add_pd(_mm256_andnot_pd(sign, p), _mm256_andnot_pd(sign, q));
            // |d| > m and |p| + |q| > tiny: both false on NaN.
            __m256d decided = _mm256_and_pd(_mm256_cmp_pd(_mm256_andnot_pd(sign, d), _mm256_mul_pd(size, margin), _CMP_GT_OQ),
                                            _mm256_cmp_pd(size, tiny, _CMP_GT_OQ));
            uint64_t less, greater;
            if (__builtin_expect(_mm256_movemask_pd(decided) == 0xF, 1)) {
                // Decided lanes have d ≠ 0: its sign bit says less, its absence greater.
                less = (uint64_t)_mm256_movemask_pd(d);
                greater = less ^ 0xF;
            } else {
                __m256d qu = _mm256_div_pd(u, va), qv = _mm256_div_pd(v, vb);
                less = (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(qu, qv, _CMP_LT_OQ));
                greater = (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(qu, qv, _CMP_GT_OQ));
            }
            l |= less << k;
            g |= greater << k;
        }
        lt[w] = l;
        gt[w] = g;
    }
    if (64 * whole < count) {
        compare_quotient_word_scalar(a + 64 * whole, da, b + 64 * whole, db, count - 64 * whole, lt + whole, gt + whole);
    }
}
#endif

void colonnade_compare_quotient_masks(const double *a, double da, const double *b, double db, long count,
                                      uint64_t *lt, uint64_t *gt, int build) {
#if defined(__x86_64__)
    // Cross-multiplying keeps the order only for positive finite divisors.
    int positiveDivisors = da > 0 && db > 0 && da < INFINITY && db < INFINITY;
    if (build == 0 && positiveDivisors && __builtin_cpu_supports("avx")) {
        compare_quotient_masks_avx(a, da, b, db, count, lt, gt);
        return;
    }
#else
    (void)build;
#endif
    compare_quotient_masks_portable(a, da, b, db, count, lt, gt);
}

void colonnade_compare_masks(const double *a, const double *b, long count, uint64_t *lt, uint64_t *gt, int build) {
#if defined(__x86_64__)
    if (build == 0 && __builtin_cpu_supports("avx")) {
        compare_masks_avx(a, b, count, lt, gt);
        return;
    }
    if (build == 0 || build == 2) {
        compare_masks_sse2(a, b, count, lt, gt);
        return;
    }
#else
    (void)build;
#endif
    compare_masks_portable(a, b, count, lt, gt);
}
