#ifndef COLONNADE_FUSED_BUILDS_H
#define COLONNADE_FUSED_BUILDS_H

// Shared by the fused kernels (not part of the public header). A loop body written once as a
// macro of `FMA` is built twice: with the CPU's fused multiply-add (`name##_hardware`) and with
// the C library's `fma` (`name##_portable`). Both round once per operation, so they give the
// same bits; `PICK` runs the hardware build when it is allowed and the CPU has the instruction.

#include <math.h>

#define TWO_BUILDS(name, parameters, body)                                                  \
    __attribute__((target("fma"))) static void name##_hardware parameters { body(__builtin_fma) } \
    static void name##_portable parameters { body(fma) }

// The same for a loop that returns a value of `type` (its body ends with the `return`).
#define TWO_BUILDS_RETURNING(type, name, parameters, body)                                  \
    __attribute__((target("fma"))) static type name##_hardware parameters { body(__builtin_fma) } \
    static type name##_portable parameters { body(fma) }

#if defined(__x86_64__)
#define PICK(name, allowHardware, arguments)                                                \
    if ((allowHardware) && __builtin_cpu_supports("fma")) { name##_hardware arguments; return; } \
    name##_portable arguments;
#define PICK_RETURNING(name, allowHardware, arguments)                                      \
    if ((allowHardware) && __builtin_cpu_supports("fma")) return name##_hardware arguments; \
    return name##_portable arguments;
#else
#define PICK(name, allowHardware, arguments) (void)(allowHardware); name##_portable arguments;
#define PICK_RETURNING(name, allowHardware, arguments) (void)(allowHardware); return name##_portable arguments;
#endif

#endif
