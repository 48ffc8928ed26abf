#include "CKernels.h"
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
__attribute__((target("avx")))
static void compare_quotient_masks_avx(const double *a, double da, const double *b, double db, long count,
                                       uint64_t *lt, uint64_t *gt) {
    const __m256d va = _mm256_set1_pd(da), vb = _mm256_set1_pd(db);
    long whole = count / 64;
    for (long w = 0; w < whole; w++) {
        const double *x = a + 64 * w, *y = b + 64 * w;
        uint64_t l = 0, g = 0;
        for (int k = 0; k < 64; k += 4) {
            __m256d u = _mm256_div_pd(_mm256_loadu_pd(x + k), va), v = _mm256_div_pd(_mm256_loadu_pd(y + k), vb);
            l |= (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(u, v, _CMP_LT_OQ)) << k;
            g |= (uint64_t)_mm256_movemask_pd(_mm256_cmp_pd(u, v, _CMP_GT_OQ)) << k;
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
    if (build == 0 && __builtin_cpu_supports("avx")) {
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
