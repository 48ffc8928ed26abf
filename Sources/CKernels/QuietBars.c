#include "CKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// The exact bar at which a run stops, one bar at a time (the portable build, and the block in
// which a vector build found the stop).
static long quiet_portable(const double *equity, const int64_t *time, long first, long end, double low,
                           double high, int64_t dayStart, int64_t dayEnd) {
    long i = first;
    // Invariant: every bar in first..<i is inside both ranges.
    while (i < end && equity[i] >= low && equity[i] < high && time[i] >= dayStart && time[i] < dayEnd) i++;
    return i - first;
}

#if defined(__x86_64__)
// Eight bars an iteration; the block that holds the first bar outside either range is finished
// one bar at a time. Compares are ordered and false on NaN, as the scalar ones are.
__attribute__((target("avx2")))
static long quiet_avx2(const double *equity, const int64_t *time, long first, long end, double low, double high,
                       int64_t dayStart, int64_t dayEnd) {
    const __m256d lo = _mm256_set1_pd(low), hi = _mm256_set1_pd(high);
    // time >= dayStart  <=>  time > dayStart - 1 (dayStart is a day boundary, far from Int64.min).
    if (dayStart == INT64_MIN) return quiet_portable(equity, time, first, end, low, high, dayStart, dayEnd);
    const __m256i ds = _mm256_set1_epi64x(dayStart - 1), de = _mm256_set1_epi64x(dayEnd);
    long i = first;
    for (; i + 8 <= end; i += 8) {
        __m256d e0 = _mm256_loadu_pd(equity + i), e1 = _mm256_loadu_pd(equity + i + 4);
        __m256i t0 = _mm256_loadu_si256((const __m256i *)(time + i));
        __m256i t1 = _mm256_loadu_si256((const __m256i *)(time + i + 4));
        __m256d inEquity = _mm256_and_pd(_mm256_and_pd(_mm256_cmp_pd(e0, lo, _CMP_GE_OQ), _mm256_cmp_pd(e0, hi, _CMP_LT_OQ)),
                                         _mm256_and_pd(_mm256_cmp_pd(e1, lo, _CMP_GE_OQ), _mm256_cmp_pd(e1, hi, _CMP_LT_OQ)));
        __m256i inDay = _mm256_and_si256(_mm256_and_si256(_mm256_cmpgt_epi64(t0, ds), _mm256_cmpgt_epi64(de, t0)),
                                         _mm256_and_si256(_mm256_cmpgt_epi64(t1, ds), _mm256_cmpgt_epi64(de, t1)));
        __m256d both = _mm256_and_pd(inEquity, _mm256_castsi256_pd(inDay));
        if (_mm256_movemask_pd(both) != 0xF) break;
    }
    return (i - first) + quiet_portable(equity, time, i, end, low, high, dayStart, dayEnd);
}
#endif

long colonnade_quiet_bars(const double *equity, const int64_t *time, long first, long end, double low, double high,
                          int64_t dayStart, int64_t dayEnd, int build) {
    if (first >= end) return 0;
#if defined(__x86_64__)
    if (build == 0 && __builtin_cpu_supports("avx2")) return quiet_avx2(equity, time, first, end, low, high, dayStart, dayEnd);
#else
    (void)build;
#endif
    return quiet_portable(equity, time, first, end, low, high, dayStart, dayEnd);
}
