#if canImport(Glibc)
import Glibc
#endif
import ColumnStore

/// Real files on disk for import tests, in a fresh temporary directory per call.
enum TestFiles {
    static func write(_ name: String, _ contents: String) -> String {
        var template = Array("/tmp/colonnade-test-XXXXXX".utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        let path = dir + "/" + name
        let handle = fopen(path, "wb")!
        _ = contents.utf8CString.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count - 1, handle) }
        fclose(handle)
        return path
    }

    static let repository: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// Reads `contents` as a CSV file and returns the error it raises (nil if none).
    static func error(_ contents: String, name: String = "bad.csv", options: CSVImportOptions = CSVImportOptions()) -> DataError? {
        let path = write(name, contents)
        // The file and its directory are gone once read: the suites write thousands of them.
        defer {
            unlink(path)
            rmdir(String(path[..<path.lastIndex(of: "/")!]))
        }
        do {
            _ = try CSVImporter.read(path, options: options)
            return nil
        } catch let error as DataError {
            return error
        } catch {
            return nil
        }
    }
}
