#include "CKernels.h"
#include "FusedBuilds.h"

// Nothing here may be fused behind our back: the only fused operations are the explicit ones.
#pragma clang fp contract(off)

// The accumulation/distribution line is unfused, the two averages are `fma(1 - k, e, k·ad)`:
// what TA-Lib's FMA build makes of its ADOSC loop (its values agree with these to the bit). The
// averages' recurrences are one 4-cycle fused step each; the division is off every chain.
#define ADOSC_BODY(FMA)                                                                     \
    double ad = state[0], fast = state[1], slow = state[2];                                 \
    double fastDecay = 1.0 - fastK, slowDecay = 1.0 - slowK;                                \
    for (long i = 0; i < count; i++) {                                                      \
        double range = h[i] - l[i];                                                         \
        if (range > 0.0) ad += (((c[i] - l[i]) - (h[i] - c[i])) / range) * v[i];            \
        fast = FMA(fastDecay, fast, fastK * ad);                                            \
        slow = FMA(slowDecay, slow, slowK * ad);                                            \
        out[i] = fast - slow;                                                               \
    }                                                                                       \
    state[0] = ad; state[1] = fast; state[2] = slow;

TWO_BUILDS(adosc, (const double *h, const double *l, const double *c, const double *v, double *out, long count,
                  double fastK, double slowK, double *state), ADOSC_BODY)

void colonnade_adosc_fused(const double *h, const double *l, const double *c, const double *v, double *out, long count,
                           double fastK, double slowK, double *state, int allowHardware) {
    PICK(adosc, allowHardware, (h, l, c, v, out, count, fastK, slowK, state))
}
