import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on 127.0.0.1 for tests: it listens on a free port, reads each
/// request whole (headers and a `Content-Length` body), records it, and answers what the
/// handler returns, one request per connection (`Connection: close`).
///
/// It stands in for a language model's chat-completions endpoint, so the client is tested over
/// real sockets and a real HTTP exchange, with no network beyond loopback.
public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        /// Header names in lower case.
        public var headers: [String: String]
        public var body: Data
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: String
        /// Seconds to wait before answering (to make a client time out).
        public var delay: Double

        public init(status: Int = 200, body: String, delay: Double = 0) {
            self.status = status
            self.body = body
            self.delay = delay
        }
    }

    public enum Failure: Error { case socket(String) }

    public let port: UInt16
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: @Sendable (Request, Int) -> Response
    private let lock = NSLock()
    private var recorded: [Request] = []

    /// The requests received so far, in order.
    public var requests: [Request] { lock.withLock { recorded } }

    /// Starts listening. `handler` gets each request and its index (0 for the first).
    public init(handler: @escaping @Sendable (Request, Int) -> Response) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.socket("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw Failure.socket("bind/listen: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    private var stopped = false

    /// Stops listening; the accept loop ends. Call it when done (the loop keeps the server alive).
    public func stop() {
        let first: Bool = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        // Only shut down here: that refuses new connections and wakes `accept` with an error. The
        // accept loop closes the descriptor itself, so the number cannot be reused by another
        // test's socket while the loop may still call `accept` on it.
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        defer { close(listener) }
        while true {
            if lock.withLock({ stopped }) { return }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            serve(client)
        }
    }

    private func serve(_ client: Int32) {
        defer { close(client) }
        guard let request = read(client) else { return }
        let index: Int = lock.withLock {
            recorded.append(request)
            return recorded.count - 1
        }
        let response = handler(request, index)
        if response.delay > 0 { Thread.sleep(forTimeInterval: response.delay) }
        let body = Array(response.body.utf8)
        let head = "HTTP/1.1 \(response.status) \(response.status == 200 ? "OK" : "Status")\r\n"
            + "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        let bytes = Array(head.utf8) + body
        var sent = 0
        while sent < bytes.count {
            // MSG_NOSIGNAL: a client that gave up must not kill the test process with SIGPIPE.
            let n = bytes.withUnsafeBytes { send(client, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func read(_ client: Int32) -> Request? {
        var buffer = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var expected = 0
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return nil }
            buffer += chunk[0..<n]
            if headerEnd == nil, let end = buffer.firstRange(of: separator)?.upperBound {
                headerEnd = end
                let head = String(decoding: buffer[0..<end], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    expected = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let end = headerEnd, buffer.count - end >= expected { break }
        }
        let end = headerEnd!
        let lines = String(decoding: buffer[0..<end], as: UTF8.self).split(separator: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: requestLine.count > 0 ? String(requestLine[0]) : "",
                       path: requestLine.count > 1 ? String(requestLine[1]) : "",
                       headers: headers, body: Data(buffer[end..<(end + expected)]))
    }
}
