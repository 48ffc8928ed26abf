#include "CKernels.h"
#include <math.h>

// Nothing here may be fused behind our back: the only fused operations are the explicit ones.
#pragma clang fp contract(off)

// The recurrence is one dependent chain (subtract, then fused multiply-add): about 7 cycles a
// value with the instruction, against a library call per value without it.
__attribute__((target("fma")))
static double ema_fused_hardware(const double *x, double *out, long count, double k, double value) {
    for (long i = 0; i < count; i++) {
        value = __builtin_fma(x[i] - value, k, value);
        out[i] = value;
    }
    return value;
}

static double ema_fused_portable(const double *x, double *out, long count, double k, double value) {
    for (long i = 0; i < count; i++) {
        value = fma(x[i] - value, k, value);
        out[i] = value;
    }
    return value;
}

double colonnade_ema_fused(const double *x, double *out, long count, double k, double value, int allowHardware) {
#if defined(__x86_64__)
    if (allowHardware && __builtin_cpu_supports("fma")) {
        return ema_fused_hardware(x, out, count, k, value);
    }
#else
    (void)allowHardware;
#endif
    return ema_fused_portable(x, out, count, k, value);
}
