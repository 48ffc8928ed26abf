#include "CKernels.h"
#include "FusedBuilds.h"

// Nothing here may be fused behind our back: the only fused operations are the explicit ones.
#pragma clang fp contract(off)

// Six stages `e = fma(1 - k, e, k·x)` and the combination `fma(c4, e3, fma(c3, e4, fma(c1, e6,
// c2·e5)))`: the contraction TA-Lib's FMA build makes of `k·x + (1 - k)·e` and
// `c1·e6 + c2·e5 + c3·e4 + c4·e3` (its T3 agrees with this to the bit). Each stage's recurrence
// is one fused step, 4 cycles with the instruction; a bar is 6 multiplies and 9 fused steps.
#define T3_LOOP(FMA)                                                              \
    double k = coefficients[0], decay = coefficients[1];                          \
    double c1 = coefficients[2], c2 = coefficients[3];                            \
    double c3 = coefficients[4], c4 = coefficients[5];                            \
    double e1 = stages[0], e2 = stages[1], e3 = stages[2];                        \
    double e4 = stages[3], e5 = stages[4], e6 = stages[5];                        \
    for (long i = 0; i < count; i++) {                                            \
        e1 = FMA(decay, e1, k * x[i]);                                            \
        e2 = FMA(decay, e2, k * e1);                                              \
        e3 = FMA(decay, e3, k * e2);                                              \
        e4 = FMA(decay, e4, k * e3);                                              \
        e5 = FMA(decay, e5, k * e4);                                              \
        e6 = FMA(decay, e6, k * e5);                                              \
        out[i] = FMA(c4, e3, FMA(c3, e4, FMA(c1, e6, c2 * e5)));                  \
    }                                                                             \
    stages[0] = e1; stages[1] = e2; stages[2] = e3;                               \
    stages[3] = e4; stages[4] = e5; stages[5] = e6;

TWO_BUILDS(t3, (const double *x, double *out, long count, const double *coefficients, double *stages), T3_LOOP)

void colonnade_t3_fused(const double *x, double *out, long count, const double *coefficients, double *stages,
                        int allowHardware) {
    PICK(t3, allowHardware, (x, out, count, coefficients, stages))
}
