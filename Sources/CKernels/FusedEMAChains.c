#include "CKernels.h"
#include "FusedBuilds.h"

// Nothing here may be fused behind our back: the only fused operations are the explicit ones.
#pragma clang fp contract(off)

// The indicators built on exponential averages, past their warm-up. Every stage steps as EMA
// does, `e = fma(x - e, k, e)` (TA-Lib's `(x - e)·k + e` in its FMA build); the combinations are
// TA-Lib's, unfused. Each loop body is built twice (`TWO_BUILDS`, FusedBuilds.h): with the
// instruction (a 7-cycle chain per stage) and with the C library's `fma`, which rounds the same way.

#define STEP(FMA, x, e, k) ((e) = FMA((x) - (e), k, e))

#define DEMA_BODY(FMA)                                                                      \
    double e1 = stages[0], e2 = stages[1];                                                  \
    for (long i = 0; i < count; i++) {                                                      \
        STEP(FMA, x[i], e1, k);                                                             \
        STEP(FMA, e1, e2, k);                                                               \
        out[i] = (2.0 * e1) - e2;                                                           \
    }                                                                                       \
    stages[0] = e1; stages[1] = e2;

#define TEMA_BODY(FMA)                                                                      \
    double e1 = stages[0], e2 = stages[1], e3 = stages[2];                                  \
    for (long i = 0; i < count; i++) {                                                      \
        STEP(FMA, x[i], e1, k);                                                             \
        STEP(FMA, e1, e2, k);                                                               \
        STEP(FMA, e2, e3, k);                                                               \
        out[i] = e3 + ((3.0 * e1) - (3.0 * e2));                                            \
    }                                                                                       \
    stages[0] = e1; stages[1] = e2; stages[2] = e3;

// TA-Lib's 1-bar rate of change of the third stage, 0 where the previous value is 0.
#define TRIX_BODY(FMA)                                                                      \
    double e1 = stages[0], e2 = stages[1], e3 = stages[2];                                  \
    for (long i = 0; i < count; i++) {                                                      \
        double previous = e3;                                                               \
        STEP(FMA, x[i], e1, k);                                                             \
        STEP(FMA, e1, e2, k);                                                               \
        STEP(FMA, e2, e3, k);                                                               \
        out[i] = previous != 0.0 ? ((e3 / previous) - 1.0) * 100.0 : 0.0;                   \
    }                                                                                       \
    stages[0] = e1; stages[1] = e2; stages[2] = e3;

#define MACD_BODY(FMA)                                                                      \
    double fast = stages[0], slow = stages[1], signal = stages[2];                          \
    for (long i = 0; i < count; i++) {                                                      \
        STEP(FMA, x[i], slow, kSlow);                                                       \
        STEP(FMA, x[i], fast, kFast);                                                       \
        double line = fast - slow;                                                          \
        STEP(FMA, line, signal, kSignal);                                                   \
        macd[i] = line;                                                                     \
        signalOut[i] = signal;                                                              \
        histogram[i] = line - signal;                                                       \
    }                                                                                       \
    stages[0] = fast; stages[1] = slow; stages[2] = signal;

// APO, or with `percent` PPO: `((fast - slow) / slow)·100`, 0 where |slow| < 1e-14.
#define OSCILLATOR_BODY(FMA)                                                                \
    double fast = stages[0], slow = stages[1];                                              \
    if (percent) {                                                                          \
        for (long i = 0; i < count; i++) {                                                  \
            STEP(FMA, x[i], slow, kSlow);                                                   \
            STEP(FMA, x[i], fast, kFast);                                                   \
            int zero = -0.00000000000001 < slow && slow < 0.00000000000001;                 \
            out[i] = zero ? 0.0 : ((fast - slow) / slow) * 100.0;                           \
        }                                                                                   \
    } else {                                                                                \
        for (long i = 0; i < count; i++) {                                                  \
            STEP(FMA, x[i], slow, kSlow);                                                   \
            STEP(FMA, x[i], fast, kFast);                                                   \
            out[i] = fast - slow;                                                           \
        }                                                                                   \
    }                                                                                       \
    stages[0] = fast; stages[1] = slow;

TWO_BUILDS(dema, (const double *x, double *out, long count, double k, double *stages), DEMA_BODY)
TWO_BUILDS(tema, (const double *x, double *out, long count, double k, double *stages), TEMA_BODY)
TWO_BUILDS(trix, (const double *x, double *out, long count, double k, double *stages), TRIX_BODY)
TWO_BUILDS(macd, (const double *x, double *macd, double *signalOut, double *histogram, long count,
                  double kFast, double kSlow, double kSignal, double *stages), MACD_BODY)
TWO_BUILDS(oscillator, (const double *x, double *out, long count, double kFast, double kSlow, int percent,
                        double *stages), OSCILLATOR_BODY)

void colonnade_dema_fused(const double *x, double *out, long count, double k, double *stages, int allowHardware) {
    PICK(dema, allowHardware, (x, out, count, k, stages))
}

void colonnade_tema_fused(const double *x, double *out, long count, double k, double *stages, int allowHardware) {
    PICK(tema, allowHardware, (x, out, count, k, stages))
}

void colonnade_trix_fused(const double *x, double *out, long count, double k, double *stages, int allowHardware) {
    PICK(trix, allowHardware, (x, out, count, k, stages))
}

void colonnade_macd_fused(const double *x, double *macd, double *signal, double *histogram, long count,
                          double kFast, double kSlow, double kSignal, double *stages, int allowHardware) {
    PICK(macd, allowHardware, (x, macd, signal, histogram, count, kFast, kSlow, kSignal, stages))
}

void colonnade_price_oscillator_fused(const double *x, double *out, long count, double kFast, double kSlow,
                                      int percent, double *stages, int allowHardware) {
    PICK(oscillator, allowHardware, (x, out, count, kFast, kSlow, percent, stages))
}
