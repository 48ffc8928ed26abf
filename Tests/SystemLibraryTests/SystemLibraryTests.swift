import CLAPACKE
import COpenBLAS
import CZstd
import Testing

/// The system libraries the quick start installs (Debian's libopenblas-dev, liblapacke-dev,
/// libzstd-dev) link and compute correctly. Later modules build on them: Analytics on BLAS and
/// LAPACK, the `.colz` file format on zstd.
@Suite("System libraries")
struct SystemLibraryTests {
    @Test func openBLASMatrixProduct() {
        openblas_set_num_threads(1)
        let n: Int32 = 64
        let count = Int(n * n)
        let a = (0..<count).map { Double(($0 * 7) % 13) - 6 }
        let b = (0..<count).map { Double(($0 * 5) % 11) - 5 }
        var c = [Double](repeating: 0, count: count)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0, a, n, b, n, 0.0, &c, n)
        // Integer-valued inputs: the product is exact, so compare with a naive triple loop exactly.
        for (i, j) in [(0, 0), (3, 5), (63, 63), (17, 40)] {
            var expected = 0.0
            for k in 0..<Int(n) { expected += a[i * Int(n) + k] * b[k * Int(n) + j] }
            #expect(c[i * Int(n) + j] == expected)
        }
    }

    @Test func lapackeCholeskySolve() {
        // A = M·Mᵀ + n·I is symmetric positive definite; solve A x = b and check the residual.
        let n = 50
        let m = (0..<(n * n)).map { Double(($0 * 31) % 17) / 17 - 0.5 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n {
            var s = i == j ? Double(n) : 0
            for k in 0..<n { s += m[i * n + k] * m[j * n + k] }
            a[i * n + j] = s
        } }
        let b = (0..<n).map { Double($0 % 7) - 3 }
        var factor = a, x = b
        let upper = CChar(UInt8(ascii: "L"))
        #expect(LAPACKE_dpotrf(LAPACK_ROW_MAJOR, upper, Int32(n), &factor, Int32(n)) == 0)
        #expect(LAPACKE_dpotrs(LAPACK_ROW_MAJOR, upper, Int32(n), 1, factor, Int32(n), &x, 1) == 0)
        var residual = 0.0, norm = 0.0
        for i in 0..<n {
            var ax = 0.0
            for j in 0..<n { ax += a[i * n + j] * x[j] }
            residual += (ax - b[i]) * (ax - b[i])
            norm += b[i] * b[i]
        }
        #expect((residual / norm).squareRoot() < 1e-12)
    }

    @Test func zstdRoundTrip() throws {
        let source = (0..<100_000).map { UInt8(truncatingIfNeeded: ($0 / 7) % 251) }
        let bound = ZSTD_compressBound(source.count)
        var compressed = [UInt8](repeating: 0, count: bound)
        let size = ZSTD_compress(&compressed, bound, source, source.count, 3)
        #expect(ZSTD_isError(size) == 0)
        #expect(size < source.count / 2) // a repetitive input must actually compress
        var restored = [UInt8](repeating: 0, count: source.count)
        let restoredSize = ZSTD_decompress(&restored, restored.count, compressed, size)
        #expect(ZSTD_isError(restoredSize) == 0 && restoredSize == source.count)
        #expect(restored == source)
        // A corrupt frame is reported as an error code, not a crash.
        var garbage = [UInt8](repeating: 0xAB, count: 64)
        #expect(ZSTD_isError(ZSTD_decompress(&restored, restored.count, &garbage, garbage.count)) != 0)
    }
}
