#ifndef COLONNADE_CKERNELS_H
#define COLONNADE_CKERNELS_H

// Loops whose exact arithmetic needs an instruction the baseline x86-64 Swift build cannot
// emit without unsafeFlags (a fused multiply-add). Each picks, at run time, a build for the CPU
// it runs on; every build gives the same bits.

/// Runs the exponential-average recurrence `value = fma(x[i] - value, k, value)` over
/// `x[0..<count]`, writing each value to `out[i]`, and returns the last value (or `value` when
/// `count` is 0). `fma` rounds once, so the result does not depend on which build runs: with
/// `allowHardware` non-zero and an FMA CPU, the loop uses the instruction; otherwise it calls
/// the C library's `fma`.
double colonnade_ema_fused(const double *x, double *out, long count, double k, double value, int allowHardware);

#endif
