#include "CKernels.h"
#include "FusedBuilds.h"
#include <math.h>

// Nothing here may be fused behind our back: the only fused operation is the explicit one.
#pragma clang fp contract(off)

// TA-Lib's true range: the largest of high - low, |close[-1] - high| and |low - close[-1]|,
// compared in that order (a NaN never replaces the running greatest).
static inline double true_range(double high, double low, double previous_close) {
    double greatest = high - low;
    double up = fabs(previous_close - high);
    if (up > greatest) greatest = up;
    double down = fabs(low - previous_close);
    if (down > greatest) greatest = down;
    return greatest;
}

// Wilder's smoothing as one fused step on the chain: about 4 cycles a bar with the instruction,
// against a 3-cycle multiply and a 3-cycle add unfused.
#define ATR_BODY(FMA)                                                                       \
    for (long i = 0; i < count; i++) {                                                      \
        value = FMA(value, decay, true_range(h[i], l[i], c[i - 1]) * reciprocal);           \
        out[i] = value;                                                                     \
    }                                                                                       \
    return value;

TWO_BUILDS_RETURNING(double, atr, (const double *h, const double *l, const double *c, double *out, long count,
                                   double decay, double reciprocal, double value), ATR_BODY)

double colonnade_atr_fused(const double *h, const double *l, const double *c, double *out, long count,
                           double decay, double reciprocal, double value, int allowHardware) {
    PICK_RETURNING(atr, allowHardware, (h, l, c, out, count, decay, reciprocal, value))
}
