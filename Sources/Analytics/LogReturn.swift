#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `log(current / previous)`, the log return between two positive values, without a library call
/// for the moves bars actually make.
///
/// Beta takes two log returns per bar; through the C library's `log` those calls cost more than
/// the rest of the statistics together (about 8–10 ns a bar on the project machine). The identity
/// `log(b/a) = 2·atanh(s)` with `s = (b − a)/(b + a)` needs one division and, for `|s| < 0.03`
/// (moves within about ±6 %), five terms of the odd series `2·(s + s³/3 + s⁵/5 + s⁷/7 + s⁹/9)`,
/// whose first omitted term is below 5·10⁻¹⁸ relative. `b − a` is exact for values within a
/// factor of two (Sterbenz), so the result is within a dozen units in the last place of the exact
/// log return, which is *more* accurate than `log(b / a)`: rounding the ratio first costs up to
/// 1.1·10⁻¹⁶ absolute, millions of ulps of a return near zero. Larger moves, zeros, infinities and
/// NaN take `log(b / a)` itself, so those edge cases are the library's.
@inline(__always)
func logReturn(_ current: Double, over previous: Double) -> Double {
    let s = (current - previous) / (current + previous)
    guard abs(s) < 0.03 else { return log(current / previous) }
    let z = s * s
    let tail = z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9))))
    return 2 * s + 2 * s * tail
}
