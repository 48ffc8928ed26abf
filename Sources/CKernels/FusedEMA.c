#include "CKernels.h"
#include "FusedBuilds.h"

// Nothing here may be fused behind our back: the only fused operations are the explicit ones.
#pragma clang fp contract(off)

// The recurrence is one dependent chain (subtract, then fused multiply-add): about 7 cycles a
// value with the instruction, against a library call per value without it.
#define EMA_BODY(FMA)                                                                       \
    for (long i = 0; i < count; i++) {                                                      \
        value = FMA(x[i] - value, k, value);                                                \
        out[i] = value;                                                                     \
    }                                                                                       \
    return value;

TWO_BUILDS_RETURNING(double, ema, (const double *x, double *out, long count, double k, double value), EMA_BODY)

double colonnade_ema_fused(const double *x, double *out, long count, double k, double value, int allowHardware) {
    PICK_RETURNING(ema, allowHardware, (x, out, count, k, value))
}
