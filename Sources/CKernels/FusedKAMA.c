#include "CKernels.h"
#include "FusedBuilds.h"

// Nothing here may be fused behind our back: the only fused operations are the explicit ones.
#pragma clang fp contract(off)

// KAMA past its seed, with TA-Lib's FMA build's contractions: the smoothing constant
// `fma(er, diff, slowest)` squared, the step `fma(x - kama, sc, kama)` (a 7-cycle chain with the
// instruction, against 9 for a subtract, multiply and add). The sum of absolute one-bar changes
// drops the change leaving the window before it adds the new one, as the state machine does.
#define KAMA_BODY(FMA)                                                                      \
    double kama = state[0], sumROC1 = state[1];                                             \
    for (long i = 0; i < count; i++) {                                                      \
        double value = x[i], leaving = x[i - period];                                       \
        sumROC1 -= fabs(x[i - period - 1] - leaving);                                       \
        sumROC1 += fabs(value - x[i - 1]);                                                  \
        double periodROC = value - leaving;                                                 \
        int flat = -0.00000000000001 < sumROC1 && sumROC1 < 0.00000000000001;               \
        double efficiency = (sumROC1 <= periodROC || flat) ? 1.0 : fabs(periodROC / sumROC1); \
        double smoothing = FMA(efficiency, diff, slowest);                                  \
        smoothing *= smoothing;                                                             \
        kama = FMA(value - kama, smoothing, kama);                                          \
        out[i] = kama;                                                                      \
    }                                                                                       \
    state[0] = kama; state[1] = sumROC1;

TWO_BUILDS(kama, (const double *x, double *out, long count, long period, double diff, double slowest,
                 double *state), KAMA_BODY)

void colonnade_kama_fused(const double *x, double *out, long count, long period, double diff, double slowest,
                          double *state, int allowHardware) {
    PICK(kama, allowHardware, (x, out, count, period, diff, slowest, state))
}
