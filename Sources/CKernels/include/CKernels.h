#ifndef COLONNADE_CKERNELS_H
#define COLONNADE_CKERNELS_H

#include <stdint.h>

// Loops that need an instruction the baseline x86-64 Swift build cannot emit without unsafeFlags
// (a fused multiply-add, wide vector compares, a vector-to-bits move). Each picks, at run time, a
// build for the CPU it runs on; every build gives the same bits.

/// Runs the exponential-average recurrence `value = fma(x[i] - value, k, value)` over
/// `x[0..<count]`, writing each value to `out[i]`, and returns the last value (or `value` when
/// `count` is 0). `fma` rounds once, so the result does not depend on which build runs: with
/// `allowHardware` non-zero and an FMA CPU, the loop uses the instruction; otherwise it calls
/// the C library's `fma`.
double colonnade_ema_fused(const double *x, double *out, long count, double k, double value, int allowHardware);

/// Wilder's average true range past its seed: for `i` in `0..<count`,
/// `value = fma(value, decay, tr(h[i], l[i], c[i - 1]) * reciprocal)` written to `out[i]` (so
/// `c[-1]`, the close before the first bar, must be readable), with TA-Lib's true range; returns
/// the last value. As `colonnade_ema_fused`, every build gives the same bits.
double colonnade_atr_fused(const double *h, const double *l, const double *c, double *out, long count,
                           double decay, double reciprocal, double value, int allowHardware);

/// Tillson's T3 past its warm-up: for `i` in `0..<count`, six exponential stages
/// `e[j] = fma(decay, e[j], k * input)` (the input of stage 1 is `x[i]`, of stage `j` the new
/// `e[j - 1]`), then `out[i] = fma(c4, e3, fma(c3, e4, fma(c1, e6, c2 * e5)))`.
/// `coefficients` holds `k, decay, c1, c2, c3, c4`; `stages` holds `e1...e6` on entry and their
/// last values on return. Every build gives the same bits (see `colonnade_ema_fused`).
void colonnade_t3_fused(const double *x, double *out, long count, const double *coefficients, double *stages,
                        int allowHardware);

/// The indicators built on exponential averages, past their warm-up, for `i` in `0..<count`.
/// Every stage steps as `colonnade_ema_fused` does, `e = fma(input - e, k, e)`; `stages` holds the
/// stages' values on entry (in the order listed) and their last values on return. As
/// `colonnade_ema_fused`, every build gives the same bits.
/// - DEMA: `e1` on `x[i]`, `e2` on `e1`; `out[i] = 2·e1 - e2`.
/// - TEMA: `e1`, `e2`, `e3` chained; `out[i] = e3 + (3·e1 - 3·e2)`.
/// - TRIX: as TEMA's stages; `out[i] = (e3 / e3' - 1)·100` with `e3'` the value before the bar, 0
///   where `e3'` is 0.
/// - MACD: `fast`, `slow` on `x[i]` (with `kFast`, `kSlow`), `signal` on `fast - slow`; writes the
///   line, the signal and the histogram (`line - signal`).
/// - Price oscillators: `fast`, `slow` on `x[i]`; `out[i] = fast - slow` (APO) or, with `percent`,
///   `((fast - slow) / slow)·100`, 0 where `|slow| < 1e-14` (PPO).
void colonnade_dema_fused(const double *x, double *out, long count, double k, double *stages, int allowHardware);
void colonnade_tema_fused(const double *x, double *out, long count, double k, double *stages, int allowHardware);
void colonnade_trix_fused(const double *x, double *out, long count, double k, double *stages, int allowHardware);
void colonnade_macd_fused(const double *x, double *macd, double *signal, double *histogram, long count,
                          double kFast, double kSlow, double kSignal, double *stages, int allowHardware);
void colonnade_price_oscillator_fused(const double *x, double *out, long count, double kFast, double kSlow,
                                      int percent, double *stages, int allowHardware);

/// The Chaikin oscillator past its first value, for `i` in `0..<count`: the A/D line
/// `ad += (((c - l) - (h - c)) / (h - l))·v` where `h - l > 0` (unfused), then
/// `fast = fma(1 - fastK, fast, fastK·ad)`, `slow = fma(1 - slowK, slow, slowK·ad)` and
/// `out[i] = fast - slow`. `state` holds `ad, fast, slow` on entry and their last values on
/// return. As `colonnade_ema_fused`, every build gives the same bits.
void colonnade_adosc_fused(const double *h, const double *l, const double *c, const double *v, double *out, long count,
                           double fastK, double slowK, double *state, int allowHardware);

/// Kaufman's adaptive average past its seed, for `i` in `0..<count` (reading `x[i - period - 1]`
/// on): the sum of absolute one-bar changes over the window, the efficiency ratio `er` (1 where
/// the sum is within 1e-14 of zero or not above the window's change), `sc = fma(er, diff,
/// slowest)²` and `kama = fma(x[i] - kama, sc, kama)`, written to `out[i]`. `state` holds
/// `kama, sum` on entry and their last values on return. As `colonnade_ema_fused`, every build
/// gives the same bits.
void colonnade_kama_fused(const double *x, double *out, long count, long period, double diff, double slowest,
                          double *state, int allowHardware);

