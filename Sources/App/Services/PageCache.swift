import NIOConcurrencyHelpers
import Vapor

/// Public pages rendered once per catalogue snapshot and language, for anonymous visitors (and a procedure's API
/// answer, the same for every caller): the home page, the
/// catalogue and procedure pages are the same for every signed-out reader until the catalogue changes, and they
/// are the pages citizens open most. Each `CatalogueSnapshot` holds its own cache, so a page drawn from an older
/// catalogue is never served once the index has moved on; signed-in readers (whose header and links differ) always
/// get a fresh page.
final class PageCache: Sendable {
    /// What the cache may hold; when a page would pass it, the cache starts over (a burst of one-off searches
    /// costs renders, never memory).
    static let byteBudget = 32 << 20

    private struct State {
        var pages: [String: ByteBuffer] = [:]
        var bytes = 0
    }

    private let state = NIOLockedValueBox(State())

    /// The cached page for `req`, or `render`'s, stored for the next anonymous reader. Only a 200 is kept.
    func respond(to req: Request, render: () async throws -> View) async throws -> Response {
        guard req.method == .GET, req.account == nil, req.cookies[Sessions.cookieName] == nil else {
            return try await render().encodeResponse(for: req)
        }
        let key = req.language.rawValue + " " + req.url.path + "?" + (req.url.query ?? "")
        return try await response(key: key, contentType: "text/html; charset=utf-8") { try await render().data }
    }

    /// The body stored under `key`, or `produce`'s, stored: for answers that are the same for every caller until
    /// the catalogue changes (a procedure's JSON).
    func response(key: String, contentType: String, produce: () async throws -> ByteBuffer) async throws -> Response {
        let body: ByteBuffer
        if let cached = state.withLockedValue({ $0.pages[key] }) {
            body = cached
        } else {
            body = try await produce()
            let bytes = body.readableBytes
            state.withLockedValue { state in
                if state.bytes + bytes > Self.byteBudget { state = State() }
                if state.pages.updateValue(body, forKey: key) == nil { state.bytes += bytes }
            }
        }
        return Response(status: .ok, headers: ["Content-Type": contentType], body: .init(buffer: body))
    }
}