/// Compares `a[i]` with `b[i]` for `i` in `0..<count` into bit masks, 64 bars a word: bit `k` of
/// `lt[w]` is `a[64w + k] < b[64w + k]`, of `gt[w]` is `a[64w + k] > b[64w + k]`; both are clear
/// where either value is NaN. Writes `(count + 63) / 64` words to each; the bits past `count` in
/// the last word are zero. `build` picks the build (for tests): 0 the best the CPU has, 1 the
/// portable C loop, 2 the SSE2 build (x86-64 only; elsewhere every value means portable).
void colonnade_compare_masks(const double *a, const double *b, long count, uint64_t *lt, uint64_t *gt, int build);

/// Beta's sums, bar range by bar range, in two halves that can be computed apart. With
/// `b_i = r(y[i], y[i-1]) - shiftY` (the market's shifted log return) and `a_i = r(x[i], x[i-1])`
/// (the equity's), `colonnade_market_return_lanes` adds bars `i` in `max(first, 1)..<end` to
/// `lanes`, eight doubles (zero to begin with) holding Σb and Σb², and
/// `colonnade_equity_return_lanes` adds them to eight holding Σa and Σab, skipping flat bars
/// (`x[i] == x[i-1]`, positive and finite: `a_i` is +0 there and adds nothing). Four lanes each: bar
/// `i` goes to lane `(i - 1) mod 4`, so calls over consecutive ranges give the same lanes as one
/// call over their union. `r` is Analytics' `logReturn(_:over:)`: the series of
/// `2·atanh((c - p)/(c + p))` for moves within about ±6 %, the library's `log(c / p)` otherwise.
/// Every build gives the same bits. `build` picks it (for tests): 0 the best the CPU has (AVX2 on
/// x86-64), 1 the portable C loop.
void colonnade_market_return_lanes(const double *y, long first, long end, double shiftY, double *lanes, int build);
void colonnade_equity_return_lanes(const double *x, const double *y, long first, long end, double shiftY,
                                   double *lanes, int build);

/// The paired running totals of two simple averages over `x` (Indicators' `SMARun.fillTotals`):
/// for `i` in `lo..<hi`, adds `x[i]` to `totals[0]` and `totals[1]`, writes them to `outA[i - lo]`
/// and `outB[i - lo]`, then subtracts `x[i - leaveA]` and `x[i - leaveB]`. With `y` not null, also
/// adds market bars `max(first, 1)..<end` of `y` to `lanes` as `colonnade_market_return_lanes`
/// does (the same bits): the running totals are a chain of dependent additions that leaves the
/// vector units idle, and the two run side by side for little more than the chain's time.
void colonnade_sma_pair_totals(const double *x, long lo, long hi, long leaveA, long leaveB, double *totals,
                               double *outA, double *outB, const double *y, long first, long end, double shiftY,
                               double *lanes, int build);

/// The number of bars from `first` (before `end`) in an unbroken run with `low <= equity[i] < high`
/// and `dayStart <= time[i] < dayEnd`: the bars on which the statistics' pass over an equity curve
/// changes no state but its counters (no new peak or low, no new day). 0 when bar `first` is
/// outside either range; NaN equity is outside. `build`: 0 the best the CPU has (AVX2 on x86-64),
/// 1 the portable C loop; both give the same count.
long colonnade_quiet_bars(const double *equity, const int64_t *time, long first, long end, double low, double high,
                          int64_t dayStart, int64_t dayEnd, int build);

/// As `colonnade_compare_masks`, comparing the quotients `a[i] / da` and `b[i] / db` (each
/// division correctly rounded, as in any build): the comparison of two running averages kept as
/// running totals. `build`: 0 the best the CPU has (AVX on x86-64: for positive finite divisors
/// it orders most pairs by cross-multiplying and divides only near a tie), 1 the portable C loop.
void colonnade_compare_quotient_masks(const double *a, double da, const double *b, double db, long count,
                                      uint64_t *lt, uint64_t *gt, int build);

/// Tells the CPU this thread is spinning on a value another thread will change (x86 `pause`):
/// it frees resources for the other hardware thread and avoids a memory-order flush on exit.
static inline void colonnade_spin_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

/// Two doubles as one vector: Swift imports it as `SIMD2<Double>`.
typedef double colonnade_double2 __attribute__((ext_vector_type(2)));

/// The correctly rounded square root of both lanes, one packed instruction on x86-64 (SSE2
/// `sqrtpd`), inlined into Swift callers: the same bits as two scalar roots at half the root
/// unit's time. Swift's `SIMD2.squareRoot()` calls the C library per lane, and two
/// `Double.squareRoot()` are two `sqrtsd`, which alone set the pace of STDDEV and BBANDS.
static inline colonnade_double2 colonnade_sqrt2(colonnade_double2 v) {
    return __builtin_elementwise_sqrt(v);
}

/// Asks the CPU to bring the cache line holding `address` closer: a hint, with no fault and no
/// effect on any value. Inlined into Swift callers.
static inline void colonnade_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
